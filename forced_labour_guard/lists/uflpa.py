"""The UFLPA Entity List: the bundled snapshot, and what every UFLPA loader shares.

The bundled snapshot (``data/uflpa_entity_list.json``) is PARTIAL: it was compiled from secondary
sources and holds fewer listings than DHS counts (its README says which are missing and how sure each
entry is). The loader never hides that: the ListVersion it returns has ``complete=False`` and a note
with the count, and every Decision carries that ListVersion. Refresh from the official page
(``flg lists update``) before relying on the list.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from functools import cache
from importlib import resources
from typing import Any

from forced_labour_guard.errors import InputError
from forced_labour_guard.lists.entries import ListEntry
from forced_labour_guard.lists.watchlist import EntityWatchlist
from forced_labour_guard.model import ListVersion

UFLPA_LIST_NAME = "UFLPA Entity List"
DHS_URL = "https://www.dhs.gov/uflpa-entity-list"
BUNDLED_RESOURCE = "data/uflpa_entity_list.json"
SECTIONS_RESOURCE = "data/uflpa_sections.json"


def _read_json(resource: str) -> Any:
    text = resources.files("forced_labour_guard").joinpath(resource).read_text("utf-8")
    return json.loads(text)


@cache
def section_descriptions() -> dict[str, str]:
    """UFLPA section (e.g. '2(d)(2)(B)(ii)') -> what that list holds, in a few words."""
    sections: dict[str, str] = _read_json(SECTIONS_RESOURCE)["sections"]
    return sections


_SECTION = re.compile(r"2\(d\)\(2\)\(B\)\((iv|v|i{1,3})\)", re.IGNORECASE)


def canonical_section(text: str) -> str | None:
    """'Section 2(d)(2)(B)(ii)' or '2 (d)(2)(B)(ii)' -> '2(d)(2)(B)(ii)'; None if there is none."""
    found = _SECTION.search("".join(text.split()))
    return f"2(d)(2)(B)({found.group(1).lower()})" if found else None


def section_reason(sections: Sequence[str]) -> str | None:
    """Why an entity is listed, from its UFLPA sections, as a phrase for a finding's evidence."""
    if not sections:
        return None
    known = section_descriptions()
    parts = [
        f"UFLPA section {s}: {known[s]}" if s in known else f"UFLPA section {s}" for s in sections
    ]
    return "Listed under " + "; and under ".join(parts)


def _notice_citation(
    entry: dict[str, Any], notices: dict[str, dict[str, Any]], undated: dict[str, dict[str, Any]]
) -> tuple[str, str | None]:
    number = entry.get("notice")
    if number and number in notices:
        notice = notices[number]
        citation = notice.get("citation")
        cited = f", {citation}" if citation else ""
        return (
            f"Federal Register notice {number}{cited} published {notice['date']}",
            notice.get("url"),
        )
    date = entry.get("date_added")
    if date and date in undated:
        return (
            f"DHS UFLPA Entity List update effective {date} (Federal Register document number "
            "not found for this snapshot)",
            DHS_URL,
        )
    return ("DHS UFLPA Entity List (listing notice not identified in this snapshot)", DHS_URL)


def _chinese_names(
    rows: Sequence[dict[str, Any]], aliases: list[str]
) -> tuple[list[str], dict[str, str]]:
    """Chinese legal names carried into the entry: the listed entity's own name becomes an alias
    (appended to ``aliases``), a parent's name a parent name; each keeps its source. Returns the
    parent names and the sources by name."""
    parents: list[str] = []
    sources: dict[str, str] = {}
    for row in rows:
        name = row["chinese_name"]
        relation = row["relation"]
        if relation == "listed_entity":
            aliases.append(name)
            what = "Chinese legal name"
        elif relation == "parent_of_listed":
            parents.append(name)
            what = "Chinese legal name of the parent company (not itself this listing)"
        else:
            raise ValueError(f"unknown relation {relation!r} for the Chinese name {name!r}")
        urls = " ".join(row.get("urls") or [])
        sources[name] = f"{what}; source: {row['source']}" + (f" ({urls})" if urls else "")
    return parents, sources


def bundled_from_document(document: dict[str, Any]) -> EntityWatchlist:
    """Build the watchlist from the bundled document (pure: tests may pass a trimmed copy)."""
    notices = {n["document_number"]: n for n in document["notices"] if n.get("document_number")}
    undated = {n["date"]: n for n in document["notices"] if not n.get("document_number")}
    entries = []
    for raw in document["entities"]:
        source, url = _notice_citation(raw, notices, undated)
        verification = raw.get("verification")
        if verification:
            source += f"; evidence for this entry in the bundled snapshot: {verification}"
        aliases = list(raw.get("aliases") or [])
        if raw.get("name_zh"):
            aliases.append(raw["name_zh"])
        parents, sources = _chinese_names(raw.get("chinese_names") or [], aliases)
        entries.append(
            ListEntry(
                id=raw["id"],
                name=raw["name"],
                aliases=aliases,
                subsidiaries=list(raw.get("subsidiaries") or []),
                parent_names=parents,
                name_sources=sources,
                country=raw.get("country", document.get("country")),
                sections=list(raw.get("sections") or []),
                date=dt.date.fromisoformat(raw["date_added"]) if raw.get("date_added") else None,
                source=source,
                url=url,
                reason=section_reason(raw.get("sections") or []),
                note=raw.get("notes"),
            )
        )
    as_of = dt.date.fromisoformat(document["as_of"])
    listings = sum(entry.listings for entry in entries)
    totals: dict[str, int] = document.get("official_totals") or {}
    official = totals.get(document["as_of"])
    complete = bool(document.get("complete")) and (official is None or listings >= official)
    note = None
    if not complete:
        of_total = f" of {official}" if official else ""
        note = (
            f"partial: {listings}{of_total} listings; refresh from the official source "
            f"({DHS_URL}) with 'flg lists update' before relying on it"
        )
    version = ListVersion(
        name=UFLPA_LIST_NAME,
        as_of=as_of,
        source="bundled snapshot compiled from Federal Register notices and secondary sources "
        "(forced_labour_guard/data/uflpa_entity_list.README.md)",
        entries=listings,
        complete=complete,
        note=note,
    )
    return EntityWatchlist(version, entries)


@cache
def load_bundled_uflpa() -> EntityWatchlist:
    """The bundled UFLPA Entity List snapshot, read once per process; no network."""
    try:
        document = _read_json(BUNDLED_RESOURCE)
        return bundled_from_document(document)
    except (OSError, ValueError, KeyError) as error:
        raise InputError(
            f"the bundled UFLPA Entity List cannot be read ({error}); reinstall the package",
            source=BUNDLED_RESOURCE,
        ) from error
