"""End-to-end throughput of Guard.check_purchase_order on the bundled examples.

Prints purchase orders screened per second and p50/p99 latency. A benchmark, not a test: figures
depend on the machine, so nothing here asserts a time.

    python bench/guard_bench.py [--rounds N]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from forced_labour_guard import Guard, PurchaseOrder

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=2000)
    args = parser.parse_args()

    started = time.perf_counter()
    guard = Guard.default()
    build_ms = (time.perf_counter() - started) * 1000
    orders = [
        PurchaseOrder.model_validate(json.loads(path.read_text(encoding="utf-8")))
        for path in sorted(EXAMPLES.glob("po_*.json"))
        if path.name != "po_malformed.json"
    ]
    latencies = []
    for round_ in range(args.rounds):
        order = orders[round_ % len(orders)]
        t0 = time.perf_counter()
        guard.check_purchase_order(order)
        latencies.append(time.perf_counter() - t0)
    latencies.sort()
    total = sum(latencies)
    print(f"Guard.default() build:        {build_ms:8.1f} ms")
    print(f"orders screened:              {len(latencies):8d} ({len(orders)} distinct examples)")
    print(f"throughput:                   {len(latencies) / total:8.0f} orders/s")
    print(f"latency p50:                  {statistics.median(latencies) * 1000:8.3f} ms")
    print(
        f"latency p99:                  {latencies[int(len(latencies) * 0.99) - 1] * 1000:8.3f} ms"
    )


if __name__ == "__main__":
    main()
