"""Read a campaign's suppliers file: each supplier with the e-mail address its instruction goes to.

The canonical Supplier has no contact fields, so a campaign file wraps it:

* JSON lines (``.jsonl``), one object per line::

      {"supplier": {"id": "S-1", "name": "..."}, "email": "sales@supplier.example",
       "contact_name": "Ms Li", "language": "zh", "active": true}

* a JSON array (``.json``) of the same objects;
* CSV (``.csv``, UTF-8, header row) with the columns ``email`` (required), ``contact_name``,
  ``language``, ``active`` (true/false, yes/no, 1/0) and the supplier's ``id``, ``name``, ``country``,
  ``registration_id``, ``phone``, ``aliases`` (separated by ``|``) and ``address`` (free-form text).

Unknown fields or columns are errors, as everywhere in the canonical model; each error names the line
and the field.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any, Final

from pydantic import ValidationError

from forced_labour_guard.errors import InputError, first_problem
from forced_labour_guard.instructions.model import Recipient

CSV_COLUMNS: Final = (
    "email",
    "contact_name",
    "language",
    "active",
    "id",
    "name",
    "country",
    "registration_id",
    "phone",
    "aliases",
    "address",
)
_TRUE: Final = {"true", "yes", "1", "y"}
_FALSE: Final = {"false", "no", "0", "n", ""}
_EXTRA_CELLS: Final = "\x00extra"  # csv.DictReader's key for cells beyond the header row


def _path_of(error: ValidationError) -> tuple[str, str]:
    return first_problem(error)


def _validate(payload: Any, source: str) -> Recipient:
    if not isinstance(payload, dict):
        raise InputError("expected an object with 'supplier' and 'email'", source=source)
    try:
        return Recipient.model_validate(payload)
    except ValidationError as error:
        path, message = _path_of(error)
        raise InputError(message, path=path, source=source) from None


def _csv_row(row: dict[str, Any], source: str) -> dict[str, Any]:
    if _EXTRA_CELLS in row:
        raise InputError(
            f"{len(row[_EXTRA_CELLS])} cell(s) more than the header row has columns",
            source=source,
        )
    extra = sorted(key for key in row if key not in CSV_COLUMNS)
    if extra:
        raise InputError(
            f"unknown column(s) {', '.join(extra)}; known: {', '.join(CSV_COLUMNS)}",
            source=source,
        )
    cell = {key: (value or "").strip() for key, value in row.items()}
    supplier: dict[str, Any] = {
        key: cell[key]
        for key in ("id", "name", "country", "registration_id", "phone")
        if cell.get(key)
    }
    if cell.get("aliases"):
        supplier["aliases"] = [a.strip() for a in cell["aliases"].split("|") if a.strip()]
    if cell.get("address"):
        supplier["addresses"] = [{"text": cell["address"]}]
    active_text = cell.get("active", "").lower()
    if active_text not in _TRUE | _FALSE:
        raise InputError(f"{cell['active']!r} is not true/false", path="active", source=source)
    payload: dict[str, Any] = {
        "supplier": supplier,
        "email": cell.get("email", ""),
        "active": active_text in _TRUE or active_text == "",
    }
    for key in ("contact_name", "language"):
        if cell.get(key):
            payload[key] = cell[key]
    return payload


def parse_recipients(text: str, *, name: str, fmt: str) -> list[Recipient]:
    """Recipients from file content; ``fmt`` is 'jsonl', 'json' or 'csv'; ``name`` is for errors."""
    recipients: list[Recipient] = []
    if fmt == "jsonl":
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            source = f"{name}:{number}"
            try:
                payload = json.loads(line)
            except json.JSONDecodeError as error:
                raise InputError(f"not JSON ({error.msg})", source=source) from None
            recipients.append(_validate(payload, source))
    elif fmt == "json":
        try:
            items = json.loads(text)
        except json.JSONDecodeError as error:
            raise InputError(f"not JSON ({error.msg}, line {error.lineno})", source=name) from None
        if not isinstance(items, list):
            raise InputError("expected a JSON array of recipients", source=name)
        recipients = [_validate(item, f"{name}[{n}]") for n, item in enumerate(items)]
    elif fmt == "csv":
        reader = csv.DictReader(io.StringIO(text, newline=""), restkey=_EXTRA_CELLS)
        if reader.fieldnames is None or "email" not in reader.fieldnames:
            raise InputError("CSV needs a header row with an 'email' column", source=name)
        for row in reader:
            source = f"{name}:{reader.line_num}"
            recipients.append(_validate(_csv_row(row, source), source))
    else:
        raise InputError(f"unknown format {fmt!r}; use .jsonl, .json or .csv", source=name)
    _check_unique(recipients, name)
    return recipients


def _check_unique(recipients: list[Recipient], name: str) -> None:
    seen: set[str] = set()
    for recipient in recipients:
        if recipient.key in seen:
            raise InputError(
                f"supplier {recipient.key!r} appears more than once; one instruction per supplier",
                source=name,
            )
        seen.add(recipient.key)


def load_recipients(path: Path) -> list[Recipient]:
    """Read a campaign file; the format follows the extension (.jsonl, .json, .csv)."""
    suffix = path.suffix.lower().lstrip(".")
    fmt = {"jsonl": "jsonl", "ndjson": "jsonl", "json": "json", "csv": "csv"}.get(suffix)
    if fmt is None:
        raise InputError("use a .jsonl, .json or .csv suppliers file", source=str(path))
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise InputError(f"cannot read ({error.strerror})", source=str(path)) from None
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text", source=str(path)) from None
    return parse_recipients(text, name=str(path), fmt=fmt)
