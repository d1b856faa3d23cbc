"""Business events in: re-read, screen, enforce, record, once per event id; the webhook route."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from forced_labour_guard.adapters.sap.events import SqliteEventLedger, handle_event
from forced_labour_guard.adapters.sap.routes import events_route
from forced_labour_guard.errors import InputError
from forced_labour_guard.store import Store, open_store
from tests.adapters.sap.conftest import adapter_for
from tests.adapters.sap.gateway import FakeGateway, sap_error_body

SPECS = Path(__file__).parent / "specs"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(tmp_path / "audit.db") as opened:
        yield opened


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[SqliteEventLedger]:
    opened = SqliteEventLedger(tmp_path / "audit.db")
    yield opened
    opened.close()


def _po_event(po: str, event_id: str = "e-1", kind: str = "Changed") -> dict[str, object]:
    return {
        "type": f"sap.s4.beh.purchaseorder.v1.PurchaseOrder.{kind}.v1",
        "specversion": "1.0",
        "source": "/default/sap.s4.beh/730431274",
        "id": event_id,
        "time": "2026-12-01T10:00:00Z",
        "datacontenttype": "application/json",
        "data": {"PurchaseOrder": po},
    }


def test_the_real_business_partner_events_are_understood(
    gateway: FakeGateway, store: Store, ledger: SqliteEventLedger
) -> None:
    events = json.loads((SPECS / "s4hc_business_partner_events.json").read_text())
    changed = events[0]  # BusinessPartner 1000746 is supplier 17300004 (numbers differ)
    result = handle_event(changed, adapter_for(gateway, store=store), ledger)
    assert result.status == "processed"
    assert result.outcome is not None and result.outcome.sap_id == "17300004"


def test_a_po_event_re_reads_screens_blocks_and_records(
    gateway: FakeGateway, store: Store, ledger: SqliteEventLedger
) -> None:
    result = handle_event(_po_event("4500000002"), adapter_for(gateway, store=store), ledger)
    assert result.status == "processed"
    assert result.outcome is not None and result.outcome.decision.action.value == "block"
    assert any(
        r.path.endswith("A_PurchaseOrder(PurchaseOrder='4500000002')") for r in gateway.requests
    )
    assert gateway.row("A_Supplier", Supplier="17300001")["PurchasingIsBlocked"] is True
    assert any(e.record_id == "4500000002" for e in store.entries())


def test_the_same_event_twice_is_processed_once(
    gateway: FakeGateway, store: Store, ledger: SqliteEventLedger
) -> None:
    adapter = adapter_for(gateway, store=store)
    handle_event(_po_event("4500000002"), adapter, ledger)
    recorded = len(list(store.entries()))
    reads = len(gateway.requests)
    again = handle_event(_po_event("4500000002"), adapter, ledger)
    assert again.status == "duplicate"
    assert len(list(store.entries())) == recorded
    assert len(gateway.requests) == reads


def test_the_same_id_from_another_source_is_another_event(
    gateway: FakeGateway, store: Store, ledger: SqliteEventLedger
) -> None:
    adapter = adapter_for(gateway, store=store)
    handle_event(_po_event("4500000001"), adapter, ledger)
    other = {**_po_event("4500000001"), "source": "/default/sap.s4.beh/999"}
    assert handle_event(other, adapter, ledger).status == "processed"


def test_a_failed_event_can_be_delivered_again(
    gateway: FakeGateway, store: Store, ledger: SqliteEventLedger
) -> None:
    adapter = adapter_for(gateway, store=store)
    gateway.inject("GET", "/A_PurchaseOrder", 503, sap_error_body("X", "down"), times=3)
    assert handle_event(_po_event("4500000001"), adapter, ledger).status == "failed"
    assert handle_event(_po_event("4500000001"), adapter, ledger).status == "processed"


def test_a_business_partner_that_is_no_supplier_is_ignored(
    gateway: FakeGateway, store: Store, ledger: SqliteEventLedger
) -> None:
    event = {
        **_po_event(""),
        "type": "sap.s4.beh.businesspartner.v1.BusinessPartner.Created.v1",
        "data": {"BusinessPartner": "9000001"},
    }
    assert handle_event(event, adapter_for(gateway, store=store), ledger).status == "ignored"


def test_other_event_types_are_ignored(gateway: FakeGateway, ledger: SqliteEventLedger) -> None:
    event = {
        **_po_event("4500000001"),
        "type": "sap.s4.beh.purchaseorder.v1.PurchaseOrder.Approved.v1",
    }
    assert handle_event(event, adapter_for(gateway, dry_run=True), ledger).status == "ignored"
    assert gateway.requests == []


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"specversion": "0.3"}, "specversion"),
        ({"id": ""}, "id"),
        ({"data": {}}, "data.PurchaseOrder"),
        ({"data": {"PurchaseOrder": "45000000011"}}, "data.PurchaseOrder"),
    ],
)
def test_malformed_events_name_the_field(
    gateway: FakeGateway, ledger: SqliteEventLedger, change: dict[str, object], path: str
) -> None:
    with pytest.raises(InputError) as caught:
        handle_event(
            {**_po_event("4500000001"), **change}, adapter_for(gateway, dry_run=True), ledger
        )
    assert caught.value.path == path


# ------------------------------------------------------------------ the HTTP route, framework-free


def test_webhook_handshake_allows_the_requesting_origin(
    gateway: FakeGateway, ledger: SqliteEventLedger
) -> None:
    adapter = adapter_for(gateway, dry_run=True)
    answer = events_route(
        "OPTIONS",
        {"WebHook-Request-Origin": "eventmesh.eu10.hana.ondemand.com"},
        b"",
        adapter,
        ledger,
    )
    assert answer.status == 200
    assert answer.headers["WebHook-Allowed-Origin"] == "eventmesh.eu10.hana.ondemand.com"
    refused = events_route(
        "OPTIONS",
        {"WebHook-Request-Origin": "evil.example"},
        b"",
        adapter,
        ledger,
        allowed_origins=["eventmesh.eu10.hana.ondemand.com"],
    )
    assert refused.status == 403


def test_binary_mode_event_is_read_from_ce_headers(
    gateway: FakeGateway, store: Store, ledger: SqliteEventLedger
) -> None:
    headers = {
        "ce-specversion": "1.0",
        "ce-id": "bin-1",
        "ce-source": "/default/sap.s4.beh/730431274",
        "ce-type": "sap.s4.beh.purchaseorder.v1.PurchaseOrder.Created.v1",
        "Content-Type": "application/json",
    }
    answer = events_route(
        "POST",
        headers,
        b'{"PurchaseOrder": "4500000001"}',
        adapter_for(gateway, store=store),
        ledger,
    )
    assert answer.status == 200 and answer.body is not None
    assert answer.body["status"] == "processed"


def test_route_answers_503_when_sap_is_down_so_event_mesh_retries(
    gateway: FakeGateway, store: Store, ledger: SqliteEventLedger
) -> None:
    gateway.inject("GET", "/A_PurchaseOrder", 503, sap_error_body("X", "down"), times=3)
    body = json.dumps(_po_event("4500000001")).encode()
    answer = events_route(
        "POST",
        {"Content-Type": "application/cloudevents+json"},
        body,
        adapter_for(gateway, store=store),
        ledger,
    )
    assert answer.status == 503


def test_route_answers_400_to_a_malformed_event(
    gateway: FakeGateway, ledger: SqliteEventLedger
) -> None:
    answer = events_route(
        "POST",
        {"Content-Type": "application/cloudevents+json"},
        b"{not json",
        adapter_for(gateway, dry_run=True),
        ledger,
    )
    assert answer.status == 400


def test_an_order_sap_no_longer_has_is_acknowledged_not_retried(
    gateway: FakeGateway, store: Store, ledger: SqliteEventLedger
) -> None:
    result = handle_event(_po_event("4599999999"), adapter_for(gateway, store=store), ledger)
    assert result.status == "ignored" and "not found" in result.detail


def test_a_claim_left_running_by_a_dead_process_is_taken_over(tmp_path: Path) -> None:
    now = [dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)]
    ledger = SqliteEventLedger(tmp_path / "ledger.db", clock=lambda: now[0])
    assert ledger.claim("src", "e-9") == "new"
    now[0] += dt.timedelta(minutes=5)
    assert ledger.claim("src", "e-9") == "running"  # another delivery while it works
    now[0] += dt.timedelta(minutes=20)
    assert ledger.claim("src", "e-9") == "new"  # the first worker died: take it over
    ledger.finish("src", "e-9", "processed")
    now[0] += dt.timedelta(days=2)
    assert ledger.claim("src", "e-9") == "done"  # a finished event is never redone
    ledger.close()


def test_a_dry_run_does_not_use_up_the_event(
    gateway: FakeGateway, store: Store, ledger: SqliteEventLedger
) -> None:
    rehearsal = handle_event(
        _po_event("4500000002"), adapter_for(gateway, store=store, dry_run=True), ledger
    )
    assert rehearsal.status == "processed" and gateway.writes() == []
    real = handle_event(_po_event("4500000002"), adapter_for(gateway, store=store), ledger)
    assert real.status == "processed"
    assert gateway.row("A_Supplier", Supplier="17300001")["PurchasingIsBlocked"] is True
