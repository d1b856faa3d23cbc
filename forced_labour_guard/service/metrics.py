"""Prometheus metrics: decisions by action, findings by code, request latency, errors.

Each application gets its own registry (several apps in one test process must not collide). With
several workers, ``flg serve`` points ``PROMETHEUS_MULTIPROC_DIR`` at a fresh folder before the
workers start; prometheus_client then keeps every worker's values in that folder and ``/metrics``
adds them up, so a scrape sees the whole service whichever worker answers it.
"""

from __future__ import annotations

from typing import Final

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector

from forced_labour_guard import settings as environment
from forced_labour_guard.model import Decision

CONTENT_TYPE: Final = "text/plain; version=0.0.4; charset=utf-8"
LATENCY_BUCKETS: Final = (0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
"""Seconds; dense below 20 ms, where a purchase-order check should land."""

ERROR_KINDS: Final = (
    "unauthorized",
    "body_too_large",
    "invalid_input",
    "timeout",
    "internal",
    "startup",
    "unavailable",
)
"""``unavailable`` counts answers carrying SCREENING_UNAVAILABLE, whatever caused them; the others
count requests refused or failed for that reason."""


class Metrics:
    """The service's counters and histogram, registered in a registry of their own."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.decisions = Counter(
            "flg_decisions",
            "Decisions answered, by endpoint and action.",
            ["endpoint", "action"],
            registry=self.registry,
        )
        self.findings = Counter(
            "flg_findings",
            "Findings in answered decisions, by finding code.",
            ["code"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "flg_request_duration_seconds",
            "Time from request received to response finished, by route.",
            ["route"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.errors = Counter(
            "flg_errors",
            "Requests refused or answered fail-closed, by kind.",
            ["kind"],
            registry=self.registry,
        )

    def decision(self, endpoint: str, decision: Decision) -> None:
        self.decisions.labels(endpoint=endpoint, action=decision.action.value).inc()
        for finding in decision.findings:
            self.findings.labels(code=finding.code.value).inc()

    def error(self, kind: str) -> None:
        self.errors.labels(kind=kind).inc()

    def exposition(self) -> bytes:
        """The Prometheus text format: every worker's values when several share a folder."""
        folder = environment.PROMETHEUS_MULTIPROC_DIR.get()
        if folder:
            registry = CollectorRegistry()
            MultiProcessCollector(registry, path=folder)  # type: ignore[no-untyped-call]
            return generate_latest(registry)
        return generate_latest(self.registry)
