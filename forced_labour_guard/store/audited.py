"""A Guard that keeps records: first-seen dates in, overrides applied, every decision appended.

The plain ``Guard`` stays pure (no I/O). ``AuditedGuard`` wraps one with a ``Store``:

1. read the first-seen dates and the overrides held for the screened supplier (and order);
2. let the Guard screen with those dates, so responsible-exit windows count from the first sighting;
3. apply the effective overrides (``store.overrides.apply_overrides``);
4. run the ``on_decision`` callbacks with the final decision and the screened supplier (the CLI
   uses one to queue suppliers for a B4 instruction, ``instructions.pending.queue_b4_for``);
5. append the final decision, with the record's canonical hash, to the audit chain.

The callbacks run just before the append rather than after it so that what the caller gets back is
exactly what is on record: a callback that raises is logged and leaves a warning on the decision,
and that warning is recorded with it (the audit trail then shows the follow-up did not happen).
A failing callback never changes the action, the findings or the steps, never prevents the append
and never raises out of screening. If the append itself fails afterwards, the decision fails closed
as below while the callback's effect stays (the supplier was flagged; queuing is idempotent).
Callbacks run only for decisions about to be recorded, not for the fail-closed ones below.

Fail closed: if the store cannot be read or written, the decision gains a SCREENING_UNAVAILABLE
finding (block under the default policy) instead of going out unrecorded or without its exit-window
history, and no override is applied.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence

from pydantic import BaseModel

from forced_labour_guard.detectors import today_of
from forced_labour_guard.errors import require_record
from forced_labour_guard.guard import Guard
from forced_labour_guard.model import (
    Decision,
    Finding,
    FindingCode,
    PurchaseOrder,
    Supplier,
    supplier_key,
)
from forced_labour_guard.policy import evaluate
from forced_labour_guard.store.base import Store, StoreError
from forced_labour_guard.store.hashing import canonical_hash
from forced_labour_guard.store.overrides import apply_overrides
from forced_labour_guard.store.records import RecordKind

log = logging.getLogger(__name__)

DecisionCallback = Callable[[Decision, Supplier], None]
"""Called with the final decision and the directly screened supplier, before it is recorded."""


class AuditedGuard:
    """Screens like ``guard`` and records every decision in ``store``; see the module docstring."""

    def __init__(
        self,
        guard: Guard,
        store: Store,
        *,
        on_decision: Sequence[DecisionCallback] = (),
    ) -> None:
        self.guard = guard
        self.store = store
        self.on_decision = tuple(on_decision)

    def check_purchase_order(self, po: PurchaseOrder) -> Decision:
        po = require_record(po, PurchaseOrder, call="AuditedGuard.check_purchase_order")
        return self._screen(
            po,
            po.supplier,
            "purchase_order",
            po.id,
            lambda seen: self.guard.check_purchase_order(po, first_seen=seen),
        )

    def screen_supplier(self, supplier: Supplier) -> Decision:
        supplier = require_record(supplier, Supplier, call="AuditedGuard.screen_supplier")
        return self._screen(
            supplier,
            supplier,
            "supplier",
            supplier.id,
            lambda seen: self.guard.screen_supplier(supplier, first_seen=seen),
        )

    def screen_suppliers(
        self, suppliers: Iterable[Supplier], *, progress: Callable[[int], None] | None = None
    ) -> Iterator[Decision]:
        """Screen many suppliers lazily; each decision is on record before it is yielded. An item
        that is not a Supplier gets the Guard's fail-closed decision for it (not recorded: there is
        no record to hash), and the batch goes on."""
        if isinstance(suppliers, Supplier | str | bytes | dict):
            raise TypeError(
                "AuditedGuard.screen_suppliers expects an iterable of Supplier, got "
                f"{type(suppliers).__name__}"
            )
        for done, supplier in enumerate(suppliers, start=1):
            if isinstance(supplier, Supplier):
                yield self.screen_supplier(supplier)
            else:
                yield self.guard.not_a_supplier(done, supplier)
            if progress is not None:
                progress(done)

    def _screen(
        self,
        record: BaseModel,
        supplier: Supplier,
        record_kind: RecordKind,
        record_id: str | None,
        screen: Callable[[Mapping[str, dt.date]], Decision],
    ) -> Decision:
        key = supplier_key(supplier)
        po_id = record_id if record_kind == "purchase_order" else None
        try:
            seen = self.store.first_seen([key])
            overrides = self.store.overrides(po_id=po_id, supplier_ids=[key])
        except StoreError as error:
            log.error("audit store unreadable: %s", error)
            why = f"it could not be read: {error}"
            return _store_failed(screen({}), supplier, self.guard, why, first_seen={})
        raw = screen(seen)
        today = today_of(raw.screened_at)
        try:
            decision = apply_overrides(
                raw,
                overrides,
                today=today,
                po_id=po_id,
                policy=self.guard.policy,
                first_seen=self.guard.first_seen_dates(supplier, today, seen),
            )
        except Exception as error:  # e.g. the B4 provider failing: fail closed, never raise
            log.exception("overrides could not be applied")
            why = f"its overrides could not be applied ({type(error).__name__}: {error})"
            return _store_failed(raw, supplier, self.guard, why, first_seen=seen)
        decision = self._run_callbacks(decision, supplier)
        try:
            self.store.append_decision(
                decision,
                record_kind=record_kind,
                record_hash=canonical_hash(record),
                record_id=record_id,
                supplier_id=key,
            )
        except StoreError as error:
            log.error("audit store unwritable: %s", error)
            why = f"the decision could not be recorded: {error}"
            return _store_failed(raw, supplier, self.guard, why, first_seen=seen)
        return decision

    def _run_callbacks(self, decision: Decision, supplier: Supplier) -> Decision:
        """Each callback sees the same decision; one that fails adds a warning and nothing else."""
        problems: list[str] = []
        for callback in self.on_decision:
            try:
                callback(decision, supplier)
            except Exception as error:  # never raise out of screening, never loosen the decision
                name = getattr(callback, "__name__", type(callback).__name__)
                log.exception("after-decision callback %s failed", name)
                problems.append(
                    f"The follow-up '{name}' failed after this decision "
                    f"({type(error).__name__}: {error}); the decision stands and is on record, "
                    "but that follow-up (e.g. queuing the supplier for a B4 instruction) did not "
                    "happen: do it by hand."
                )
        if not problems:
            return decision
        return decision.model_copy(update={"warnings": [*decision.warnings, *problems]})


def _store_failed(
    raw: Decision,
    supplier: Supplier,
    guard: Guard,
    why: str,
    *,
    first_seen: Mapping[str, dt.date],
) -> Decision:
    """``raw`` plus a SCREENING_UNAVAILABLE finding, re-decided by the policy (no overrides).

    The exit windows count from the Guard's own dates (``first_seen`` merged with a B4 provider's),
    as in ``raw``: with SCREENING_UNAVAILABLE relaxed to warn, a NO_B4_ACK whose window is over
    must still block rather than restart its window today."""
    key = supplier_key(supplier)
    today = today_of(raw.screened_at)
    try:
        dates = guard.first_seen_dates(supplier, today, first_seen)
    except Exception:  # the provider failing as well: the decision blocks or warns regardless
        log.exception("B4 first-seen dates unavailable while the audit store failed")
        dates = first_seen
    finding = Finding(
        code=FindingCode.SCREENING_UNAVAILABLE,
        subject="audit store",
        detail=(
            f"The audit store is configured but {why}. Without it this decision cannot be put on "
            "record and no override can be checked, so nothing may be cleared until it works."
        ),
        supplier_id=key,
    )
    findings = [*raw.findings, finding]
    verdict = evaluate(findings, guard.policy, today=today, first_seen=dates)
    return raw.model_copy(
        update={
            "action": verdict.action,
            "findings": findings,
            "steps": verdict.steps,
            "reasons": verdict.reasons,
        }
    )
