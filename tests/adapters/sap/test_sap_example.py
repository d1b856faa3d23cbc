"""examples/sap/run_demo.py runs end to end: events in, blocks set, decisions recorded, chain intact."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_the_sap_demo_runs_end_to_end() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "sap" / "run_demo.py")],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert '"status": "duplicate"' in out
    assert "A_Supplier 17300001 Tianshan Cotton Spinning Co., Ltd.: PurchasingIsBlocked" in out
    assert "A_SupplierPurchasingOrg 17300001/1010: PurchasingIsBlockedForSupplier" in out
    assert "A_Supplier 17300003" not in out
    assert "chain intact" in out
