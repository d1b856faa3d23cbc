"""``POST /v1/sap/purchase-orders/check``: the purchase-order check answered with BAPIRET2-like
messages (``forced_labour_guard.service.sap_messages``) beside the Decision."""

from __future__ import annotations

import json
import logging

from fastapi import APIRouter, Request, Response

from forced_labour_guard.adapters.sap.check import fail_closed_answer, is_sap_request
from forced_labour_guard.adapters.sap.routes import HttpAnswer, check_route, events_route
from forced_labour_guard.errors import FlgError
from forced_labour_guard.model import Action, Decision, PurchaseOrder, Supplier, supplier_key
from forced_labour_guard.service.limits import parse_model, read_body
from forced_labour_guard.service.redact import redact_decision
from forced_labour_guard.service.routes.answers import (
    counted,
    failed_decision,
    json_body,
    json_response,
    refusals_for,
    run_or_fail_closed,
)
from forced_labour_guard.service.runner import Screener
from forced_labour_guard.service.sap_adapter import sap_service
from forced_labour_guard.service.sap_messages import (
    SapCheckResponse,
    finding_actions,
    sap_response,
    severest_rule_actions,
)
from forced_labour_guard.service.state import service_state
from forced_labour_guard.store.audited import AuditedGuard

log = logging.getLogger(__name__)
router = APIRouter(prefix="/sap", tags=["sap"])


def actions_for(screener: Screener, supplier: Supplier, decision: Decision) -> list[Action]:
    """Each finding's own action, with the first-seen dates the store now holds (read in the
    Guard's thread); if they cannot be read, the rules' final actions (never softer)."""
    guard = screener.guard if isinstance(screener, AuditedGuard) else screener
    try:
        stored = (
            screener.store.first_seen([supplier_key(supplier)])
            if isinstance(screener, AuditedGuard)
            else {}
        )
        return finding_actions(guard, supplier, decision, stored)
    except Exception:
        log.exception("first-seen dates unavailable for the SAP messages; using the rules alone")
        return severest_rule_actions(decision, guard.policy)


@router.post(
    "/purchase-orders/check",
    response_model=SapCheckResponse,
    responses=refusals_for(SapCheckResponse),
    openapi_extra=json_body(PurchaseOrder, "One purchase order in the canonical model."),
    summary="Screen one purchase order, answered as BAPIRET2-like messages",
)
async def sap_check_purchase_order(request: Request) -> Response:
    """``action`` is the decision; ``messages`` has one line per finding, the most severe first
    (E blocks, W warns, I informs), ready for an ABAP message log."""
    state = service_state(request)
    raw = await read_body(request, state.settings.max_body_bytes)
    sap_answer = await _sap_key_check(request, raw)
    if sap_answer is not None:
        return sap_answer
    po = parse_model(PurchaseOrder, raw)

    def work(screener: Screener) -> tuple[Decision, list[Action]]:
        decision = screener.check_purchase_order(po)
        return decision, actions_for(screener, po.supplier, decision)

    def fallback(why: str) -> tuple[Decision, list[Action]]:
        subject = po.id or f"purchase order for {po.supplier.label}"
        decision = failed_decision(
            state, why, subject=subject, supplier_id=supplier_key(po.supplier)
        )
        return decision, [Action.BLOCK]

    decision, actions = await run_or_fail_closed(state, work, fallback)
    decision = counted(state, "sap/purchase-orders/check", redact_decision(decision))
    return json_response(state, decision, sap_response(decision, actions))


# ---------------------------------------------------------------------------------- SAP adapter


def _plain(answer: HttpAnswer) -> Response:
    return Response(
        answer.encoded(),
        status_code=answer.status,
        headers=answer.headers,
        media_type="application/json",
    )


async def _sap_key_check(request: Request, raw: bytes) -> Response | None:
    """The BAdI's request (SAP keys: a supplier number and items) goes to the SAP adapter, which
    reads the supplier from SAP itself; a canonical order returns None and is screened as before."""
    try:
        body = json.loads(raw)
    except ValueError:
        return None
    sap = sap_service(request.app) if is_sap_request(body) else None
    if sap is None:
        return None
    headers = dict(request.headers)
    try:
        answer = await sap.run(lambda adapter, _ledger: check_route("POST", headers, raw, adapter))
    except FlgError as error:  # the adapter cannot be built: the order is not cleared
        log.error("SAP adapter unusable: %s", error)
        answer = HttpAnswer(200, fail_closed_answer(f"the SAP adapter is unusable: {error}"))
    return _plain(answer)


@router.api_route(
    "/events",
    methods=["POST", "OPTIONS"],
    include_in_schema=False,  # a webhook for SAP Event Mesh, documented in docs/sap.md
)
async def sap_events(request: Request) -> Response:
    """PurchaseOrder and BusinessPartner Created/Changed events: the record is read again from
    SAP, screened, the supplier blocked where the Call to Action requires, all on record; once per
    event id. 200 processed/duplicate/ignored, 400 malformed, 503 try again later."""
    state = service_state(request)
    sap = sap_service(request.app)
    if sap is None:
        return _plain(
            HttpAnswer(404, {"error": "the SAP adapter is not configured (FLG_SAP_CONFIG)"})
        )
    raw = await read_body(request, state.settings.max_body_bytes)
    method, headers = request.method, dict(request.headers)
    try:
        answer = await sap.run(
            lambda adapter, ledger: events_route(
                method,
                headers,
                raw,
                adapter,
                ledger,
                allowed_origins=adapter.settings.webhook_origins,
            )
        )
    except FlgError as error:
        log.error("SAP adapter unusable: %s", error)
        answer = HttpAnswer(503, {"error": f"the SAP adapter is unusable: {error}"})
    return _plain(answer)
