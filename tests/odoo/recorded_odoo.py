"""A local Odoo 19 stand-in on 127.0.0.1 that answers with recorded payloads.

A request identical (path and JSON body) to one recorded from the real server gets the recorded
answer, status and all. Any other call is answered from tables built from the recorded records
(vendors, contact, orders, lines, products, states, countries, xml ids), in the same shapes and
with the same rules the recordings show: a bearer key is required (401 otherwise), an unknown
model is a 404, an unknown field a 500 ``ValueError``, a missing id is silently left out of
``read``, ``message_post`` wraps escaped text in ``<p>``. Models without a recorded ``fields_get``
(products, countries) get one listing the fields of their recorded rows.
"""

from __future__ import annotations

import copy
import html
import itertools
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data" / "odoo19"
API_KEY = "<api-key>"
DATABASE = "<database>"


def exchange(prefix: str) -> dict[str, Any]:
    """The recorded exchange whose file name starts with ``prefix`` (e.g. ``"21_"``)."""
    (path,) = DATA.glob(f"{prefix}*.json")
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


def response_of(prefix: str) -> Any:
    return copy.deepcopy(exchange(prefix)["response"]["json"])


def _key(path: str, body: Any) -> str:
    return f"{path} {json.dumps(body, sort_keys=True, ensure_ascii=False)}"


def _error(name: str, message: str, status: int) -> tuple[int, Any]:
    return status, {
        "name": name,
        "message": message,
        "arguments": [message, status] if name.startswith("werkzeug") else [message],
        "context": {},
        "debug": f"{name}: {message}\n",
    }


def _tables() -> dict[str, dict[int, dict[str, Any]]]:
    partners = {row["id"]: row for row in response_of("21_")}
    partners.update({row["id"]: row for row in response_of("22_")})
    orders = {row["id"]: row for row in response_of("26_")}
    lines = {row["id"]: row for row in response_of("27_")}
    products = {row["id"]: row for row in response_of("28_")}
    states = {row["id"]: row for row in response_of("02_")}
    for partner in partners.values():
        state = partner.get("state_id")
        if state and state[0] not in states:
            name = state[1].rsplit(" (", 1)[0]
            states[state[0]] = {"id": state[0], "name": name, "country_id": partner["country_id"]}
    xml = [dict(row, module="base") for row in response_of("04_")]
    xml += response_of("01_")
    countries = {
        row["res_id"]: {"id": row["res_id"], "code": row["name"].upper()}
        for row in xml
        if row["model"] == "res.country"
    }
    return {
        "res.partner": partners,
        "purchase.order": orders,
        "purchase.order.line": lines,
        "product.product": products,
        "res.country.state": states,
        "res.country": countries,
        "ir.model.data": {row["id"]: row for row in xml},
        "mail.message": {},
        "mail.activity": {},
    }


def _matches(record: dict[str, Any], domain: list[Any]) -> bool:
    for name, operator, value in domain:
        actual = record.get(name, False)
        if isinstance(actual, list) and len(actual) == 2 and isinstance(actual[1], str):
            actual = actual[0]  # many2one compares by id
        if operator == "=" and actual != value:
            return False
        if operator == "!=" and actual == value:
            return False
        if operator == "in" and actual not in value:
            return False
        if operator == ">" and not (actual or 0) > value:
            return False
        if operator == "ilike" and str(value).lower() not in str(actual or "").lower():
            return False
    return True


