"""The framework-free routes over real HTTP on 127.0.0.1: a minimal stdlib server mounts them the
way the decision service will (method, headers, raw body in; status, headers, JSON out), so header
case, binary-mode ``ce-*`` headers and the webhook handshake are exercised on the wire."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests

from forced_labour_guard.adapters.sap.adapter import SapAdapter
from forced_labour_guard.adapters.sap.events import SqliteEventLedger
from forced_labour_guard.adapters.sap.routes import (
    CHECK_PATH,
    EVENTS_PATH,
    check_route,
    events_route,
)
from forced_labour_guard.store import open_store
from tests.adapters.sap.conftest import adapter_for
from tests.adapters.sap.gateway import FakeGateway


def _serve(adapter: SapAdapter, ledger: SqliteEventLedger) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def _dispatch(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            headers = dict(self.headers.items())
            if self.path == EVENTS_PATH:
                answer = events_route(
                    self.command, headers, body, adapter, ledger, allowed_origins=["mesh.example"]
                )
            elif self.path == CHECK_PATH:
                answer = check_route(self.command, headers, body, adapter)
            else:
                self.send_error(404)
                return
            data = answer.encoded()
            self.send_response(answer.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for key, value in answer.headers.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)

        do_POST = do_OPTIONS = do_GET = _dispatch

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def service(gateway: FakeGateway, tmp_path: Path) -> Iterator[str]:
    with open_store(tmp_path / "audit.db") as store:
        ledger = SqliteEventLedger(tmp_path / "audit.db")
        server = _serve(adapter_for(gateway, store=store), ledger)
        host, port = server.server_address[:2]
        yield f"http://{host}:{port}"
        server.shutdown()
        server.server_close()
        ledger.close()


def test_webhook_handshake_over_http(service: str) -> None:
    ok = requests.options(
        service + EVENTS_PATH, headers={"WebHook-Request-Origin": "mesh.example"}, timeout=10
    )
    assert ok.status_code == 200 and ok.headers["WebHook-Allowed-Origin"] == "mesh.example"
    refused = requests.options(
        service + EVENTS_PATH, headers={"WebHook-Request-Origin": "evil.example"}, timeout=10
    )
    assert refused.status_code == 403


def test_binary_event_over_http_blocks_the_supplier_once(
    service: str, gateway: FakeGateway
) -> None:
    headers = {
        "Ce-Specversion": "1.0",
        "Ce-Id": "http-1",
        "Ce-Source": "/default/sap.s4.beh/730431274",
        "Ce-Type": "sap.s4.beh.purchaseorder.v1.PurchaseOrder.Changed.v1",
        "Content-Type": "application/json",
    }
    first = requests.post(
        service + EVENTS_PATH, data=b'{"PurchaseOrder":"4500000002"}', headers=headers, timeout=30
    )
    again = requests.post(
        service + EVENTS_PATH, data=b'{"PurchaseOrder":"4500000002"}', headers=headers, timeout=30
    )
    assert (first.status_code, first.json()["status"]) == (200, "processed")
    assert (again.status_code, again.json()["status"]) == (200, "duplicate")
    assert gateway.row("A_Supplier", Supplier="17300001")["PurchasingIsBlocked"] is True
    assert len([w for w in gateway.writes() if "A_Supplier(" in w.path]) == 1


def test_po_check_over_http(service: str) -> None:
    body = {
        "supplier": "17300001",
        "items": [{"item": "00010", "material": "LINEN-FABRIC-01", "quantity": "1"}],
    }
    answer = requests.post(
        service + CHECK_PATH,
        data=json.dumps(body),
        headers={"Content-Type": "application/json"},
        timeout=30,
    )
    assert answer.status_code == 200
    assert answer.json()["action"] == "block"
    assert answer.json()["messages"][0]["type"] == "E"
