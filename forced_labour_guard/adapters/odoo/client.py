"""A small client for Odoo's external APIs: JSON-2 (Odoo 19 and later) and JSON-RPC (Odoo 16-18).

Both speak the same thing to the rest of the adapter: ``call(model, method, ids=..., **kwargs)``
returns the method's bare return value or raises an :mod:`.errors` class keeping Odoo's message.

* **JSON-2**: ``POST /json/2/<model>/<method>`` with the keyword arguments as the JSON body, the API
  key as a bearer token and the database in ``X-Odoo-Database``.
* **JSON-RPC**: ``POST /jsonrpc`` calling ``object.execute_kw(db, uid, key, model, method, args,
  kwargs)`` after ``common.authenticate`` gave the user id (the API key stands in for the password).
  Deprecated in Odoo 19 and announced for removal in 22.

``connect`` picks one from configuration or from ``GET /json/version`` (which older servers lack).

Retries (tenacity, exponential back-off) happen only where repeating cannot do harm or mislead:
connection errors and timeouts, and 5xx answers, of *reads*. A write that timed out may have been
committed, so it is never sent twice; and a 500 naming ``ValueError``/``TypeError`` (a wrong field
or argument name) would fail the same way again, so it is reported at once.

Credentials come only from arguments or the environment (``ODOO_API_KEY``) and never appear in a
message, a log line or ``repr``.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

import requests
from tenacity import (
    RetryError,
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential,
)

from forced_labour_guard.adapters.odoo.errors import (
    DETERMINISTIC_SERVER_ERRORS,
    OdooAuthError,
    OdooConnectionError,
    OdooError,
    OdooServerError,
    error_from_body,
)
from forced_labour_guard.errors import UsageError
from forced_labour_guard.settings import (
    ODOO_API_KEY,
    ODOO_DB,
    ODOO_LOGIN,
    ODOO_PROTOCOL,
    ODOO_URL,
    Variable,
)

log = logging.getLogger(__name__)

ApiProtocol = Literal["json2", "jsonrpc"]

READ_METHODS = frozenset(
    {"search_read", "read", "search", "search_count", "fields_get", "name_search", "read_group"}
)
"""Methods that change nothing on the server, hence safe to send again after a failure."""

POSITIONAL_FIRST = ("domain", "vals_list")
"""Keyword arguments that JSON-RPC's ``execute_kw`` needs as the first positional argument of a
model-level method (``search_read(domain, ...)``, ``create(vals_list)``)."""

DEFAULT_TIMEOUT = (10.0, 120.0)
DEFAULT_ATTEMPTS = 4
DEFAULT_PAGE_SIZE = 200
USER_AGENT = "forced_labour_guard Odoo adapter"


class _Retryable(Exception):
    """A failed read worth sending again; carries the error to raise if the retries run out."""

    def __init__(self, error: OdooError) -> None:
        super().__init__(str(error))
        self.error = error


class Transport(Protocol):
    """One way of calling a model method on an Odoo server."""

    protocol: ApiProtocol

    def call(self, model: str, method: str, ids: Sequence[int] | None, kwargs: Any) -> Any: ...


@dataclass(frozen=True)
class OdooSettings:
    """Where and as whom to connect. ``api_key`` is excluded from ``repr`` so it cannot leak
    into a log or a traceback."""

    url: str
    database: str
    api_key: str = field(repr=False)
    login: str | None = None
    protocol: ApiProtocol | Literal["auto"] = "auto"
    timeout: tuple[float, float] = DEFAULT_TIMEOUT
    attempts: int = DEFAULT_ATTEMPTS
    retry_wait: float = 0.5
    """Seconds before the first retry of a read; doubled each time, at most 8."""

    @classmethod
    def from_env(
        cls,
        environ: Mapping[str, str] | None = None,
        *,
        url: str | None = None,
        database: str | None = None,
        login: str | None = None,
        protocol: str | None = None,
    ) -> OdooSettings:
        """Arguments first, then ``ODOO_URL``, ``ODOO_DB``, ``ODOO_LOGIN``, ``ODOO_PROTOCOL``;
        the key only from ``ODOO_API_KEY`` (a command-line argument would show in ``ps``).
        ``environ`` replaces the process environment (read through :mod:`forced_labour_guard.settings`)."""

        def get(variable: Variable) -> str | None:
            if environ is None:
                return variable.get()
            return (environ.get(variable.name) or "").strip() or None

        url = url or get(ODOO_URL)
        database = database or get(ODOO_DB)
        api_key = get(ODOO_API_KEY)
        if not url:
            raise UsageError(f"no Odoo server given: pass --url or set {ODOO_URL.name}")
        if not url.startswith(("https://", "http://")):
            raise UsageError(f"{url!r} is not an http:// or https:// address of an Odoo server")
        if not database:
            raise UsageError(f"no Odoo database given: pass --db or set {ODOO_DB.name}")
        if not api_key:
            raise UsageError(
                f"no Odoo API key: set {ODOO_API_KEY.name} "
                "(Odoo: My Preferences > Security > API Keys)"
            )
        chosen = protocol or get(ODOO_PROTOCOL) or ODOO_PROTOCOL.default
        if chosen not in ("auto", "json2", "jsonrpc"):
            raise UsageError(f"unknown Odoo protocol {chosen!r}: use auto, json2 or jsonrpc")
        return cls(
            url=url.rstrip("/"),
            database=database,
            api_key=api_key,
            login=login or get(ODOO_LOGIN),
            protocol=chosen,  # type: ignore[arg-type]
        )


def _session() -> requests.Session:
    session = requests.Session()
    session.headers["User-Agent"] = USER_AGENT
    return session


def _json_body(response: requests.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


class _Base:
    def __init__(self, settings: OdooSettings, session: requests.Session | None) -> None:
        self.settings = settings
        self.session = session or _session()

    def _post(self, path: str, body: Any, headers: Mapping[str, str], *, what: str) -> Any:
        try:
            return self.session.post(
                f"{self.settings.url}{path}",
                json=body,
                headers=dict(headers),
                timeout=self.settings.timeout,
            )
        except requests.Timeout:
            raise OdooConnectionError(
                f"no answer from {self.settings.url} within {self.settings.timeout[1]:.0f} s",
                method=what,
            ) from None
        except requests.RequestException as error:
            raise OdooConnectionError(
                f"cannot reach {self.settings.url} ({type(error).__name__})", method=what
            ) from None

    def _retrying(self, method: str, send: Callable[[], Any]) -> Any:
        """Run ``send`` once, or (for a read) up to ``attempts`` times on a retryable failure."""
        if method not in READ_METHODS:
            try:
                return send()
            except _Retryable as failed:
                raise failed.error from None
        try:
            for attempt in Retrying(
                retry=retry_if_exception_type(_Retryable),
                stop=stop_after_attempt(max(1, self.settings.attempts)),
                wait=wait_exponential(multiplier=self.settings.retry_wait, max=8),
                reraise=False,
            ):
                with attempt:
                    return send()
        except RetryError as gave_up:
            failure = gave_up.last_attempt.exception()
            if isinstance(failure, _Retryable):
                raise failure.error from None
            raise
        raise AssertionError("unreachable: tenacity either returns or raises")


def _retryable_if_transient(error: OdooError) -> OdooError | _Retryable:
    if isinstance(error, OdooConnectionError):
        return _Retryable(error)
    if isinstance(error, OdooServerError) and error.name not in DETERMINISTIC_SERVER_ERRORS:
        return _Retryable(error)
    return error


class Json2Transport(_Base):
    """``POST /json/2/<model>/<method>``: keyword arguments in, the bare return value out."""

    protocol: ApiProtocol = "json2"

    def _headers(self) -> dict[str, str]:
        return {
            "Authorization": f"bearer {self.settings.api_key}",
            "X-Odoo-Database": self.settings.database,
        }

    def call(self, model: str, method: str, ids: Sequence[int] | None, kwargs: Any) -> Any:
        body = dict(kwargs)
        if ids is not None:
            body["ids"] = list(ids)

        def send() -> Any:
            try:
                response = self._post(
                    f"/json/2/{model}/{method}", body, self._headers(), what=method
                )
            except OdooConnectionError as unreachable:
                unreachable.model = model
                raise _Retryable(unreachable) from None
            payload = _json_body(response)
            if response.status_code == 200:
                if payload is None and response.text.strip() not in ("null", ""):
                    raise OdooConnectionError(
                        "the answer was not JSON (is the URL an Odoo server?)",
                        model=model,
                        method=method,
                        status=200,
                    )
                return payload
            error = error_from_body(
                payload if isinstance(payload, dict) else None,
                status=response.status_code,
                model=model,
                method=method,
                fallback=response.reason or "no message",
            )
            raise _retryable_if_transient(error)

        return self._retrying(method, send)


class JsonRpcTransport(_Base):
    """``/jsonrpc`` ``object.execute_kw`` for Odoo 16-18 (and 19, deprecated there)."""

    protocol: ApiProtocol = "jsonrpc"

    def __init__(self, settings: OdooSettings, session: requests.Session | None = None) -> None:
        super().__init__(settings, session)
        self._ids = itertools.count(1)
        self._uid: int | None = None

    def rpc(self, service: str, method: str, args: list[Any], *, model: str | None = None) -> Any:
        body = {
            "jsonrpc": "2.0",
            "method": "call",
            "params": {"service": service, "method": method, "args": args},
            "id": next(self._ids),
        }
        what = method if model is None else args[4]

        def send() -> Any:
            try:
                response = self._post("/jsonrpc", body, {}, what=what)
            except OdooConnectionError as unreachable:
                unreachable.model = model
                raise _Retryable(unreachable) from None
            payload = _json_body(response)
            if response.status_code == 200 and not isinstance(payload, dict):
                raise OdooConnectionError(
                    "the answer was not JSON-RPC (is the URL an Odoo server?)",
                    model=model,
                    method=what,
                    status=200,
                )
            if response.status_code != 200 or not isinstance(payload, dict):
                error = error_from_body(
                    None,
                    status=response.status_code,
                    model=model,
                    method=what,
                    fallback=response.reason or "the answer was not JSON-RPC",
                )
                raise _retryable_if_transient(error)
            if "error" in payload:
                problem = payload["error"] if isinstance(payload["error"], dict) else {}
                data = problem.get("data") if isinstance(problem.get("data"), dict) else None
                error = error_from_body(
                    data,
                    status=None,
                    model=model,
                    method=what,
                    fallback=str(problem.get("message") or "Odoo Server Error"),
                )
                raise _retryable_if_transient(error)
            return payload.get("result")

        return self._retrying(what if model is not None else "read", send)

    def uid(self) -> int:
        if self._uid is None:
            if not self.settings.login:
                raise UsageError(
                    "JSON-RPC needs the user's login as well as the API key: pass --login or set "
                    f"{ODOO_LOGIN.name}"
                )
            uid = self.rpc(
                "common",
                "authenticate",
                [self.settings.database, self.settings.login, self.settings.api_key, {}],
            )
            if not isinstance(uid, int) or isinstance(uid, bool) or uid <= 0:
                raise OdooAuthError(
                    "login refused", method="authenticate", name="common.authenticate"
                )
            self._uid = uid
        return self._uid

    def call(self, model: str, method: str, ids: Sequence[int] | None, kwargs: Any) -> Any:
        extra = dict(kwargs)
        if ids is not None:
            args: list[Any] = [list(ids)]
        else:
            # Model-level methods read their first argument positionally over execute_kw
            # (``create`` fails on a keyword ``vals_list`` there), so send it that way.
            first = next((name for name in POSITIONAL_FIRST if name in extra), None)
            args = [extra.pop(first)] if first else []
        return self.rpc(
            "object",
            "execute_kw",
            [
                self.settings.database,
                self.uid(),
                self.settings.api_key,
                model,
                method,
                args,
                extra,
            ],
            model=model,
        )


def server_version(settings: OdooSettings, session: requests.Session | None = None) -> list[Any]:
    """``version_info`` of the server, from ``GET /json/version`` or else JSON-RPC's
    ``common.version`` (servers before 19 have no ``/json/version``)."""
    http = session or _session()
    try:
        response = http.get(f"{settings.url}/json/version", timeout=settings.timeout)
    except requests.RequestException as error:
        raise OdooConnectionError(
            f"cannot reach {settings.url} ({type(error).__name__})", method="version"
        ) from None
    payload = _json_body(response)
    if response.status_code == 200 and isinstance(payload, dict):
        info = payload.get("version_info")
        if isinstance(info, list) and info:
            return info
    result = JsonRpcTransport(settings, http).rpc("common", "version", [])
    info = result.get("server_version_info") if isinstance(result, dict) else None
    if not isinstance(info, list) or not info:
        raise OdooConnectionError("the server did not say its version", method="version")
    return info


def choose_protocol(version_info: Sequence[Any]) -> ApiProtocol:
    """JSON-2 from Odoo 19 on (``saas~18.x`` servers give a string major: those use JSON-RPC)."""
    major = version_info[0] if version_info else None
    return "json2" if isinstance(major, int) and major >= 19 else "jsonrpc"


class OdooClient:
    """Model method calls plus the few helpers the adapter needs (paging, xml ids, fields)."""

    def __init__(self, transport: Transport, *, page_size: int = DEFAULT_PAGE_SIZE) -> None:
        if page_size < 1:
            raise UsageError("the page size must be at least 1")
        self.transport = transport
        self.page_size = page_size

    @property
    def protocol(self) -> ApiProtocol:
        return self.transport.protocol

    def call(
        self, model: str, method: str, *, ids: Sequence[int] | None = None, **kwargs: Any
    ) -> Any:
        log.debug("odoo %s.%s ids=%s", model, method, list(ids) if ids is not None else None)
        return self.transport.call(model, method, ids, kwargs)

    def read(self, model: str, ids: Sequence[int], fields: Sequence[str]) -> list[dict[str, Any]]:
        """Records by id. Ids that no longer exist are simply absent (Odoo does not raise)."""
        if not ids:
            return []
        result = self.call(model, "read", ids=list(ids), fields=list(fields))
        return _records(result, model, "read")

    def search_read(
        self,
        model: str,
        domain: Sequence[Any],
        fields: Sequence[str],
        *,
        limit: int | None = None,
        offset: int = 0,
        order: str = "id",
    ) -> list[dict[str, Any]]:
        kwargs: dict[str, Any] = {"domain": list(domain), "fields": list(fields), "order": order}
        if limit is not None:
            kwargs["limit"] = limit
            kwargs["offset"] = offset
        elif offset:
            kwargs["offset"] = offset
        return _records(self.call(model, "search_read", **kwargs), model, "search_read")

    def search_read_pages(
        self, model: str, domain: Sequence[Any], fields: Sequence[str], *, order: str = "id"
    ) -> Iterator[list[dict[str, Any]]]:
        """Every matching record, one page (``page_size``) at a time with ``limit``/``offset`` in
        a stable order; a page shorter than asked for is the last."""
        offset = 0
        while True:
            page = self.search_read(
                model, domain, fields, limit=self.page_size, offset=offset, order=order
            )
            if page:
                yield page
            if len(page) < self.page_size:
                return
            offset += len(page)

    def search_read_all(
        self, model: str, domain: Sequence[Any], fields: Sequence[str], *, order: str = "id"
    ) -> Iterator[dict[str, Any]]:
        """Like :meth:`search_read_pages`, one record at a time."""
        for page in self.search_read_pages(model, domain, fields, order=order):
            yield from page

    def search_count(self, model: str, domain: Sequence[Any]) -> int:
        result = self.call(model, "search_count", domain=list(domain))
        if not isinstance(result, int):
            raise OdooServerError(
                f"expected a count, got {type(result).__name__}", model=model, method="search_count"
            )
        return result

    def fields_get(self, model: str) -> dict[str, dict[str, Any]]:
        result = self.call(
            model, "fields_get", attributes=["string", "type", "relation", "required", "readonly"]
        )
        if not isinstance(result, dict):
            raise OdooServerError("expected a field map", model=model, method="fields_get")
        return result

    def xml_ids(self, model: str, ids: Sequence[int]) -> dict[int, str]:
        """``{id: "module.name"}`` for records of ``model`` that have an xml id (e.g. the
        ``res.country.state`` Xinjiang record is ``base.state_cn_XJ``)."""
        if not ids:
            return {}
        rows = self.search_read(
            "ir.model.data",
            [["model", "=", model], ["res_id", "in", sorted(set(ids))]],
            ["module", "name", "res_id"],
        )
        found: dict[int, str] = {}
        for row in rows:
            found.setdefault(int(row["res_id"]), f"{row['module']}.{row['name']}")
        return found


def _records(result: Any, model: str, method: str) -> list[dict[str, Any]]:
    if not isinstance(result, list) or not all(isinstance(row, dict) for row in result):
        raise OdooServerError("expected a list of records", model=model, method=method)
    return result


def connect(
    settings: OdooSettings,
    *,
    session: requests.Session | None = None,
    page_size: int = DEFAULT_PAGE_SIZE,
) -> OdooClient:
    """A client for ``settings``: the protocol as configured, or chosen from the server version."""
    http = session or _session()
    protocol = settings.protocol
    if protocol == "auto":
        protocol = choose_protocol(server_version(settings, http))
    transport: Transport
    if protocol == "json2":
        transport = Json2Transport(settings, http)
    else:
        transport = JsonRpcTransport(settings, http)
    return OdooClient(transport, page_size=page_size)
