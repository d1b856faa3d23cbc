"""End to end against a fake SAP Gateway on 127.0.0.1: business events in, blocks set in "SAP",
decisions and writes recorded, the audit chain verified.

    python examples/sap/run_demo.py

The fake Gateway is the one the tests use (``tests/adapters/sap/gateway.py``): it serves SAP's
real ``$metadata`` for API_BUSINESS_PARTNER and API_PURCHASEORDER_PROCESS_SRV and behaves like SAP
Gateway (CSRF tokens, session cookies, paging, SAP error bodies). Run from the repository root.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))  # the repository root, for tests.adapters.sap

from forced_labour_guard.cli import main  # noqa: E402
from tests.adapters.sap.fixtures import dataset  # noqa: E402
from tests.adapters.sap.gateway import FakeGateway  # noqa: E402


def run() -> int:
    gateway = FakeGateway(dataset("iso_letters"), users={"FLG_COMM": "demo-password"})
    os.environ["FLG_SAP_PASSWORD"] = "demo-password"
    with gateway.running(), tempfile.TemporaryDirectory() as work:
        config = Path(work) / "sap.toml"
        text = (HERE / "sap.toml").read_text(encoding="utf-8")
        config.write_text(text.replace("https://my-s4.example.com", gateway.url), encoding="utf-8")
        store = str(Path(work) / "audit.db")
        print("== business events in (the repeated event is processed once)", flush=True)
        status = main(
            [
                "sap",
                "events",
                str(HERE / "events.json"),
                "--config",
                str(config),
                "--store",
                store,
                "--enforce",
            ]
        )
        print("== purchasing blocks now set in SAP", flush=True)
        for row in gateway.data["A_Supplier"]:
            if row["PurchasingIsBlocked"]:
                print(f"A_Supplier {row['Supplier']} {row['SupplierName']}: PurchasingIsBlocked")
        for row in gateway.data["A_SupplierPurchasingOrg"]:
            if row["PurchasingIsBlockedForSupplier"]:
                print(
                    f"A_SupplierPurchasingOrg {row['Supplier']}/{row['PurchasingOrganization']}: "
                    "PurchasingIsBlockedForSupplier"
                )
        print("== the audit trail", flush=True)
        status = status or main(["audit", "verify", "--store", store])
        print("== nightly batch, dry run (nothing more to change)", flush=True)
        status = status or main(
            [
                "sap",
                "screen-suppliers",
                "--config",
                str(config),
                "--store",
                store,
                "--dry-run",
                "--supplier",
                "17300001",
            ]
        )
    return status


if __name__ == "__main__":
    raise SystemExit(run())
