"""Screen a purchase order from Python, the way an ERP hook would.

Run from the repository root:  python examples/quickstart.py
"""

from __future__ import annotations

import json
from pathlib import Path

from forced_labour_guard import Guard, PurchaseOrder, Supplier

HERE = Path(__file__).parent


def main() -> None:
    guard = Guard.default()  # bundled UFLPA list snapshot + default policy, no network

    # 1. A purchase order whose supplier sits in Urumqi: blocked at once (A1 -> B1).
    payload = json.loads((HERE / "po_a1_supplier_in_region.json").read_text(encoding="utf-8"))
    decision = guard.check_purchase_order(PurchaseOrder.model_validate(payload))
    print(decision.action.value, [f.code.value for f in decision.findings])
    for reason in decision.reasons:
        print("  -", reason)

    # 2. A supplier record on its own, e.g. when master data changes.
    supplier = Supplier.model_validate(
        {
            "id": "V-60001",
            "name": "Porto Linen Mills S.A.",
            "country": "PT",
            "addresses": [{"city": "Porto", "country": "PT"}],
        }
    )
    clean = guard.screen_supplier(supplier)
    print(clean.action.value, clean.reasons[0])
    for warning in clean.warnings:
        print("  !", warning)

    # 3. The Decision is plain data: store it, send it to the ERP, or print it as JSON.
    print(decision.model_dump_json(indent=2)[:400], "...")


if __name__ == "__main__":
    main()
