"""The watchlists a long-running Guard screens against, and how it picks up new versions safely.

A Guard inside a server lives for months while ``flg lists update`` (a cron job, another process)
replaces the stored lists. :class:`LiveLists` holds one complete set of loaded lists,
:class:`LoadedLists`, and swaps it for a newly loaded set in one assignment: a decision takes the
current set once and is made against it from start to end, so it never sees half of one version and
half of another, and the versions it names in ``list_versions`` are the ones it used.

New versions come in two ways, both through a :class:`ListLoader` (the I/O lives in the loader, see
:class:`forced_labour_guard.lists.setup.StoredLists`):

* ``reload()``: load now (after a refresh the caller knows about, or an admin's request);
* ``check_seconds``: before a decision, at most once every that many seconds by the Guard's clock,
  ask the loader for the stored lists' stamp (file sizes and modification times, cheap) and load
  again only when it changed. Off by default (``None``); a server sets it (``FLG_LIST_CHECK_SECONDS``).

Fail closed: a reload whose lists cannot all be loaded is adopted with its problems, which block
every decision as they would in a new process; while the current set has problems every check
loads again, so a repaired file is picked up at the next check. One thread reloads at a time;
the others go on deciding with the set they have.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Protocol

from forced_labour_guard.lists.base import Watchlist
from forced_labour_guard.lists.setup import ListSetup
from forced_labour_guard.lists.status import stale_list_warnings
from forced_labour_guard.model import ListVersion

log = logging.getLogger(__name__)

NO_WATCHLIST_WARNING = (
    "This screening used no watchlist: a supplier on the UFLPA Entity List (or any other list) "
    "is not recognised as listed, so an 'allow' says only that no location, relationship, "
    "evidence or input points to the Uyghur Region. Build the Guard with Guard.default() or give "
    "it watchlists."
)

_CHECK_FAILED = "the stored watchlists could not be checked for a new version"


class ListLoader(Protocol):
    """Loads the lists a Guard should use, and tells cheaply whether they changed since."""

    def load(self) -> ListSetup:
        """Every list, with a problem (never an exception) for each that cannot be loaded."""
        ...

    def stamp(self) -> Hashable:
        """A value that changes whenever a stored list changes (e.g. sizes and mtimes)."""
        ...


@dataclass(frozen=True)
class LoadedLists:
    """One complete set of lists: everything one decision is made against."""

    watchlists: tuple[Watchlist, ...]
    problems: tuple[str, ...] = ()
    """Lists that were asked for and could not be loaded (each blocks every decision)."""
    stamp: Hashable = None
    """The loader's stamp taken just before this set was loaded."""

    @property
    def versions(self) -> list[ListVersion]:
        return [watchlist.version for watchlist in self.watchlists]

    def warnings(self, *, today: dt.date, max_age_days: int) -> list[str]:
        """Caveats for a decision made today with these lists: none at all, partial ones, and
        ones older than ``max_age_days`` (counted from ``today``, so a long-lived Guard warns
        the day its list becomes stale, not only when it was built)."""
        if not self.watchlists:
            return [NO_WATCHLIST_WARNING]
        partial = [
            f"{v.name} is incomplete ({v.note or 'it lacks part of the official list'}): an "
            "'allow' is only as good as the list it was checked against."
            for v in self.versions
            if not v.complete
        ]
        return [
            *partial,
            *stale_list_warnings(self.watchlists, today=today, max_age_days=max_age_days),
        ]


def load(loader: ListLoader) -> LoadedLists:
    """A complete new set from ``loader``; its stamp is taken first, so a change made while it
    loads is seen (and loaded) at the next check."""
    stamp = loader.stamp()
    setup = loader.load()
    return LoadedLists(tuple(setup.watchlists), tuple(setup.problems), stamp)


class LiveLists:
    """The current :class:`LoadedLists` of a Guard, swapped atomically; see the module docstring."""

    def __init__(
        self,
        initial: LoadedLists,
        *,
        loader: ListLoader | None = None,
        check_seconds: float | None = None,
    ) -> None:
        if check_seconds is not None and not check_seconds > 0:  # also refuses nan
            raise ValueError(
                f"check_seconds must be more than 0 (or None for off), not {check_seconds}"
            )
        if check_seconds is not None and loader is None:
            raise ValueError("check_seconds needs a loader to check")
        self._current = initial
        self.loader = loader
        self.check_seconds = check_seconds
        self._checked_at: dt.datetime | None = None
        self._lock = threading.Lock()

    @classmethod
    def fixed(cls, watchlists: Sequence[Watchlist], problems: Sequence[str] = ()) -> LiveLists:
        """Lists given once, never reloaded."""
        return cls(LoadedLists(tuple(watchlists), tuple(problems)))

    @classmethod
    def from_loader(cls, loader: ListLoader, *, check_seconds: float | None = None) -> LiveLists:
        return cls(load(loader), loader=loader, check_seconds=check_seconds)

    @property
    def in_use(self) -> LoadedLists:
        """The set in use now, without checking for a new one."""
        return self._current

    def current(self, now: dt.datetime) -> LoadedLists:
        """The set a decision made at ``now`` uses, after the periodic check when one is due."""
        if self.check_seconds is not None and self._due(now) and self._lock.acquire(blocking=False):
            try:
                if self._due(now):  # another thread may have checked while this one waited
                    self._checked_at = now
                    self._check()
            finally:
                self._lock.release()
        return self._current

    def reload(self) -> LoadedLists:
        """Load every list again now and switch to it; returns the set now in use."""
        if self.loader is None:
            raise ValueError(
                "these watchlists were given once; build the Guard with a list_loader to reload"
            )
        with self._lock:
            self._current = load(self.loader)
        return self._current

    def _due(self, now: dt.datetime) -> bool:
        last = self._checked_at
        # abs(): a clock set back must not stop the checks until it catches up again
        return last is None or abs((now - last).total_seconds()) >= (self.check_seconds or 0)

    def _check(self) -> None:
        assert self.loader is not None
        current = self._current
        try:
            if current.problems or self.loader.stamp() != current.stamp:
                self._current = load(self.loader)
                log.info("watchlists reloaded: %s", self._current.versions)
        except Exception as error:  # fail closed: a check that cannot run blocks, never passes
            log.exception("checking the stored watchlists failed")
            why = f"{_CHECK_FAILED} ({type(error).__name__}: {error})"
            kept = tuple(p for p in current.problems if not p.startswith(_CHECK_FAILED))
            self._current = LoadedLists(current.watchlists, (*kept, why), current.stamp)
