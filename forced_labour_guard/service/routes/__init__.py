"""The service's endpoints, one module per group, each exposing ``router`` (a FastAPI APIRouter).

``V1_MODULES`` are mounted under ``/v1`` behind the bearer token; adding an endpoint group (the
SAP adapter's events, say) is one module here and one name in that tuple. ``health`` (``/healthz``,
``/readyz``, ``/metrics``) stays outside ``/v1`` and needs no token, so probes and scrapers work;
restrict those paths at the proxy if they must not be reachable from outside.
"""

from __future__ import annotations

import importlib
from typing import Final

from fastapi import APIRouter, Depends

from forced_labour_guard.service.auth import require_token
from forced_labour_guard.service.routes.answers import UNAUTHORIZED

V1_MODULES: Final = ("screening", "sap", "lists")


def v1_router() -> APIRouter:
    """Every ``/v1`` route, each behind the bearer-token check."""
    router = APIRouter(prefix="/v1", dependencies=[Depends(require_token)], responses=UNAUTHORIZED)
    for name in V1_MODULES:
        module = importlib.import_module(f"forced_labour_guard.service.routes.{name}")
        router.include_router(module.router)
    return router
