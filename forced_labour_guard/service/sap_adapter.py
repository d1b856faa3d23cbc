"""The SAP adapter inside the decision service: business events and the BAdI's SAP-key check.

Switched on by ``$FLG_SAP_CONFIG`` (the adapter's settings file, docs/sap.md) in the service's
environment, and it needs ``$FLG_STORE``: every SAP write and every processed event id is kept
there. Without ``$FLG_SAP_CONFIG`` the events route answers 404 and the check takes only canonical
orders, as before.

The adapter is synchronous (``requests``) and its stores are SQLite connections that belong to the
thread that opened them, so each worker runs all SAP work on one thread of its own: the adapter is
built there on first use (with the lists ``flg lists update`` stores, as the screening commands
use them) and every call runs there, one at a time.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from fastapi import FastAPI

from forced_labour_guard import settings as environment
from forced_labour_guard.adapters.sap.adapter import SapAdapter
from forced_labour_guard.adapters.sap.events import SqliteEventLedger, ledger_for_store
from forced_labour_guard.adapters.sap.s4 import S4Client
from forced_labour_guard.adapters.sap.settings import load_settings
from forced_labour_guard.errors import UsageError
from forced_labour_guard.guard import Guard
from forced_labour_guard.instructions.provider import provider_for_store
from forced_labour_guard.lists.setup import StoredLists
from forced_labour_guard.store import open_store

T = TypeVar("T")


class SapService:
    """One worker's SAP adapter and event ledger, living on one thread."""

    def __init__(self, config: str) -> None:
        self._config = config
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="flg-sap")
        self._built: tuple[SapAdapter, SqliteEventLedger] | None = None

    async def run(self, work: Callable[[SapAdapter, SqliteEventLedger], T]) -> T:
        """``work(adapter, ledger)`` on the SAP thread; a configuration that cannot be used
        raises ``FlgError`` here."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, lambda: work(*self._ensure()))

    def _ensure(self) -> tuple[SapAdapter, SqliteEventLedger]:
        if self._built is None:
            self._built = _build(self._config)
        return self._built


def sap_service(app: FastAPI) -> SapService | None:
    """The worker's SAP service; None when ``$FLG_SAP_CONFIG`` is unset."""
    config = environment.sap_config()
    if config is None:
        return None
    service: SapService | None = getattr(app.state, "sap", None)
    if service is None:
        service = SapService(config)
        app.state.sap = service
    return service


def _build(config: str) -> tuple[SapAdapter, SqliteEventLedger]:
    location = environment.store_location()
    if location is None:
        raise UsageError(
            f"the SAP routes need ${environment.STORE.name}: SAP writes and processed event ids "
            "are kept in the store"
        )
    settings = load_settings(config)
    guard = Guard.default(
        b4_status=provider_for_store(location),
        list_loader=StoredLists(),
        list_check_seconds=environment.list_check_seconds(),
    )
    adapter = SapAdapter(
        S4Client.from_settings(settings), guard, settings, store=open_store(location)
    )
    return adapter, ledger_for_store(location)
