"""One AuditedGuard, with the campaign provider and the B4 queue, serves several threads at once
(issue 10: a decision made from a server's worker thread must not fail closed because of threads)."""

from __future__ import annotations

import gc
import json
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from forced_labour_guard.guard import Guard
from forced_labour_guard.instructions.pending import queue_b4_for
from forced_labour_guard.instructions.provider import provider_for_store
from forced_labour_guard.model import Decision, FindingCode, PurchaseOrder, Supplier
from forced_labour_guard.store import open_store
from forced_labour_guard.store.audited import AuditedGuard

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
THREADS = 8
PER_THREAD = 12


def test_one_audited_guard_screens_from_many_threads_without_failing_closed(
    store_url: str,
) -> None:
    location = store_url
    provider = provider_for_store(location)
    assert provider is not None
    store = open_store(location)
    guard = AuditedGuard(
        Guard.default(b4_status=provider), store, on_decision=[queue_b4_for(provider.store)]
    )
    a4_order = PurchaseOrder.model_validate(
        json.loads((EXAMPLES / "po_a4_input_from_region.json").read_text(encoding="utf-8"))
    )

    def work(thread: int) -> list[Decision]:
        decisions = []
        for n in range(PER_THREAD):
            if n % 3 == 0:
                decisions.append(guard.check_purchase_order(a4_order))
            else:
                supplier = Supplier(id=f"T{thread}-{n}", name=f"Harbour Tools {thread} {n} GmbH")
                decisions.append(guard.screen_supplier(supplier))
        return decisions

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        decisions = [d for batch in pool.map(work, range(THREADS)) for d in batch]

    unavailable = [
        f.detail
        for d in decisions
        for f in d.findings
        if f.code is FindingCode.SCREENING_UNAVAILABLE
    ]
    assert unavailable == []
    assert [w for d in decisions for w in d.warnings if "follow-up" in w] == []
    report = store.verify()
    assert report.ok, report
    assert report.entries == THREADS * PER_THREAD
    assert [p.supplier_key for p in provider.store.pending()] == [a4_order.supplier.id]
    store.close()
    provider.store.close()


def test_connections_of_finished_threads_are_closed(store_url: str) -> None:
    """A server whose worker threads come and go must not pile up open connections."""
    with open_store(store_url) as store:
        store.first_seen(["S-1"])  # this thread's connection
        for _ in range(20):
            worker = threading.Thread(target=store.first_seen, args=(["S-1"],))
            worker.start()
            worker.join()
        gc.collect()
        assert store.db.open_connections == 1
