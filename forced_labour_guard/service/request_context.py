"""A request id on every response and every log line, one access-log line per request, and the
latency of each request.

The id is the caller's ``X-Request-ID`` when it is a short, plain token (an ERP can then find its
own correlation id in our logs), else a fresh random one. It is held in a context variable, which
the log filter reads, so any log line written while serving a request, in any thread the request
uses, carries it.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import time
import uuid
from typing import Final

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from forced_labour_guard.service.metrics import Metrics

HEADER: Final = "X-Request-ID"
_ACCEPTED_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")

log = logging.getLogger(__name__)
request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
access_log = logging.getLogger("forced_labour_guard.service.access")


class RequestIdFilter(logging.Filter):
    """Gives every log record a ``request_id`` attribute (``-`` outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


def current_request_id() -> str:
    return request_id_var.get()


def _request_id(scope: Scope) -> str:
    for name, value in scope.get("headers", []):
        if name == b"x-request-id":
            text = value.decode("latin-1")
            if _ACCEPTED_ID.match(text):
                return str(text)
            break
    return uuid.uuid4().hex


def printable(text: str) -> str:
    """``text`` safe for one log line: a decoded ``%0A`` in a path must not start a forged line."""
    return "".join(ch if ch.isprintable() else "?" for ch in text)


def route_label(scope: Scope) -> str:
    """The path, for the latency histogram, when a route answered it (no route takes path
    parameters, so these are as many as the routes); every other path is ``other``, so a
    scanner cannot grow the metrics without bound."""
    path = scope.get("path")
    return path if scope.get("route") is not None and isinstance(path, str) else "other"


class RequestContextMiddleware:
    """Pure ASGI (not BaseHTTPMiddleware) so streamed responses pass through untouched."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _request_id(scope)
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        status = 0

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
                headers.append((HEADER.lower().encode(), request_id.encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            log.exception("unexpected error while serving the request")
            if status == 0:  # nothing sent yet: a bare 500, the details stay in the log
                await _internal_error(send_with_id, request_id)
            else:
                status = 500
        finally:
            elapsed = time.perf_counter() - started
            path = scope.get("path", "")
            self.metrics.latency.labels(route=route_label(scope)).observe(elapsed)
            access_log.info(
                "%s %s %s %d %.1fms",
                (scope.get("client") or ("-",))[0],
                scope.get("method", "-"),
                printable(path[:200]),
                status,
                elapsed * 1000,
            )
            request_id_var.reset(token)


async def _internal_error(send: Send, request_id: str) -> None:
    body = json.dumps({"error": "internal error", "field": None, "request_id": request_id})
    await send(
        {
            "type": "http.response.start",
            "status": 500,
            "headers": [(b"content-type", b"application/json")],
        }
    )
    await send({"type": "http.response.body", "body": body.encode()})
