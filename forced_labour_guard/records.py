"""Reading input records (JSON, JSON lines, CSV) into canonical models, with errors that name the field.

This is an edge of the library: it reads files and standard input. Every failure becomes an
:class:`InputError` whose message names the file, the record and the field path, so an integrator
can fix the payload without reading a traceback.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO, Final, TypeVar

from pydantic import BaseModel, ValidationError

from forced_labour_guard.errors import InputError, first_problem

MAX_NESTING: Final = 64
"""Deepest nesting of objects and arrays accepted; real records stay far below it."""
MAX_BYTES: Final = 50 * 1024 * 1024

ModelT = TypeVar("ModelT", bound=BaseModel)


class _Duplicate:
    """Marks, under a key no JSON text can produce, an object that gave a key twice."""


_DUPLICATE: Final = _Duplicate()


def _object_keeping_duplicates(pairs: list[tuple[str, Any]]) -> dict[Any, Any]:
    result: dict[Any, Any] = {}
    for key, value in pairs:
        if key in result and _DUPLICATE not in result:
            result[_DUPLICATE] = key
        result[key] = value
    return result


def _duplicate_key(value: Any) -> tuple[str, str] | None:
    """(path of the object, the key) of the first object that gave a key twice, or None."""
    stack: list[tuple[Any, str]] = [(value, "")]
    while stack:
        item, path = stack.pop()
        if isinstance(item, dict):
            if _DUPLICATE in item:
                return path, str(item[_DUPLICATE])
            stack.extend(
                (v, f"{path}.{k}" if path else str(k))
                for k, v in item.items()
                if k is not _DUPLICATE and isinstance(v, dict | list)
            )
        elif isinstance(item, list):
            stack.extend(
                (v, f"{path}[{i}]") for i, v in enumerate(item) if isinstance(v, dict | list)
            )
    return None


def loads_strict(text: str, *, source: str, prefix: str = "") -> Any:
    """``json.loads`` that refuses an object giving the same key twice, naming the key and where
    it is. JSON parsers keep the last value silently; in a record that can drop an address, so
    which one was meant is not for the screening to guess. Bad syntax raises
    ``json.JSONDecodeError`` as usual; a number longer than Python will convert (thousands of
    digits, a hostile or corrupted record) is an ``InputError`` instead of a crash."""
    try:
        value = json.loads(text, object_pairs_hook=_object_keeping_duplicates)
    except json.JSONDecodeError:
        raise
    except ValueError:  # int() refuses more than sys.get_int_max_str_digits() digits
        raise InputError(
            f"a number has more than {sys.get_int_max_str_digits()} digits: no field of a record "
            "holds such a number",
            path=prefix or None,
            source=source,
        ) from None
    duplicate = _duplicate_key(value)
    if duplicate is not None:
        where, key = duplicate
        path = prefix
        for part in (where, key):
            if part:
                path = f"{path}{part}" if not path or part.startswith("[") else f"{path}.{part}"
        raise InputError(
            f"duplicate key {key!r}: an object may give each key once (JSON readers would "
            "silently keep only the last value)",
            path=path,
            source=source,
        )
    return value


def _stdin() -> BinaryIO:
    """Standard input, or an InputError when the process was started with it closed."""
    stream = sys.stdin  # None when the process was started with descriptor 0 closed
    buffer: BinaryIO | None = getattr(stream, "buffer", None)
    if buffer is None or buffer.closed:
        raise InputError("standard input is closed: nothing to read", source="<stdin>")
    return buffer


def read_text(path: str) -> str:
    """The whole of a file, or of standard input for '-'; decoding errors are input errors."""
    source = "<stdin>" if path == "-" else path
    try:
        if path == "-":
            data = _stdin().read(MAX_BYTES + 1)
        else:
            with Path(path).open("rb") as handle:
                data = handle.read(MAX_BYTES + 1)
    except OSError as error:
        raise InputError(f"cannot read file ({error.strerror})", source=source) from None
    if len(data) > MAX_BYTES:
        raise InputError(f"larger than {MAX_BYTES // (1024 * 1024)} MiB", source=source)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(f"not UTF-8 text (byte {error.start})", source=source) from None


def _nesting_path(value: Any) -> str | None:
    """The path of the first container nested deeper than MAX_NESTING, or None (iterative)."""
    stack: list[tuple[Any, str, int]] = [(value, "", 1)]
    while stack:
        item, path, depth = stack.pop()
        if depth > MAX_NESTING:
            return path or "(top level)"
        if isinstance(item, dict):
            stack.extend(
                (v, f"{path}.{k}" if path else str(k), depth + 1)
                for k, v in item.items()
                if isinstance(v, dict | list)
            )
        elif isinstance(item, list):
            stack.extend(
                (v, f"{path}[{i}]", depth + 1)
                for i, v in enumerate(item)
                if isinstance(v, dict | list)
            )
    return None


def parse_json(text: str, *, source: str) -> Any:
    """Parse one JSON document, refusing empty input and absurd nesting with a clear message."""
    if not text.strip():
        raise InputError("empty input: expected a JSON object", source=source)
    try:
        value = loads_strict(text, source=source)
    except json.JSONDecodeError as error:
        raise InputError(
            f"not valid JSON ({error.msg} at line {error.lineno}, column {error.colno})",
            source=source,
        ) from None
    except RecursionError:
        raise InputError(f"nested more than {MAX_NESTING} levels deep", source=source) from None
    deep = _nesting_path(value)
    if deep is not None:
        raise InputError(f"nested more than {MAX_NESTING} levels deep", path=deep, source=source)
    return value


def validate(model: type[ModelT], data: Any, *, source: str) -> ModelT:
    """Validate parsed data as ``model``; the error names the first offending field path."""
    if not isinstance(data, dict):
        raise InputError(
            f"expected a JSON object for a {model.__name__}, got {type(data).__name__}",
            source=source,
        )
    try:
        return model.model_validate(data)
    except ValidationError as error:
        path, message = first_problem(error)
        count = error.error_count()
        more = f" (and {count - 1} more problem(s))" if count > 1 else ""
        raise InputError(message + more, path=path or None, source=source) from None
    except RecursionError:
        raise InputError(f"nested more than {MAX_NESTING} levels deep", source=source) from None


def load_record(model: type[ModelT], path: str) -> ModelT:
    """Read one record (a JSON object) from a file or '-'."""
    source = "<stdin>" if path == "-" else path
    return validate(model, parse_json(read_text(path), source=source), source=source)


def iter_records(model: type[ModelT], path: str) -> Iterator[tuple[str, ModelT | InputError]]:
    """Records of a JSON lines or CSV file, each with its location; bad rows yield their error.

    The file is streamed, so a batch of any size screens in constant memory. Batch screening must
    not lose a record: a row that cannot be read is reported in place, and the rest go on. CSV
    columns are the model's top-level fields; list and object fields hold JSON.
    """
    source = "<stdin>" if path == "-" else path
    with contextlib.ExitStack() as stack:
        try:
            handle = _stdin() if path == "-" else stack.enter_context(Path(path).open("rb"))
        except OSError as error:
            raise InputError(f"cannot read file ({error.strerror})", source=source) from None
        try:
            if path.lower().endswith(".csv"):
                yield from _iter_csv(model, handle, source)
            else:
                yield from iter_json_lines(model, handle, source)
        except OSError as error:
            raise InputError(f"reading failed part-way ({error.strerror})", source=source) from None


def count_records(path: str) -> int | None:
    """Non-blank lines of a file (a CSV's header included), for a progress bar; None for stdin."""
    if path == "-":
        return None
    try:
        with Path(path).open("rb") as handle:
            return sum(1 for line in handle if line.strip())
    except OSError:
        return None


def iter_json_lines(
    model: type[ModelT], handle: BinaryIO, source: str
) -> Iterator[tuple[str, ModelT | InputError]]:
    """Records of a JSON-lines stream, each with ``"{source} line N"``; a bad line yields its error
    in place (shared by ``flg screen-suppliers`` and the service's batch endpoint)."""
    for number, raw in enumerate(handle, start=1):
        if not raw.strip():
            continue
        where = f"{source} line {number}"
        try:
            if len(raw) > MAX_BYTES:
                raise InputError(f"longer than {MAX_BYTES // (1024 * 1024)} MiB", source=where)
            try:
                line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as error:
                raise InputError(f"not UTF-8 text (byte {error.start})", source=where) from None
            yield where, validate(model, parse_json(line, source=where), source=where)
        except InputError as error:
            yield where, error


def _iter_csv(
    model: type[ModelT], handle: BinaryIO, source: str
) -> Iterator[tuple[str, ModelT | InputError]]:
    text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
    number = 1
    try:
        reader = csv.DictReader(text, strict=True)
        if not reader.fieldnames:
            raise InputError("empty CSV: expected a header row", source=source)
        for number, row in enumerate(reader, start=2):
            where = f"{source} row {number}"
            try:
                if None in row:
                    raise InputError("more values than header columns", source=where)
                data = {
                    key: _csv_value(key, value, where)
                    for key, value in row.items()
                    if key and value not in (None, "")
                }
                yield where, validate(model, data, source=where)
            except InputError as error:
                yield where, error
    except UnicodeDecodeError as error:
        raise InputError(
            f"not UTF-8 text in the block read after row {number} (byte {error.start} of it); "
            "no row from there on was screened",
            source=source,
        ) from None
    except csv.Error as error:
        raise InputError(f"not valid CSV after row {number} ({error})", source=source) from None
    finally:
        text.detach()


def _csv_value(key: str, value: str, where: str) -> Any:
    """List and object fields arrive as JSON in a CSV cell; aliases may also be ';'-separated."""
    stripped = value.strip()
    if stripped.startswith(("[", "{")):
        try:
            return loads_strict(stripped, source=where, prefix=key)
        except json.JSONDecodeError as error:
            raise InputError(
                f"cell is not valid JSON ({error.msg})", path=key, source=where
            ) from None
    if key == "aliases":
        return [part.strip() for part in stripped.split(";") if part.strip()]
    return stripped
