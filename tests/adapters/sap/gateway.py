"""A fake SAP Gateway on 127.0.0.1 for tests and ``examples/sap``: the real ``$metadata``, and the
behaviour the adapter must cope with.

It serves ``/sap/opu/odata/sap/<SERVICE>/`` for the two shipped EDMX files and answers like SAP
Gateway: JSON only with ``Accept: application/json`` (Atom XML otherwise), ``$select``/``$expand``/
``$filter``/``$top`` checked against the EDMX (an unknown name is a 400 with an SAP error body),
server paging with absolute ``__next`` links, CSRF tokens tied to a session cookie that can be made
to expire, ETags per entity set when switched on (428 without ``If-Match``, 412 when stale), basic
and OAuth2 bearer logon (401 with an HTML page), ``sap-message`` headers, and injected failures.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

from tests.adapters.sap.edmx import EntitySetInfo, metadata_xml, service

ROOT = "/sap/opu/odata/sap/"
SERVICES = ("API_BUSINESS_PARTNER", "API_PURCHASEORDER_PROCESS_SRV")
SID = "FLG"


class GatewayError(Exception):
    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.headers = headers or {}


def sap_error_body(
    code: str, message: str, details: list[dict[str, str]] | None = None
) -> dict[str, Any]:
    """An error body shaped like SAP Gateway's."""
    return {
        "error": {
            "code": code,
            "message": {"lang": "en", "value": message},
            "innererror": {
                "application": {"component_id": "MM-PUR", "service_namespace": "/SAP/"},
                "transactionid": "F1A2B3C4D5E6F7A8B9C0D1E2F3A4B5C6",
                "timestamp": "20261201120000.0000000",
                "errordetails": details
                or [
                    {
                        "code": code,
                        "message": message,
                        "propertyref": "",
                        "severity": "error",
                        "target": "",
                    }
                ],
            },
        }
    }


@dataclass
class Injected:
    method: str
    path_part: str
    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    times: int = 1
    action: str = ""  # "drop": close the connection without answering (after applying a write)


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: Any


class FakeGateway:
    """State of the fake system; ``start()`` serves it until ``stop()``."""

    def __init__(
        self,
        data: dict[str, list[dict[str, Any]]] | None = None,
        *,
        page_size: int = 2,
        users: dict[str, str] | None = None,
        sap_client: str | None = "100",
    ) -> None:
        self.data: dict[str, list[dict[str, Any]]] = data or {}
        self.page_size = page_size
        self.users = users or {}
        self.sap_client = sap_client
        self.client_credentials: dict[str, str] = {}
        self.bearer_tokens: set[str] = set()
        self.etag_sets: set[str] = set()
        self.versions: dict[tuple[str, str], int] = {}
        self.tokens: dict[str, str] = {}  # token -> session id
        self.write_message: dict[str, Any] | None = None
        self.read_message: dict[str, Any] | None = None
        self.injected: list[Injected] = []
        self.requests: list[Recorded] = []
        self.lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    # -------------------------------------------------------------- control from tests

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def inject(self, method: str, path_part: str, status: int, body: Any = None, **kw: Any) -> None:
        self.injected.append(Injected(method, path_part, status, body, **kw))

    def expire_tokens(self) -> None:
        with self.lock:
            self.tokens.clear()

    def bump(self, entity_set: str, key: str) -> None:
        """Someone else changed the entity: its ETag moves on."""
        with self.lock:
            self.versions[(entity_set, key)] = self.versions.get((entity_set, key), 1) + 1

    def writes(self) -> list[Recorded]:
        return [r for r in self.requests if r.method in ("PATCH", "MERGE", "PUT", "POST", "DELETE")]

    def row(self, entity_set: str, **key: str) -> dict[str, Any]:
        return next(r for r in self.data[entity_set] if all(r.get(k) == v for k, v in key.items()))

    # -------------------------------------------------------------- serving

    def start(self) -> FakeGateway:
        gateway = self

        class Handler(_Handler):
            fake = gateway

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @contextmanager
    def running(self) -> Iterator[FakeGateway]:
        self.start()
        try:
            yield self
        finally:
            self.stop()

    # -------------------------------------------------------------- the service logic

    def etag(self, entity_set: str, key: str) -> str | None:
        if entity_set not in self.etag_sets:
            return None
        return f"W/\"datetimeoffset'2026-12-01T00%3A00%3A{self.versions.get((entity_set, key), 1):02d}Z'\""