@dataclass
class RecordedOdoo:
    """The state behind the server: tables, recorded answers, and what clients did."""

    tables: dict[str, dict[int, dict[str, Any]]] = field(default_factory=_tables)
    fields: dict[str, dict[str, Any]] = field(default_factory=dict)
    recorded: dict[str, tuple[int, Any]] = field(default_factory=dict)
    requests: list[tuple[str, Any]] = field(default_factory=list)
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(1000))

    def __post_init__(self) -> None:
        self.fields = {
            "res.partner": response_of("20_"),
            "purchase.order": response_of("23_"),
            "purchase.order.line": response_of("43_"),
        }
        for path in sorted(DATA.glob("*.json")):
            recorded = json.loads(path.read_text(encoding="utf-8"))
            request = recorded["request"]
            auth = request["headers"].get("Authorization")
            if "json" not in request or path.name.startswith("8") or auth != f"bearer {API_KEY}":
                continue
            response = recorded["response"]
            self.recorded[_key(request["path"], request["json"])] = (
                response["status"],
                response["json"],
            )

    def fields_of(self, model: str) -> dict[str, Any]:
        if model not in self.fields:
            names = {name for row in self.tables[model].values() for name in row}
            self.fields[model] = {name: {"string": name, "type": "char"} for name in names}
        return self.fields[model]

    def answer(self, path: str, body: Any, authorization: str | None) -> tuple[int, Any]:
        self.requests.append((path, body))
        if path == "/json/version":
            return 200, response_of("00_")
        if authorization != f"bearer {API_KEY}":
            return _error("werkzeug.exceptions.Unauthorized", "Invalid apikey", 401)
        recorded = self.recorded.get(_key(path, body))
        if recorded is not None and not path.endswith("/fields_get"):  # a test may add fields
            return recorded[0], copy.deepcopy(recorded[1])
        _, _, model, method = path.split("/", 4)[1:]
        return self.call(model, method, dict(body))

    def call(self, model: str, method: str, body: dict[str, Any]) -> tuple[int, Any]:
        if model not in self.tables:
            return _error(
                "werkzeug.exceptions.NotFound", f"the model '{model}' does not exist", 404
            )
        table = self.tables[model]
        if method == "fields_get":
            return 200, self.fields_of(model)
        if method in ("search_read", "read"):
            known = (
                self.fields_of(model) if model not in ("mail.message", "mail.activity") else None
            )
            wanted = body.get("fields") or []
            for name in wanted:
                if known is not None and name not in known:
                    return _error(
                        "builtins.ValueError", f"Invalid field '{name}' on '{model}'", 500
                    )
            if method == "read":
                rows = [table[i] for i in body["ids"] if i in table]
            else:
                rows = [row for _, row in sorted(table.items()) if _matches(row, body["domain"])]
                if body.get("order") == "id desc":
                    rows.reverse()
                offset = body.get("offset", 0)
                limit = body.get("limit")
                rows = rows[offset : offset + limit if limit else None]
            return 200, [{"id": r["id"], **{n: r.get(n, False) for n in wanted}} for r in rows]
        if method == "search_count":
            return 200, sum(1 for row in table.values() if _matches(row, body["domain"]))
        if method == "message_post":
            (res_id,) = body["ids"]
            new = next(self._ids)
            self.tables["mail.message"][new] = {
                "id": new,
                "model": model,
                "res_id": res_id,
                "body": f"<p>{html.escape(body['body'])}</p>",
                "subtype_xmlid": body.get("subtype_xmlid"),
            }
            return 200, [new]
        if method == "activity_schedule":
            (res_id,) = body["ids"]
            new = next(self._ids)
            self.tables["mail.activity"][new] = {
                "id": new,
                "res_model": model,
                "res_id": res_id,
                **body,
            }
            return 200, [new]
        return _error(
            "werkzeug.exceptions.NotFound",
            f"the method '{method}' does not exist on the model '{model}'",
            404,
        )


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def _send(self, status: int, payload: Any) -> None:
        data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        if status == 401:
            self.send_header("WWW-Authenticate", "Bearer")
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        self._send(*self.server.odoo.answer(self.path, None, None))

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        try:
            body = json.loads(raw or b"null")
        except ValueError:
            self._send(
                *_error("werkzeug.exceptions.BadRequest", "could not parse the body as json", 400)
            )
            return
        self.server.headers_seen.append(dict(self.headers))
        self._send(*self.server.odoo.answer(self.path, body, self.headers.get("Authorization")))

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the test output is for the tests."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, odoo: RecordedOdoo) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.odoo = odoo
        self.headers_seen: list[dict[str, str]] = []


@dataclass
class RunningOdoo:
    url: str
    odoo: RecordedOdoo
    server: _Server

    @property
    def headers_seen(self) -> list[dict[str, str]]:
        return self.server.headers_seen


def start(odoo: RecordedOdoo | None = None) -> RunningOdoo:
    """Serve ``odoo`` on a free loopback port in a background thread; ``stop`` it afterwards."""
    server = _Server(odoo or RecordedOdoo())
    threading.Thread(target=server.serve_forever, daemon=True).start()
    host, port = server.server_address[:2]
    return RunningOdoo(f"http://{host!s}:{port}", server.odoo, server)


def stop(running: RunningOdoo) -> None:
    running.server.shutdown()
    running.server.server_close()
