"""``POST /v1/purchase-orders/check``, ``/v1/suppliers/screen`` and ``/v1/suppliers/screen-batch``:
canonical JSON in, the Guard's Decision out, as ``flg check-po``, ``screen-supplier`` and
``screen-suppliers`` answer it."""

from __future__ import annotations

import asyncio
import functools
import io
import json
from collections.abc import AsyncIterator
from typing import Final

from fastapi import APIRouter, Request, Response
from fastapi.responses import StreamingResponse

from forced_labour_guard.errors import InputError
from forced_labour_guard.model import Decision, PurchaseOrder, Supplier, supplier_key
from forced_labour_guard.records import iter_json_lines
from forced_labour_guard.service.limits import read_body, read_model
from forced_labour_guard.service.routes.answers import (
    DECISION_REFUSALS,
    REFUSALS,
    json_body,
    json_response,
    screen,
)
from forced_labour_guard.service.runner import Screener
from forced_labour_guard.service.state import service_state

router = APIRouter(tags=["screening"])
NDJSON: Final = "application/x-ndjson"
BATCH_SOURCE: Final = "body"
"""How a batch line is named in its answer: ``body line 3``, as the CLI says ``FILE line 3``."""


@router.post(
    "/purchase-orders/check",
    response_model=Decision,
    responses=DECISION_REFUSALS,
    openapi_extra=json_body(PurchaseOrder, "One purchase order in the canonical model."),
    summary="Screen one purchase order",
)
async def check_purchase_order(request: Request) -> Response:
    """Block: refuse to save or release the order. Warn: save it and route it to review.
    Allow: go ahead. No answer, an error or a time-out: treat as block."""
    state = service_state(request)
    po = await read_model(request, PurchaseOrder, state.settings.max_body_bytes)
    decision = await screen(
        state,
        "purchase-orders/check",
        lambda screener: screener.check_purchase_order(po),
        subject=po.id or f"purchase order for {po.supplier.label}",
        supplier_id=supplier_key(po.supplier),
    )
    return json_response(state, decision, decision)


@router.post(
    "/suppliers/screen",
    response_model=Decision,
    responses=DECISION_REFUSALS,
    openapi_extra=json_body(Supplier, "One supplier in the canonical model."),
    summary="Screen one supplier",
)
async def screen_supplier(request: Request) -> Response:
    """For onboarding and master-data changes; the answer means what it means for an order."""
    state = service_state(request)
    supplier = await read_model(request, Supplier, state.settings.max_body_bytes)
    decision = await screen(
        state,
        "suppliers/screen",
        lambda screener: screener.screen_supplier(supplier),
        subject=supplier.label,
        supplier_id=supplier_key(supplier),
    )
    return json_response(state, decision, decision)


@router.post(
    "/suppliers/screen-batch",
    response_class=StreamingResponse,
    responses={
        200: {
            "content": {NDJSON: {"schema": {"type": "string"}}},
            "description": "One JSON line per input line, in order: the Decision with a "
            '"source" field, or {"source", "error", "action": null} for a line that could not '
            "be read (it was not screened and must not be treated as cleared).",
        },
        **REFUSALS,
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "description": "Suppliers as JSON lines, one canonical Supplier object a line.",
            "content": {NDJSON: {"schema": {"type": "string"}}},
        }
    },
    summary="Screen many suppliers, JSON lines in and out",
)
async def screen_batch(request: Request) -> StreamingResponse:
    """Answers stream out as each supplier is screened; each gets the per-record time limit."""
    state = service_state(request)
    body = await read_body(request, state.settings.max_batch_body_bytes)
    records = iter_json_lines(Supplier, io.BytesIO(body), BATCH_SOURCE)

    async def lines() -> AsyncIterator[str]:
        while (item := await asyncio.to_thread(next, records, None)) is not None:
            where, record = item
            if isinstance(record, InputError):
                state.metrics.error("invalid_input")
                yield json.dumps({"source": where, "error": str(record), "action": None}) + "\n"
                continue
            decision = await screen(
                state,
                "suppliers/screen-batch",
                functools.partial(_screen_one, record),
                subject=record.label,
                supplier_id=supplier_key(record),
            )
            answer = json.loads(decision.model_dump_json())
            yield json.dumps({"source": where, **answer}, ensure_ascii=False) + "\n"

    return StreamingResponse(lines(), media_type=NDJSON)


def _screen_one(supplier: Supplier, screener: Screener) -> Decision:
    return screener.screen_supplier(supplier)
