"""UFLPA high-priority sectors by HS code prefix.

CBP names the sectors but no HS codes, so the table in ``data/hs_sectors.json`` is this project's own
reading of the HS 2022 nomenclature; every prefix carries the reason it was chosen, and findings say
the table is ours. ERPs still carry codes of the previous edition (HS 2017) for years, so
``data/hs_editions.json`` links each HS 2017 subheading that HS 2022 split or renumbered to its HS 2022
successors (from the WCO correlation tables): a code of either edition finds its sector. The tables
are loaded once at import; lookups are pure.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any, Final

from pydantic import BaseModel, ConfigDict


class SectorPrefix(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    sector: str
    priority_year: int
    prefix: str
    why: str


class EditionLink(BaseModel):
    """An older-edition subheading and the HS 2022 subheadings that now hold its goods."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    old: str
    new: tuple[str, ...]
    why: str


class Editions(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    source: str
    from_version: str
    to_version: str
    links: tuple[EditionLink, ...]


class SectorHit(BaseModel):
    """The sector a code falls in, and, for an older-edition code, the link that led there."""

    model_config = ConfigDict(frozen=True)

    entry: SectorPrefix
    via: EditionLink | None = None

    def explain(self, editions: Editions) -> str:
        """'' for a code of the table's own edition, else which edition link was followed."""
        if self.via is None:
            return ""
        return (
            f" The code is read as {editions.from_version} {self.via.old}, which {editions.to_version} "
            f"splits into {', '.join(self.via.new)}, among them the sector's {self.entry.prefix}."
        )


class SectorTable(BaseModel):
    model_config = ConfigDict(frozen=True)

    source: str
    hs_version: str
    prefixes: tuple[SectorPrefix, ...]
    editions: Editions

    def lookup(self, hs_digits: str) -> SectorPrefix | None:
        """The most specific prefix that ``hs_digits`` (a code of the table's edition) starts with."""
        best: SectorPrefix | None = None
        for entry in self.prefixes:
            if hs_digits.startswith(entry.prefix) and (
                best is None or len(entry.prefix) > len(best.prefix)
            ):
                best = entry
        return best

    def classify(self, hs_digits: str) -> SectorHit | None:
        """The sector of a code of any edition the tables know: the table's own first, then an
        older-edition subheading whose successors include a sector prefix (national 8- and
        10-digit codes extend both, so prefixes are compared)."""
        entry = self.lookup(hs_digits)
        if entry is not None:
            return SectorHit(entry=entry)
        for link in self.editions.links:
            if not hs_digits.startswith(link.old):
                continue
            for successor in link.new:
                found = self.lookup(successor)
                if found is not None:
                    return SectorHit(entry=found, via=link)
        return None


def _read(name: str) -> Any:
    return json.loads(resources.files("forced_labour_guard").joinpath(name).read_text("utf-8"))


def _load() -> SectorTable:
    raw = _read("data/hs_sectors.json")
    prefixes = tuple(
        SectorPrefix(sector=s["sector"], priority_year=s["priority_year"], **p)
        for s in raw["sectors"]
        for p in s["prefixes"]
    )
    editions = Editions.model_validate(_read("data/hs_editions.json"))
    if editions.to_version != raw["hs_version"]:
        raise ValueError(
            f"hs_editions.json leads to {editions.to_version}, the sector table is {raw['hs_version']}"
        )
    return SectorTable(
        source=raw["source"], hs_version=raw["hs_version"], prefixes=prefixes, editions=editions
    )


SECTORS: Final[SectorTable] = _load()
