"""Bearer tokens, body limits, nesting, malformed input, request ids, CORS: over real HTTP."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.service.conftest import EXAMPLES
from tests.service.service_helpers import OTHER_TOKEN, ServiceProcess

PO_CHECK = "/v1/purchase-orders/check"


def example(name: str) -> bytes:
    return (EXAMPLES / name).read_bytes()


# ------------------------------------------------------------------------ authentication


def test_a_request_without_a_token_is_refused_401_without_detail(service: ServiceProcess) -> None:
    answer = service.post(PO_CHECK, data=example("po_clean.json"), token=None)
    assert answer.status_code == 401
    assert answer.headers["WWW-Authenticate"] == "Bearer"
    assert answer.json()["error"] == "unauthorized"
    assert answer.json()["field"] is None


def test_a_wrong_token_reads_exactly_like_a_missing_one(service: ServiceProcess) -> None:
    wrong = service.post(PO_CHECK, data=example("po_clean.json"), token=OTHER_TOKEN)
    missing = service.post(PO_CHECK, data=example("po_clean.json"), token=None)
    assert wrong.status_code == missing.status_code == 401
    assert {k: v for k, v in wrong.json().items() if k != "request_id"} == {
        k: v for k, v in missing.json().items() if k != "request_id"
    }


def test_another_scheme_with_the_right_token_is_refused(service: ServiceProcess) -> None:
    answer = service.post(
        PO_CHECK,
        data=example("po_clean.json"),
        token=None,
        headers={"Authorization": f"Basic {service.token}"},
    )
    assert answer.status_code == 401


def test_the_right_token_is_let_in(service: ServiceProcess) -> None:
    assert service.post(PO_CHECK, data=example("po_clean.json")).status_code == 200


def test_every_v1_route_needs_the_token(service: ServiceProcess) -> None:
    assert service.get("/v1/lists", token=None).status_code == 401
    for path in (
        "/v1/suppliers/screen",
        "/v1/suppliers/screen-batch",
        "/v1/sap/purchase-orders/check",
    ):
        assert service.post(path, data=b"{}", token=None).status_code == 401, path


def test_probes_need_no_token(service: ServiceProcess) -> None:
    assert service.get("/healthz", token=None).status_code == 200
    assert service.get("/readyz", token=None).status_code == 200
    assert service.get("/metrics", token=None).status_code == 200


# ------------------------------------------------------------------------ limits


def test_a_body_over_one_mebibyte_is_refused_413(service: ServiceProcess) -> None:
    big = b'{"supplier": {"name": "' + b"x" * (1024 * 1024) + b'"}}'
    answer = service.post(PO_CHECK, data=big)
    assert answer.status_code == 413
    assert "larger than 1048576 bytes" in answer.json()["error"]


def test_a_chunked_body_without_length_is_cut_off_at_the_limit(service: ServiceProcess) -> None:
    chunks = (b"[" * 65536 for _ in range(20))  # 1.25 MiB with no Content-Length
    answer = service.post(PO_CHECK, data=chunks)
    assert answer.status_code == 413


def test_a_deeply_nested_body_is_refused_422_as_the_cli_refuses_it(
    service: ServiceProcess,
) -> None:
    deep = b'{"supplier": {"name": "A", "x": ' + b"[" * 5000 + b"]" * 5000 + b"}}"
    answer = service.post(PO_CHECK, data=deep)
    assert answer.status_code == 422
    assert "nested more than 64 levels deep" in answer.json()["error"]


def test_malformed_json_is_refused_422_with_where_it_broke(service: ServiceProcess) -> None:
    answer = service.post(PO_CHECK, data=b'{"supplier": {"name": "A",}}')
    assert answer.status_code == 422
    assert answer.json()["error"].startswith("not valid JSON (")
    assert "line 1, column" in answer.json()["error"]


def test_a_body_that_is_not_utf8_is_refused_422(service: ServiceProcess) -> None:
    answer = service.post(PO_CHECK, data='{"supplier": {"name": "Ürümqi"}}'.encode("latin-1"))
    assert answer.status_code == 422
    assert "not UTF-8" in answer.json()["error"]


def test_a_json_array_is_refused_422_naming_what_was_expected(service: ServiceProcess) -> None:
    answer = service.post(PO_CHECK, json_body=[1, 2])
    assert answer.status_code == 422
    assert "expected a JSON object for a PurchaseOrder" in answer.json()["error"]


def test_a_schema_error_names_the_field_in_the_clis_own_words(
    service: ServiceProcess, tmp_path: Path
) -> None:
    answer = service.post(PO_CHECK, data=example("po_malformed.json"))
    cli = subprocess.run(
        [
            sys.executable,
            "-m",
            "forced_labour_guard.cli",
            "check-po",
            str(EXAMPLES / "po_malformed.json"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert answer.status_code == 422
    assert cli.returncode == 2
    body = answer.json()
    assert body["field"] == "supplier.country"
    prefix = f"flg: error: {EXAMPLES / 'po_malformed.json'}: "
    assert cli.stderr.strip() == prefix + body["error"]


def test_an_unknown_field_is_refused_naming_it(service: ServiceProcess) -> None:
    po = json.loads(example("po_clean.json"))
    po["supplier"]["adress"] = "Urumqi"
    answer = service.post(PO_CHECK, json_body=po)
    assert answer.status_code == 422
    assert answer.json()["field"] == "supplier.adress"
    assert "unknown field" in answer.json()["error"]


# ------------------------------------------------------------------------ hygiene


def test_every_answer_carries_a_request_id_that_is_in_the_log(service: ServiceProcess) -> None:
    for answer in (
        service.get("/healthz"),
        service.post(PO_CHECK, data=b"{", token=None),
        service.post(PO_CHECK, data=example("po_clean.json")),
        service.get("/no/such/path"),
    ):
        request_id = answer.headers["X-Request-ID"]
        assert len(request_id) == 32
        assert service.logged(f"request_id={request_id}")


def test_a_path_cannot_forge_a_log_line(service: ServiceProcess) -> None:
    service.get("/healthz%0A2026-01-01 INFO forged-entry")
    assert service.logged("/healthz?2026-01-01 INFO forged-entry")
    assert not any(line.startswith("2026-01-01 INFO forged") for line in service.log().splitlines())


def test_a_callers_plain_request_id_is_kept_and_a_hostile_one_replaced(
    service: ServiceProcess,
) -> None:
    kept = service.get("/healthz", headers={"X-Request-ID": "SAP-4711.PO-99"})
    assert kept.headers["X-Request-ID"] == "SAP-4711.PO-99"
    replaced = service.get("/healthz", headers={"X-Request-ID": "x\u00e9 injected=1 " + "a" * 80})
    assert replaced.headers["X-Request-ID"] != "x"
    assert "injected" not in replaced.headers["X-Request-ID"]


def test_no_cors_headers_even_when_a_browser_origin_asks(service: ServiceProcess) -> None:
    origin = {"Origin": "https://evil.example"}
    preflight = service.session.options(
        service.base + PO_CHECK,
        headers={**origin, "Access-Control-Request-Method": "POST"},
        timeout=10,
    )
    answer = service.post(PO_CHECK, data=example("po_clean.json"), headers=origin)
    for response in (preflight, answer):
        assert not any(h.lower().startswith("access-control-") for h in response.headers)


def test_an_unknown_path_answers_json_without_internals(service: ServiceProcess) -> None:
    answer = service.get("/v1/../../etc/passwd")
    assert answer.status_code in (401, 404)
    assert set(answer.json()) == {"error", "field", "request_id"}


def test_the_server_does_not_announce_itself(service: ServiceProcess) -> None:
    assert "server" not in {h.lower() for h in service.get("/healthz").headers}


def test_the_interactive_docs_are_off_and_the_openapi_document_is_served(
    service: ServiceProcess,
) -> None:
    assert service.get("/docs").status_code == 404
    document = service.get("/openapi.json").json()
    assert "/v1/purchase-orders/check" in document["paths"]
    assert "PurchaseOrder" in document["components"]["schemas"]


def test_a_number_with_thousands_of_digits_is_refused_422_not_a_server_error(
    service: ServiceProcess,
) -> None:
    body = b'{"supplier": {"name": "A"}, "lines": [{"quantity": 1' + b"0" * 5000 + b"}]}"
    answer = service.post(PO_CHECK, data=body)
    assert answer.status_code == 422
    assert "digits" in answer.json()["error"]
