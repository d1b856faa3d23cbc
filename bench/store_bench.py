"""Audit store throughput on both backends: appends per second (one process, then several at once)
and the time to verify 100,000 entries.

Run from the repository root::

    python bench/store_bench.py                  # SQLite, and PostgreSQL if its programs exist
    python bench/store_bench.py --dir /data/tmp  # SQLite on another disk
    python bench/store_bench.py --postgres postgresql://flg@db/bench   # an existing server

Each append is one decision with two findings, written in its own transaction under the store's
write lock (SQLite ``BEGIN IMMEDIATE``, PostgreSQL an advisory lock), exactly as the audited Guard
writes it. The SQLite target is at least 2,000 appends per second from one process with the
default ``synchronous=NORMAL``; ``FULL`` (a disk sync per commit) is shown too. Without
``--postgres`` a throwaway local cluster is started with fsync on (durable commits), as a server
would run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from forced_labour_guard.model import (
    Action,
    Decision,
    Finding,
    FindingCode,
    ListVersion,
)
from forced_labour_guard.store import DecisionRecord, SqlStore, open_store
from forced_labour_guard.store.database import Synchronous
from tests.postgres_cluster import cluster, fresh_database, server_programs

TARGET_APPENDS_PER_SECOND = 2000


def sample_decision(number: int) -> Decision:
    supplier = f"S-{number % 997}"
    findings = [
        Finding(
            code=FindingCode.A4,
            subject="lines[0].inputs[0]",
            detail=f"Cotton for order line 1 from supplier {supplier} is reported to be from Aksu.",
            steps=["B4"],
            supplier_id=supplier,
        ),
        Finding(
            code=FindingCode.POSSIBLE_MATCH,
            subject="supplier",
            detail=f"{supplier} resembles a listed entity (score 0.81); someone must check.",
            score=0.81,
            steps=["A"],
            supplier_id=supplier,
        ),
    ]
    return Decision(
        action=Action.WARN,
        findings=findings,
        steps=["A", "B4"],
        reasons=[finding.detail for finding in findings],
        screened_at=dt.datetime.now(dt.UTC),
        list_versions=[ListVersion(name="UFLPA Entity List", as_of=dt.date(2026, 1, 15))],
        subject=f"PO-{number}",
        policy_version="default",
    )


def _append(
    path: str,
    count: int,
    offset: int,
    synchronous: Synchronous = "NORMAL",
    ready: Any = None,
    go: Any = None,
) -> None:
    store = SqlStore(path, synchronous=synchronous)
    decisions = [sample_decision(number) for number in range(offset, offset + count)]
    if ready is not None and go is not None:
        ready.release()
        go.wait()
    for number, decision in enumerate(decisions, start=offset):
        store.append_decision(
            decision,
            record_kind="purchase_order",
            record_hash=f"{number:064x}",
            record_id=decision.subject,
            supplier_id=decision.findings[0].supplier_id,
        )
    store.close()


def single(path: str, count: int, synchronous: Synchronous = "NORMAL") -> float:
    open_store(path).close()
    started = time.perf_counter()
    _append(path, count, 0, synchronous)
    return count / (time.perf_counter() - started)


def parallel(path: str, count: int, processes: int) -> tuple[float, int, bool]:
    open_store(path).close()
    context = multiprocessing.get_context("spawn")
    per_process = count // processes
    ready, go = context.Semaphore(0), context.Event()
    workers = [
        context.Process(
            target=_append, args=(path, per_process, index * per_process, "NORMAL", ready, go)
        )
        for index in range(processes)
    ]
    for worker in workers:
        worker.start()
    for _ in workers:  # time the appending, not interpreter start-up
        ready.acquire()
    started = time.perf_counter()
    go.set()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    store = open_store(path)
    report = store.verify()
    store.close()
    return per_process * processes / elapsed, report.entries, report.ok


def verify_time(path: str, entries: int) -> tuple[float, bool]:
    store = open_store(path)
    batch = 1000
    for start in range(0, entries, batch):
        records = []
        for number in range(start, min(start + batch, entries)):
            decision = sample_decision(number)
            records.append(
                DecisionRecord(
                    decision, "purchase_order", f"{number:064x}", decision.subject, "S-1"
                )
            )
        store.append_decisions(records)
    started = time.perf_counter()
    report = store.verify()
    elapsed = time.perf_counter() - started
    store.close()
    return elapsed, report.ok and report.entries == entries


def run_backend(name: str, new_location: Any, args: argparse.Namespace) -> None:
    """Print the figures for one backend; ``new_location(label)`` gives an empty store location."""
    normal = single(new_location("single"), args.appends)
    met = "met" if normal >= TARGET_APPENDS_PER_SECOND else "NOT met"
    target = f" (target >= {TARGET_APPENDS_PER_SECOND}: {met})" if name == "sqlite" else ""
    print(f"{name:10} single process:          {normal:8.0f} appends/s{target}")
    if name == "sqlite":
        full = single(new_location("full"), max(args.appends // 5, 200), "FULL")
        print(f"{name:10} single, synchronous=FULL: {full:8.0f} appends/s")
    rate, entries, ok = parallel(new_location("parallel"), args.appends, args.processes)
    print(
        f"{name:10} {args.processes} processes at once:    {rate:8.0f} appends/s in total "
        f"({entries} entries, chain {'valid' if ok else 'BROKEN'})"
    )
    seconds, ok = verify_time(new_location("verify"), args.verify_entries)
    print(
        f"{name:10} verify {args.verify_entries:,} entries:  {seconds:8.2f} s "
        f"(chain {'valid' if ok else 'BROKEN'})"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--appends", type=int, default=5000)
    parser.add_argument("--processes", type=int, default=4)
    parser.add_argument("--verify-entries", type=int, default=100_000)
    parser.add_argument("--dir", help="directory on the disk to measure (default: system temp)")
    parser.add_argument("--postgres", metavar="URL", help="a PostgreSQL server to measure")
    parser.add_argument("--no-postgres", action="store_true", help="measure SQLite only")
    args = parser.parse_args()
    directory = Path(tempfile.mkdtemp(prefix="flg-store-bench-", dir=args.dir))
    try:
        run_backend("sqlite", lambda label: str(directory / f"{label}.db"), args)
    finally:
        shutil.rmtree(directory, ignore_errors=True)
    if args.no_postgres:
        return 0
    if args.postgres:
        run_backend("postgresql", lambda _label: fresh_database(args.postgres), args)
        return 0
    programs = server_programs()
    if programs is None:
        print("postgresql: skipped (no PostgreSQL server programs here; pass --postgres URL)")
        return 0
    with cluster(programs, durable=True) as server:
        run_backend("postgresql", lambda _label: fresh_database(server), args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
