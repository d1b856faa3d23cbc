"""The SAP adapter's routes in the real decision service (``flg serve`` as a child process) against
the fake SAP Gateway on 127.0.0.1: business events in, blocks set once, the BAdI's SAP-key check."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.adapters.sap.fixtures import dataset
from tests.adapters.sap.gateway import FakeGateway
from tests.service.service_helpers import ServiceProcess, clean_environment, write_token_file

EVENT = {
    "type": "sap.s4.beh.purchaseorder.v1.PurchaseOrder.Changed.v1",
    "specversion": "1.0",
    "source": "/default/sap.s4.beh/730431274",
    "id": "svc-1",
    "datacontenttype": "application/json",
    "data": {"PurchaseOrder": "4500000002"},
}


@pytest.fixture
def running(tmp_path: Path) -> Iterator[tuple[ServiceProcess, FakeGateway]]:
    gateway = FakeGateway(dataset(), users={"FLG_COMM": "s3cret"}).start()
    config = tmp_path / "sap.toml"
    config.write_text(
        f'base_url = "{gateway.url}"\nsap_client = "100"\nwebhook_origins = ["mesh.example"]\n'
        '[auth]\nkind = "basic"\nuser = "FLG_COMM"\npassword_env = "FLG_TEST_SAP_PASSWORD"\n'
        '[regions]\nscheme = "iso_letters"\n'
        '[enforcement]\ndry_run = false\npurchasing_orgs = ["1010"]\n',
        encoding="utf-8",
    )
    lists = tmp_path / "lists"
    lists.mkdir()
    env = clean_environment(
        lists,
        FLG_SAP_CONFIG=str(config),
        FLG_STORE=str(tmp_path / "audit.db"),
        FLG_TEST_SAP_PASSWORD="s3cret",
    )
    process = ServiceProcess(
        ["--token-file", str(write_token_file(tmp_path))], env, tmp_path / "service.log"
    )
    yield process, gateway
    process.stop()
    gateway.stop()


def test_webhook_handshake_through_the_service(running: tuple[ServiceProcess, FakeGateway]) -> None:
    service, _ = running
    answer = service.session.options(
        service.base + "/v1/sap/events",
        headers=service.headers(service.token, {"WebHook-Request-Origin": "mesh.example"}),
        timeout=60,
    )
    assert answer.status_code == 200
    assert answer.headers["WebHook-Allowed-Origin"] == "mesh.example"


def test_an_event_blocks_the_supplier_once(running: tuple[ServiceProcess, FakeGateway]) -> None:
    service, gateway = running
    headers = {"Content-Type": "application/cloudevents+json"}
    first = service.post("/v1/sap/events", data=json.dumps(EVENT), headers=headers)
    again = service.post("/v1/sap/events", data=json.dumps(EVENT), headers=headers)
    assert (first.status_code, first.json()["status"]) == (200, "processed"), first.text
    assert (again.status_code, again.json()["status"]) == (200, "duplicate")
    assert gateway.row("A_Supplier", Supplier="17300001")["PurchasingIsBlocked"] is True
    assert len([w for w in gateway.writes() if "A_Supplier(" in w.path]) == 1


def test_events_need_the_token(running: tuple[ServiceProcess, FakeGateway]) -> None:
    service, gateway = running
    answer = service.post("/v1/sap/events", EVENT, token=None)
    assert answer.status_code == 401
    assert gateway.requests == []


def test_the_badi_check_with_sap_keys(running: tuple[ServiceProcess, FakeGateway]) -> None:
    service, _ = running
    body = {"supplier": "17300001", "items": [{"item": "00010", "material": "LINEN-FABRIC-01"}]}
    answer = service.post("/v1/sap/purchase-orders/check", body)
    assert answer.status_code == 200, answer.text
    assert answer.json()["action"] == "block"
    first = answer.json()["messages"][0]
    assert (first["type"], first["number"]) == ("E", "001")


def test_a_canonical_order_is_still_checked_as_before(
    running: tuple[ServiceProcess, FakeGateway],
) -> None:
    service, gateway = running
    order = {"id": "PO-1", "supplier": {"name": "Linho do Norte Lda", "country": "PT"}}
    answer = service.post("/v1/sap/purchase-orders/check", order)
    assert answer.status_code == 200, answer.text
    assert answer.json()["action"] == "allow"
    assert gateway.requests == []
