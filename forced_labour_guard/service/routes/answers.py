"""What the decision routes share: screening through the runner with the fail-closed fallback,
the HTTP answer for a decision, and the OpenAPI descriptions of bodies and refusals."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Final, TypeVar

from fastapi import Response
from pydantic import BaseModel

from forced_labour_guard.model import Decision
from forced_labour_guard.service.fail_closed import is_unavailable, unavailable_decision
from forced_labour_guard.service.redact import redact_decision
from forced_labour_guard.service.runner import Screener, ScreeningFailed
from forced_labour_guard.service.schemas import ErrorBody
from forced_labour_guard.service.state import ServiceState

log = logging.getLogger(__name__)
T = TypeVar("T")

UNAUTHORIZED: Final[dict[int | str, dict[str, Any]]] = {
    401: {"model": ErrorBody, "description": "No accepted bearer token (no further detail)."}
}
REFUSALS: Final[dict[int | str, dict[str, Any]]] = {
    413: {"model": ErrorBody, "description": "The body is larger than the limit."},
    422: {
        "model": ErrorBody,
        "description": "Malformed JSON, nesting too deep, or a record that breaks the schema; "
        "names the first offending field, in the same words as the CLI.",
    },
}


def refusals_for(model: type[BaseModel]) -> dict[int | str, dict[str, Any]]:
    """The refusals of a decision route whose answer is ``model`` (also sent with 503)."""
    return {
        **REFUSALS,
        503: {
            "model": model,
            "description": "Only with --unavailable-status 503: the screening could not run; "
            "the body is still the fail-closed block answer.",
        },
    }


DECISION_REFUSALS: Final = refusals_for(Decision)


def json_body(model: type[BaseModel], description: str) -> dict[str, Any]:
    """``openapi_extra`` declaring a JSON request body of ``model`` (read by ``limits``, not by
    the framework, so that size, nesting and error wording follow the CLI)."""
    return {
        "requestBody": {
            "required": True,
            "description": description,
            "content": {
                "application/json": {"schema": {"$ref": f"#/components/schemas/{model.__name__}"}}
            },
        }
    }


async def run_or_fail_closed(
    state: ServiceState,
    work: Callable[[Screener], T],
    fallback: Callable[[str], T],
) -> T:
    """``work`` in the Guard's thread; when that fails, ``fallback(why)`` (a blocking answer)."""
    try:
        return await state.runner.run(work)
    except ScreeningFailed as failure:
        state.metrics.error(failure.kind)
        return fallback(str(failure))


def failed_decision(
    state: ServiceState, why: str, *, subject: str | None, supplier_id: str | None
) -> Decision:
    guard = state.runner.guard
    return unavailable_decision(
        why,
        subject=subject,
        supplier_id=supplier_id,
        list_versions=list(guard.list_versions) if guard else [],
        policy_version=guard.policy.version if guard else None,
    )


async def screen(
    state: ServiceState,
    endpoint: str,
    work: Callable[[Screener], Decision],
    *,
    subject: str | None,
    supplier_id: str | None,
) -> Decision:
    """A decision for the caller: the Guard's, else a fail-closed block; paths redacted, counted."""
    decision = await run_or_fail_closed(
        state,
        work,
        lambda why: failed_decision(state, why, subject=subject, supplier_id=supplier_id),
    )
    return counted(state, endpoint, redact_decision(decision))


def counted(state: ServiceState, endpoint: str, decision: Decision) -> Decision:
    state.metrics.decision(endpoint, decision)
    if is_unavailable(decision):
        state.metrics.error("unavailable")
        log.warning("answered %s with SCREENING_UNAVAILABLE", decision.action.value)
    return decision


def status_for(state: ServiceState, decision: Decision) -> int:
    """200, or 503 for a decision that could not screen when the service is set up that way."""
    return state.settings.unavailable_status if is_unavailable(decision) else 200


def json_response(state: ServiceState, decision: Decision, body: BaseModel) -> Response:
    return Response(
        content=body.model_dump_json(),
        status_code=status_for(state, decision),
        media_type="application/json",
    )
