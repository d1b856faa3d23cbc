"""DataFrame rows to canonical records, with the CLI's own error messages.

A supplier DataFrame holds the canonical Supplier fields as columns (``flg schema supplier``). Nested
fields (addresses, facilities, relationships, evidence, aliases) may be Spark structs and arrays, as
``spark.read.json`` infers them, or JSON strings, as a CSV export or a warehouse table often holds
them. Unknown columns are refused before any work starts, as unknown JSON fields are: a misspelt
``adresses`` column must not silently drop every address.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from forced_labour_guard.errors import InputError
from forced_labour_guard.model import Supplier
from forced_labour_guard.records import parse_json, validate

SUPPLIER_COLUMNS: tuple[str, ...] = tuple(Supplier.model_fields)
RECORD_COLUMN = "record"
"""The other accepted shape: one string column holding each record as a JSON object (a JSON lines
file read as text, a warehouse column of JSON). It is read exactly as ``flg screen-suppliers`` reads a
line, so the same mistakes get the same messages."""
NESTED_COLUMNS = frozenset({"aliases", "addresses", "facilities", "relationships", "evidence"})


def check_columns(
    columns: Iterable[str], *, allowed: Iterable[str], required: Iterable[str]
) -> None:
    """Refuse a DataFrame whose columns do not fit the model, naming each offending column.
    A single ``record`` column of JSON objects always fits."""
    names = list(columns)
    if names == [RECORD_COLUMN]:
        return
    allowed_set = set(allowed)
    unknown = [name for name in names if name not in allowed_set]
    if unknown:
        raise InputError(
            f"unknown column(s) {', '.join(repr(n) for n in unknown)}: the columns must be "
            f"canonical Supplier fields ({', '.join(sorted(allowed_set))}); select or rename "
            "them first"
        )
    missing = [name for name in required if name not in names]
    if missing:
        raise InputError(f"required column(s) missing: {', '.join(missing)}")


def _without_nulls(value: Any) -> Any:
    """Spark fills absent struct fields with null; the model reads absent and null alike except
    for lists, so nulls are dropped rather than passed."""
    if isinstance(value, dict):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_nulls(v) for v in value if v is not None]
    return value


def row_to_record(row: dict[str, Any], *, source: str) -> dict[str, Any]:
    """A row as the JSON object the model validates; JSON-string columns parsed."""
    record: dict[str, Any] = {}
    for column, value in row.items():
        if value is None:
            continue
        if column in NESTED_COLUMNS and isinstance(value, str):
            try:
                value = json.loads(value)
            except json.JSONDecodeError as error:
                raise InputError(
                    f"column holds a string that is not JSON ({error.msg})",
                    path=column,
                    source=source,
                ) from None
        record[column] = _without_nulls(value)
    return record


def row_source(row: dict[str, Any], position: int) -> str:
    """How an error names a row: its id, else its name, else its position in the batch."""
    for key in ("id", "name"):
        value = row.get(key)
        if isinstance(value, str) and value:
            return f"{key} {value!r}"
    return f"row {position}"


def supplier_from_row(row: dict[str, Any], position: int) -> Supplier:
    """The Supplier a row holds; InputError naming the row and the field when it holds none."""
    if list(row) == [RECORD_COLUMN]:
        source = f"row {position}"
        text = row[RECORD_COLUMN]
        if not isinstance(text, str):
            raise InputError("record is empty", source=source)
        return validate(Supplier, parse_json(text, source=source), source=source)
    source = row_source(row, position)
    return validate(Supplier, row_to_record(row, source=source), source=source)
