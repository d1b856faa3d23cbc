"""``GET /healthz`` (the process answers), ``GET /readyz`` (it can screen completely) and
``GET /metrics`` (Prometheus text format). No token: probes and scrapers call these."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path
from typing import Final

from fastapi import APIRouter, Request, Response

from forced_labour_guard.service.metrics import CONTENT_TYPE
from forced_labour_guard.service.redact import redact_paths
from forced_labour_guard.service.runner import ScreeningFailed, store_problem
from forced_labour_guard.service.schemas import Check, Health, Readiness
from forced_labour_guard.service.state import service_state
from forced_labour_guard.store.audited import AuditedGuard

router = APIRouter(tags=["health"])
STORE_CHECK_TIMEOUT: Final = 2.0


def readable(path: str) -> str | None:
    """Why the list file at ``path`` cannot be read now, or None."""
    try:
        with Path(path).open("rb") as handle:
            handle.read(1)
    except OSError as error:
        return f"cannot be read ({error.strerror})"
    return None


def list_checks(paths: Sequence[str]) -> list[Check]:
    checks = []
    for path in paths:
        problem = readable(path)
        checks.append(Check(name=f"list {Path(path).name}", ok=problem is None, detail=problem))
    return checks


@router.get("/healthz", response_model=Health, summary="The process is up")
async def healthz() -> Health:
    return Health()


@router.get(
    "/readyz",
    response_model=Readiness,
    responses={503: {"model": Readiness, "description": "Not ready: see the failed checks."}},
    summary="Every configured list and the store can be read",
)
async def readyz(request: Request) -> Response:
    """503 while the Guard is not set up, a configured list failed to load or cannot be read
    now, or the audit store cannot be read; a load balancer then sends ERPs elsewhere."""
    state = service_state(request)
    runner = state.runner
    guard = runner.guard
    checks = [
        Check(
            name="guard",
            ok=runner.screener is not None,
            detail=redact_paths(runner.startup_problem) if runner.startup_problem else None,
        )
    ]
    checks += [
        Check(name="list loading", ok=False, detail=redact_paths(problem))
        for problem in ((*guard.problems, *guard.list_problems) if guard else ())
    ]
    checks += await asyncio.to_thread(list_checks, state.list_paths)
    if isinstance(runner.screener, AuditedGuard):
        try:
            problem = await runner.call(store_problem, STORE_CHECK_TIMEOUT)
        except ScreeningFailed as failure:
            problem = f"the audit store did not answer ({failure})"
        checks.append(
            Check(
                name="store", ok=problem is None, detail=redact_paths(problem) if problem else None
            )
        )
    ready = all(check.ok for check in checks)
    body = Readiness(ready=ready, checks=checks)
    return Response(
        body.model_dump_json(), status_code=200 if ready else 503, media_type="application/json"
    )


@router.get(
    "/metrics",
    response_class=Response,
    responses={200: {"content": {"text/plain": {"schema": {"type": "string"}}}}},
    summary="Prometheus metrics",
)
async def metrics(request: Request) -> Response:
    return Response(service_state(request).metrics.exposition(), media_type=CONTENT_TYPE)
