"""Requests per second and p50/p99 latency of the HTTP decision service, beside the in-process Guard.

Starts ``flg serve`` (two workers by default) on 127.0.0.1 at a free port as a child process, then
drives it from this process over loopback with 1, 8 and 32 concurrent clients (one keep-alive
connection each), all sending the same 20-line purchase order, for ``--seconds`` per level. Prints
the figures and the in-process ``Guard.check_purchase_order`` time for the same order, so the HTTP
overhead reads as a ratio. A benchmark, not a test: nothing here asserts a time. Aim (issue 11):
p99 under 20 ms at 32 clients with two workers on two cores, no error in a 60-second run.

    python bench/service_bench.py [--seconds 10] [--workers 2] [--clients 1 8 32] [--store]
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from forced_labour_guard import Guard, PurchaseOrder

HS_CODES = ("6109.10", "5205.12", "8541.40", "7601.10", "3904.10", "0702.00", "6204.62", "9401.61")
ORIGINS = ("PT", "BD", "VN", "DE", "IN", "TR", "MX", "IT")


def twenty_line_order() -> dict[str, Any]:
    """A realistic order with traced inputs: a Portuguese supplier, twenty varied lines."""
    lines = []
    for number in range(20):
        lines.append(
            {
                "line_id": str(10 * (number + 1)),
                "sku": f"SKU-{number:04d}",
                "description": f"Article {number} in assorted sizes",
                "quantity": 100 + number,
                "unit_price": "4.75",
                "currency": "EUR",
                "hs_code": HS_CODES[number % len(HS_CODES)],
                "origin_country": ORIGINS[number % len(ORIGINS)],
                "inputs": [
                    {
                        "material": "cotton fibre" if number % 2 else "aluminium ingot",
                        "origin_country": ORIGINS[(number + 3) % len(ORIGINS)],
                        "producer": {"name": f"Input Producer {number} Lda", "country": "PT"},
                    }
                ],
            }
        )
    return {
        "id": "PO-BENCH-20",
        "supplier": {
            "id": "V-BENCH",
            "name": "Tecelagem do Norte Lda",
            "country": "PT",
            "addresses": [{"city": "Guimarães", "country": "PT"}],
        },
        "lines": lines,
    }


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def guard_times(order: dict[str, Any], rounds: int) -> list[float]:
    guard = Guard.default()
    po = PurchaseOrder.model_validate(order)
    guard.check_purchase_order(po)
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        guard.check_purchase_order(po)
        times.append(time.perf_counter() - started)
    return times


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start_service(
    folder: Path, port: int, token: str, workers: int, store: bool
) -> subprocess.Popen[bytes]:
    tokens = folder / "tokens"
    tokens.write_text(hashlib.sha256(token.encode()).hexdigest() + "\n", encoding="utf-8")
    args = [sys.executable, "-m", "forced_labour_guard.cli", "serve", "--port", str(port)]
    args += ["--workers", str(workers), "--token-file", str(tokens), "--log-level", "warning"]
    if store:
        args += ["--store", str(folder / "audit.db")]
    env = {**os.environ, "FLG_LISTS_DIR": str(folder / "lists")}
    env.pop("FLG_STORE", None)
    process = subprocess.Popen(args, env=env, stderr=(folder / "service.log").open("wb"))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            connection.request("GET", "/readyz")
            if connection.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit(f"the service did not start; see {folder / 'service.log'}")


def connect(port: int) -> http.client.HTTPConnection:
    """A keep-alive connection with Nagle's algorithm off, as curl and most HTTP clients have it:
    http.client sends headers and body in two writes, and with Nagle on, the body would wait for
    the server's delayed ACK (some 40 ms), which measures the client, not the service."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.connect()
    assert connection.sock is not None
    connection.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return connection


def drive(
    port: int, token: str, body: bytes, clients: int, seconds: float
) -> tuple[list[float], int]:
    """``clients`` threads, each on its own connection, posting ``body`` until time is up."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    stop_at = time.monotonic() + seconds

    def client() -> None:
        nonlocal errors
        mine: list[float] = []
        failed = 0
        connection = connect(port)
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            try:
                connection.request("POST", "/v1/purchase-orders/check", body=body, headers=headers)
                response = connection.getresponse()
                answer = response.read()
                ok = response.status == 200 and json.loads(answer)["action"] in ("allow", "warn")
            except (OSError, http.client.HTTPException, ValueError):
                ok = False
                connection.close()
                connection = connect(port)
            mine.append(time.perf_counter() - started)
            failed += 0 if ok else 1
        connection.close()
        with lock:
            latencies.extend(mine)
            errors += failed

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=10.0, help="per concurrency level")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 8, 32])
    parser.add_argument(
        "--store", action="store_true", help="record every decision in a SQLite store"
    )
    args = parser.parse_args()

    order = twenty_line_order()
    body = json.dumps(order).encode()
    in_process = guard_times(order, rounds=500)
    guard_p50 = statistics.median(in_process)
    print(
        f"20-line purchase order, {len(body)} bytes; flg serve --workers {args.workers}"
        f"{' --store' if args.store else ''}; {os.cpu_count()} CPU(s)"
    )
    print(
        f"in-process Guard.check_purchase_order: p50 {guard_p50 * 1000:.2f} ms, "
        f"p99 {percentile(in_process, 0.99) * 1000:.2f} ms"
    )
    print(
        f"{'clients':>8} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'p50/Guard':>10} {'errors':>7}"
    )

    token = secrets.token_urlsafe(24)
    with tempfile.TemporaryDirectory(prefix="flg-bench-") as folder:
        port = free_port()
        process = start_service(Path(folder), port, token, args.workers, args.store)
        try:
            drive(port, token, body, clients=4, seconds=1.0)  # warm every worker up
            for clients in args.clients:
                latencies, errors = drive(port, token, body, clients, args.seconds)
                p50 = statistics.median(latencies)
                print(
                    f"{clients:>8} {len(latencies):>9} {len(latencies) / args.seconds:>8.0f} "
                    f"{p50 * 1000:>8.2f} {percentile(latencies, 0.99) * 1000:>8.2f} "
                    f"{p50 / guard_p50:>9.1f}x {errors:>7}"
                )
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=60)


if __name__ == "__main__":
    main()
