"""Errors the library raises on purpose, each carrying what a user needs to fix the problem.

The CLI turns these into one line on stderr and exit status 2, never a traceback. Anything else that
escapes is an internal error, which the Guard turns into a SCREENING_UNAVAILABLE finding (fail closed).
"""

from __future__ import annotations


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
