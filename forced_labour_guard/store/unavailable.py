"""A store that could not be opened, standing in so that screening fails closed instead of failing.

When the configured store cannot be reached (a PostgreSQL server down, a file on a missing mount),
screening must neither go on unrecorded nor stop without an answer an ERP hook can act on. An
``UnavailableStore`` raises the opening error again from every call, so ``AuditedGuard`` turns each
decision into a SCREENING_UNAVAILABLE block that names the store (host or file, never a password).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from typing import NoReturn

from forced_labour_guard.model import Decision
from forced_labour_guard.store.audit_model import (
    AuditEntry,
    Override,
    OverrideRequest,
    RecordKind,
    VerifyReport,
)
from forced_labour_guard.store.base import DecisionRecord, StoreError
from forced_labour_guard.store.chain import Row


class UnavailableStore:
    """The Store protocol, every call failing with the error met when opening the real store."""

    def __init__(self, error: StoreError) -> None:
        self.error = error

    def _fail(self) -> NoReturn:
        raise StoreError(str(self.error))

    def append_decision(
        self,
        decision: Decision,
        *,
        record_kind: RecordKind,
        record_hash: str,
        record_id: str | None,
        supplier_id: str | None,
    ) -> AuditEntry:
        self._fail()

    def append_decisions(self, records: Sequence[DecisionRecord]) -> list[AuditEntry]:
        self._fail()

    def first_seen(self, supplier_ids: Iterable[str]) -> dict[str, dt.date]:
        self._fail()

    def add_override(self, request: OverrideRequest) -> Override:
        self._fail()

    def approve_override(self, override_id: str, *, by: str, note: str | None = None) -> Override:
        self._fail()

    def revoke_override(self, override_id: str, *, by: str, reason: str) -> Override:
        self._fail()

    def get_override(self, override_id: str) -> Override:
        self._fail()

    def overrides(
        self, *, po_id: str | None = None, supplier_ids: Iterable[str] = ()
    ) -> list[Override]:
        self._fail()

    def entries(
        self,
        *,
        since: dt.date | None = None,
        until: dt.date | None = None,
        supplier_id: str | None = None,
    ) -> Iterator[AuditEntry]:
        self._fail()

    def rows(
        self,
        *,
        since: dt.date | None = None,
        until: dt.date | None = None,
        supplier_id: str | None = None,
    ) -> Iterator[Row]:
        self._fail()

    def verify(self) -> VerifyReport:
        self._fail()

    def close(self) -> None:
        """Nothing was opened."""

    def __enter__(self) -> UnavailableStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
