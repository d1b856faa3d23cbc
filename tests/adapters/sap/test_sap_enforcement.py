"""Purchasing blocks in SAP: exactly the right fields, nothing in dry run, lifted only by a
recorded override, never on a fail-closed block, every write on record with SAP's answer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from forced_labour_guard.adapters.sap.enforce import disengagement_findings
from forced_labour_guard.adapters.sap.errors import SapHttpError
from forced_labour_guard.errors import UsageError
from forced_labour_guard.model import Action, Decision, Finding, FindingCode
from forced_labour_guard.policy import Policy
from forced_labour_guard.store import OverrideRequest, Store, open_store
from tests.adapters.sap.conftest import adapter_for, settings_for
from tests.adapters.sap.gateway import FakeGateway, sap_error_body


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(tmp_path / "audit.db") as opened:
        yield opened


def _writes(gateway: FakeGateway) -> list[tuple[str, object]]:
    return [(r.path.rsplit("/", 1)[-1], r.body) for r in gateway.writes()]


def _write_entries(store: Store) -> list[str]:
    return [
        e.record_id or "" for e in store.entries() if (e.record_id or "").startswith("sap-write:")
    ]


def test_b1_sets_the_central_block_and_the_configured_org_only(
    gateway: FakeGateway, store: Store
) -> None:
    outcome = adapter_for(gateway, store=store).screen_supplier("17300001")
    assert outcome.decision.action is Action.BLOCK
    assert _writes(gateway) == [
        ("A_Supplier(Supplier='17300001')", {"PurchasingIsBlocked": True}),
        (
            "A_SupplierPurchasingOrg(Supplier='17300001',PurchasingOrganization='1010')",
            {"PurchasingIsBlockedForSupplier": True},
        ),
    ]
    assert (
        gateway.row("A_SupplierPurchasingOrg", PurchasingOrganization="1710")[
            "PurchasingIsBlockedForSupplier"
        ]
        is False
    )
    assert _write_entries(store) == [
        "sap-write:A_Supplier(Supplier='17300001'):PurchasingIsBlocked=true",
        "sap-write:A_SupplierPurchasingOrg(Supplier='17300001',PurchasingOrganization='1010'):PurchasingIsBlockedForSupplier=true",
    ]


def test_each_write_is_recorded_with_sap_s_answer(gateway: FakeGateway, store: Store) -> None:
    gateway.write_message = {
        "code": "BUPA/200",
        "message": "Supplier changed",
        "severity": "success",
    }
    adapter_for(gateway, store=store).screen_supplier("17300001")
    entry = next(
        e for e in store.entries() if (e.record_id or "").endswith("PurchasingIsBlocked=true")
    )
    recorded = entry.decision()
    assert recorded is not None
    assert "HTTP 204" in recorded.reasons[-1]
    assert "Supplier changed" in recorded.reasons[-1]
    assert store.verify().ok


def test_dry_run_writes_nothing_and_records_no_write(gateway: FakeGateway, store: Store) -> None:
    outcome = adapter_for(gateway, store=store, dry_run=True).screen_supplier("17300001")
    assert gateway.writes() == []
    assert _write_entries(store) == []
    assert [w.field for w in outcome.planned] == [
        "PurchasingIsBlocked",
        "PurchasingIsBlockedForSupplier",
    ]


def test_writing_without_a_store_is_refused(gateway: FakeGateway) -> None:
    with pytest.raises(UsageError, match="audit store"):
        adapter_for(gateway, dry_run=False)


def test_a_clean_supplier_is_not_touched(gateway: FakeGateway, store: Store) -> None:
    outcome = adapter_for(gateway, store=store).screen_supplier("17300003")
    assert outcome.decision.action is Action.ALLOW
    assert gateway.writes() == []


def test_a_fail_closed_block_never_blocks_the_supplier(gateway: FakeGateway, store: Store) -> None:
    outcome = adapter_for(gateway, store=store).screen_supplier("17300006")
    assert outcome.decision.action is Action.BLOCK
    assert gateway.writes() == []


def test_a4_on_an_order_stops_the_order_not_the_supplier(
    gateway: FakeGateway, store: Store
) -> None:
    outcome = adapter_for(gateway, store=store).check_purchase_order("4500000004")
    assert "A4" in {f.code.value for f in outcome.decision.findings}
    assert gateway.writes() == []


def test_an_already_blocked_supplier_is_not_written_again(
    gateway: FakeGateway, store: Store
) -> None:
    gateway.row("A_Supplier", Supplier="17300001")["PurchasingIsBlocked"] = True
    gateway.row("A_SupplierPurchasingOrg", PurchasingOrganization="1010", Supplier="17300001")[
        "PurchasingIsBlockedForSupplier"
    ] = True
    adapter_for(gateway, store=store).screen_supplier("17300001")
    assert gateway.writes() == []


def test_a_block_set_by_someone_else_is_never_lifted(gateway: FakeGateway, store: Store) -> None:
    gateway.row("A_Supplier", Supplier="17300003")["PurchasingIsBlocked"] = True
    outcome = adapter_for(gateway, store=store).screen_supplier("17300003")
    assert gateway.writes() == []
    assert any("not by this adapter" in note for note in outcome.notes)


def test_our_block_stays_when_findings_just_disappear(gateway: FakeGateway, store: Store) -> None:
    adapter_for(gateway, store=store).screen_supplier("17300001")
    gateway.row("A_BusinessPartnerAddress", AddressID="22001")["Region"] = "SH"
    before = len(gateway.writes())
    outcome = adapter_for(gateway, store=store).screen_supplier("17300001")
    assert len(gateway.writes()) == before
    assert any("only through an override" in note for note in outcome.notes)


def test_an_approved_override_lifts_our_block(gateway: FakeGateway, store: Store) -> None:
    adapter_for(gateway, store=store).screen_supplier("17300001")
    override = store.add_override(
        OverrideRequest(
            supplier_id="17300001",
            codes=[FindingCode.A1],
            reason="Address is a sales office; factory audited in Jiangsu",
            created_by="compliance.officer",
            expires_on=dt.date.today() + dt.timedelta(days=30),
        )
    )
    pending = adapter_for(gateway, store=store).screen_supplier("17300001")
    assert pending.planned == []  # awaiting its second approver: the block stays
    store.approve_override(override.id, by="head.of.compliance")
    lifted = adapter_for(gateway, store=store).screen_supplier("17300001")
    assert [(w.field, w.value) for w in lifted.planned] == [
        ("PurchasingIsBlocked", False),
        ("PurchasingIsBlockedForSupplier", False),
    ]
    assert gateway.row("A_Supplier", Supplier="17300001")["PurchasingIsBlocked"] is False
    assert _write_entries(store)[-2:] == [
        "sap-write:A_Supplier(Supplier='17300001'):PurchasingIsBlocked=false",
        "sap-write:A_SupplierPurchasingOrg(Supplier='17300001',PurchasingOrganization='1010'):PurchasingIsBlockedForSupplier=false",
    ]


def test_a_failed_write_is_recorded_and_reported(gateway: FakeGateway, store: Store) -> None:
    gateway.inject(
        "PATCH", "/A_Supplier(", 500, sap_error_body("BUPA/500", "Supplier locked by user MEIER")
    )
    with pytest.raises(SapHttpError, match="locked by user MEIER"):
        adapter_for(gateway, store=store).screen_supplier("17300001")
    entry = next(e for e in store.entries() if (e.record_id or "").startswith("sap-write:"))
    decision = entry.decision()
    assert decision is not None and "failed" in decision.reasons[-1]


def test_settings_default_to_dry_run(gateway: FakeGateway) -> None:
    settings = settings_for(gateway, enforcement={})
    assert settings.enforcement.dry_run is True


# ------------------------------------------------------------- exit windows (pure)


def _decision(finding: Finding) -> Decision:
    return Decision(action=Action.WARN, findings=[finding], screened_at=dt.datetime.now(dt.UTC))


@pytest.mark.parametrize(("days_ago", "disengage"), [(10, False), (89, False), (91, True)])
def test_b2_disengages_only_after_the_exit_window(days_ago: int, disengage: bool) -> None:
    finding = Finding(
        code=FindingCode.A2,
        subject="supplier.relationships[0]",
        detail="x",
        steps=["B2"],
        supplier_id="S",
    )
    today = dt.date(2026, 12, 1)
    seen = {finding.key: today - dt.timedelta(days=days_ago)}
    found = disengagement_findings(_decision(finding), Policy(), today=today, first_seen=seen)
    assert bool(found) is disengage


def test_possible_match_never_disengages() -> None:
    finding = Finding(
        code=FindingCode.POSSIBLE_MATCH,
        subject="supplier",
        detail="x",
        steps=["A"],
        supplier_id="S",
    )
    assert (
        disengagement_findings(
            _decision(finding), Policy(), today=dt.date(2026, 12, 1), first_seen={}
        )
        == []
    )
