"""Errors the library raises on purpose, each carrying what a user needs to fix the problem.

The CLI turns these into one line on stderr and exit status 2, never a traceback. Anything else that
escapes is an internal error, which the Guard turns into a SCREENING_UNAVAILABLE finding (fail closed).
"""

from __future__ import annotations

from typing import TypeVar

from pydantic import BaseModel, ValidationError

RecordT = TypeVar("RecordT", bound=BaseModel)


class FlgError(Exception):
    """Base of every deliberate error; ``str(error)`` is the message shown to the user."""


class InputError(FlgError):
    """A record, file or option that cannot be used; ``path`` names the offending field."""

    def __init__(self, message: str, *, path: str | None = None, source: str | None = None) -> None:
        self.path = path
        self.source = source
        where = ": ".join(part for part in (source, path) if part)
        super().__init__(f"{where}: {message}" if where else message)


class PolicyError(FlgError):
    """A policy file that is invalid or breaks the Call to Action (e.g. a market-scoped rule, C1)."""


class UsageError(FlgError):
    """A command line that cannot be carried out as given."""


def field_path(loc: tuple[int | str, ...]) -> str:
    """A pydantic location as a reader writes it: ``lines[0].inputs[1].origin_country``."""
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path


def first_problem(error: ValidationError) -> tuple[str, str]:
    """The path and message of a validation error's first problem, in the user's terms.

    Every loader turns pydantic's errors into one :class:`InputError` line; this is the one place
    that decides how that line reads (no "Value error, " prefix, plain words for the commonest
    kinds), so the same mistake reads the same in every command."""
    first = error.errors()[0]
    message = str(first["msg"]).removeprefix("Value error, ")
    if first["type"] == "extra_forbidden":
        message = "unknown field (check its spelling against `flg schema`)"
    elif first["type"] == "missing":
        message = "required field is missing"
    return field_path(first["loc"]), message


def require_record(value: object, model: type[RecordT], *, call: str) -> RecordT:
    """``value`` if it is a ``model``, else a ``TypeError`` that says how to make one.

    The Python API takes validated records, never raw payloads: a dict handed over by mistake
    would otherwise fail deep inside screening (and come back as a fail-closed block that hides
    the programming error)."""
    if isinstance(value, model):
        return value
    hint = (
        f"; validate the payload first: {model.__name__}.model_validate(payload)"
        if isinstance(value, dict | str | bytes)
        else ""
    )
    raise TypeError(f"{call} expects a {model.__name__}, got {type(value).__name__}{hint}")
