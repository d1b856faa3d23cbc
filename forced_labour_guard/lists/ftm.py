"""OpenSanctions FollowTheMoney (FtM) JSON lines: company lists and the ``us_dhs_uflpa`` export.

Each line is one entity: ``{"id", "schema", "properties": {prop: [values]}, "datasets", ...}``.
Entities of schema Company, Organization or LegalEntity become entries, with ``name``, ``alias``,
``previousName`` (names) and ``weakAlias`` left out (too short and ambiguous to match on),
``registrationNumber`` (and the other registration-type properties), ``country`` and ``address``.
A ``Sanction`` entity that points at one of them adds its listing date, reason, program and source
URL. Lines of other schemas (Person, Address, Ownership...) are skipped; a line that is not JSON
is an error naming its line number.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from forced_labour_guard.errors import InputError
from forced_labour_guard.lists.entries import ListEntry
from forced_labour_guard.lists.uflpa import canonical_section, section_reason

COMPANY_SCHEMAS = frozenset({"Company", "Organization", "LegalEntity", "PublicBody"})
NAME_PROPS = ("name",)
ALIAS_PROPS = ("alias", "previousName")
REGISTRATION_PROPS = (
    "registrationNumber",
    "taxNumber",
    "innCode",
    "ogrnCode",
    "uniqueEntityId",
    "leiCode",
)


@dataclass
class FtmParse:
    entries: list[ListEntry]
    datasets: list[str]
    newest: dt.date | None
    skipped: int


def _values(properties: dict[str, Any], prop: str) -> list[str]:
    values = properties.get(prop) or []
    return [str(v).strip() for v in values if str(v).strip()] if isinstance(values, list) else []


def _date(text: Any) -> dt.date | None:
    if not text or not isinstance(text, str):
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


def parse_ftm_lines(lines: Iterable[str], *, source: str) -> FtmParse:
    """Entries of an FtM JSON-lines export (pure)."""
    companies: list[dict[str, Any]] = []
    sanctions: dict[str, list[dict[str, Any]]] = {}
    datasets: set[str] = set()
    newest: dt.date | None = None
    skipped = 0
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            entity = json.loads(line)
        except json.JSONDecodeError as error:
            raise InputError(
                f"not a JSON object ({error})", path=f"line {number}", source=source
            ) from None
        if not isinstance(entity, dict) or "schema" not in entity:
            raise InputError(
                "not an FtM entity (no 'schema')", path=f"line {number}", source=source
            )
        properties = entity.get("properties") or {}
        names = entity.get("datasets") or []
        if not isinstance(properties, dict) or not isinstance(names, list):
            raise InputError(
                "'properties' must be an object and 'datasets' a list",
                path=f"line {number}",
                source=source,
            )
        datasets.update(str(name) for name in names)
        seen = _date(entity.get("last_change") or entity.get("last_seen"))
        if seen and (newest is None or seen > newest):
            newest = seen
        schema = entity["schema"] if isinstance(entity["schema"], str) else None
        if schema in COMPANY_SCHEMAS:
            ident = entity.get("id")
            if (
                not isinstance(ident, str | int)
                or not str(ident)
                or not _values(properties, "name")
            ):
                raise InputError("company without id or name", path=f"line {number}", source=source)
            companies.append({**entity, "id": str(ident)})
        elif schema == "Sanction":
            for target in _values(properties, "entity"):
                sanctions.setdefault(target, []).append(properties)
        else:
            skipped += 1
    entries = [_entry(entity, sanctions.get(entity["id"], []), source) for entity in companies]
    return FtmParse(entries, sorted(datasets), newest, skipped)


def _entry(entity: dict[str, Any], sanctions: list[dict[str, Any]], source: str) -> ListEntry:
    properties: dict[str, Any] = entity.get("properties") or {}
    names = _values(properties, "name")
    aliases = [n for n in names[1:]]
    for prop in ALIAS_PROPS:
        aliases += [a for a in _values(properties, prop) if a not in aliases and a != names[0]]
    registrations: list[str] = []
    for prop in REGISTRATION_PROPS:
        registrations += _values(properties, prop)
    countries = _values(properties, "country") or _values(properties, "jurisdiction")
    dates = [
        d
        for s in sanctions
        for d in map(_date, _values(s, "startDate") + _values(s, "listingDate"))
        if d
    ]
    dates += [d for d in map(_date, _values(properties, "createdAt")) if d]
    programs = [p for s in sanctions for p in _values(s, "program") + _values(s, "provisions")]
    sections = sorted({sec for sec in map(canonical_section, programs) if sec})
    reasons = [r for s in sanctions for r in _values(s, "reason")]
    urls = [u for s in sanctions for u in _values(s, "sourceUrl")] + _values(
        properties, "sourceUrl"
    )
    reason = "; ".join(reasons) or section_reason(sections) or ("; ".join(programs) or None)
    address = "; ".join(_values(properties, "address"))
    return ListEntry(
        id=str(entity["id"]),
        name=names[0],
        aliases=aliases,
        country=countries[0].upper()[:2] if countries and len(countries[0]) == 2 else None,
        registration_ids=registrations,
        sections=sections,
        date=min(dates) if dates else _date(entity.get("first_seen")),
        source=f"{source} (FtM entity {entity['id']})",
        url=urls[0] if urls else None,
        reason=reason,
        note=f"address: {address}" if address else None,
    )
