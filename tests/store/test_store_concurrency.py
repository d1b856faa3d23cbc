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

from forced_labour_guard.store import SqliteStore

PROCESSES = 8
PER_PROCESS = 500
REPO = Path(__file__).resolve().parents[2]


def _append_many(path: str, worker: int, start: multiprocessing.synchronize.Event) -> None:
    start.wait()
    store = SqliteStore(path)  # all eight create and migrate the new file at the same moment
    for number in range(PER_PROCESS):
        store.append_decision(
            decision(finding(supplier_id=f"W{worker}"), subject=f"PO-{worker}-{number}"),
            record_kind="purchase_order",
            record_hash=f"{worker:032d}{number:032d}",
            record_id=f"PO-{worker}-{number}",
            supplier_id=f"W{worker}",
        )
    store.close()


def test_eight_processes_appending_keep_one_valid_chain(tmp_path: Path) -> None:
    path = str(tmp_path / "audit.db")
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
        process.join(timeout=120)
        assert process.exitcode == 0
    store = SqliteStore(path)
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
from forced_labour_guard.store import DecisionRecord, SqliteStore
store = SqliteStore({path!r})
batch = [
    DecisionRecord(decision(finding(), subject=f"PO-{{n}}"), "purchase_order", "b" * 64, f"PO-{{n}}", "S-1")
    for n in range({batch})
]
while True:
    store.append_decisions(batch)
"""


def test_writer_killed_mid_write_leaves_a_valid_store(tmp_path: Path) -> None:
    path = tmp_path / "audit.db"
    batch = 50
    SqliteStore(path).close()
    script = _WRITER.format(
        tests=str(Path(__file__).parent), repo=str(REPO), path=str(path), batch=batch
    )
    committed = 0
    for round_number in range(3):
        writer = subprocess.Popen([sys.executable, "-c", script])
        try:
            store = SqliteStore(path)
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
    store = SqliteStore(path)
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
