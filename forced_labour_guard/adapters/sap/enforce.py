"""Enforcing a decision in SAP: the supplier's purchasing block, set and lifted by the rules below.

* **Set** ``A_Supplier.PurchasingIsBlocked`` (and ``A_SupplierPurchasingOrg.
  PurchasingIsBlockedForSupplier`` for each configured purchasing organisation the supplier is
  extended to) when the decision calls for disengagement: a finding in force whose steps include B1,
  B2, B3 or B5 and that blocks under the policy today (B2/B3/B5 only once the responsible-exit window
  has ended). A fail-closed block (SCREENING_UNAVAILABLE) never blocks a supplier: it has no steps.
  Neither does A4 or C2: they stop orders, not the supplier.
* **Lift** a block only when the adapter itself set it (the audit store says so), nothing calls for
  disengagement any more, and that is because an override recorded in the store released the
  findings. A block that findings simply stopped producing stays: someone must record an override.
  A block set by someone else in SAP is never touched.
* Every write (and its SAP answer, or the failure) is appended to the audit store. The store on main
  has only decision entries, so a write is recorded as the decision that caused it, with the write
  and SAP's answer as its last reason and ``record_id`` ``sap-write:<entity>:<field>=<value>``; the
  record hash is the hash of the full write evidence.
* Dry run: the plan is returned and nothing is written or recorded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict

from forced_labour_guard.adapters.sap.errors import SapError, SapHttpError
from forced_labour_guard.adapters.sap.odata import Entity, WriteResult
from forced_labour_guard.adapters.sap.s4 import S4Client, SupplierRecord
from forced_labour_guard.model import Action, Decision, Finding
from forced_labour_guard.policy import Policy, finding_action
from forced_labour_guard.store.base import Store
from forced_labour_guard.store.hashing import canonical_hash

DISENGAGE_STEPS = frozenset({"B1", "B2", "B3", "B5"})
WRITE_PREFIX = "sap-write:"


def disengagement_findings(
    decision: Decision,
    policy: Policy,
    *,
    today: dt.date,
    first_seen: Mapping[str, dt.date],
) -> list[Finding]:
    """Findings in force that call for disengaging from the supplier today."""
    return [
        finding
        for finding in decision.findings
        if finding.released_by is None
        and DISENGAGE_STEPS.intersection(finding.steps)
        and finding_action(finding, policy, today=today, first_seen=first_seen)[0] is Action.BLOCK
    ]


def released_disengagement(decision: Decision) -> list[Finding]:
    """Disengagement findings an override released (the only way a block is lifted)."""
    return [f for f in decision.findings if f.released_by and DISENGAGE_STEPS.intersection(f.steps)]


@dataclass(frozen=True)
class PlannedWrite:
    """One flag to set on one SAP entity, and why."""

    entity_set: str
    key: dict[str, str]
    field: str
    value: bool
    why: str
    entity: Entity

    @property
    def target(self) -> str:
        keys = ",".join(f"{k}='{v}'" for k, v in self.key.items())
        return f"{self.entity_set}({keys})"

    @property
    def record_id(self) -> str:
        return f"{WRITE_PREFIX}{self.target}:{self.field}={str(self.value).lower()}"

    def describe(self) -> str:
        return f"{self.target}.{self.field} = {str(self.value).lower()}"


class WriteEvidence(BaseModel):
    """What was sent to SAP and what SAP answered; hashed into the audit entry."""

    model_config = ConfigDict(frozen=True)

    method: str = "PATCH"
    target: str
    payload: dict[str, bool]
    if_match: str | None = None
    outcome: str
    status: int | None = None
    sap_messages: list[str] = []
    response_body: str = ""


@dataclass(frozen=True)
class EnforcementResult:
    planned: list[PlannedWrite]
    applied: list[WriteEvidence]
    dry_run: bool
    notes: list[str]


def we_blocked(store: Store, supplier_id: str) -> bool:
    """Whether the adapter's own last central-block write for this supplier set the block."""
    last: str | None = None
    prefix = f"{WRITE_PREFIX}A_Supplier(Supplier='{supplier_id}'):PurchasingIsBlocked="
    for entry in store.entries(supplier_id=supplier_id):
        if entry.record_id and entry.record_id.startswith(prefix):
            last = entry.record_id
    return last is not None and last.endswith("=true")


