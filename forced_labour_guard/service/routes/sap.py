"""``POST /v1/sap/purchase-orders/check``: the purchase-order check answered with BAPIRET2-like
messages (``forced_labour_guard.service.sap_messages``) beside the Decision."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request, Response

from forced_labour_guard.model import Action, Decision, PurchaseOrder, Supplier, supplier_key
from forced_labour_guard.service.limits import read_model
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
    po = await read_model(request, PurchaseOrder, state.settings.max_body_bytes)

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
