"""A company's own lists, in CSV or JSON, with documented columns.

Columns (CSV header, or keys of each JSON object):

=================  =========================================================================
``id``             the company's identifier for the entry (optional; derived from the name)
``name``           the entity's name (required)
``aliases``        other names, any script; in CSV separated by ``;`` or ``|``
``country``        ISO 3166-1 alpha-2 code
``registration_id``  registration number(s), e.g. a Unified Social Credit Code; ``;`` between several
``reason``         why the entity is on the list
``source``         where the listing comes from (report, audit, regulator)
``url``            a link to that source
``date``           when the entity was listed, YYYY-MM-DD
=================  =========================================================================

A JSON file is either a list of such objects or ``{"name": ..., "as_of": ..., "source": ...,
"entries": [...]}``. Unknown columns are an error, so a typo cannot silently drop a field.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable, Mapping
from typing import Any

from forced_labour_guard.countries import is_country_code
from forced_labour_guard.errors import InputError
from forced_labour_guard.lists.dhs import entry_id
from forced_labour_guard.lists.entries import ListEntry
from forced_labour_guard.model import ListVersion

COLUMNS = ("id", "name", "aliases", "country", "registration_id", "reason", "source", "url", "date")
_SEPARATORS = (";", "|")


def _split(value: Any, *, path: str, source: str) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, list):
        if not all(isinstance(item, str) for item in value):
            raise InputError("must be a list of strings", path=path, source=source)
        return [item.strip() for item in value if item.strip()]
    if not isinstance(value, str):
        raise InputError("must be a string or a list of strings", path=path, source=source)
    for separator in _SEPARATORS:
        if separator in value:
            return [part.strip() for part in value.split(separator) if part.strip()]
    return [value.strip()]


def _text(value: Any, *, path: str, source: str) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str | int):
        raise InputError("must be text", path=path, source=source)
    return str(value).strip() or None


def entry_from_record(record: Mapping[str, Any], *, path: str, source: str) -> ListEntry:
    """One row or object -> a ListEntry; errors name the row and the column."""
    unknown = sorted(set(record) - set(COLUMNS))
    if unknown:
        raise InputError(
            f"unknown column(s) {', '.join(unknown)}; the columns are {', '.join(COLUMNS)}",
            path=path,
            source=source,
        )
    name = _text(record.get("name"), path=f"{path}.name", source=source)
    if not name:
        raise InputError("name is required", path=f"{path}.name", source=source)
    country = _text(record.get("country"), path=f"{path}.country", source=source)
    if country is not None:
        country = country.upper()
        if not is_country_code(country):
            raise InputError(
                f"{country!r} is not an ISO 3166-1 alpha-2 country code",
                path=f"{path}.country",
                source=source,
            )
    date_text = _text(record.get("date"), path=f"{path}.date", source=source)
    date = None
    if date_text:
        try:
            date = dt.date.fromisoformat(date_text)
        except ValueError:
            raise InputError(
                f"{date_text!r} is not a date (YYYY-MM-DD)", path=f"{path}.date", source=source
            ) from None
    return ListEntry(
        id=_text(record.get("id"), path=f"{path}.id", source=source) or entry_id(name),
        name=name,
        aliases=_split(record.get("aliases"), path=f"{path}.aliases", source=source),
        country=country,
        registration_ids=_split(
            record.get("registration_id"), path=f"{path}.registration_id", source=source
        ),
        date=date,
        source=_text(record.get("source"), path=f"{path}.source", source=source),
        url=_text(record.get("url"), path=f"{path}.url", source=source),
        reason=_text(record.get("reason"), path=f"{path}.reason", source=source),
    )


def parse_custom_csv(text: str, *, source: str) -> list[ListEntry]:
    """Entries of a CSV list (header row required).

    The reader is strict: a quote left open would otherwise swallow every row after it into one
    cell, and the entities on those rows would silently not be screened."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")), strict=True)
    entries = []
    try:
        if reader.fieldnames is None or "name" not in reader.fieldnames:
            raise InputError("the CSV header must have a 'name' column", source=source)
        for number, row in enumerate(reader, start=2):
            where = f"row {number}"
            if None in row:
                raise InputError("more cells than header columns", path=where, source=source)
            if not any((value or "").strip() for value in row.values()):
                continue
            entries.append(entry_from_record(row, path=where, source=source))
    except csv.Error as error:
        raise InputError(
            f"not a readable CSV ({error})", path=f"line {reader.reader.line_num}", source=source
        ) from None
    return entries


def parse_custom_json(text: str, *, source: str) -> tuple[dict[str, Any], list[ListEntry]]:
    """(list metadata, entries) of a JSON list."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(f"not valid JSON ({error})", source=source) from None
    meta: dict[str, Any] = {}
    records: Iterable[Any]
    if isinstance(document, list):
        records = document
    elif isinstance(document, dict) and isinstance(document.get("entries"), list):
        meta = {k: v for k, v in document.items() if k != "entries"}
        unknown = sorted(set(meta) - {"name", "as_of", "source", "note"})
        if unknown:
            raise InputError(f"unknown key(s) {', '.join(unknown)}", source=source)
        for key in ("name", "source", "note"):
            meta[key] = _text(meta.get(key), path=key, source=source)
        records = document["entries"]
    else:
        raise InputError("expected a list of entries or an object with 'entries'", source=source)
    entries = []
    for index, record in enumerate(records):
        if not isinstance(record, dict):
            raise InputError("must be an object", path=f"entries[{index}]", source=source)
        entries.append(entry_from_record(record, path=f"entries[{index}]", source=source))
    return meta, entries


def custom_version(
    name: str, entries: list[ListEntry], meta: Mapping[str, Any], *, source: str
) -> ListVersion:
    """The ListVersion of a company list: its as_of is given, else its newest entry date."""
    as_of_text = meta.get("as_of")
    try:
        as_of = dt.date.fromisoformat(as_of_text) if as_of_text else None
    except (TypeError, ValueError):
        raise InputError(f"as_of {as_of_text!r} is not a date", source=source) from None
    if as_of is None:
        as_of = max((e.date for e in entries if e.date), default=None)
    return ListVersion(
        name=str(meta.get("name") or name),
        as_of=as_of,
        source=str(meta.get("source") or source),
        entries=sum(entry.listings for entry in entries),
        complete=True,
        note=meta.get("note"),
    )
