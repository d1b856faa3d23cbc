"""SAP business events (CloudEvents 1.0) in, screening and enforcement out, once per event id.

S/4HANA publishes ``sap.s4.beh.purchaseorder.v1.PurchaseOrder.Created.v1`` / ``Changed.v1`` and
``sap.s4.beh.businesspartner.v1.BusinessPartner.Created.v1`` / ``Changed.v1``. Their ``data`` holds
only the key (``{"PurchaseOrder": "4500000001"}``, ``{"BusinessPartner": "1000746"}``), so the
handler reads the record again over OData, screens it, enforces and records it.

Idempotency: SAP Event Mesh delivers at least once, so each event ``id`` (with its ``source``, as
CloudEvents defines uniqueness) is claimed in an :class:`EventLedger` before work starts. A second
delivery of a finished event is answered ``duplicate`` and does nothing; one that arrives while the
first is still running is answered ``in_progress`` (the route answers 503 so it is delivered again
later); an event whose processing failed is released, so a redelivery runs it again. A record SAP no
longer has (404) is acknowledged as ignored: redelivering cannot bring it back. A claim left
"running" by a process that died is taken over after ``stale_after``. In dry run the ledger is
not touched, so a rehearsal does not use up the events of the real run.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

from forced_labour_guard.adapters.sap.adapter import Outcome, SapAdapter
from forced_labour_guard.adapters.sap.errors import SapError, SapNotFound
from forced_labour_guard.errors import InputError, UsageError
from forced_labour_guard.store import parse_location

PO_TYPES = frozenset(
    {
        "sap.s4.beh.purchaseorder.v1.PurchaseOrder.Created.v1",
        "sap.s4.beh.purchaseorder.v1.PurchaseOrder.Changed.v1",
    }
)
BP_TYPES = frozenset(
    {
        "sap.s4.beh.businesspartner.v1.BusinessPartner.Created.v1",
        "sap.s4.beh.businesspartner.v1.BusinessPartner.Changed.v1",
    }
)

Status = Literal["processed", "duplicate", "in_progress", "ignored", "failed"]


@dataclass(frozen=True)
class EventResult:
    status: Status
    event_id: str
    detail: str = ""
    outcome: Outcome | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {"status": self.status, "id": self.event_id}
        if self.detail:
            body["detail"] = self.detail
        if self.outcome is not None:
            body["result"] = self.outcome.summary()
        return body


class EventLedger(Protocol):
    """Which events were claimed or finished (keyed by source and id)."""

    def claim(self, source: str, event_id: str) -> Literal["new", "done", "running"]: ...

    def finish(self, source: str, event_id: str, status: str) -> None: ...

    def release(self, source: str, event_id: str) -> None: ...


class SqliteEventLedger:
    """The ledger in a SQLite file (by default the audit store's own file, table ``sap_events``)."""

    def __init__(
        self,
        path: str | Path,
        *,
        stale_after: dt.timedelta = dt.timedelta(minutes=15),
        clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    ) -> None:
        """``stale_after``: a claim still "running" after this long belongs to a process that
        died mid-event; the next delivery takes it over instead of waiting forever."""
        self._conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._lock = threading.Lock()
        self._stale_after = stale_after
        self._clock = clock
        self._conn.execute(
            "CREATE TABLE IF NOT EXISTS sap_events (source TEXT NOT NULL, id TEXT NOT NULL, "
            "state TEXT NOT NULL, status TEXT, claimed_at TEXT NOT NULL, "
            "PRIMARY KEY (source, id))"
        )

    def claim(self, source: str, event_id: str) -> Literal["new", "done", "running"]:
        now = self._clock()
        stale = (now - self._stale_after).isoformat()
        with self._lock:
            inserted = self._conn.execute(
                "INSERT OR IGNORE INTO sap_events (source, id, state, claimed_at) "
                "VALUES (?, ?, 'running', ?)",
                (source, event_id, now.isoformat()),
            ).rowcount
            if inserted:
                return "new"
            taken_over = self._conn.execute(
                "UPDATE sap_events SET claimed_at = ? WHERE source = ? AND id = ? "
                "AND state = 'running' AND claimed_at < ?",
                (now.isoformat(), source, event_id, stale),
            ).rowcount
            if taken_over:
                return "new"
            row = self._conn.execute(
                "SELECT state FROM sap_events WHERE source = ? AND id = ?", (source, event_id)
            ).fetchone()
        return "done" if row and row[0] == "done" else "running"

    def finish(self, source: str, event_id: str, status: str) -> None:
        with self._lock:
            self._conn.execute(
                "UPDATE sap_events SET state = 'done', status = ? WHERE source = ? AND id = ?",
                (status, source, event_id),
            )

    def release(self, source: str, event_id: str) -> None:
        with self._lock:
            self._conn.execute(
                "DELETE FROM sap_events WHERE source = ? AND id = ? AND state = 'running'",
                (source, event_id),
            )

    def close(self) -> None:
        self._conn.close()


class _DryRunLedger:
    """Claims every event and remembers nothing."""

    def claim(self, source: str, event_id: str) -> Literal["new", "done", "running"]:
        return "new"

    def finish(self, source: str, event_id: str, status: str) -> None:
        return None

    def release(self, source: str, event_id: str) -> None:
        return None


def ledger_for_store(location: str | Path) -> SqliteEventLedger:
    """The ledger kept in the audit store's own SQLite file (table ``sap_events``). A PostgreSQL
    store has no such table yet: refused with a message rather than kept somewhere unexpected."""
    parsed = parse_location(location)
    if parsed.dialect != "sqlite":
        raise UsageError(
            f"{parsed.display}: the SAP event ledger lives in a SQLite store file; a "
            f"{parsed.dialect} store is not supported for SAP events yet"
        )
    return SqliteEventLedger(parsed.target)


def parse_event(event: object) -> dict[str, Any]:
    """A CloudEvents 1.0 event as a dict, checked for the attributes the handler needs."""
    if not isinstance(event, Mapping):
        raise InputError("a CloudEvent must be a JSON object", path="event")
    for attribute in ("specversion", "id", "source", "type"):
        value = event.get(attribute)
        if not isinstance(value, str) or not value.strip():
            raise InputError("required CloudEvents attribute is missing or empty", path=attribute)
    if event["specversion"] != "1.0":
        raise InputError(
            f"unsupported CloudEvents version {event['specversion']!r} (1.0 expected)",
            path="specversion",
        )
    return dict(event)


def _key(event: Mapping[str, Any], name: str) -> str:
    data = event.get("data")
    value = data.get(name) if isinstance(data, Mapping) else None
    if not isinstance(value, str) or not value.strip() or len(value) > 10:
        raise InputError(f"expected the SAP key {name} (1-10 characters)", path=f"data.{name}")
    return value.strip()


def handle_event(event: object, adapter: SapAdapter, ledger: EventLedger) -> EventResult:
    """Process one business event; see the module docstring. Bad events raise ``InputError``."""
    parsed = parse_event(event)
    kind = parsed["type"]
    if kind in PO_TYPES:
        key = _key(parsed, "PurchaseOrder")
    elif kind in BP_TYPES:
        key = _key(parsed, "BusinessPartner")
    else:
        return EventResult("ignored", parsed["id"], f"event type {kind} is not screened")
    source, event_id = parsed["source"], parsed["id"]
    if adapter.dry_run:
        ledger = _DryRunLedger()  # a dry run must not use up the event for the real run
    state = ledger.claim(source, event_id)
    if state == "done":
        return EventResult("duplicate", event_id, "already processed")
    if state == "running":
        return EventResult("in_progress", event_id, "another delivery is being processed")
    try:
        if kind in PO_TYPES:
            outcome: Outcome | None = adapter.check_purchase_order(key)
        else:
            supplier = adapter.s4.supplier_for_partner(key)
            if supplier is None:
                ledger.finish(source, event_id, "ignored")
                return EventResult("ignored", event_id, f"business partner {key} is no supplier")
            outcome = adapter.screen_supplier(supplier)
    except SapNotFound as error:
        # deleted since the event, or never visible to this user: a redelivery cannot help
        ledger.finish(source, event_id, "ignored")
        return EventResult("ignored", event_id, f"not found in SAP: {error}")
    except SapError as error:
        ledger.release(source, event_id)
        return EventResult("failed", event_id, str(error))
    except BaseException:
        ledger.release(source, event_id)
        raise
    ledger.finish(source, event_id, "processed")
    return EventResult("processed", event_id, outcome=outcome)
