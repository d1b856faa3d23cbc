"""The Store contract every backend implements (one SQL store on SQLite or PostgreSQL).

Callers (the audited Guard, the CLI) depend only on this Protocol. Everything that decides what an
entry *means* (hashing, verification, override rules, export formats) is backend-free and lives in
``chain``, ``overrides`` and ``export``; a backend's job is to store rows and to make "read the last
hash, append the next entry" one atomic step across processes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from typing import NamedTuple, Protocol, Self

from forced_labour_guard.errors import FlgError
from forced_labour_guard.model import Decision
from forced_labour_guard.store.audit_model import (
    AuditEntry,
    Override,
    OverrideRequest,
    RecordKind,
    VerifyReport,
)
from forced_labour_guard.store.chain import Row


class StoreError(FlgError):
    """The store cannot be opened, read or written (wrong path, newer schema, disk or lock trouble)."""


class DecisionRecord(NamedTuple):
    """A decision and the record it was made about, ready to be appended."""

    decision: Decision
    record_kind: RecordKind
    record_hash: str
    record_id: str | None
    supplier_id: str | None


class Store(Protocol):
    """Persistence for the audit trail, first-seen dates and overrides."""

    def append_decision(
        self,
        decision: Decision,
        *,
        record_kind: RecordKind,
        record_hash: str,
        record_id: str | None,
        supplier_id: str | None,
    ) -> AuditEntry:
        """Append one decision to the chain and note first-seen dates of its findings."""
        ...

    def append_decisions(self, records: Sequence[DecisionRecord]) -> list[AuditEntry]:
        """Append many decisions in one transaction (batch screening)."""
        ...

    def first_seen(self, supplier_ids: Iterable[str]) -> dict[str, dt.date]:
        """First-seen date of every finding key recorded for these suppliers."""
        ...

    def add_override(self, request: OverrideRequest) -> Override:
        """Record a new override (an audit entry too) and return it with its id."""
        ...

    def approve_override(self, override_id: str, *, by: str, note: str | None = None) -> Override:
        """Record a second person's approval of an override."""
        ...

    def revoke_override(self, override_id: str, *, by: str, reason: str) -> Override:
        """End an override before it expires."""
        ...

    def get_override(self, override_id: str) -> Override:
        """One override by id; StoreError if there is none."""
        ...

    def overrides(
        self, *, po_id: str | None = None, supplier_ids: Iterable[str] = ()
    ) -> list[Override]:
        """Overrides naming this order or these suppliers (all when neither is given), oldest
        first, whatever their status; ``Override.covers`` decides what each one releases."""
        ...

    def entries(
        self,
        *,
        since: dt.date | None = None,
        until: dt.date | None = None,
        supplier_id: str | None = None,
    ) -> Iterator[AuditEntry]:
        """Audit entries in chain order, optionally for a date range (inclusive) or one supplier."""
        ...

    def rows(
        self,
        *,
        since: dt.date | None = None,
        until: dt.date | None = None,
        supplier_id: str | None = None,
    ) -> Iterator[Row]:
        """Like ``entries`` but as stored text, for export and for checking damaged rows."""
        ...

    def verify(self) -> VerifyReport:
        """Walk the whole chain and check the override table against it."""
        ...

    def close(self) -> None: ...

    def __enter__(self) -> Self:
        """A store is its own context: ``with open_store(path) as store:`` closes it at the end."""
        ...

    def __exit__(self, *exc: object) -> None: ...
