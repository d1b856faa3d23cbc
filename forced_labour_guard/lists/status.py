"""How old a list is, whether it is stale, and the warning a stale or partial list puts on decisions.

A list's age runs from the last day its source confirmed it (a refresh, or a 304 Not Modified), else
from its ``as_of`` date. A stale list still screens, but every decision says it is stale; a list
that is missing fails closed (see :class:`forced_labour_guard.lists.loaders.ListUnavailableError`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from forced_labour_guard.lists.base import Watchlist
from forced_labour_guard.lists.watchlist import EntityWatchlist
from forced_labour_guard.model import ListVersion

DEFAULT_MAX_AGE_DAYS = 90
"""DHS has added entities every few months since 2022; a copy older than this may miss some."""


def list_age(
    version: ListVersion, today: dt.date, *, checked_on: dt.date | None = None
) -> int | None:
    """Days since the list was last confirmed (else since its as_of); None if neither is known."""
    since = checked_on or version.as_of
    return (today - since).days if since else None


def is_stale(
    version: ListVersion,
    max_age_days: int,
    today: dt.date,
    *,
    checked_on: dt.date | None = None,
) -> bool:
    """True when the list is older than ``max_age_days``, or its age cannot be known."""
    age = list_age(version, today, checked_on=checked_on)
    return age is None or age > max_age_days


@dataclass(frozen=True)
class ListStatus:
    """One line of ``flg lists status``."""

    name: str
    source: str | None
    as_of: dt.date | None
    entries: int | None
    age_days: int | None
    stale: bool
    complete: bool
    note: str | None
    location: str


def status_of(
    watchlist: EntityWatchlist, *, location: str, max_age_days: int, today: dt.date
) -> ListStatus:
    version = watchlist.version
    return ListStatus(
        name=version.name,
        source=version.source,
        as_of=version.as_of,
        entries=version.entries,
        age_days=list_age(version, today, checked_on=watchlist.checked_on),
        stale=is_stale(version, max_age_days, today, checked_on=watchlist.checked_on),
        complete=version.complete,
        note=version.note,
        location=location,
    )


def stale_list_warnings(
    watchlists: Sequence[Watchlist], *, today: dt.date, max_age_days: int = DEFAULT_MAX_AGE_DAYS
) -> list[str]:
    """One sentence per list older than ``max_age_days`` (for any Watchlist, not only ours)."""
    warnings = []
    for watchlist in watchlists:
        checked = watchlist.checked_on if isinstance(watchlist, EntityWatchlist) else None
        version = watchlist.version
        if is_stale(version, max_age_days, today, checked_on=checked):
            age = list_age(version, today, checked_on=checked)
            known = f"is {age} days old" if age is not None else "has no date"
            warnings.append(
                f"The {version.name} copy used {known} (more than {max_age_days} days), so "
                "entities listed since may be missed; refresh it with 'flg lists update'."
            )
    return warnings
