"""The SAP adapter's cost per record: mapping alone, and read + map + screen against the fake SAP
Gateway on 127.0.0.1 (three OData calls per supplier, four per order).

Prints records per second and p50/p99 latency. A benchmark, not a test: figures depend on the
machine and on loopback, and a real S/4HANA answers far slower than the fake one, so read the HTTP
figure as the adapter's own overhead.

    python bench/sap_bench.py [--rounds N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests.adapters.sap

from forced_labour_guard.adapters.sap.adapter import SapAdapter
from forced_labour_guard.adapters.sap.mapping import map_supplier
from forced_labour_guard.adapters.sap.s4 import S4Client
from forced_labour_guard.adapters.sap.settings import SapSettings
from forced_labour_guard.guard import Guard
from tests.adapters.sap.fixtures import dataset
from tests.adapters.sap.gateway import FakeGateway


def _measure(label: str, rounds: int, work: Callable[[int], object]) -> None:
    latencies = []
    for round_ in range(rounds):
        t0 = time.perf_counter()
        work(round_)
        latencies.append(time.perf_counter() - t0)
    total = sum(latencies)
    p99 = statistics.quantiles(latencies, n=100)[98] * 1000 if len(latencies) > 1 else 0.0
    print(
        f"{label:<38} {rounds / total:>9.1f}/s  p50 {statistics.median(latencies) * 1000:7.2f} ms"
        f"  p99 {p99:7.2f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    os.environ["FLG_BENCH_SAP_PASSWORD"] = "bench"
    gateway = FakeGateway(dataset(), users={"FLG": "bench"}, page_size=100)
    with gateway.running():
        settings = SapSettings.model_validate(
            {
                "base_url": gateway.url,
                "sap_client": "100",
                "auth": {"kind": "basic", "user": "FLG", "password_env": "FLG_BENCH_SAP_PASSWORD"},
                "regions": {"scheme": "iso_letters"},
            }
        )
        adapter = SapAdapter(S4Client.from_settings(settings), Guard.default(), settings)
        suppliers = ["17300001", "17300002", "17300003", "17300004", "17300005"]
        records = [adapter.read_supplier(number)[0] for number in suppliers]
        _measure(
            "map one supplier (no I/O)",
            args.rounds * 10,
            lambda i: map_supplier(records[i % len(records)], adapter.regions),
        )
        _measure(
            "read + map + screen a supplier (HTTP)",
            args.rounds,
            lambda i: adapter.screen_supplier(suppliers[i % len(suppliers)]),
        )
        orders = ["4500000001", "4500000002", "4500000003", "4500000004"]
        _measure(
            "read + map + screen an order (HTTP)",
            args.rounds,
            lambda i: adapter.check_purchase_order(orders[i % len(orders)]),
        )


if __name__ == "__main__":
    main()
