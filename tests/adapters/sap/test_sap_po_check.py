"""The service side of the BAdI contract: POST /v1/sap/purchase-orders/check answers the ABAP
class with an action and BAPIRET2-style messages, and never lets an error read as "save"."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from forced_labour_guard.adapters.sap.check import is_sap_request
from forced_labour_guard.adapters.sap.routes import check_route
from forced_labour_guard.store import open_store
from tests.adapters.sap.conftest import adapter_for
from tests.adapters.sap.gateway import FakeGateway, sap_error_body


def _request(supplier: str, *items: dict[str, Any]) -> bytes:
    return json.dumps({"purchase_order": "", "supplier": supplier, "items": list(items)}).encode()


LINEN = {
    "item": "00010",
    "material": "LINEN-FABRIC-01",
    "text": "Linen fabric",
    "quantity": "10.000",
    "net_price": "8.50",
    "price_unit": "1",
    "currency": "EUR",
    "plant": "1010",
}
YARN = {**LINEN, "item": "00020", "material": "COTTON-YARN-01", "text": "Cotton yarn"}


def _check(gateway: FakeGateway, body: bytes, **options: Any) -> tuple[int, dict[str, Any]]:
    answer = check_route(
        "POST",
        {"Content-Type": "application/json"},
        body,
        adapter_for(gateway, dry_run=True, **options),
    )
    assert answer.body is not None
    return answer.status, answer.body


def _assert_bapiret2(message: dict[str, str]) -> None:
    assert message["type"] in {"E", "W", "I"}
    assert message["id"] == "ZFLG" and len(message["number"]) == 3 and message["number"].isdigit()
    assert len(message["message"]) <= 220
    assert all(len(message[f"message_v{i}"]) <= 50 for i in range(1, 5))


def test_a_clean_order_is_allowed_with_one_information_message(gateway: FakeGateway) -> None:
    status, body = _check(gateway, _request("17300003", LINEN))
    assert (status, body["action"]) == (200, "allow")
    types = [(m["type"], m["number"]) for m in body["messages"]]
    assert types[0] == ("I", "000") and set(types[1:]) <= {("W", "900")}  # caveats: list's age
    for message in body["messages"]:
        _assert_bapiret2(message)


def test_a_supplier_in_the_region_gets_an_error_message_that_stops_the_save(
    gateway: FakeGateway,
) -> None:
    status, body = _check(gateway, _request("17300001", LINEN))
    assert (status, body["action"]) == (200, "block")
    errors = [m for m in body["messages"] if m["type"] == "E"]
    assert [m["number"] for m in errors] == ["001"]  # A1
    for message in body["messages"]:
        _assert_bapiret2(message)
    first = errors[0]
    pieces = [first[f"message_v{i}"] for i in range(1, 5)]
    assert first["message"].startswith("".join(pieces))  # "&1&2&3&4" rebuilds the text
    assert not any(piece.endswith(" ") for piece in pieces)  # SAP would drop trailing spaces
    assert body["decision"]["action"] == "block"


def test_inputs_from_the_region_are_screened_in_the_unsaved_order(gateway: FakeGateway) -> None:
    _status, body = _check(gateway, _request("17300003", LINEN, YARN))
    assert "A4" in {f["code"] for f in body["decision"]["findings"]}
    assert body["action"] in {"warn", "block"}


def test_sap_down_is_a_block_not_an_allow(gateway: FakeGateway) -> None:
    gateway.inject("GET", "/A_Supplier", 503, sap_error_body("X", "down"), times=9)
    status, body = _check(gateway, _request("17300003", LINEN))
    assert (status, body["action"]) == (200, "block")
    assert (body["messages"][0]["type"], body["messages"][0]["number"]) == ("E", "090")


def test_a_malformed_request_is_400_naming_the_field(gateway: FakeGateway) -> None:
    status, body = _check(gateway, json.dumps({"items": []}).encode())
    assert status == 400 and "supplier" in body["error"]
    status, body = _check(gateway, _request("17300003", {**LINEN, "quantity": "ten"}))
    assert status == 400 and "items" in body["error"]


def test_an_internal_error_answers_block(
    gateway: FakeGateway, monkeypatch: pytest.MonkeyPatch
) -> None:
    adapter = adapter_for(gateway, dry_run=True)

    def broken(order: object) -> object:
        raise RuntimeError("disk full")

    monkeypatch.setattr(adapter, "screen_order", broken)
    answer = check_route("POST", {}, _request("17300003", LINEN), adapter)
    assert answer.status == 200 and answer.body is not None
    assert answer.body["action"] == "block"
    assert "disk full" in answer.body["messages"][0]["message"]


def test_the_check_is_recorded_but_writes_nothing_to_sap(
    gateway: FakeGateway, tmp_path: Path
) -> None:
    with open_store(tmp_path / "audit.db") as store:
        adapter = adapter_for(gateway, store=store)
        check_route("POST", {}, _request("17300001", LINEN), adapter)
        assert [e.action.value for e in store.entries() if e.action] == ["block"]
    assert gateway.writes() == []


def test_sap_key_requests_are_told_apart_from_canonical_orders() -> None:
    assert is_sap_request(json.loads(_request("17300003", LINEN)))
    assert not is_sap_request({"id": "PO-1", "supplier": {"name": "Linho do Norte Lda"}})
    assert not is_sap_request([])