class _Handler(BaseHTTPRequestHandler):
    fake: FakeGateway
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # answers as one segment: no delayed-ACK stalls on loopback

    def log_message(self, format: str, *args: Any) -> None:
        pass

    # every verb goes through one place
    def do_GET(self) -> None:
        self._handle()

    def do_HEAD(self) -> None:
        self._handle()

    def do_PATCH(self) -> None:
        self._handle()

    def do_MERGE(self) -> None:
        self._handle()

    def do_PUT(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def _handle(self) -> None:
        fake = self.fake
        parts = urlsplit(self.path)
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        body: Any = None
        if raw:
            try:
                body = json.loads(raw)
            except ValueError:
                body = raw.decode("utf-8", "replace")
        path = unquote(parts.path)
        fake.requests.append(Recorded(self.command, path, query, dict(self.headers.items()), body))
        try:
            if path == "/oauth/token":
                return self._token_endpoint(raw)
            self._authenticate()
            for injected in list(fake.injected):
                if injected.method == self.command and injected.path_part in path:
                    injected.times -= 1
                    if injected.times <= 0:
                        fake.injected.remove(injected)
                    if injected.action == "drop":
                        self._silent = True
                        self._route(path, query, body)  # the write is applied, the answer lost
                        self.close_connection = True
                        self.connection.shutdown(2)
                        return None
                    return self._send(injected.status, injected.body, injected.headers)
            self._route(path, query, body)
        except GatewayError as error:
            self._send(error.status, sap_error_body(error.code, error.message), error.headers)
        except _Answered:
            pass

    def _token_endpoint(self, raw: bytes) -> None:
        user, secret = _basic(self.headers.get("Authorization", ""))
        form = dict(parse_qsl(raw.decode()))
        if (
            form.get("grant_type") != "client_credentials"
            or self.fake.client_credentials.get(user) != secret
        ):
            return self._send(401, {"error": "invalid_client"})
        token = secrets.token_hex(8)
        self.fake.bearer_tokens.add(token)
        self._send(200, {"access_token": token, "token_type": "bearer", "expires_in": 3600})

    def _authenticate(self) -> None:
        fake = self.fake
        if not fake.users and not fake.client_credentials:
            return
        header = self.headers.get("Authorization", "")
        if header.startswith("Bearer ") and header[7:] in fake.bearer_tokens:
            return
        user, password = _basic(header)
        if user and fake.users.get(user) == password:
            return
        page = "<html><head><title>Logon failed</title></head><body>Anmeldung fehlgeschlagen / Logon failed</body></html>"
        self._send_raw(
            401,
            page.encode(),
            "text/html",
            {"WWW-Authenticate": 'Basic realm="SAP NetWeaver Application Server [FLG/100]"'},
        )
        raise _Answered

    # -------------------------------------------------------------- OData

    def _route(self, path: str, query: dict[str, str], body: Any) -> None:
        fake = self.fake
        if not path.startswith(ROOT):
            raise GatewayError(
                404, "/IWFND/MED/170", f"No service found for namespace '', name '{path}'"
            )
        rest = path[len(ROOT) :]
        service_name, _, resource = rest.partition("/")
        if service_name not in SERVICES:
            raise GatewayError(404, "/IWFND/MED/170", f"No service found for name '{service_name}'")
        if fake.sap_client and query.get("sap-client", fake.sap_client) != fake.sap_client:
            raise GatewayError(
                401, "/IWFND/CM_CONSUMER/101", f"client {query.get('sap-client')} unknown"
            )
        sets = service(service_name)
        if self.headers.get("X-CSRF-Token", "").lower() == "fetch" and self.command in (
            "GET",
            "HEAD",
        ):
            return self._issue_token(resource)
        if resource in ("", "/"):
            return self._send(200, {"d": {"EntitySets": sorted(sets)}})
        if resource == "$metadata":
            return self._send_raw(200, metadata_xml(service_name), "application/xml")
        match = re.fullmatch(r"([A-Za-z_]\w*)(?:\((.*)\))?((?:/\w+)?)", resource)
        if not match:
            raise GatewayError(
                400, "/IWBEP/CM_MGW_RT/020", f"Resource not found for segment '{resource}'"
            )
        set_name, key_text, nav = match.group(1), match.group(2), match.group(3).lstrip("/")
        if set_name not in sets:
            raise GatewayError(
                404, "/IWBEP/CM_MGW_RT/021", f"Resource not found for segment '{set_name}'"
            )
        info = sets[set_name]
        if self.command in ("PATCH", "MERGE", "PUT"):
            return self._update(service_name, info, key_text, body)
        if self.command not in ("GET", "HEAD"):
            raise GatewayError(405, "/IWBEP/CM_MGW_RT/000", "Method not allowed")
        if "json" not in self.headers.get("Accept", "") and query.get("$format") != "json":
            atom = (
                b'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"/>'
            )
            return self._send_raw(200, atom, "application/atom+xml;type=feed")
        if key_text is not None:
            row = self._find(info, key_text)
            if nav:
                target = sets[self._nav_target(info, nav)]
                rows = self._navigate(sets, info, row, nav)
                return self._collection(service_name, sets, target, rows, query, path)
            entity = self._shape(service_name, sets, info, row, query)
            etag = fake.etag(info.name, _key_string(info, row))
            return self._send(200, {"d": entity}, {"ETag": etag} if etag else {})
        return self._collection(service_name, sets, info, fake.data.get(set_name, []), query, path)

    def _issue_token(self, resource: str) -> None:
        session = self._cookie(f"SAP_SESSIONID_{SID}_100") or secrets.token_hex(8)
        token = secrets.token_urlsafe(16)
        with self.fake.lock:
            self.fake.tokens[token] = session
        headers = {
            "X-CSRF-Token": token,
            "Set-Cookie": f"SAP_SESSIONID_{SID}_100={session}; path=/; HttpOnly",
        }
        if self.command == "HEAD":
            return self._send_raw(200, b"", "application/json", headers)
        self._send(200, {"d": {"EntitySets": []}}, headers)

    def _cookie(self, name: str) -> str | None:
        for part in self.headers.get("Cookie", "").split(";"):
            key, _, value = part.strip().partition("=")
            if key == name:
                return value
        return None

    def _check_token(self) -> None:
        token = self.headers.get("X-CSRF-Token", "")
        session = self.fake.tokens.get(token)
        if session is None or session != self._cookie(f"SAP_SESSIONID_{SID}_100"):
            raise GatewayError(
                403,
                "/IWFND/CM_CSRF/000",
                "CSRF token validation failed",
                {"x-csrf-token": "Required"},
            )

    def _update(
        self, service_name: str, info: EntitySetInfo, key_text: str | None, body: Any
    ) -> None:
        fake = self.fake
        self._check_token()
        if key_text is None or not isinstance(body, dict):
            raise GatewayError(400, "/IWBEP/CM_MGW_RT/004", "Malformed update request")
        row = self._find(info, key_text)
        key = _key_string(info, row)
        current = fake.etag(info.name, key)
        if_match = self.headers.get("If-Match")
        if current is not None:
            if if_match is None:
                raise GatewayError(
                    428, "/IWBEP/CM_MGW_RT/104", "Precondition required: send If-Match"
                )
            if if_match != "*" and if_match != current:
                raise GatewayError(
                    412, "/IWBEP/CM_MGW_RT/022", "Precondition failed: the entity was changed"
                )
        for prop in body:
            if prop not in info.properties:
                raise GatewayError(400, "/IWBEP/CM_MGW_RT/020", f"Property '{prop}' is invalid")
            if prop not in info.updatable:
                raise GatewayError(400, "/IWBEP/CM_MGW_RT/023", f"Property '{prop}' is read-only")
        with fake.lock:
            row.update(body)
        if current is not None:
            fake.bump(info.name, key)
        headers = {}
        if fake.write_message:
            headers["sap-message"] = json.dumps(fake.write_message)
        etag = fake.etag(info.name, key)
        if etag:
            headers["ETag"] = etag
        self._send_raw(204, b"", "application/json", headers)

    def _find(self, info: EntitySetInfo, key_text: str) -> dict[str, Any]:
        key = _parse_key(info, key_text)
        for row in self.fake.data.get(info.name, []):
            if all(row.get(k) == v for k, v in key.items()):
                return row
        raise GatewayError(
            404, "/IWBEP/CM_MGW_RT/021", f"Resource not found for segment '{info.name}'"
        )

    def _nav_target(self, info: EntitySetInfo, nav: str) -> str:
        if nav not in info.navigations:
            raise GatewayError(400, "/IWBEP/CM_MGW_RT/022", f"Property '{nav}' is invalid")
        return info.navigations[nav]

    def _navigate(
        self, sets: dict[str, EntitySetInfo], info: EntitySetInfo, row: dict[str, Any], nav: str
    ) -> list[dict[str, Any]]:
        target = sets[self._nav_target(info, nav)]
        common = [k for k in target.keys if k in info.properties]
        return [
            r
            for r in self.fake.data.get(target.name, [])
            if all(r.get(k) == row.get(k) for k in common)
        ]

    def _collection(
        self,
        service_name: str,
        sets: dict[str, EntitySetInfo],
        info: EntitySetInfo,
        rows: list[dict[str, Any]],
        query: dict[str, str],
        path: str,
    ) -> None:
        fake = self.fake
        if "$filter" in query:
            predicate = _FilterParser(query["$filter"], info).parse()
            rows = [r for r in rows if predicate(r)]
        if "$top" in query:
            rows = rows[: int(query["$top"])]
        skip = int(query.get("$skiptoken", "0"))
        page = rows[skip : skip + fake.page_size]
        results = [self._shape(service_name, sets, info, r, query) for r in page]
        body: dict[str, Any] = {"results": results}
        if skip + fake.page_size < len(rows):
            next_query = {k: v for k, v in query.items() if k != "$skiptoken"}
            next_query["$skiptoken"] = str(skip + fake.page_size)
            body["__next"] = f"{fake.url}{path}?{urlencode(next_query)}"
        headers = {}
        if fake.read_message:
            headers["sap-message"] = json.dumps(fake.read_message)
        self._send(200, {"d": body}, headers)

    def _shape(
        self,
        service_name: str,
        sets: dict[str, EntitySetInfo],
        info: EntitySetInfo,
        row: dict[str, Any],
        query: dict[str, str],
        prefix: str = "",
    ) -> dict[str, Any]:
        select = [s for s in query.get("$select", "").split(",") if s]
        expand = [e for e in query.get("$expand", "").split(",") if e]
        own_select = [
            s[len(prefix) :] for s in select if s.startswith(prefix) and "/" not in s[len(prefix) :]
        ]
        sub_select = {
            s[len(prefix) :].split("/")[0]
            for s in select
            if s.startswith(prefix) and "/" in s[len(prefix) :]
        }
        own_expand = {
            e[len(prefix) :].split("/")[0]
            for e in expand
            if e.startswith(prefix) and e[len(prefix) :]
        }
        for name in own_select:
            if name not in info.properties and name not in info.navigations and name != "*":
                raise GatewayError(400, "/IWBEP/CM_MGW_RT/022", f"Property '{name}' is invalid")
        for name in own_expand:
            self._nav_target(info, name)
        key = _key_string(info, row)
        uri = f"{self.fake.url}{ROOT}{service_name}/{info.name}({key})"
        metadata: dict[str, Any] = {"id": uri, "uri": uri, "type": info.type_name}
        etag = self.fake.etag(info.name, key)
        if etag:
            metadata["etag"] = etag
        out: dict[str, Any] = {"__metadata": metadata}
        wanted = own_select if own_select and "*" not in own_select else list(info.properties)
        for name in wanted:
            if name in info.properties:
                out[name] = row.get(name, _blank(info.properties[name]))
        for nav in info.navigations:
            selected = not select or nav in own_select or nav in sub_select or "*" in own_select
            if nav in own_expand and selected:
                target = sets[info.navigations[nav]]
                rows = self._navigate(sets, info, row, nav)
                out[nav] = {
                    "results": [
                        self._shape(service_name, sets, target, r, query, f"{prefix}{nav}/")
                        for r in rows
                    ]
                }
            elif not own_select:
                out[nav] = {"__deferred": {"uri": f"{uri}/{nav}"}}
        return out

    # -------------------------------------------------------------- wire

    def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        data = b"" if body is None else json.dumps(body).encode()
        self._send_raw(status, data, "application/json; charset=utf-8", headers or {})

    def _send_raw(
        self, status: int, data: bytes, content_type: str, headers: dict[str, str] | None = None
    ) -> None:
        if getattr(self, "_silent", False):
            return
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)


