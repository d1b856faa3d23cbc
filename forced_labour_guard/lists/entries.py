"""One listed entity, and the snapshot document every loader and the refresher produce.

A loader (bundled UFLPA snapshot, DHS web page, OpenSanctions FtM export, a company's CSV/JSON)
turns its source into ``ListEntry`` records plus a ``ListVersion``; the stored form of a refreshed
list is a ``Snapshot``, so a later process can load it without parsing the source again.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from forced_labour_guard.matching import normalize_name
from forced_labour_guard.model import ListVersion
from forced_labour_guard.region.uscc import clean_identifier

SNAPSHOT_FORMAT = "flg-watchlist/1"

normalize_registration = clean_identifier
"""Registration numbers compare without spaces, dashes, dots, slashes, case or full-width forms
('９１６５ 0100-...'), exactly as the region locator reads a credit code."""


def name_key(name: str) -> str:
    """One key per listed name, whatever its word order, legal form or script (the normalised
    name's key; the case-folded name when normalising leaves nothing). Two rows with the same key
    are the same listing: row ids are derived from it, and a refresh compares versions by it."""
    return normalize_name(name).key or name.casefold()


class ListEntry(BaseModel):
    """A listed entity with the names it is known by and the citation of its listing."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list, description="Other names, any script.")
    subsidiaries: list[str] = Field(
        default_factory=list, description="Subsidiaries named in the listing itself."
    )
    parent_names: list[str] = Field(
        default_factory=list,
        description="Names of the listed entity's parent, which is not itself this listing: "
        "a supplier with such a name is put to review, never blocked on it.",
    )
    name_sources: dict[str, str] = Field(
        default_factory=dict,
        description="Where an alias or parent name comes from when the listing itself does not "
        "give it (e.g. a Chinese legal name from the company's own filing).",
    )
    country: str | None = None
    registration_ids: list[str] = Field(default_factory=list)
    sections: list[str] = Field(default_factory=list, description="E.g. UFLPA 2(d)(2)(B)(ii).")
    date: dt.date | None = Field(default=None, description="When the entity was listed.")
    source: str | None = Field(
        default=None, description="Citation, e.g. a Federal Register notice."
    )
    url: str | None = None
    reason: str | None = None
    note: str | None = None

    @property
    def listings(self) -> int:
        """How many listings this entry stands for: itself and each subsidiary it names."""
        return 1 + len(self.subsidiaries)


class Snapshot(BaseModel):
    """A list as stored on disk after a refresh: its version, when it was checked, its entries."""

    model_config = ConfigDict(extra="forbid")

    format: str = SNAPSHOT_FORMAT
    version: ListVersion
    url: str | None = None
    fetched_at: dt.datetime | None = None
    checked_at: dt.datetime | None = Field(
        default=None, description="Last time the source confirmed this copy (incl. 304)."
    )
    etag: str | None = None
    last_modified: str | None = None
    problems: list[str] = Field(default_factory=list, description="Rows the parser could not read.")
    entries: list[ListEntry]
