"""The purchase-order check the ABAP BAdI calls before an order is saved.

Request (JSON, built by ``adapters/sap/zcl_flg_po_check.abap`` from the order being saved, which
is not yet readable over OData)::

    {"purchase_order": "4500000001", "supplier": "17300001",
     "items": [{"item": "00010", "material": "M-01", "text": "Cotton yarn", "quantity": "10.000",
                "net_price": "2.50", "price_unit": "1", "currency": "EUR", "plant": "1010",
                "fields": {"YY1_ORIGIN_PDI": "Aksu"}}]}

Answer: ``{"action", "messages": [{"type": "E"|"W"|"I", "id", "number", "message",
"message_v1".."message_v4"}], "decision": {...}}``. ``E`` stops the save; the BAdI shows each
message on the order. ``message_v1..v4`` carry the text in 50-character pieces for a message
class entry ``&1&2&3&4``. The supplier is read from SAP (master data exists); the items are mapped
exactly as an order read over OData. If the supplier cannot be read the answer is a block (fail
closed), never an allow.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from forced_labour_guard.adapters.sap.adapter import SapAdapter
from forced_labour_guard.adapters.sap.errors import SapError
from forced_labour_guard.adapters.sap.mapping import Mapped, map_purchase_order
from forced_labour_guard.adapters.sap.odata import Entity
from forced_labour_guard.detectors import today_of
from forced_labour_guard.errors import InputError, first_problem
from forced_labour_guard.model import Action, Decision, FindingCode, Supplier, supplier_key
from forced_labour_guard.policy import finding_action
from forced_labour_guard.service.sap_messages import (
    ALLOW_NUMBER,
    MESSAGE_CLASS,
    MESSAGE_LENGTH,
    NUMBERS,
    VARIABLE_LENGTH,
    WARNING_NUMBER,
)

# The message class and the stable numbers, one per finding code (ABAP code may branch on them),
# are the decision service's own (``service.sap_messages``): one table for both answers. In SE91
# each number has the text "&1&2&3&4": the variables carry the sentence, so the buyer reads the
# whole explanation.
_PIECE = VARIABLE_LENGTH
_MESSAGE_MAX = MESSAGE_LENGTH


class CheckItem(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    item: str = Field(max_length=5)
    material: str = ""
    text: str = ""
    quantity: str = ""
    net_price: str = ""
    price_unit: str = ""
    currency: str = ""
    plant: str = ""
    deletion_code: str = ""
    fields: dict[str, str] = Field(default_factory=dict)


class CheckRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    purchase_order: str = Field(default="", max_length=10)
    supplier: str = Field(min_length=1, max_length=10)
    items: list[CheckItem] = Field(default_factory=list)


def is_sap_request(body: object) -> bool:
    """Whether a check request carries SAP keys (this module's form: ``supplier`` is a supplier
    number) rather than a canonical PurchaseOrder (``supplier`` an object): a service route that
    takes both hands the first kind here."""
    return isinstance(body, dict) and isinstance(body.get("supplier"), str)


def parse_request(body: object) -> CheckRequest:
    try:
        return CheckRequest.model_validate(body)
    except ValidationError as error:
        where, message = first_problem(error)
        raise InputError(message, path=where) from None


def _as_entity(request: CheckRequest) -> Entity:
    items = []
    for item in request.items:
        row: dict[str, Any] = {**item.fields}
        row.update(
            {
                "PurchaseOrder": request.purchase_order,
                "PurchaseOrderItem": item.item.lstrip("0") or "0",
                "Material": item.material,
                "PurchaseOrderItemText": item.text,
                "OrderQuantity": item.quantity,
                "NetPriceAmount": item.net_price,
                "NetPriceQuantity": item.price_unit,
                "DocumentCurrency": item.currency,
                "Plant": item.plant,
                "PurchasingDocumentDeletionCode": item.deletion_code,
            }
        )
        items.append(row)
    return Entity(
        data={
            "PurchaseOrder": request.purchase_order,
            "Supplier": request.supplier,
            "to_PurchaseOrderItem": {"results": items},
        }
    )


def check_purchase_order(body: object, adapter: SapAdapter) -> dict[str, Any]:
    """Answer the BAdI; ``InputError`` for a malformed request (HTTP 400), never an exception for
    an SAP failure: that is a block with the reason."""
    request = parse_request(body)
    try:
        _record, supplier = adapter.read_supplier(request.supplier)
    except SapError as error:
        why = f"the supplier {request.supplier} could not be read from SAP ({error})"
        supplier = Mapped(
            Supplier(id=request.supplier, name=f"SAP supplier {request.supplier}"), problems=[why]
        )
    try:
        order = map_purchase_order(
            _as_entity(request), supplier, adapter.regions, adapter.settings.origin
        )
    except SapError as error:  # a malformed number in an item
        raise InputError(str(error), path="items") from None
    decision = adapter.screen_order(order)
    return {
        "action": decision.action.value,
        "messages": messages_for(decision, adapter, order.value.supplier),
        "decision": decision.model_dump(mode="json"),
    }


def messages_for(
    decision: Decision, adapter: SapAdapter, supplier: Supplier
) -> list[dict[str, str]]:
    """One message per finding, the most severe first (E when it blocks today, W when it warns,
    I when released),
    then W for each caveat; without findings the first message is an I saying what was checked."""
    today = today_of(decision.screened_at)
    key = supplier_key(supplier)
    seen = adapter.store.first_seen([key]) if adapter.store is not None else {}
    first_seen = adapter.guard.first_seen_dates(supplier, today, seen)
    out = []
    for finding in decision.findings:
        if finding.released_by is not None:
            released = f"Released by {finding.released_by}: {finding.detail}"
            out.append(_message("I", NUMBERS[finding.code], released))
            continue
        action, sentence = finding_action(
            finding, adapter.guard.policy, today=today, first_seen=first_seen
        )
        kind = "E" if action is Action.BLOCK and decision.action is Action.BLOCK else "W"
        out.append(_message(kind, NUMBERS[finding.code], sentence))
    out.sort(key=lambda message: "EWI".index(message["type"]))  # the most severe first
    if not out:
        reason = decision.reasons[0] if decision.reasons else "No link found."
        out.append(_message("I", ALLOW_NUMBER, reason))
    return out + [_message("W", WARNING_NUMBER, warning) for warning in decision.warnings]


def _message(kind: str, number: str, text: str) -> dict[str, str]:
    flat = " ".join(text.split())
    pieces = _pieces(flat)
    return {
        "type": kind,
        "id": MESSAGE_CLASS,
        "number": number,
        "message": flat[:_MESSAGE_MAX],
        **{f"message_v{i + 1}": piece for i, piece in enumerate(pieces)},
    }


def _pieces(flat: str) -> list[str]:
    """Four pieces of at most 50 characters, cut before a space: SAP drops a variable's trailing
    spaces but keeps leading ones, so "&1&2&3&4" puts the words back together with their spaces."""
    pieces: list[str] = []
    rest = flat
    while rest and len(pieces) < 4:
        if len(rest) <= _PIECE:
            pieces.append(rest)
            break
        cut = rest.rfind(" ", 1, _PIECE + 1)
        cut = cut if cut > 0 else _PIECE
        pieces.append(rest[:cut])
        rest = rest[cut:]
    return pieces + [""] * (4 - len(pieces))


def fail_closed_answer(why: str) -> dict[str, Any]:
    """What to answer when the check itself cannot run (the route uses it on internal errors)."""
    text = f"Forced-labour screening could not run ({why}); the order cannot be cleared."
    return {
        "action": Action.BLOCK.value,
        "messages": [_message("E", NUMBERS[FindingCode.SCREENING_UNAVAILABLE], text)],
        "decision": {
            "action": Action.BLOCK.value,
            "screened_at": dt.datetime.now(dt.UTC).isoformat(),
        },
    }