class _Answered(Exception):
    pass


def _basic(header: str) -> tuple[str, str]:
    if not header.startswith("Basic "):
        return "", ""
    user, _, password = base64.b64decode(header[6:]).decode().partition(":")
    return user, password


def _blank(edm_type: str) -> Any:
    return False if edm_type == "Edm.Boolean" else (None if edm_type != "Edm.String" else "")


def _key_string(info: EntitySetInfo, row: dict[str, Any]) -> str:
    return ",".join(f"{k}='{row.get(k)}'" for k in info.keys)


def _parse_key(info: EntitySetInfo, text: str) -> dict[str, str]:
    pairs = re.findall(r"(?:(\w+)=)?'((?:[^']|'')*)'", text)
    if len(pairs) == 1 and not pairs[0][0] and len(info.keys) == 1:
        return {info.keys[0]: pairs[0][1].replace("''", "'")}
    key = {name: value.replace("''", "'") for name, value in pairs}
    if set(key) != set(info.keys):
        raise GatewayError(400, "/IWBEP/CM_MGW_RT/003", f"Invalid key predicate '{text}'")
    return key


_TOKEN = re.compile(
    r"\s*(\(|\)|'(?:[^']|'')*'|datetime(?:offset)?'[^']*'|[A-Za-z_][\w/]*|-?\d+(?:\.\d+)?)"
)