def plan(
    decision: Decision,
    record: SupplierRecord,
    *,
    disengage: list[Finding],
    released: list[Finding],
    adapter_blocked: bool,
    purchasing_orgs: list[str],
) -> tuple[list[PlannedWrite], list[str]]:
    """The writes the decision calls for, and notes on what is deliberately left alone."""
    supplier = record.supplier
    supplier_id = str(supplier.get("Supplier"))
    blocked = supplier.get("PurchasingIsBlocked") is True
    orgs = [o for o in record.purchasing_orgs if o.get("PurchasingOrganization") in purchasing_orgs]
    notes: list[str] = []
    writes: list[PlannedWrite] = []
    if disengage:
        codes = ", ".join(sorted({f.code.value for f in disengage}))
        why = f"disengagement required by {codes} ({decision.subject})"
        if not blocked:
            writes.append(
                PlannedWrite(
                    "A_Supplier",
                    {"Supplier": supplier_id},
                    "PurchasingIsBlocked",
                    True,
                    why,
                    supplier,
                )
            )
        for org in orgs:
            if org.get("PurchasingIsBlockedForSupplier") is not True:
                writes.append(_org_write(org, True, why))
        return writes, notes
    if not blocked:
        return writes, notes
    if not adapter_blocked:
        notes.append(
            f"supplier {supplier_id} is blocked for purchasing in SAP, but not by this adapter: "
            "left as it is"
        )
        return writes, notes
    if not released:
        notes.append(
            f"supplier {supplier_id} stays blocked: nothing calls for disengagement now, but a "
            "block set by this adapter is lifted only through an override recorded in the store"
        )
        return writes, notes
    overrides = ", ".join(sorted({str(f.released_by) for f in released}))
    why = f"released by override {overrides}"
    writes.append(
        PlannedWrite(
            "A_Supplier", {"Supplier": supplier_id}, "PurchasingIsBlocked", False, why, supplier
        )
    )
    for org in orgs:
        if org.get("PurchasingIsBlockedForSupplier") is True:
            writes.append(_org_write(org, False, why))
    return writes, notes


def _org_write(org: Entity, value: bool, why: str) -> PlannedWrite:
    key = {
        "Supplier": str(org.get("Supplier")),
        "PurchasingOrganization": str(org.get("PurchasingOrganization")),
    }
    return PlannedWrite(
        "A_SupplierPurchasingOrg", key, "PurchasingIsBlockedForSupplier", value, why, org
    )


def apply(
    writes: list[PlannedWrite],
    decision: Decision,
    s4: S4Client,
    store: Store,
    supplier_key: str,
) -> list[WriteEvidence]:
    """Send each write and record it with SAP's answer; a failed write is recorded and raised."""
    done: list[WriteEvidence] = []
    for write in writes:
        try:
            if write.entity_set == "A_Supplier":
                result = s4.set_purchasing_block(write.entity, write.value)
            else:
                result = s4.set_org_block(write.entity, write.value)
        except SapError as error:
            evidence = _failed(write, error)
            _record(store, decision, supplier_key, write, evidence)
            raise
        evidence = _succeeded(write, result)
        _record(store, decision, supplier_key, write, evidence)
        done.append(evidence)
    return done


def _succeeded(write: PlannedWrite, result: WriteResult) -> WriteEvidence:
    return WriteEvidence(
        target=write.target,
        payload={write.field: write.value},
        if_match=result.if_match,
        outcome=f"skipped: {result.skipped}" if result.skipped else "applied",
        status=result.status,
        sap_messages=[m.sentence() for m in result.messages],
        response_body=result.body,
    )


def _failed(write: PlannedWrite, error: SapError) -> WriteEvidence:
    status = error.status if isinstance(error, SapHttpError) else None
    return WriteEvidence(
        target=write.target,
        payload={write.field: write.value},
        outcome=f"failed: {error}",
        status=status,
    )


def _record(
    store: Store,
    decision: Decision,
    supplier_key: str,
    write: PlannedWrite,
    evidence: WriteEvidence,
) -> None:
    status = f"HTTP {evidence.status}" if evidence.status is not None else "no HTTP answer"
    messages = "; ".join(evidence.sap_messages) or "no SAP message"
    sentence = (
        f"SAP write {write.describe()} ({write.why}): {evidence.outcome}, {status}, {messages}."
    )
    entry = decision.model_copy(
        update={
            "subject": f"SAP write {write.describe()} for {decision.subject}",
            "reasons": [*decision.reasons, sentence],
        }
    )
    store.append_decision(
        entry,
        record_kind="supplier",
        record_hash=canonical_hash(evidence),
        record_id=write.record_id,
        supplier_id=supplier_key,
    )
