"""``GET /v1/lists``: which watchlists this worker screens against, how old and how complete."""

from __future__ import annotations

import datetime as dt
import logging

from fastapi import APIRouter, Request, Response

from forced_labour_guard.lists.base import Watchlist
from forced_labour_guard.lists.status import is_stale, list_age
from forced_labour_guard.lists.watchlist import EntityWatchlist
from forced_labour_guard.service.redact import redact_paths
from forced_labour_guard.service.runner import Screener, ScreeningFailed
from forced_labour_guard.service.schemas import ListInfo, ListsReport
from forced_labour_guard.service.state import ServiceState, service_state
from forced_labour_guard.store.audited import AuditedGuard

log = logging.getLogger(__name__)

router = APIRouter(tags=["lists"])


def list_info(watchlist: Watchlist, *, today: dt.date, max_age_days: int) -> ListInfo:
    version = watchlist.version
    checked = watchlist.checked_on if isinstance(watchlist, EntityWatchlist) else None
    return ListInfo(
        name=version.name,
        source=redact_paths(version.source) if version.source else None,
        as_of=version.as_of,
        entries=version.entries,
        age_days=list_age(version, today, checked_on=checked),
        stale=is_stale(version, max_age_days, today, checked_on=checked),
        complete=version.complete,
        note=redact_paths(version.note) if version.note else None,
    )


@router.get("/lists", response_model=ListsReport, summary="Watchlists in use")
async def lists(request: Request) -> ListsReport:
    """Versions, as-of dates, age, staleness and completeness of every list, and the configured
    lists that failed to load (while any did, every decision blocks)."""
    return lists_report(service_state(request))


@router.post(
    "/lists/reload",
    response_model=ListsReport,
    responses={503: {"model": ListsReport, "description": "The lists could not be reloaded."}},
    summary="Load the lists again (after 'flg lists update')",
)
async def reload_lists(request: Request) -> Response:
    """Loads every configured list again in this worker and screens with the new set from the
    next decision on. Each worker reloads on its own: call it once per worker, or set
    FLG_LIST_CHECK_SECONDS so every worker checks by itself. A list that now fails to load is
    reported in ``problems`` and blocks every decision, as at start-up."""
    state = service_state(request)
    try:
        await state.runner.run(_reload)
    except ScreeningFailed as failure:
        state.metrics.error(failure.kind)
        body = lists_report(state, extra_problem=f"The lists could not be reloaded: {failure}")
        return Response(body.model_dump_json(), status_code=503, media_type="application/json")
    return Response(lists_report(state).model_dump_json(), media_type="application/json")


def _reload(screener: Screener) -> None:
    guard = screener.guard if isinstance(screener, AuditedGuard) else screener
    versions = guard.reload_lists()
    log.info("lists reloaded: %s", ", ".join(f"{v.name} as of {v.as_of}" for v in versions))


def lists_report(state: ServiceState, *, extra_problem: str | None = None) -> ListsReport:
    """What the lists endpoints answer, from the set the next decision will use."""
    guard = state.runner.guard
    today = dt.datetime.now(dt.UTC).date()
    problems = [*guard.problems, *guard.list_problems] if guard else []
    if state.runner.startup_problem:
        problems.append(f"The screening could not be set up: {state.runner.startup_problem}")
    return ListsReport(
        lists=[
            list_info(w, today=today, max_age_days=state.max_list_age)
            for w in (guard.watchlists if guard else ())
        ],
        max_age_days=state.max_list_age,
        problems=[
            redact_paths(p) for p in [*problems, *([extra_problem] if extra_problem else [])]
        ],
    )
