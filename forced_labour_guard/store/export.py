"""Audit trail exports for an auditor or customs officer: JSON lines (verifiable) or CSV (readable).

A JSON-lines export keeps every stored field exactly, including ``content`` as the canonical JSON text
that was hashed, so ``flg audit verify --file`` (or any SHA-256 tool, see ``chain``) can recheck it
away from the database. The CSV has the same columns plus a few read-outs (action, finding codes,
override id) for spreadsheets.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from typing import IO, Any, Final

from pydantic import TypeAdapter, ValidationError

from forced_labour_guard.errors import InputError, first_problem
from forced_labour_guard.store.chain import Row

_FIELDS: Final = Row._fields
_ROW: Final = TypeAdapter(Row)
_READOUTS: Final = ("subject", "finding_codes", "released_codes", "override_id", "list_versions")


def write_jsonl(rows: Iterable[Row], out: IO[str]) -> int:
    """One JSON object per entry; returns how many were written."""
    count = 0
    for row in rows:
        out.write(json.dumps(row._asdict(), ensure_ascii=False, separators=(",", ":")) + "\n")
        count += 1
    return count


def write_csv(rows: Iterable[Row], out: IO[str]) -> int:
    """The stored columns, then read-outs of the content; returns how many rows were written."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*_FIELDS, *_READOUTS])
    count = 0
    for row in rows:
        writer.writerow([*row, *_readouts(row)])
        count += 1
    return count


def _readouts(row: Row) -> list[str]:
    try:
        body: dict[str, Any] = json.loads(row.content)
    except json.JSONDecodeError:
        return ["", "", "", "", ""]
    decision = body.get("decision")
    if isinstance(decision, dict):
        findings = decision.get("findings") or []
        versions = [
            f"{v.get('name')}@{v.get('as_of') or 'unknown'}"
            for v in decision.get("list_versions") or []
        ]
        return [
            str(decision.get("subject") or ""),
            " ".join(f["code"] for f in findings if not f.get("released_by")),
            " ".join(f["code"] for f in findings if f.get("released_by")),
            " ".join(sorted({f["released_by"] for f in findings if f.get("released_by")})),
            "; ".join(versions),
        ]
    override = body.get("override")
    if isinstance(override, dict):
        return ["", " ".join(override.get("codes") or []), "", str(override.get("id") or ""), ""]
    return ["", "", "", "", ""]


def read_jsonl(lines: Iterable[str], *, source: str = "export") -> Iterator[Row]:
    """Rows back from a JSON-lines export; a malformed line is an InputError naming its number.

    Each field must have its stored type (``seq`` a number, the rest text or null where the chain
    allows it): hashing a number where text was written would be a crash, not a verdict."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            if not isinstance(data, dict):
                raise ValueError("expected a JSON object")
            yield _ROW.validate_python(
                {name: data[name] for name in _FIELDS if name in data}, strict=True
            )
        except ValidationError as error:
            where, message = first_problem(error)
            raise InputError(
                f"not an audit export entry ({where}: {message})", source=f"{source}:{number}"
            ) from None
        except ValueError as error:
            raise InputError(
                f"not an audit export entry ({error})", source=f"{source}:{number}"
            ) from None
