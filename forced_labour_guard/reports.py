"""Reading a third-party evidence record for what it says, not only for the ``kind`` it was filed under.

An ERP user files a report under ``other`` as often as under the right kind. The summary is read
with two small term tables (``data/evidence_terms.json``): a phrase of state-sponsored labour
transfer ("surplus labour transferred from Hotan", "劳动力转移") supports A3; a sourcing word together
with a place of the region, as the Guard's locator reads goods text ("buys Xinjiang cotton",
"sources lint from Aksu"), supports A4. A phrase preceded, in its own clause, by a denial ("no
evidence of labour transfer", "does not source from Xinjiang", "否认") or followed by one ("labour
transfer: none identified") supports nothing: the reading
is deliberately literal, and a denial is left to the reviewer who reads the record. Pure.
"""

from __future__ import annotations

import json
import re
from collections.abc import Hashable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Final, cast

from forced_labour_guard.goods import place_in_goods
from forced_labour_guard.region import RegionLocator


def _pattern(words: dict[str, list[str]]) -> re.Pattern[str]:
    latin = "|".join(sorted(map(re.escape, words["latin"]), key=len, reverse=True))
    han = "|".join(sorted(map(re.escape, words["zh"]), key=len, reverse=True))
    return re.compile(rf"\b(?:{latin})\b|(?:{han})", re.IGNORECASE)


def _load() -> dict[str, Any]:
    text = resources.files("forced_labour_guard").joinpath("data/evidence_terms.json")
    loaded: dict[str, Any] = json.loads(text.read_text("utf-8"))
    return loaded


_TERMS: Final = _load()
_LABOUR_TRANSFER: Final = _pattern(_TERMS["labour_transfer"])
_SOURCING: Final = _pattern(_TERMS["sourcing"])
_DENIAL: Final = _pattern(_TERMS["denial"])
_DENIAL_AFTER: Final = _pattern(_TERMS["denial_after"])
_CLAUSE: Final = re.compile(r"[.;!?。；！？]|,\s*(?:but|while|whereas)\b|，")


@dataclass(frozen=True, slots=True)
class Reading:
    """What a summary supports: the phrase behind A3, and the sourcing phrase and place behind A4."""

    labour_transfer: str | None = None
    sourcing: str | None = None
    place: str | None = None


def _clauses(text: str) -> list[str]:
    return [part.strip() for part in _CLAUSE.split(text) if part.strip()]


def _asserted(pattern: re.Pattern[str], clause: str) -> str | None:
    """The first phrase of ``pattern`` in the clause that no denial takes back (one before it,
    "no evidence of labour transfer", or one after it, "labour transfer: none found")."""
    for match in pattern.finditer(clause):
        denied = _DENIAL.search(clause[: match.start()]) or _DENIAL_AFTER.search(
            clause[match.end() :]
        )
        if not denied:
            return match.group()
    return None


def read_summary(summary: str, locator: RegionLocator) -> Reading:
    """What an evidence summary says, clause by clause; see the module docstring. Memoised per
    locator object (a supplier's evidence is read again on every order) when it can be hashed."""
    if isinstance(locator, Hashable):
        return _read_summary(summary, locator)
    return _read(summary, locator)


@lru_cache(maxsize=4096)
def _read_summary(summary: str, locator: Hashable) -> Reading:
    return _read(summary, cast(RegionLocator, locator))


def _read(summary: str, locator: RegionLocator) -> Reading:
    transfer = sourcing = place = None
    for clause in _clauses(summary):
        transfer = transfer or _asserted(_LABOUR_TRANSFER, clause)
        if sourcing is None:
            verb = _asserted(_SOURCING, clause)
            named = place_in_goods(clause, locator) if verb else None
            if verb and named is not None and not named.negated:
                sourcing, place = verb, named.hit.place
    return Reading(labour_transfer=transfer, sourcing=sourcing, place=place)
