"""What every route needs from its application: settings, the Guard's runner, metrics, tokens."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from fastapi import Request

from forced_labour_guard.service.auth import TokenVerifier
from forced_labour_guard.service.config import ServiceSettings
from forced_labour_guard.service.metrics import Metrics
from forced_labour_guard.service.runner import GuardRunner


@dataclass(frozen=True)
class ServiceState:
    settings: ServiceSettings
    runner: GuardRunner
    metrics: Metrics
    verifier: TokenVerifier
    list_paths: Sequence[str]
    """The list files the Guard was configured with; ``/readyz`` checks each can still be read."""
    max_list_age: int


def service_state(request: Request) -> ServiceState:
    state: ServiceState = request.app.state.service
    return state
