"""The decision endpoints answer what the library answers, the batch streams in order, and the
lists and metrics endpoints describe the running service."""

from __future__ import annotations

import json

from forced_labour_guard import Guard, PurchaseOrder, Supplier
from forced_labour_guard.denied_entry import load_denied_entry
from tests.service.conftest import EXAMPLES
from tests.service.service_helpers import ServiceProcess


def example(name: str) -> bytes:
    return (EXAMPLES / name).read_bytes()


def test_a_purchase_order_gets_the_decision_the_library_gives(service: ServiceProcess) -> None:
    guard = Guard.default(denied_entry=load_denied_entry(EXAMPLES / "denied_entry.csv"))
    for name in ("po_a1_supplier_in_region.json", "po_clean.json", "po_c2_denied_entry.json"):
        expected = guard.check_purchase_order(PurchaseOrder.model_validate_json(example(name)))
        answer = service.post("/v1/purchase-orders/check", data=example(name))
        assert answer.status_code == 200, name
        body = answer.json()
        assert body["action"] == expected.action.value, name
        assert [f["code"] for f in body["findings"]] == [f.code.value for f in expected.findings]
        assert body["reasons"] == expected.reasons


def test_a_supplier_in_the_region_is_blocked(service: ServiceProcess) -> None:
    answer = service.post("/v1/suppliers/screen", data=example("supplier_in_region.json"))
    assert answer.status_code == 200
    assert answer.json()["action"] == "block"


def test_a_clean_supplier_is_allowed_and_says_what_it_was_checked_against(
    service: ServiceProcess,
) -> None:
    answer = service.post("/v1/suppliers/screen", data=example("supplier_clean.json")).json()
    assert answer["action"] == "allow"
    assert answer["list_versions"][0]["name"] == "UFLPA Entity List"
    assert any("incomplete" in warning for warning in answer["warnings"])


def test_the_batch_streams_one_line_per_record_in_order_and_keeps_going_past_a_bad_one(
    service: ServiceProcess,
) -> None:
    region = json.loads(example("supplier_in_region.json"))
    clean = json.loads(example("supplier_clean.json"))
    lines = [
        json.dumps(clean),
        '{"name": "Broken", "country": "Germany"}',
        "",
        json.dumps(region),
        "{not json",
        json.dumps(clean),
    ]
    answer = service.post("/v1/suppliers/screen-batch", data="\n".join(lines).encode(), stream=True)
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/x-ndjson")
    out = [json.loads(line) for line in answer.iter_lines() if line]
    assert [o["source"] for o in out] == [
        "body line 1",
        "body line 2",
        "body line 4",
        "body line 5",
        "body line 6",
    ]
    assert [o["action"] for o in out] == ["allow", None, "block", None, "allow"]
    assert out[1]["error"].startswith("body line 2: country: 'Germany' is not an ISO 3166-1")
    assert "not valid JSON" in out[3]["error"]


def test_an_empty_batch_answers_no_lines(service: ServiceProcess) -> None:
    answer = service.post("/v1/suppliers/screen-batch", data=b"")
    assert answer.status_code == 200
    assert answer.text == ""


def test_the_batch_answers_as_screen_suppliers_does(service: ServiceProcess) -> None:
    data = example("suppliers.jsonl")
    guard = Guard.default()
    expected = [
        guard.screen_supplier(Supplier.model_validate_json(line)).action.value
        for line in data.splitlines()
        if line.strip()
    ]
    answer = service.post("/v1/suppliers/screen-batch", data=data)
    assert [json.loads(line)["action"] for line in answer.text.splitlines()] == expected


def test_lists_reports_the_bundled_snapshot_as_partial_with_its_date(
    service: ServiceProcess,
) -> None:
    report = service.get("/v1/lists").json()
    uflpa = report["lists"][0]
    assert uflpa["name"] == "UFLPA Entity List"
    assert uflpa["complete"] is False
    assert uflpa["as_of"] == "2026-08-03"
    assert isinstance(uflpa["stale"], bool)
    assert report["problems"] == []


def test_metrics_count_decisions_by_action_and_findings_by_code(service: ServiceProcess) -> None:
    service.post("/v1/purchase-orders/check", data=example("po_a1_supplier_in_region.json"))
    service.post("/v1/purchase-orders/check", data=b"{}", token=None)
    text = service.get("/metrics").text
    assert 'flg_decisions_total{action="block",endpoint="purchase-orders/check"}' in text
    assert 'flg_findings_total{code="A1"}' in text
    assert 'flg_errors_total{kind="unauthorized"}' in text
    assert (
        'flg_request_duration_seconds_bucket{le="0.02",route="/v1/purchase-orders/check"}' in text
    )


def test_paths_no_route_answers_share_one_latency_label(service: ServiceProcess) -> None:
    service.get("/v1/scanner-probe-4f1c")
    service.get("/wp-admin/setup.php")
    text = service.get("/metrics").text
    assert 'route="other"' in text
    assert "scanner-probe" not in text and "wp-admin" not in text
