"""The engine does no I/O: screening works with the network and the file system switched off."""

from __future__ import annotations

import builtins
import socket
from typing import Any

import pytest

from forced_labour_guard import Guard, PurchaseOrder
from forced_labour_guard.model import Action
from tests.conftest import load_example


def test_screening_touches_neither_disk_nor_network(monkeypatch: pytest.MonkeyPatch) -> None:
    guard = Guard.default()  # loading reference data is allowed to read files: it happens here
    orders = [
        PurchaseOrder.model_validate(load_example(name))
        for name in (
            "po_a1_supplier_in_region.json",
            "po_a2_subsidiary_in_region.json",
            "po_a4_input_from_region.json",
            "po_nested_sub_supplier.json",
            "po_clean.json",
        )
    ]

    def forbidden(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError(f"I/O attempted during screening: {args!r}")

    monkeypatch.setattr(builtins, "open", forbidden)
    monkeypatch.setattr(socket, "socket", forbidden)
    monkeypatch.setattr(socket, "create_connection", forbidden)
    decisions = [guard.check_purchase_order(order) for order in orders]
    assert decisions[0].action is Action.BLOCK
    assert all(f.code.value != "SCREENING_UNAVAILABLE" for d in decisions for f in d.findings)
