"""Appending to the hash chain inside a store transaction, on either engine.

The audit store (decisions, overrides) and the campaign store (B5 evidence) both append through
``append_entry``, inside ``Database.transaction()``: the transaction holds the store's one write lock
(SQLite ``BEGIN IMMEDIATE``, a PostgreSQL advisory lock), so reading the head and inserting the
next entry cannot interleave with another writer anywhere, and the chain never forks.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

from forced_labour_guard.store.audit_model import GENESIS_HASH, EntryKind
from forced_labour_guard.store.chain import Row, seal, timestamp
from forced_labour_guard.store.database import Database
from forced_labour_guard.store.hashing import canonical_json

COLUMNS: Final = (
    "seq, recorded_at, kind, record_kind, record_id, record_hash, supplier_id, action, content, "
    "prev_hash, entry_hash"
)


def next_link(db: Database) -> tuple[int, str]:
    """The ``seq`` and ``prev_hash`` the next entry takes (call inside a write transaction)."""
    last = db.execute(
        "SELECT seq, entry_hash FROM audit_entries ORDER BY seq DESC LIMIT 1"
    ).fetchone()
    return (1, GENESIS_HASH) if last is None else (int(last[0]) + 1, str(last[1]))


def insert_row(db: Database, row: Row) -> None:
    db.execute(f"INSERT INTO audit_entries ({COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?)", row)


def append_entry(
    db: Database,
    kind: EntryKind,
    body: dict[str, Any],
    *,
    at: dt.datetime,
    record_kind: str | None = None,
    record_id: str | None = None,
    record_hash: str | None = None,
    supplier_id: str | None = None,
    action: str | None = None,
    link: tuple[int, str] | None = None,
) -> Row:
    """Seal ``body`` as the next entry and insert it; ``link`` when the caller already read it."""
    seq, prev_hash = link or next_link(db)
    row = seal(
        Row(
            seq=seq,
            recorded_at=timestamp(at),
            kind=kind,
            record_kind=record_kind,
            record_id=record_id,
            record_hash=record_hash,
            supplier_id=supplier_id,
            action=action,
            content=canonical_json(body),
            prev_hash=prev_hash,
            entry_hash="",
        )
    )
    insert_row(db, row)
    return row
