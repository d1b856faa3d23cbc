"""The FastAPI application: one per worker process, with one Guard built at start-up.

``create_app`` takes the settings and a function that builds the Guard (tests pass their own);
``app_from_environment`` is what uvicorn calls in each worker started by ``flg serve``: it reads the
settings passed down in ``FLG_SERVICE_CONFIG`` and builds the Guard with the screening commands'
own builder (``cli.common.build_guard``), so the service and ``flg check-po`` always agree.

Answers never carry a stack trace or an internal path: refusals are ``{"error", "field",
"request_id"}``, an unexpected error is a bare 500 with the request id (the traceback goes to the
log under that id), and decisions have their paths redacted. No CORS headers are ever sent: the
callers are servers, and a browser page on another origin has no business calling the service.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from forced_labour_guard import __version__
from forced_labour_guard import settings as environment
from forced_labour_guard.cli.common import GuardOptions
from forced_labour_guard.errors import InputError
from forced_labour_guard.lists.refresh import default_lists_dir, snapshot_path
from forced_labour_guard.lists.setup import UFLPA_SNAPSHOT_NAME, configured_list_paths
from forced_labour_guard.model import PurchaseOrder, Supplier
from forced_labour_guard.service.auth import TokenVerifier, Unauthorized
from forced_labour_guard.service.config import ServiceSettings, from_workers_environment
from forced_labour_guard.service.limits import BodyTooLarge
from forced_labour_guard.service.metrics import Metrics
from forced_labour_guard.service.request_context import (
    RequestContextMiddleware,
    current_request_id,
)
from forced_labour_guard.service.routes import v1_router
from forced_labour_guard.service.routes.health import router as health_router
from forced_labour_guard.service.runner import GuardRunner, Screener
from forced_labour_guard.service.schemas import ErrorBody
from forced_labour_guard.service.state import ServiceState

log = logging.getLogger(__name__)
TITLE = "forced_labour_guard decision service"
DESCRIPTION = (
    "Screens purchase orders and suppliers for links to forced labour in the Uyghur Region and "
    "answers allow, warn or block with explained findings. Block: refuse to save or release. "
    "Warn: save and route to review. An error, a time-out or no answer: treat as block."
)
REQUEST_MODELS = (PurchaseOrder, Supplier)
"""Input models whose schemas the OpenAPI document carries (the routes read bodies themselves)."""


def _error(status: int, message: str, field: str | None = None, **headers: str) -> JSONResponse:
    body = ErrorBody(error=message, field=field, request_id=current_request_id())
    return JSONResponse(body.model_dump(), status_code=status, headers=headers or None)


def create_app(
    settings: ServiceSettings,
    build: Callable[[], Screener],
    *,
    list_paths: Sequence[str] = (),
    max_list_age: int = 90,
) -> FastAPI:
    """An application whose lifespan builds the Guard with ``build`` and closes its stores."""
    metrics = Metrics()
    runner = GuardRunner(build, timeout=settings.request_timeout)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await runner.start()
        log.info("ready on %s:%d", settings.host, settings.port)
        yield
        await runner.close(settings.shutdown_grace)
        log.info("stopped")

    app = FastAPI(
        title=TITLE,
        description=DESCRIPTION,
        version=__version__,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.service = ServiceState(
        settings=settings,
        runner=runner,
        metrics=metrics,
        verifier=TokenVerifier(settings.token_hashes),
        list_paths=tuple(list_paths),
        max_list_age=max_list_age,
    )
    app.include_router(health_router)
    app.include_router(v1_router())
    _add_error_handlers(app, metrics)
    app.add_middleware(RequestContextMiddleware, metrics=metrics)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


def _add_error_handlers(app: FastAPI, metrics: Metrics) -> None:
    async def unauthorized(_: Request, __: Exception) -> JSONResponse:
        metrics.error("unauthorized")
        return _error(401, "unauthorized", **{"WWW-Authenticate": "Bearer"})

    async def too_large(_: Request, error: Exception) -> JSONResponse:
        metrics.error("body_too_large")
        log.info("refused 413: %s", error)
        return _error(413, str(error))

    async def invalid(_: Request, error: Exception) -> JSONResponse:
        metrics.error("invalid_input")
        log.info("refused 422: %s", error)
        path = error.path if isinstance(error, InputError) else None
        return _error(422, str(error), path)

    async def http_error(_: Request, error: Exception) -> JSONResponse:
        status = error.status_code if isinstance(error, HTTPException) else 500
        detail = error.detail if isinstance(error, HTTPException) else "internal error"
        return _error(status, str(detail))

    app.add_exception_handler(Unauthorized, unauthorized)
    app.add_exception_handler(BodyTooLarge, too_large)
    app.add_exception_handler(InputError, invalid)
    app.add_exception_handler(HTTPException, http_error)


def _openapi(app: FastAPI) -> dict[str, Any]:
    """FastAPI's document, plus the schemas of the request models (from the pydantic models that
    define the contract, as ``flg schema`` prints them)."""
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(
        title=app.title, version=app.version, description=app.description, routes=app.routes
    )
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for model in REQUEST_MODELS:
        model_schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        components.update(model_schema.pop("$defs", {}))
        components[model.__name__] = model_schema
    app.openapi_schema = schema
    return schema


def configured_list_files(options: GuardOptions) -> list[str]:
    """The list files the Guard reads: a refreshed UFLPA copy if one is stored, then the others
    (the same set ``build_guard`` loads), for ``/readyz`` to keep checking."""
    lists_dir = Path(options.lists_dir) if options.lists_dir else default_lists_dir()
    paths = configured_list_paths(lists_dir, options.lists)
    uflpa = snapshot_path(lists_dir, UFLPA_SNAPSHOT_NAME)
    return [str(uflpa), *paths] if uflpa.is_file() else paths


def app_from_environment() -> FastAPI:
    """The factory uvicorn calls in each worker (``flg serve``); the Guard checks the stored lists
    for a new version every $FLG_LIST_CHECK_SECONDS when that is set."""
    settings, options = from_workers_environment()
    check_seconds = environment.list_check_seconds()
    return create_app(
        settings,
        lambda: options.build(list_check_seconds=check_seconds),
        list_paths=configured_list_files(options),
        max_list_age=options.max_list_age,
    )
