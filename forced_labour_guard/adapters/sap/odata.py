"""A small, generic OData V2 JSON client: reads with paging, writes with ETags, retries that are safe.

What a particular server adds (SAP Gateway's CSRF token, its message header, its error body) is a
:class:`Dialect`, kept in ``gateway.py``; nothing here knows SAP. The rules this core keeps:

* Reads are retried on connection errors, timeouts, 429 and 5xx (``tenacity``, capped backoff,
  ``Retry-After`` respected up to the cap). A write is retried only when it certainly was not
  applied: a connect timeout, a 429, or a token the server rejected before doing anything. A write
  whose answer was lost raises :class:`SapWriteOutcomeUnknown` instead of being sent twice.
* Server paging follows ``__next`` until it is absent, and refuses a next link that points to
  another origin (scheme, host, port) than the service, or one that repeats.
* ``If-Match`` carries the entity's ETag (the ``ETag`` header of a single read, else
  ``__metadata.etag``). An entity without one is written without ``If-Match``; if the server then
  asks for one (428) the entity is re-read, and written with its ETag or, when it still has none,
  with ``If-Match: *``: the adapter only ever writes one flag it has just read, so nothing of another
  writer's change can be lost by it. A 412 leads to one re-read and one retry; if the re-read shows
  the change already made, nothing is written.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import urljoin, urlsplit

import requests
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
)

from forced_labour_guard.adapters.sap.errors import (
    SapConcurrencyError,
    SapHttpError,
    SapMessage,
    SapProtocolError,
    SapUnavailable,
    SapWriteOutcomeUnknown,
)
from forced_labour_guard.adapters.sap.values import Filter, key_predicate, name

log = logging.getLogger(__name__)

JSON = dict[str, Any]
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class Dialect(Protocol):
    """What a server adds to plain OData V2 (see ``gateway.SapGateway``)."""

    def default_params(self) -> dict[str, str]:
        """Query parameters sent with every request (SAP: ``sap-client``)."""
        ...

    def before_write(self, client: ODataClient, headers: dict[str, str]) -> None:
        """Add what a write needs (SAP: the CSRF token, fetched once per session)."""
        ...

    def rejected_token(self, response: requests.Response) -> bool:
        """Whether the server refused the write's token without doing anything (retry once)."""
        ...

    def messages(self, response: requests.Response) -> list[SapMessage]:
        """Messages the server attached to a successful answer."""
        ...

    def error(self, response: requests.Response) -> SapHttpError:
        """The typed error for an error answer."""
        ...


@dataclass(frozen=True)
class Entity:
    """One entity as read: its JSON (without ``__metadata``), its ETag and its canonical URI."""

    data: JSON
    etag: str | None = None
    uri: str | None = None

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    def expanded(self, navigation: str) -> list[Entity]:
        """The entities of an expanded navigation (1:n ``results`` or a single one)."""
        value = self.data.get(navigation)
        if value is None or (isinstance(value, dict) and "__deferred" in value):
            raise SapProtocolError(f"navigation {navigation} was not expanded in the answer")
        rows = value.get("results", []) if isinstance(value, dict) and "results" in value else value
        if isinstance(rows, dict):
            rows = [rows]
        if not isinstance(rows, list):
            raise SapProtocolError(f"navigation {navigation} is neither an entity nor a list")
        return [entity_from_json(row) for row in rows if isinstance(row, dict)]


@dataclass(frozen=True)
class WriteResult:
    """What a write did: the HTTP answer, SAP's messages, and whether anything was sent at all."""

    status: int
    url: str
    payload: JSON
    if_match: str | None
    messages: list[SapMessage] = field(default_factory=list)
    body: str = ""
    skipped: str | None = None


def entity_from_json(row: Mapping[str, Any], header_etag: str | None = None) -> Entity:
    metadata = row.get("__metadata") or {}
    data = {key: value for key, value in row.items() if key != "__metadata"}
    etag = header_etag or metadata.get("etag") or None
    return Entity(data=data, etag=etag, uri=metadata.get("uri"))


class _Retryable(Exception):
    """Internal: a read answer or failure worth trying again."""

    def __init__(self, why: str, response: requests.Response | None = None) -> None:
        super().__init__(why)
        self.response = response


