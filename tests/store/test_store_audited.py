"""The audited Guard: first-seen dates from the store, overrides applied, every decision on record,
and fail closed when the store cannot be used."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from store_helpers import DAY, Clock

from forced_labour_guard.guard import Guard
from forced_labour_guard.model import (
    Action,
    Address,
    Finding,
    FindingCode,
    PurchaseOrder,
    Supplier,
)
from forced_labour_guard.policy import Policy, Rule
from forced_labour_guard.region.locator import RegionHit
from forced_labour_guard.store import OverrideRequest, SqliteStore, StoreError, canonical_hash
from forced_labour_guard.store.audited import AuditedGuard


class HotanLocator:
    """Places any address naming Hotan in the region; nothing else (keeps the test independent of
    the bundled gazetteer)."""

    name = "test-hotan"

    def locate(self, address: Address) -> RegionHit | None:
        for field, value in address.fields():
            if "Hotan" in value:
                return RegionHit(
                    signal="gazetteer_name",
                    matched=value,
                    field=field,
                    place="Hotan",
                    confidence=1.0,
                )
        return None

    def locate_identifiers(
        self, *, registration_id: str | None, phone: str | None, country: str | None
    ) -> RegionHit | None:
        return None


def in_region() -> Supplier:
    return Supplier.model_validate(
        {
            "id": "S-HOTAN",
            "name": "Hotan Textile Co",
            "addresses": [{"city": "Hotan", "country": "CN"}],
        }
    )


def transfer_reported() -> Supplier:
    return Supplier.model_validate(
        {
            "id": "S-TRANSFER",
            "name": "Anhui Garments",
            "country": "CN",
            "evidence": [
                {
                    "kind": "labour_transfer",
                    "summary": "Received workers under a state-sponsored transfer programme",
                    "source": "Example NGO report",
                    "date": "2025-06-01",
                }
            ],
        }
    )


def po(supplier: Supplier, po_id: str = "PO-1") -> PurchaseOrder:
    return PurchaseOrder(id=po_id, supplier=supplier, lines=[])


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(tmp_path: Path, clock: Clock) -> SqliteStore:
    return SqliteStore(tmp_path / "audit.db", clock=clock)


@pytest.fixture
def guard(clock: Clock) -> Guard:
    return Guard(locator=HotanLocator(), clock=clock)


def test_every_decision_is_appended_with_the_record_hash(guard: Guard, store: SqliteStore) -> None:
    audited = AuditedGuard(guard, store)
    order = po(in_region())
    decision = audited.check_purchase_order(order)
    assert decision.action is Action.BLOCK
    screened = audited.screen_supplier(transfer_reported())
    entries = list(store.entries())
    assert [e.record_kind for e in entries] == ["purchase_order", "supplier"]
    assert entries[0].record_hash == canonical_hash(order)
    assert entries[0].record_id == "PO-1"
    assert entries[0].supplier_id == "S-HOTAN"
    assert entries[0].decision() == decision
    assert entries[1].decision() == screened
    assert store.verify().ok


def test_plain_guard_and_audited_guard_agree_without_overrides(
    guard: Guard, store: SqliteStore
) -> None:
    order = po(in_region())
    assert AuditedGuard(guard, store).check_purchase_order(order) == guard.check_purchase_order(
        order
    )


def test_exit_window_counts_from_the_first_recorded_sighting(
    guard: Guard, store: SqliteStore, clock: Clock
) -> None:
    audited = AuditedGuard(guard, store)
    supplier = transfer_reported()
    first = audited.screen_supplier(supplier)
    assert first.action is Action.WARN  # A3: responsible exit under way
    clock.advance(days=120)
    later = audited.screen_supplier(supplier)
    assert later.action is Action.BLOCK  # 90-day window ended, counted from the first screening
    assert guard.screen_supplier(supplier).action is Action.WARN  # no memory without a store
    key = next(f.key for f in first.findings if f.code is FindingCode.A3)
    assert store.first_seen(["S-TRANSFER"])[key] == DAY.date()


def test_override_releases_a_block_and_both_are_on_record(
    guard: Guard, store: SqliteStore, clock: Clock
) -> None:
    audited = AuditedGuard(guard, store)
    order = po(in_region())
    override = store.add_override(
        OverrideRequest(
            po_id="PO-1",
            codes=[FindingCode.A1],
            reason="the Hotan address is a closed sales office; goods made in Vietnam, verified",
            created_by="alice",
            expires_on=DAY.date() + dt.timedelta(days=14),
        )
    )
    assert audited.check_purchase_order(order).action is Action.BLOCK  # not approved yet
    store.approve_override(override.id, by="bob")
    released = audited.check_purchase_order(order)
    assert released.action is Action.ALLOW
    assert [f.released_by for f in released.findings if f.code is FindingCode.A1] == [override.id]
    assert released.overrides[0].approved_by == ["bob"]
    assert audited.check_purchase_order(po(in_region(), "PO-2")).action is Action.BLOCK
    clock.advance(days=15)
    assert audited.check_purchase_order(order).action is Action.BLOCK  # expired
    recorded = [e.decision() for e in store.entries() if e.kind == "decision"]
    assert [d.action for d in recorded if d] == [
        Action.BLOCK,
        Action.ALLOW,
        Action.BLOCK,
        Action.BLOCK,
    ]
    assert store.verify().ok


def test_store_failure_fails_closed(guard: Guard, store: SqliteStore) -> None:
    audited = AuditedGuard(guard, store)
    supplier = Supplier(id="S-CLEAN", name="Clean Buttons GmbH", country="DE")
    assert audited.screen_supplier(supplier).action is Action.ALLOW
    store.close()
    decision = audited.screen_supplier(supplier)
    assert decision.action is Action.BLOCK
    assert [f.code for f in decision.findings] == [FindingCode.SCREENING_UNAVAILABLE]
    assert "audit store" in decision.findings[0].detail


def test_unwritable_store_fails_closed_and_applies_no_override(
    guard: Guard, store: SqliteStore
) -> None:
    store.add_override(
        OverrideRequest(
            po_id="PO-1",
            codes=[FindingCode.A1],
            reason="r",
            created_by="alice",
            expires_on=DAY.date() + dt.timedelta(days=3),
        )
    )
    store.approve_override("OVR-1", by="bob")
    original = store.append_decision

    def broken(*args: object, **kwargs: object) -> object:
        from forced_labour_guard.store import StoreError

        raise StoreError("disk full")

    store.append_decision = broken  # type: ignore[method-assign]
    decision = AuditedGuard(guard, store).check_purchase_order(po(in_region()))
    store.append_decision = original  # type: ignore[method-assign]
    assert decision.action is Action.BLOCK
    assert {f.code for f in decision.findings} == {
        FindingCode.A1,
        FindingCode.SCREENING_UNAVAILABLE,
    }
    assert all(f.released_by is None for f in decision.findings)
    assert "could not be recorded" in decision.findings[-1].detail


class MissedDeadline:
    """A B4 status provider whose supplier missed its acknowledgement deadline 120 days ago."""

    def __init__(self, since: dt.date) -> None:
        self.since = since

    def _finding(self, supplier: Supplier) -> Finding:
        return Finding(
            code=FindingCode.NO_B4_ACK,
            subject="supplier",
            detail=f"{supplier.label} has not acknowledged the B4 instruction with proof.",
            steps=["B5"],
            supplier_id=supplier.id or supplier.name,
        )

    def __call__(self, supplier: Supplier, today: dt.date) -> list[Finding]:
        return [self._finding(supplier)]

    def first_seen(self, supplier: Supplier, today: dt.date) -> dict[str, dt.date]:
        return {self._finding(supplier).key: self.since}


def test_override_keeps_exit_windows_the_guard_counted_from_a_b4_provider(
    store: SqliteStore, clock: Clock
) -> None:
    provider = MissedDeadline(DAY.date() - dt.timedelta(days=120))
    guard = Guard(locator=HotanLocator(), b4_status=provider, clock=clock)
    supplier = Supplier.model_validate(
        {
            "id": "S-SRC",
            "name": "Jiangsu Yarns",
            "evidence": [{"kind": "sourcing", "summary": "Buys Aksu cotton", "source": "Study"}],
        }
    )
    audited = AuditedGuard(guard, store)
    assert audited.screen_supplier(supplier).action is Action.BLOCK  # B5 window long over
    store.add_override(
        OverrideRequest(
            supplier_id="S-SRC",
            codes=[FindingCode.A4],
            reason="switched to traceable Egyptian cotton",
            created_by="alice",
            expires_on=DAY.date() + dt.timedelta(days=30),
        )
    )
    decision = audited.screen_supplier(supplier)
    assert {f.code: f.released_by for f in decision.findings} == {
        FindingCode.A4: "OVR-2",
        FindingCode.NO_B4_ACK: None,
    }
    assert decision.action is Action.BLOCK


@pytest.mark.parametrize("failure", ["unreadable", "unwritable"])
def test_store_failure_keeps_exit_windows_the_guard_counted_from_a_b4_provider(
    store: SqliteStore, clock: Clock, failure: str
) -> None:
    # SCREENING_UNAVAILABLE relaxed to warn: the action then rests on NO_B4_ACK, whose B5 window
    # (counted by the provider from the missed deadline, 120 days ago) is long over.
    relaxed = Policy(rules={FindingCode.SCREENING_UNAVAILABLE: Rule(action=Action.WARN)})
    provider = MissedDeadline(DAY.date() - dt.timedelta(days=120))
    guard = Guard(locator=HotanLocator(), b4_status=provider, policy=relaxed, clock=clock)
    supplier = Supplier(id="S-LATE", name="Late Answer Textiles", country="VN")
    if failure == "unreadable":
        store.close()
    else:

        def broken(*args: object, **kwargs: object) -> object:
            raise StoreError("disk full")

        store.append_decision = broken  # type: ignore[method-assign]
    decision = AuditedGuard(guard, store).screen_supplier(supplier)
    assert {f.code for f in decision.findings} == {
        FindingCode.NO_B4_ACK,
        FindingCode.SCREENING_UNAVAILABLE,
    }
    assert decision.action is Action.BLOCK


class _BrokenDates:
    """A B4 provider whose findings work but whose first-seen dates cannot be read."""

    def __call__(self, supplier: Supplier, today: dt.date) -> list[Finding]:
        return []

    def first_seen(self, supplier: Supplier, today: dt.date) -> dict[str, dt.date]:
        raise RuntimeError("campaign table locked")


def test_a_failure_while_applying_overrides_fails_closed_instead_of_raising(
    clock: Clock, store: SqliteStore
) -> None:
    guard = Guard(locator=HotanLocator(), clock=clock, b4_status=_BrokenDates())
    supplier = Supplier(id="S-CLEAN", name="Clean Buttons GmbH", country="DE")
    decision = AuditedGuard(guard, store).screen_supplier(supplier)
    assert decision.action is Action.BLOCK
    assert "overrides could not be applied" in decision.findings[-1].detail
