"""The service's own response bodies (the Decision and the input records come from ``model``)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ErrorBody(_Body):
    """A refused request: what was wrong, in the CLI's words, and the id to find it in the log."""

    error: str = Field(description="What was wrong, e.g. 'supplier.country: ... is not ...'.")
    field: str | None = Field(
        default=None, description="Path of the first offending field, when a field is to blame."
    )
    request_id: str


class ListInfo(_Body):
    """One watchlist the service screens against."""

    name: str
    source: str | None = None
    as_of: dt.date | None = None
    entries: int | None = None
    age_days: int | None = Field(default=None, description="Days since last confirmed.")
    stale: bool = Field(description="Older than the configured maximum age (or of unknown age).")
    complete: bool = Field(description="False for a partial list (the bundled UFLPA snapshot).")
    note: str | None = None


class ListsReport(_Body):
    """``GET /v1/lists``: the lists in use, and what failed to load (each blocks every decision)."""

    lists: list[ListInfo]
    max_age_days: int
    problems: list[str] = Field(
        default_factory=list, description="Configured lists that could not be loaded."
    )


class Check(_Body):
    name: str
    ok: bool
    detail: str | None = None


class Readiness(_Body):
    """``GET /readyz``: ready only when every configured list and the store can be read."""

    ready: bool
    checks: list[Check]


class Health(_Body):
    status: str = "ok"
