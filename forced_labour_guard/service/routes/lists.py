"""``GET /v1/lists``: which watchlists this worker screens against, how old and how complete."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request

from forced_labour_guard.lists.base import Watchlist
from forced_labour_guard.lists.status import is_stale, list_age
from forced_labour_guard.lists.watchlist import EntityWatchlist
from forced_labour_guard.service.redact import redact_paths
from forced_labour_guard.service.schemas import ListInfo, ListsReport
from forced_labour_guard.service.state import service_state

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
    state = service_state(request)
    guard = state.runner.guard
    today = dt.datetime.now(dt.UTC).date()
    problems = [redact_paths(p) for p in guard.problems] if guard else []
    if state.runner.startup_problem:
        problems.append(f"The screening could not be set up: {state.runner.startup_problem}")
    return ListsReport(
        lists=[
            list_info(w, today=today, max_age_days=state.max_list_age)
            for w in (guard.watchlists if guard else ())
        ],
        max_age_days=state.max_list_age,
        problems=[redact_paths(p) for p in problems],
    )
