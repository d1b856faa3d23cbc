"""Which watchlists a Guard uses, and the problems that come with them.

The UFLPA Entity List is always screened: the copy refreshed by ``flg lists update`` when one is
stored in the lists folder, else the bundled snapshot. Other lists come on top: those refreshed into
the same folder (``flg lists update --name NAME --url ...``), ``--list FILE`` options and the
``FLG_LISTS`` environment variable (file paths separated by ``os.pathsep``).

Failure is closed: a list that is configured but cannot be loaded becomes a *problem*, which the
Guard turns into a SCREENING_UNAVAILABLE finding (block) on every decision. Staleness is not decided
here but by the Guard, per decision, from its own clock.

:class:`StoredLists` is the loader a Guard keeps to load the same lists again when they change on
disk (see :mod:`forced_labour_guard.lists.live`).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from forced_labour_guard.errors import InputError
from forced_labour_guard.lists.base import Watchlist
from forced_labour_guard.lists.loaders import (
    ListUnavailableError,
    load_list_file,
    snapshot_watchlist,
)
from forced_labour_guard.lists.refresh import default_lists_dir, read_snapshot, snapshot_path
from forced_labour_guard.lists.status import stale_list_warnings
from forced_labour_guard.lists.uflpa import load_bundled_uflpa
from forced_labour_guard.lists.watchlist import EntityWatchlist
from forced_labour_guard.settings import LISTS, extra_list_paths

LISTS_ENV = LISTS.name
UFLPA_SNAPSHOT_NAME = "uflpa"

__all__ = [
    "LISTS_ENV",
    "UFLPA_SNAPSHOT_NAME",
    "ListSetup",
    "StoredLists",
    "build_list_setup",
    "configured_list_paths",
    "stale_list_warnings",
    "stored_list_paths",
    "uflpa_watchlist",
]


@dataclass
class ListSetup:
    watchlists: list[Watchlist] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    """Lists that were asked for and could not be loaded (each blocks every decision)."""


def uflpa_watchlist(lists_dir: Path | None = None) -> EntityWatchlist:
    """The refreshed UFLPA copy if one is stored in ``lists_dir``, else the bundled snapshot.
    A stored copy that is damaged raises ListUnavailableError (fail closed)."""
    directory = lists_dir or default_lists_dir()
    path = snapshot_path(directory, UFLPA_SNAPSHOT_NAME)
    try:
        snapshot = read_snapshot(directory, UFLPA_SNAPSHOT_NAME)
        refreshed = None if snapshot is None else snapshot_watchlist(snapshot, source=str(path))
    except InputError as error:
        raise ListUnavailableError(
            f"the refreshed copy is damaged ({error}); run 'flg lists update' again"
        ) from error
    return refreshed if refreshed is not None else load_bundled_uflpa()


def stored_list_paths(directory: Path) -> list[Path]:
    """Lists other than the UFLPA one that 'flg lists update --name NAME' stored in ``directory``
    (their previous copies and unfinished temporary files left aside)."""
    if not directory.is_dir():
        return []
    return sorted(
        path
        for path in directory.glob("*.json")
        if path.name != f"{UFLPA_SNAPSHOT_NAME}.json"
        and not path.name.endswith(".prev.json")
        and not path.name.startswith(".")
    )


def configured_list_paths(
    lists_dir: Path | None = None, extra: Sequence[str] = (), *, use_environment: bool = True
) -> list[str]:
    """The list files to screen besides UFLPA: those refreshed into ``lists_dir``, then ``extra``
    (the --list options), then $FLG_LISTS; screening and ``flg lists status`` read the same set."""
    paths = [str(path) for path in stored_list_paths(lists_dir or default_lists_dir())]
    paths += list(extra)
    if use_environment:
        paths += extra_list_paths()
    return paths


def build_list_setup(
    *,
    lists_dir: Path | None = None,
    extra: Sequence[str] = (),
    use_environment: bool = True,
) -> ListSetup:
    """Load the UFLPA list and the extra lists; failures become problems, never exceptions."""
    setup = ListSetup()
    try:
        setup.watchlists.append(uflpa_watchlist(lists_dir))
    except InputError as error:
        setup.problems.append(f"The UFLPA Entity List could not be loaded: {error}")
    for path in configured_list_paths(lists_dir, extra, use_environment=use_environment):
        try:
            setup.watchlists.append(load_list_file(path))
        except InputError as error:
            setup.problems.append(f"The watchlist {path} could not be loaded: {error}")
    return setup


def _file_stamp(path: Path) -> tuple[object, ...]:
    try:
        stat = path.stat()
    except OSError as error:  # missing now, or unreadable: also a change worth a reload
        return (type(error).__name__,)
    return (stat.st_mtime_ns, stat.st_size, stat.st_ino)


@dataclass(frozen=True)
class StoredLists:
    """The lists :func:`build_list_setup` loads, as a loader a long-running Guard keeps: ``load()``
    loads them, ``stamp()`` tells cheaply (one ``stat`` per file) whether any changed since."""

    lists_dir: Path | None = None
    extra: tuple[str, ...] = ()
    use_environment: bool = True

    def load(self) -> ListSetup:
        return build_list_setup(
            lists_dir=self.lists_dir, extra=self.extra, use_environment=self.use_environment
        )

    def stamp(self) -> Hashable:
        directory = self.lists_dir or default_lists_dir()
        paths = [
            snapshot_path(directory, UFLPA_SNAPSHOT_NAME),
            *map(
                Path,
                configured_list_paths(
                    self.lists_dir, self.extra, use_environment=self.use_environment
                ),
            ),
        ]
        return tuple((str(path), _file_stamp(path)) for path in paths)
