"""A Guard wired to a store for the length of a ``with`` block: recording, overrides, B4 status.

Every long or short-lived user of a store (the screening commands, the HTTP service, a nightly
batch) needs the same wiring, and needs the store closed at the end::

    with recording_guard(location, make_guard) as guard:
        decision = guard.check_purchase_order(po)

* Without a location the Guard from ``make_guard(None)`` is used as it is (nothing recorded).
* With one, the audit chain and the campaign tables are opened on one shared connection pool
  (``store.database``: a connection per thread, SQLite or PostgreSQL), ``make_guard`` gets the B4
  status provider over the campaign tables, decisions are recorded with overrides applied, and
  suppliers a decision asks a B4 instruction for are queued (``instructions.pending``).
* If the store cannot be opened (server unreachable after the start-up retries, a missing mount)
  screening still answers, and fails closed: every decision gets SCREENING_UNAVAILABLE naming the
  host or file (never a password). ``make_guard`` then gets no provider.
* On leaving the block every connection is closed, also after an error.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from forced_labour_guard.guard import Guard
from forced_labour_guard.instructions.campaign_store import CampaignStore
from forced_labour_guard.instructions.pending import queue_b4_for
from forced_labour_guard.instructions.provider import B4StatusProvider
from forced_labour_guard.store.audit_model import OverrideRules
from forced_labour_guard.store.audited import AuditedGuard
from forced_labour_guard.store.base import StoreError
from forced_labour_guard.store.sql_store import SqlStore
from forced_labour_guard.store.unavailable import UnavailableStore

log = logging.getLogger(__name__)

GuardFactory = Callable[[B4StatusProvider | None], Guard]
"""Builds the Guard, given the B4 status provider of the store (None without one)."""


@contextmanager
def recording_guard(
    location: str | Path | None,
    make_guard: GuardFactory,
    *,
    rules: OverrideRules | None = None,
) -> Iterator[Guard | AuditedGuard]:
    """The Guard for ``location`` (see the module docstring); closes the store on exit."""
    if location is None or not str(location).strip():
        yield make_guard(None)
        return
    try:
        campaigns = CampaignStore(location)
    except StoreError as error:
        log.error("store unavailable, every decision fails closed: %s", error)
        yield AuditedGuard(make_guard(None), UnavailableStore(error))
        return
    try:
        store = SqlStore(campaigns.db, rules=rules)
        provider = B4StatusProvider(campaigns)
        yield AuditedGuard(make_guard(provider), store, on_decision=[queue_b4_for(campaigns)])
    finally:
        campaigns.close()
