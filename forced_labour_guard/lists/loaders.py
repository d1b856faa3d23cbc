"""Load a watchlist from a file: a refreshed snapshot, a company CSV/JSON list, an FtM export or a
saved copy of the DHS page.

A configured list that is missing or unreadable raises :class:`ListUnavailableError`. Screening
without a list it was told to use is not screening: the Guard turns this error into a
SCREENING_UNAVAILABLE finding (block by default) and the CLI exits with status 2 without a decision.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import ValidationError

from forced_labour_guard.errors import InputError, first_problem
from forced_labour_guard.lists.custom import custom_version, parse_custom_csv, parse_custom_json
from forced_labour_guard.lists.dhs import parse_dhs_page
from forced_labour_guard.lists.entries import SNAPSHOT_FORMAT, ListEntry, Snapshot
from forced_labour_guard.lists.ftm import parse_ftm_lines
from forced_labour_guard.lists.uflpa import UFLPA_LIST_NAME
from forced_labour_guard.lists.watchlist import EntityWatchlist
from forced_labour_guard.model import ListVersion

ListFormat = Literal["snapshot", "csv", "json", "ftm", "dhs-html"]
FORMATS: tuple[ListFormat, ...] = ("snapshot", "csv", "json", "ftm", "dhs-html")


class ListUnavailableError(InputError):
    """A configured watchlist could not be loaded; screening must fail closed."""


def guess_format(path: Path) -> ListFormat:
    """The list format from the file name: .csv, .json, .jsonl/.ndjson (FtM), .html/.htm."""
    name = path.name.lower()
    if name.endswith((".jsonl", ".ndjson", ".ftm.json")):
        return "ftm"
    if name.endswith(".csv"):
        return "csv"
    if name.endswith((".html", ".htm")):
        return "dhs-html"
    if name.endswith(".json"):
        return "json"
    raise InputError(
        f"cannot tell the list format of {path.name!r}; name it .csv, .json, .jsonl or .html, "
        f"or give the format ({', '.join(FORMATS)})",
        source=str(path),
    )


@dataclass
class ParsedList:
    """A list's text read into entries, with its version and what could not be read."""

    version: ListVersion
    entries: list[ListEntry]
    problems: list[str] = field(default_factory=list)
    """Rows not fully read (kept with what could be read), and tables not read at all."""
    unread_tables: list[str] = field(default_factory=list)
    """Whole tables of the list that were not read: a refresh refuses such a page unless forced."""


def incomplete(version: ListVersion, problems: list[str]) -> ListVersion:
    """The version of a list some of whose rows or tables could not be read: it is not complete,
    whatever its source says, so every decision made with it carries a warning."""
    if not problems:
        return version
    note = (
        f"{len(problems)} point(s) of the source were not fully read, so entities may be "
        "missing or misnamed; see the problems stored with the list"
    )
    return version.model_copy(
        update={"complete": False, "note": f"{version.note}; {note}" if version.note else note}
    )


def parse_list_text(text: str, *, format: ListFormat, name: str, source: str) -> ParsedList:
    """The entries, version and problems of a list's text in one of the formats (pure)."""
    if format == "csv":
        entries = parse_custom_csv(text, source=source)
        return ParsedList(custom_version(name, entries, {}, source=source), entries)
    if format == "json":
        if text.lstrip().startswith("{") and f'"{SNAPSHOT_FORMAT}"' in text[:200]:
            snapshot = parse_snapshot(text, source=source)
            return ParsedList(snapshot.version, snapshot.entries, snapshot.problems)
        meta, entries = parse_custom_json(text, source=source)
        return ParsedList(custom_version(name, entries, meta, source=source), entries)
    if format == "snapshot":
        snapshot = parse_snapshot(text, source=source)
        return ParsedList(snapshot.version, snapshot.entries, snapshot.problems)
    if format == "ftm":
        parsed = parse_ftm_lines(text.splitlines(), source=source)
        uflpa = "us_dhs_uflpa" in parsed.datasets
        version = ListVersion(
            name=UFLPA_LIST_NAME if uflpa and name == "uflpa" else name,
            as_of=parsed.newest,
            source=f"OpenSanctions FtM export ({', '.join(parsed.datasets) or 'no dataset named'})",
            entries=sum(e.listings for e in parsed.entries),
        )
        return ParsedList(version, parsed.entries)
    page = parse_dhs_page(text, url=source)
    problems = [*page.unread_tables, *page.problems]
    version = ListVersion(
        name=UFLPA_LIST_NAME,
        as_of=page.as_of,
        source=f"DHS UFLPA Entity List web page ({source})",
        entries=sum(e.listings for e in page.entries),
    )
    return ParsedList(incomplete(version, problems), page.entries, problems, page.unread_tables)


def parse_snapshot(text: str, *, source: str) -> Snapshot:
    try:
        return Snapshot.model_validate_json(text)
    except ValidationError as error:
        where, message = first_problem(error)
        raise InputError(
            f"not a valid list snapshot: {message}", path=where or None, source=source
        ) from None


def snapshot_watchlist(snapshot: Snapshot, *, source: str) -> EntityWatchlist:
    """The watchlist of a stored snapshot; an empty one is unavailable, as an empty list file is:
    screening against no entries would clear every supplier."""
    if not snapshot.entries:
        raise ListUnavailableError("the list has no entries", source=source)
    checked = snapshot.checked_at or snapshot.fetched_at
    return EntityWatchlist(
        incomplete(snapshot.version, snapshot.problems)
        if snapshot.version.complete
        else snapshot.version,
        snapshot.entries,
        checked_on=checked.date() if checked else None,
        problems=snapshot.problems,
    )


def load_list_file(
    path: str | Path, *, format: ListFormat | None = None, name: str | None = None
) -> EntityWatchlist:
    """Load one list file; raises ListUnavailableError if it is missing, unreadable or invalid."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ListUnavailableError("the list file does not exist", source=str(path)) from None
    except (OSError, UnicodeDecodeError) as error:
        raise ListUnavailableError(
            f"the list file cannot be read ({error})", source=str(path)
        ) from error
    chosen = format or guess_format(path)
    list_name = name or path.name.split(".")[0]
    try:
        if chosen in ("snapshot", "json") and f'"{SNAPSHOT_FORMAT}"' in text[:200]:
            return snapshot_watchlist(parse_snapshot(text, source=str(path)), source=str(path))
        parsed = parse_list_text(text, format=chosen, name=list_name, source=str(path))
    except ListUnavailableError:
        raise
    except InputError as error:
        raise ListUnavailableError(str(error)) from error
    if not parsed.entries:
        raise ListUnavailableError("the list has no entries", source=str(path))
    modified = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC).date()
    return EntityWatchlist(
        parsed.version, parsed.entries, checked_on=modified, problems=parsed.problems
    )
