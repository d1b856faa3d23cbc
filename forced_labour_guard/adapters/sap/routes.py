"""The SAP routes of the decision service, free of any web framework so any server can mount them.

* ``POST /v1/sap/events``: SAP Event Mesh webhook delivery of business events. Both CloudEvents HTTP
  modes are read: structured (``application/cloudevents+json``, or a JSON body with
  ``specversion``) and binary (``ce-id``, ``ce-type``, ... headers with ``data`` as the body).
  ``OPTIONS`` is the webhook handshake of the CloudEvents web-hook spec that Event Mesh performs
  when a webhook is created: the request names its origin in ``WebHook-Request-Origin`` and the
  answer allows it in ``WebHook-Allowed-Origin`` (only configured origins, or any when none is
  configured). Answers: 200 processed / duplicate / ignored; 400 malformed (no redelivery helps);
  503 failed or in progress (Event Mesh delivers again later).
* ``POST /v1/sap/purchase-orders/check``: the BAdI's check (``check.py``); 400 for a malformed
  request, and on any internal error a 200 with a block, because the caller must not save.

Each handler takes the method, the headers and the raw body and returns an :class:`HttpAnswer`.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from forced_labour_guard.adapters.sap.adapter import SapAdapter
from forced_labour_guard.adapters.sap.check import check_purchase_order, fail_closed_answer
from forced_labour_guard.adapters.sap.events import EventLedger, handle_event
from forced_labour_guard.errors import FlgError, InputError

log = logging.getLogger(__name__)

EVENTS_PATH = "/v1/sap/events"
CHECK_PATH = "/v1/sap/purchase-orders/check"
_STATUS = {"processed": 200, "duplicate": 200, "ignored": 200, "in_progress": 503, "failed": 503}


@dataclass(frozen=True)
class HttpAnswer:
    status: int
    body: dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)

    def encoded(self) -> bytes:
        return b"" if self.body is None else json.dumps(self.body, ensure_ascii=False).encode()


def _lower(headers: Mapping[str, str]) -> dict[str, str]:
    return {key.lower(): value for key, value in headers.items()}


def handshake(headers: Mapping[str, str], allowed_origins: Sequence[str] = ()) -> HttpAnswer:
    """Answer the web-hook validation request (OPTIONS)."""
    origin = _lower(headers).get("webhook-request-origin", "").strip()
    if not origin:
        return HttpAnswer(400, {"error": "WebHook-Request-Origin header is missing"})
    if allowed_origins and origin not in allowed_origins:
        return HttpAnswer(403, {"error": f"origin {origin} is not allowed"})
    return HttpAnswer(200, None, {"WebHook-Allowed-Origin": origin, "Allow": "POST, OPTIONS"})


def event_from_http(headers: Mapping[str, str], body: bytes) -> dict[str, Any]:
    """The CloudEvent carried by a request, in either HTTP content mode."""
    low = _lower(headers)
    try:
        payload = json.loads(body.decode("utf-8")) if body else None
    except (UnicodeDecodeError, ValueError):
        raise InputError("the body is not JSON", path="body") from None
    content_type = low.get("content-type", "")
    if "cloudevents" in content_type or (isinstance(payload, dict) and "specversion" in payload):
        if not isinstance(payload, dict):
            raise InputError("a structured CloudEvent must be a JSON object", path="body")
        return payload
    event: dict[str, Any] = {
        key.removeprefix("ce-"): value for key, value in low.items() if key.startswith("ce-")
    }
    event["data"] = payload
    return event


def events_route(
    method: str,
    headers: Mapping[str, str],
    body: bytes,
    adapter: SapAdapter,
    ledger: EventLedger,
    *,
    allowed_origins: Sequence[str] = (),
) -> HttpAnswer:
    if method.upper() == "OPTIONS":
        return handshake(headers, allowed_origins)
    if method.upper() != "POST":
        return HttpAnswer(405, {"error": "use POST"}, {"Allow": "POST, OPTIONS"})
    try:
        result = handle_event(event_from_http(headers, body), adapter, ledger)
    except InputError as error:
        return HttpAnswer(400, {"error": str(error)})
    except FlgError as error:
        log.error("SAP event failed: %s", error)
        return HttpAnswer(503, {"error": str(error)})
    return HttpAnswer(_STATUS[result.status], result.as_json())


def check_route(
    method: str, headers: Mapping[str, str], body: bytes, adapter: SapAdapter
) -> HttpAnswer:
    if method.upper() != "POST":
        return HttpAnswer(405, {"error": "use POST"}, {"Allow": "POST"})
    try:
        request = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return HttpAnswer(400, {"error": "body: the body is not JSON"})
    try:
        return HttpAnswer(200, check_purchase_order(request, adapter))
    except InputError as error:
        return HttpAnswer(400, {"error": str(error)})
    except Exception as error:  # the ABAP side must never read an internal error as "save"
        log.exception("purchase-order check failed")
        return HttpAnswer(200, fail_closed_answer(f"{type(error).__name__}: {error}"))
