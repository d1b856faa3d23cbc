"""Screen a whole Odoo database from outside: every vendor, or every open purchase order.

For each record: map it (:mod:`.reader`), screen it (a ``Guard``, or an ``AuditedGuard`` that puts
every decision on record in the store), write the result back (:mod:`.writeback`), and report one
:class:`BatchResult`. A record that cannot be mapped is reported with its error and never screened,
so it can never read as cleared; the run goes on with the others.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from forced_labour_guard.adapters.odoo.errors import OdooError
from forced_labour_guard.adapters.odoo.mapping import MappingError
from forced_labour_guard.adapters.odoo.reader import Screenable
from forced_labour_guard.adapters.odoo.writeback import OdooWriter, WriteBack, fingerprint
from forced_labour_guard.model import Decision, PurchaseOrder, Supplier


class Screener(Protocol):
    """A ``Guard`` or an ``AuditedGuard``."""

    def check_purchase_order(self, po: PurchaseOrder) -> Decision: ...

    def screen_supplier(self, supplier: Supplier) -> Decision: ...


@dataclass(frozen=True)
class BatchResult:
    """One Odoo record's outcome: its decision and what was written, or why it was not screened."""

    model: str
    record_id: int
    label: str
    decision: Decision | None = None
    written: WriteBack | None = None
    error: str | None = None

    def as_json(self) -> dict[str, Any]:
        """The JSON line printed for this record (the Decision's own fields, plus where from)."""
        line: dict[str, Any] = {"model": self.model, "id": self.record_id, "label": self.label}
        if self.error is not None:
            return {**line, "action": None, "error": self.error}
        assert self.decision is not None
        line.update(self.decision.model_dump(mode="json"))
        if self.written is not None:
            line["odoo"] = {
                "written": self.written.outcome,
                "fingerprint": self.written.fingerprint,
                "message_id": self.written.message_id,
                "activity_id": self.written.activity_id,
            }
            if self.written.error is not None:
                line["odoo"]["error"] = self.written.error
        return line


@dataclass
class Summary:
    counts: Counter[str] = field(default_factory=Counter)

    def add(self, result: BatchResult) -> None:
        self.counts[result.decision.action.value if result.decision else "unreadable"] += 1
        if result.written is not None:
            self.counts[f"written:{result.written.outcome}"] += 1

    @property
    def total(self) -> int:
        return sum(self.counts[k] for k in ("block", "warn", "allow", "unreadable"))

    def line(self) -> str:
        actions = ", ".join(
            f"{self.counts[k]} {k}" for k in ("block", "warn", "allow", "unreadable")
        )
        notes = ", ".join(
            f"{self.counts[f'written:{k}']} {k}"
            for k in ("posted", "unchanged", "dry-run", "failed")
            if self.counts[f"written:{k}"]
        )
        return f"screened {self.total} record(s): {actions}" + (
            f"; notes: {notes}" if notes else ""
        )


def screen(
    items: Iterable[Screenable],
    screener: Screener,
    writer: OdooWriter | None,
    *,
    today: Callable[[], dt.date] = dt.date.today,
) -> Iterator[BatchResult]:
    """Screen each item and write its result back; yields as it goes, so output streams."""
    for item in items:
        if isinstance(item.record, MappingError):
            yield BatchResult(item.model, item.record_id, item.label, error=str(item.record))
            continue
        if isinstance(item.record, PurchaseOrder):
            decision = screener.check_purchase_order(item.record)
        else:
            decision = screener.screen_supplier(item.record)
        written = None
        if writer is not None:
            try:
                written = writer.write(
                    item.model,
                    item.record_id,
                    decision,
                    label=item.label,
                    user_id=item.responsible_user_id,
                    today=today(),
                )
            except OdooError as error:  # the decision stands (and is on record); say so
                written = WriteBack("failed", fingerprint(decision), error=str(error))
        yield BatchResult(item.model, item.record_id, item.label, decision, written)
