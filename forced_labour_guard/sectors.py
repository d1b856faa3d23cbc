"""UFLPA high-priority sectors by HS code prefix.

CBP names the sectors but no HS codes, so the table in ``data/hs_sectors.json`` is this project's own
reading of the HS 2022 nomenclature; every prefix carries the reason it was chosen, and findings say
the table is ours. The table is loaded once at import; lookups are pure.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Final

from pydantic import BaseModel, ConfigDict


class SectorPrefix(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    sector: str
    priority_year: int
    prefix: str
    why: str


class SectorTable(BaseModel):
    model_config = ConfigDict(frozen=True)

    source: str
    hs_version: str
    prefixes: tuple[SectorPrefix, ...]

    def lookup(self, hs_digits: str) -> SectorPrefix | None:
        """The most specific prefix that ``hs_digits`` starts with, or None."""
        best: SectorPrefix | None = None
        for entry in self.prefixes:
            if hs_digits.startswith(entry.prefix) and (
                best is None or len(entry.prefix) > len(best.prefix)
            ):
                best = entry
        return best


def _load() -> SectorTable:
    raw = json.loads(
        resources.files("forced_labour_guard").joinpath("data/hs_sectors.json").read_text("utf-8")
    )
    prefixes = tuple(
        SectorPrefix(sector=s["sector"], priority_year=s["priority_year"], **p)
        for s in raw["sectors"]
        for p in s["prefixes"]
    )
    return SectorTable(source=raw["source"], hs_version=raw["hs_version"], prefixes=prefixes)


SECTORS: Final[SectorTable] = _load()