def _date_value(value: Any) -> dt.datetime | None:
    match = re.match(r"/Date\((-?\d+)", str(value or ""))
    if not match:
        return None
    return dt.datetime(1970, 1, 1) + dt.timedelta(milliseconds=int(match.group(1)))


class _FilterParser:
    """``$filter`` with eq/ne/ge/gt/le/lt, and/or, parentheses; names checked against the EDMX."""

    def __init__(self, text: str, info: EntitySetInfo) -> None:
        self.tokens = _TOKEN.findall(text)
        if "".join(self.tokens).replace(" ", "") != text.replace(" ", ""):
            raise GatewayError(400, "/IWBEP/CM_MGW_RT/005", f"Invalid filter expression: '{text}'")
        self.info = info
        self.pos = 0

    def parse(self) -> Any:
        expression = self._or()
        if self.pos != len(self.tokens):
            raise GatewayError(400, "/IWBEP/CM_MGW_RT/005", "Invalid filter expression")
        return expression

    def _take(self) -> str:
        if self.pos >= len(self.tokens):
            raise GatewayError(400, "/IWBEP/CM_MGW_RT/005", "Invalid filter expression: incomplete")
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def _peek(self) -> str | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def _or(self) -> Any:
        left = self._and()
        while self._peek() == "or":
            self._take()
            right = self._and()
            left = (lambda a, b: lambda r: a(r) or b(r))(left, right)
        return left

    def _and(self) -> Any:
        left = self._atom()
        while self._peek() == "and":
            self._take()
            right = self._atom()
            left = (lambda a, b: lambda r: a(r) and b(r))(left, right)
        return left

    def _atom(self) -> Any:
        if self._peek() == "(":
            self._take()
            inner = self._or()
            if self._take() != ")":
                raise GatewayError(400, "/IWBEP/CM_MGW_RT/005", "Invalid filter expression: ')'")
            return inner
        prop, op, literal = self._take(), self._take(), self._take()
        if prop not in self.info.properties:
            raise GatewayError(400, "/IWBEP/CM_MGW_RT/022", f"Property '{prop}' is invalid")
        if prop in self.info.not_filterable:
            raise GatewayError(400, "/IWBEP/CM_MGW_RT/025", f"Property '{prop}' is not filterable")
        compare = {
            "eq": lambda a, b: a == b,
            "ne": lambda a, b: a != b,
            "ge": lambda a, b: a >= b,
            "gt": lambda a, b: a > b,
            "le": lambda a, b: a <= b,
            "lt": lambda a, b: a < b,
        }.get(op)
        if compare is None:
            raise GatewayError(400, "/IWBEP/CM_MGW_RT/005", f"Invalid operator '{op}'")
        if literal.startswith(("datetime'", "datetimeoffset'")):
            moment = dt.datetime.fromisoformat(literal.split("'")[1].rstrip("Z"))
            return lambda r: (v := _date_value(r.get(prop))) is not None and compare(v, moment)
        if literal.startswith("'"):
            text = literal[1:-1].replace("''", "'")
            return lambda r: compare(str(r.get(prop, "")), text)
        number = Decimal(literal)
        return lambda r: compare(Decimal(str(r.get(prop) or 0)), number)
