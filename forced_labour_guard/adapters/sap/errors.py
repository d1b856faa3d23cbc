"""Typed errors for talking to SAP, each carrying what SAP said (code, message, details).

All derive from ``FlgError`` so the CLI prints one line and exits 2; a screening that needed SAP and
could not reach it never answers "allow" (the callers fail closed).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from forced_labour_guard.errors import FlgError


@dataclass(frozen=True)
class SapMessage:
    """One SAP message: from a ``sap-message`` header or an error body's ``errordetails``."""

    code: str
    message: str
    severity: str = "info"
    target: str = ""

    def sentence(self) -> str:
        code = f" [{self.code}]" if self.code else ""
        target = f" (on {self.target})" if self.target else ""
        return f"SAP {self.severity}{code}: {self.message}{target}"


class SapError(FlgError):
    """Base of every problem talking to SAP."""


class SapProtocolError(SapError):
    """SAP's answer cannot be used as it is (not JSON, a cross-origin next link, a paging loop)."""


class SapUnavailable(SapError):
    """SAP could not be reached or kept failing (connection, timeout, 429/5xx after retries)."""


class SapWriteOutcomeUnknown(SapError):
    """A write was sent but no answer came back: it may or may not have been applied.

    It is never retried blindly; re-read the entity to learn its state."""


@dataclass
class SapHttpError(SapError):
    """SAP answered with an error status; ``code``/``message``/``details`` come from its error body."""

    status: int
    code: str
    message: str
    details: list[SapMessage] = field(default_factory=list)
    transaction_id: str = ""
    url: str = ""

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        code = f" {self.code}" if self.code else ""
        extra = "".join(f"; {detail.sentence()}" for detail in self.details)
        return f"SAP answered {self.status}{code}: {self.message}{extra} ({self.url})"


class SapAuthError(SapHttpError):
    """401, or a 403 that is not a CSRF token problem: the credentials or authorisations are wrong."""


class SapNotFound(SapHttpError):
    """404: the entity does not exist (or the user may not see it)."""


class SapConcurrencyError(SapHttpError):
    """412 again after one re-read and retry, or 428 with no way to learn the ETag."""
