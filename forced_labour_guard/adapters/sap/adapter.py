"""The SAP adapter: read from S/4HANA, map, screen, enforce, record. Every path into SAP (batch,
business events, the purchase-order check) goes through this one object.

The Guard screens with two kinds of extras per record: the mapping's warnings (an unknown Chinese
region key, SAP's own messages) are put on the decision, and its problems (no business partner,
so no address was read) become SCREENING_UNAVAILABLE findings, so they can never end in "allow".
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, field

from forced_labour_guard.adapters.sap import enforce
from forced_labour_guard.adapters.sap.mapping import Mapped, map_purchase_order, map_supplier
from forced_labour_guard.adapters.sap.odata import Entity
from forced_labour_guard.adapters.sap.regions import CnRegionMap
from forced_labour_guard.adapters.sap.s4 import S4Client, SupplierRecord
from forced_labour_guard.adapters.sap.settings import SapSettings
from forced_labour_guard.detectors import today_of
from forced_labour_guard.errors import UsageError
from forced_labour_guard.guard import Guard
from forced_labour_guard.model import Decision, PurchaseOrder, Supplier, supplier_key
from forced_labour_guard.store.audited import AuditedGuard, DecisionCallback
from forced_labour_guard.store.base import Store


@dataclass(frozen=True)
class Outcome:
    """One screened SAP record: the decision, what enforcement did (or would do), and notes."""

    kind: str
    sap_id: str
    decision: Decision
    planned: list[enforce.PlannedWrite] = field(default_factory=list)
    applied: list[enforce.WriteEvidence] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    dry_run: bool = True

    def summary(self) -> dict[str, object]:
        """One JSON line for batch output and event answers."""
        return {
            self.kind: self.sap_id,
            "action": self.decision.action.value,
            "codes": sorted({f.code.value for f in self.decision.findings}),
            "steps": self.decision.steps,
            "warnings": self.decision.warnings,
            "dry_run": self.dry_run,
            "writes": [
                {"target": w.target, "field": w.field, "value": w.value, "why": w.why}
                for w in self.planned
            ],
            "sap_answers": [e.model_dump(mode="json") for e in self.applied],
            "notes": self.notes,
        }


class SapAdapter:
    """See the module docstring. ``store`` is required to write to SAP (every write is recorded
    there, and lifting a block needs an override recorded there); without it, dry run only."""

    def __init__(
        self,
        s4: S4Client,
        guard: Guard,
        settings: SapSettings,
        *,
        store: Store | None = None,
        dry_run: bool | None = None,
        on_decision: Sequence[DecisionCallback] = (),
    ) -> None:
        self.s4 = s4
        self.guard = guard
        self.settings = settings
        self.store = store
        self.dry_run = settings.enforcement.dry_run if dry_run is None else dry_run
        if not self.dry_run and store is None:
            raise UsageError(
                "writing purchasing blocks to SAP needs an audit store (--store or FLG_STORE): "
                "every write is recorded there; use dry run without one"
            )
        self.regions = CnRegionMap.from_settings(settings.regions)
        self.on_decision = tuple(on_decision)

    # ------------------------------------------------------------------------------ reads

    def read_supplier(self, supplier_id: str) -> tuple[SupplierRecord, Mapped[Supplier]]:
        record = self.s4.supplier(
            supplier_id, with_purchasing_orgs=bool(self.settings.enforcement.purchasing_orgs)
        )
        return record, map_supplier(record, self.regions)

    def read_purchase_order(
        self, po_id: str, *, po: Entity | None = None
    ) -> tuple[SupplierRecord, Mapped[PurchaseOrder]]:
        """The order (``po`` when already read with its items, as in batch) and its supplier."""
        if po is None:
            po = self.s4.purchase_order(po_id, extra_item_fields=self.origin_fields())
        record, supplier = self.read_supplier(str(po.get("Supplier") or ""))
        return record, map_purchase_order(po, supplier, self.regions, self.settings.origin)

    def origin_fields(self) -> tuple[str, ...]:
        origin = self.settings.origin
        return (origin.field,) if origin.kind == "custom_field" and origin.field else ()

    # ------------------------------------------------------------------------------ screening

    def screen_supplier(self, supplier_id: str) -> Outcome:
        record, mapped = self.read_supplier(supplier_id)
        guard = self._guard_for(mapped)
        decision = guard.screen_supplier(mapped.value)
        return self._enforce("supplier", supplier_id, decision, record, mapped.value)

    def check_purchase_order(self, po_id: str, *, po: Entity | None = None) -> Outcome:
        record, mapped = self.read_purchase_order(po_id, po=po)
        guard = self._guard_for(mapped)
        decision = guard.check_purchase_order(mapped.value)
        return self._enforce("purchase_order", po_id, decision, record, mapped.value.supplier)

    def screen_order(self, order: Mapped[PurchaseOrder]) -> Decision:
        """Screen (and record) an order built elsewhere (the BAdI's unsaved order); no writes."""
        return self._guard_for(order).check_purchase_order(order.value)

    def _guard_for(self, mapped: Mapped[Supplier] | Mapped[PurchaseOrder]) -> Guard | AuditedGuard:
        guard = copy.copy(self.guard)
        guard.warnings = [*self.guard.warnings, *mapped.warnings, *self.s4.drain_messages()]
        guard.problems = (*self.guard.problems, *mapped.problems)
        if self.store is None:
            return guard
        return AuditedGuard(guard, self.store, on_decision=self.on_decision)

    # ------------------------------------------------------------------------------ enforcement

    def _enforce(
        self,
        kind: str,
        sap_id: str,
        decision: Decision,
        record: SupplierRecord,
        supplier: Supplier,
    ) -> Outcome:
        key = supplier_key(supplier)
        today = today_of(decision.screened_at)
        seen = self.store.first_seen([key]) if self.store is not None else {}
        first_seen = self.guard.first_seen_dates(supplier, today, seen)
        disengage = enforce.disengagement_findings(
            decision, self.guard.policy, today=today, first_seen=first_seen
        )
        adapter_blocked = self.store is not None and enforce.we_blocked(self.store, key)
        planned, notes = enforce.plan(
            decision,
            record,
            disengage=disengage,
            released=enforce.released_disengagement(decision),
            adapter_blocked=adapter_blocked,
            purchasing_orgs=self.settings.enforcement.purchasing_orgs,
        )
        applied: list[enforce.WriteEvidence] = []
        if planned and not self.dry_run:
            assert self.store is not None
            applied = enforce.apply(planned, decision, self.s4, self.store, key)
        return Outcome(kind, sap_id, decision, planned, applied, notes, self.dry_run)
