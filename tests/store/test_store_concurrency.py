"""Several processes appending at once lose nothing and keep one chain; a killed writer harms nothing."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from store_helpers import decision, finding

from forced_labour_guard.store import open_store

PROCESSES = 8
PER_PROCESS = 500
REPO = Path(__file__).resolve().parents[2]


def _append_many(path: str, worker: int, start: multiprocessing.synchronize.Event) -> None:
    start.wait()
    store = open_store(path)  # all eight create and migrate the new store at the same moment
    for number in range(PER_PROCESS):
        store.append_decision(
            decision(finding(supplier_id=f"W{worker}"), subject=f"PO-{worker}-{number}"),
            record_kind="purchase_order",
            record_hash=f"{worker:032d}{number:032d}",
            record_id=f"PO-{worker}-{number}",
            supplier_id=f"W{worker}",
        )
    store.close()


def test_eight_processes_appending_keep_one_valid_chain(store_url: str) -> None:
    path = store_url
    context = multiprocessing.get_context("fork")
    start = context.Event()
    workers = [
        context.Process(target=_append_many, args=(path, worker, start))
        for worker in range(PROCESSES)
    ]
    for process in workers:
        process.start()
    start.set()
    for process in workers:
        process.join(timeout=300)
        assert process.exitcode == 0
    store = open_store(path)
    report = store.verify()
    assert report.ok, report
    assert report.entries == PROCESSES * PER_PROCESS
    ids = [row.record_id for row in store.rows()]
    assert len(set(ids)) == PROCESSES * PER_PROCESS
    for worker in range(PROCESSES):
        mine = [i for i in ids if i is not None and i.startswith(f"PO-{worker}-")]
        assert mine == [f"PO-{worker}-{n}" for n in range(PER_PROCESS)]  # each in its own order


_WRITER = """
import sys
sys.path[:0] = [{tests!r}, {repo!r}]
from store_helpers import decision, finding
from forced_labour_guard.store import DecisionRecord, open_store
store = open_store({path!r})
batch = [
    DecisionRecord(decision(finding(), subject=f"PO-{{n}}"), "purchase_order", "b" * 64, f"PO-{{n}}", "S-1")
    for n in range({batch})
]
while True:
    store.append_decisions(batch)
"""


def test_writer_killed_mid_write_leaves_a_valid_store(store_url: str) -> None:
    path = store_url
    batch = 50
    open_store(path).close()
    script = _WRITER.format(
        tests=str(Path(__file__).parent), repo=str(REPO), path=str(path), batch=batch
    )
    committed = 0
    for round_number in range(3):
        writer = subprocess.Popen([sys.executable, "-c", script])
        try:
            store = open_store(path)
            deadline = time.monotonic() + 60
            target = (round_number + 1) * 20 * batch
            while store.count() < target:
                assert writer.poll() is None, "the writer died on its own"
                assert time.monotonic() < deadline, "the writer made no progress"
                time.sleep(0.005)
            committed = store.count()
            store.close()
        finally:
            os.kill(writer.pid, signal.SIGKILL)
            writer.wait()
        assert writer.returncode == -signal.SIGKILL
    store = open_store(path)
    report = store.verify()
    assert report.ok, report
    assert report.entries % batch == 0, "a half-written batch survived the kill"
    assert report.entries >= committed, "a committed entry was lost"
    store.append_decision(
        decision(finding()),
        record_kind="supplier",
        record_hash="c" * 64,
        record_id=None,
        supplier_id="S-1",
    )
    assert store.verify().ok


_HOLDER = """
import sys, time
sys.path[:0] = [{tests!r}, {repo!r}]
from store_helpers import decision, finding
from forced_labour_guard.store import open_store
store = open_store({path!r})
for n in range(20):
    entry = store.append_decision(
        decision(finding(), subject=f"PO-{{n}}"), record_kind="purchase_order",
        record_hash="d" * 64, record_id=f"PO-{{n}}", supplier_id="S-1")
    print(f"acknowledged {{entry.seq}} {{entry.entry_hash}}", flush=True)
with store.db.transaction():
    store.append_decision(
        decision(finding(), subject="PO-never"), record_kind="purchase_order",
        record_hash="e" * 64, record_id="PO-never", supplier_id="S-1")
    print("inside", flush=True)
    time.sleep(120)
"""


def test_writer_killed_inside_a_transaction_loses_nothing_acknowledged(store_url: str) -> None:
    """Every append the writer was told had succeeded survives; the one in flight leaves no trace
    and its lock goes with it, so the next writer is not blocked."""
    open_store(store_url).close()
    script = _HOLDER.format(tests=str(Path(__file__).parent), repo=str(REPO), path=store_url)
    writer = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    acknowledged: list[tuple[int, str]] = []
    try:
        assert writer.stdout is not None
        for line in writer.stdout:
            if line.startswith("inside"):
                break
            _, seq, entry_hash = line.split()
            acknowledged.append((int(seq), entry_hash))
    finally:
        os.kill(writer.pid, signal.SIGKILL)
        writer.wait()
    assert len(acknowledged) == 20
    with open_store(store_url) as store:
        store.append_decision(
            decision(finding()),
            record_kind="supplier",
            record_hash="c" * 64,
            record_id=None,
            supplier_id="S-1",
        )
        report = store.verify()
        rows = list(store.rows())
    assert report.ok, report
    assert [(row.seq, row.entry_hash) for row in rows[:20]] == acknowledged
    assert len(rows) == 21 and "PO-never" not in {row.record_id for row in rows}
