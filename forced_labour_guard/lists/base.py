"""The contract between the Guard and a watchlist (UFLPA Entity List, a company's own list, ...).

The Guard walks a supplier graph and asks each active watchlist, for every company it meets, which
entries that company may be. The watchlist answers with scored matches; the Guard's policy thresholds
turn a score into ENTITY_LIST (block) or POSSIBLE_MATCH (review). Matching is pure and in memory.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field

from forced_labour_guard.model import ListVersion, Supplier

MatchBasis = Literal["registration_id", "name", "alias", "subsidiary", "parent"]


class WatchlistMatch(BaseModel):
    """One supplier-to-entry match, with everything a finding needs to explain itself."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    list_name: str = Field(description="The list that hit, e.g. 'UFLPA Entity List'.")
    entry_id: str
    entry_name: str = Field(description="The listed name as published.")
    matched_name: str = Field(description="The listed name or alias that the supplier matched.")
    supplier_name: str = Field(description="The supplier's name or alias that matched it.")
    basis: MatchBasis
    score: float = Field(ge=0, le=1)
    explanation: str = Field(
        description="Why these are taken to be the same company, in a sentence."
    )
    source: str = Field(description="Citation of the listing, e.g. the Federal Register notice.")
    url: str | None = None
    date: dt.date | None = Field(default=None, description="When the entry was listed.")
    reason: str | None = Field(default=None, description="Why the entity is listed, if known.")


class Watchlist(Protocol):
    """A loaded list of entities that the Guard screens suppliers against."""

    @property
    def version(self) -> ListVersion:
        """Name, as_of date, size and coverage of the snapshot, shown in every Decision."""
        ...

    def match(self, supplier: Supplier, *, min_score: float) -> list[WatchlistMatch]:
        """Entries this supplier may be, each scored 0..1; only scores >= ``min_score``."""
        ...
