"""Which watchlists a Guard uses, and the problems and warnings that come with them.

The UFLPA Entity List is always screened: the copy refreshed by ``flg lists update`` when one is
stored in the lists folder, else the bundled snapshot. Other lists come on top: those refreshed into
the same folder (``flg lists update --name NAME --url ...``), ``--list FILE`` options and the
``FLG_LISTS`` environment variable (file paths separated by ``os.pathsep``).

Failure is closed: a list that is configured but cannot be loaded becomes a *problem*, which the
Guard turns into a SCREENING_UNAVAILABLE finding (block) on every decision. A stale list becomes a
*warning* on every decision.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
from collections.abc import Sequence
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
from forced_labour_guard.lists.status import DEFAULT_MAX_AGE_DAYS, is_stale, list_age
from forced_labour_guard.lists.uflpa import load_bundled_uflpa
from forced_labour_guard.lists.watchlist import EntityWatchlist

LISTS_ENV = "FLG_LISTS"
UFLPA_SNAPSHOT_NAME = "uflpa"


@dataclass
class ListSetup:
    watchlists: list[Watchlist] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    """Lists that were asked for and could not be loaded (each blocks every decision)."""
    warnings: list[str] = field(default_factory=list)
    """Stale lists (each is said on every decision)."""


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
        paths += [p for p in os.environ.get(LISTS_ENV, "").split(os.pathsep) if p.strip()]
    return paths


def build_list_setup(
    *,
    today: dt.date,
    lists_dir: Path | None = None,
    extra: Sequence[str] = (),
    max_age_days: int = DEFAULT_MAX_AGE_DAYS,
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
    setup.warnings = stale_list_warnings(setup.watchlists, today=today, max_age_days=max_age_days)
    return setup


def add_list_options(parser: argparse.ArgumentParser) -> None:
    """--list FILE (repeatable), --lists-dir DIR, --max-list-age DAYS for the screening commands."""
    parser.add_argument(
        "--list",
        dest="lists",
        action="append",
        default=[],
        metavar="FILE",
        help=f"an extra watchlist (.csv, .json, FtM .jsonl, .html); repeatable; also ${LISTS_ENV}",
    )
    parser.add_argument(
        "--lists-dir",
        metavar="DIR",
        help="where 'flg lists update' keeps refreshed lists (default $FLG_LISTS_DIR or "
        "~/.cache/forced_labour_guard/lists)",
    )
    parser.add_argument(
        "--max-list-age",
        type=int,
        default=DEFAULT_MAX_AGE_DAYS,
        metavar="DAYS",
        help=f"a list older than this warns on every decision (default {DEFAULT_MAX_AGE_DAYS})",
    )


def list_setup_from_args(args: argparse.Namespace, *, today: dt.date) -> ListSetup:
    """The ListSetup that the options of :func:`add_list_options` describe."""
    lists_dir = getattr(args, "lists_dir", None)
    return build_list_setup(
        today=today,
        lists_dir=Path(lists_dir) if lists_dir else None,
        extra=getattr(args, "lists", None) or [],
        max_age_days=getattr(args, "max_list_age", DEFAULT_MAX_AGE_DAYS),
    )