class ODataClient:
    """Reads and updates one OData V2 service at ``service_url`` (ends with the service name)."""

    def __init__(
        self,
        service_url: str,
        *,
        dialect: Dialect,
        session: requests.Session | None = None,
        timeout: tuple[float, float] = (5.0, 60.0),
        max_attempts: int = 4,
        max_backoff_seconds: float = 30.0,
        max_pages: int = 10_000,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        self.service_url = service_url.rstrip("/") + "/"
        self.dialect = dialect
        self.session = session or requests.Session()
        self.timeout = timeout
        self.max_attempts = max_attempts
        self.max_backoff_seconds = max_backoff_seconds
        self.max_pages = max_pages
        self.messages: list[SapMessage] = []
        self._sleep = sleep

    # ------------------------------------------------------------------------------ reads

    def get_entity(
        self,
        entity_set: str,
        key: dict[str, str],
        *,
        select: Sequence[str] = (),
        expand: Sequence[str] = (),
    ) -> Entity:
        """One entity by key; ``SapNotFound`` when it does not exist."""
        url = self.service_url + name(entity_set) + key_predicate(key)
        response = self._read(url, _query(select, expand, None, None))
        body = _json(response)
        row = body.get("d")
        if not isinstance(row, dict):
            raise SapProtocolError(f"{url}: expected an entity under 'd'")
        return entity_from_json(row, response.headers.get("ETag"))

    def get_collection(
        self,
        entity_set: str,
        *,
        select: Sequence[str] = (),
        expand: Sequence[str] = (),
        filter: Filter | None = None,
        top: int | None = None,
    ) -> Iterator[Entity]:
        """Every entity of a set, following the server's ``__next`` links page by page."""
        first = self.service_url + name(entity_set)
        url: str | None = first
        params: dict[str, str] | None = _query(select, expand, filter, top)
        seen: set[str] = set()
        for _page in range(self.max_pages):
            assert url is not None
            response = self._read(url, params)
            body = _json(response).get("d")
            rows = body.get("results") if isinstance(body, dict) else body
            if not isinstance(rows, list):
                raise SapProtocolError(f"{url}: expected a collection under 'd'")
            for row in rows:
                if isinstance(row, dict):
                    yield entity_from_json(row)
            next_link = body.get("__next") if isinstance(body, dict) else None
            if not next_link:
                return
            url = self._next_url(response.url, str(next_link))
            if url in seen:
                raise SapProtocolError(f"the server sent the same next link twice: {url}")
            seen.add(url)
            params = None  # the next link carries the whole query
        raise SapProtocolError(f"{first}: more than {self.max_pages} pages; stopped")

    def _next_url(self, current: str, next_link: str) -> str:
        resolved = urljoin(current, next_link)
        if _origin(resolved) != _origin(self.service_url):
            raise SapProtocolError(
                f"refused a next link to another origin: {resolved} (the service is at "
                f"{self.service_url})"
            )
        return resolved

    # ------------------------------------------------------------------------------ writes

    def update(
        self,
        entity_set: str,
        key: dict[str, str],
        changes: JSON,
        *,
        etag: str | None,
    ) -> WriteResult:
        """PATCH ``changes`` onto one entity, with ETag handling as in the module docstring."""
        url = self.service_url + name(entity_set) + key_predicate(key)
        for prop in changes:
            name(prop)
        response = self._write(url, changes, etag)
        if response.status_code in (412, 428):
            fresh = self.get_entity(entity_set, key, select=list(changes))
            if all(fresh.get(prop) == value for prop, value in changes.items()):
                return WriteResult(
                    status=response.status_code,
                    url=url,
                    payload=changes,
                    if_match=etag,
                    skipped="the entity already had these values when re-read",
                )
            etag = fresh.etag or "*"
            response = self._write(url, changes, etag)
            if response.status_code in (412, 428):
                error = self.dialect.error(response)
                raise SapConcurrencyError(
                    status=error.status,
                    code=error.code,
                    message=f"changed again while being written ({error.message})",
                    details=error.details,
                    url=url,
                )
        if response.status_code >= 400:
            raise self.dialect.error(response)
        messages = self.dialect.messages(response)
        self._note(messages)
        return WriteResult(
            status=response.status_code,
            url=url,
            payload=changes,
            if_match=etag,
            messages=messages,
            body=response.text[:2000],
        )

    def _write(self, url: str, changes: JSON, etag: str | None) -> requests.Response:
        for token_attempt in range(2):
            headers = {"Accept": "application/json", "Content-Type": "application/json"}
            if etag:
                headers["If-Match"] = etag
            self.dialect.before_write(self, headers)
            response = self._send_write(url, changes, headers)
            if token_attempt == 0 and self.dialect.rejected_token(response):
                continue
            return response
        return response

    def _send_write(self, url: str, changes: JSON, headers: dict[str, str]) -> requests.Response:
        """Retries only what was certainly not applied: a connect timeout or a 429."""
        for attempt in range(1, self.max_attempts + 1):
            try:
                response = self.session.patch(
                    url,
                    json=changes,
                    headers=headers,
                    params=self.dialect.default_params(),
                    timeout=self.timeout,
                )
            except requests.ConnectTimeout as error:
                if attempt == self.max_attempts:
                    raise SapUnavailable(f"{url}: could not connect ({error})") from None
                self._pause(attempt, None)
                continue
            except requests.RequestException as error:
                raise SapWriteOutcomeUnknown(
                    f"{url}: the write was sent but no answer came back ({type(error).__name__}); "
                    "it may have been applied: re-read the entity before trying again"
                ) from None
            if response.status_code == 429 and attempt < self.max_attempts:
                self._pause(attempt, response)
                continue
            return response
        raise AssertionError("unreachable")  # pragma: no cover

    # ------------------------------------------------------------------------------ plumbing

    def request(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, str] | None = None,
    ) -> requests.Response:
        """A bare request with the dialect's parameters and the timeouts (the dialect's token
        fetch uses it); no retries, no error mapping."""
        try:
            return self.session.request(
                method,
                url,
                headers=dict(headers or {}),
                params={**self.dialect.default_params(), **(params or {})},
                timeout=self.timeout,
            )
        except requests.RequestException as error:
            raise SapUnavailable(f"{url}: {type(error).__name__}: {error}") from None

    def _read(self, url: str, params: Mapping[str, str] | None) -> requests.Response:
        query = {**self.dialect.default_params(), **(params or {})} if params is not None else None
        if params is None:
            # a next link: keep its query as sent, add only what is missing
            sent = urlsplit(url).query
            query = {k: v for k, v in self.dialect.default_params().items() if f"{k}=" not in sent}

        def attempt() -> requests.Response:
            try:
                response = self.session.get(
                    url, params=query, headers={"Accept": "application/json"}, timeout=self.timeout
                )
            except (requests.ConnectionError, requests.Timeout) as error:
                raise _Retryable(f"{type(error).__name__}: {error}") from None
            if response.status_code in RETRY_STATUSES:
                raise _Retryable(f"HTTP {response.status_code}", response)
            return response

        retrying = Retrying(
            retry=retry_if_exception(lambda error: isinstance(error, _Retryable)),
            stop=stop_after_attempt(self.max_attempts),
            wait=self._wait,
            sleep=self._sleep or _default_sleep,
            reraise=True,
        )
        try:
            response: requests.Response = retrying(attempt)
        except _Retryable as error:
            if error.response is not None:
                raise self.dialect.error(error.response) from None
            raise SapUnavailable(f"{url}: {error} (after {self.max_attempts} attempts)") from None
        if response.status_code >= 400:
            raise self.dialect.error(response)
        self._note(self.dialect.messages(response))
        return response

    def _wait(self, state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome else None
        response = error.response if isinstance(error, _Retryable) else None
        return self._delay(state.attempt_number, response)

    def _delay(self, attempt: int, response: requests.Response | None) -> float:
        retry_after = response.headers.get("Retry-After", "") if response is not None else ""
        if retry_after.isdigit():
            return min(float(retry_after), self.max_backoff_seconds)
        return float(min(0.5 * 2 ** (attempt - 1), self.max_backoff_seconds))

    def _pause(self, attempt: int, response: requests.Response | None) -> None:
        (self._sleep or _default_sleep)(self._delay(attempt, response))

    def _note(self, messages: list[SapMessage]) -> None:
        for message in messages:
            log.warning("%s", message.sentence())
        self.messages.extend(messages)

    def drain_messages(self) -> list[SapMessage]:
        """The SAP messages collected since the last drain (they become decision warnings)."""
        drained, self.messages = self.messages, []
        return drained


def _default_sleep(seconds: float) -> None:
    import time

    time.sleep(seconds)


def _query(
    select: Sequence[str], expand: Sequence[str], filter: Filter | None, top: int | None
) -> dict[str, str]:
    params: dict[str, str] = {}
    if select:
        params["$select"] = ",".join(name(part) for part in select)
    if expand:
        params["$expand"] = ",".join(name(part) for part in expand)
    if filter is not None:
        params["$filter"] = str(filter)
    if top is not None:
        params["$top"] = str(int(top))
    return params


def _json(response: requests.Response) -> JSON:
    try:
        body = response.json()
    except ValueError:
        kind = response.headers.get("Content-Type", "unknown")
        raise SapProtocolError(
            f"{response.url}: expected JSON, got {kind} (is Accept: application/json honoured?)"
        ) from None
    if not isinstance(body, dict):
        raise SapProtocolError(f"{response.url}: expected a JSON object")
    return body


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    return parts.scheme.lower(), (parts.hostname or "").lower(), port
