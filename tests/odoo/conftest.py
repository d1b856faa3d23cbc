"""A recorded Odoo 19 on 127.0.0.1 for each test that asks for one, and clients talking to it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from recorded_odoo import API_KEY, DATABASE, RunningOdoo, start, stop

from forced_labour_guard.adapters.odoo.client import (
    Json2Transport,
    OdooClient,
    OdooSettings,
)


@pytest.fixture
def odoo_server() -> Iterator[RunningOdoo]:
    running = start()
    try:
        yield running
    finally:
        stop(running)


def settings_for(url: str, **changes: object) -> OdooSettings:
    values: dict[str, object] = {
        "url": url,
        "database": DATABASE,
        "api_key": API_KEY,
        "login": "admin",
        "protocol": "json2",
        "timeout": (2.0, 5.0),
        "attempts": 3,
        "retry_wait": 0.0,
    }
    values.update(changes)
    return OdooSettings(**values)  # type: ignore[arg-type]


@pytest.fixture
def odoo_client(odoo_server: RunningOdoo) -> OdooClient:
    return OdooClient(Json2Transport(settings_for(odoo_server.url), None))
