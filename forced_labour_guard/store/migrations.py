"""SQLite schema versions and the forward migrations between them.

The version lives in ``PRAGMA user_version``. Opening a store runs every migration above the file's
version inside one ``BEGIN IMMEDIATE`` transaction, so two processes opening an old file at once
cannot both migrate it, and a crash mid-migration leaves the old version intact. Migrations only go
forward: a file written by a newer release is refused rather than misread.

History:

1. ``audit_entries`` (the hash chain) and ``first_seen`` (first-seen date per finding key).
2. ``overrides`` (current state of each override, rebuilt from the chain on upgrade), indexes for
   export by supplier and date, and triggers that refuse UPDATE and DELETE on ``audit_entries``.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from typing import Any, Final

from forced_labour_guard.store.hashing import canonical_json

_V1: Final = """
CREATE TABLE audit_entries (
    seq         INTEGER PRIMARY KEY,
    recorded_at TEXT NOT NULL,
    kind        TEXT NOT NULL,
    record_kind TEXT,
    record_id   TEXT,
    record_hash TEXT,
    supplier_id TEXT,
    action      TEXT,
    content     TEXT NOT NULL,
    prev_hash   TEXT NOT NULL,
    entry_hash  TEXT NOT NULL
);
CREATE TABLE first_seen (
    finding_key TEXT PRIMARY KEY,
    supplier_id TEXT NOT NULL,
    code        TEXT NOT NULL,
    subject     TEXT NOT NULL,
    first_seen  TEXT NOT NULL,
    entry_seq   INTEGER NOT NULL
);
CREATE INDEX first_seen_by_supplier ON first_seen (supplier_id);
"""

_V2: Final = """
CREATE TABLE overrides (
    id          TEXT PRIMARY KEY,
    po_id       TEXT,
    supplier_id TEXT,
    expires_on  TEXT NOT NULL,
    state       TEXT NOT NULL,
    updated_seq INTEGER NOT NULL
);
CREATE INDEX overrides_by_po ON overrides (po_id);
CREATE INDEX overrides_by_supplier ON overrides (supplier_id);
CREATE INDEX audit_by_supplier ON audit_entries (supplier_id, seq);
CREATE INDEX audit_by_time ON audit_entries (recorded_at);
CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries
BEGIN
    SELECT RAISE(ABORT, 'audit entries are append-only');
END;
CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries
BEGIN
    SELECT RAISE(ABORT, 'audit entries are append-only');
END;
"""

OVERRIDE_KINDS: Final = ("override", "override_approval", "override_revocation")
"""Audit entry kinds that carry an override's state; the last one per id is its current state."""


def save_override_state(conn: sqlite3.Connection, state: dict[str, Any], seq: int) -> None:
    """Keep ``state`` (an override as recorded in audit entry ``seq``) in the ``overrides`` table."""
    conn.execute(
        "INSERT OR REPLACE INTO overrides (id, po_id, supplier_id, expires_on, state, updated_seq)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (
            state["id"],
            state.get("po_id"),
            state.get("supplier_id"),
            state["expires_on"],
            canonical_json(state),
            seq,
        ),
    )


def _run_script(conn: sqlite3.Connection, script: str) -> None:
    """Execute semicolon-separated DDL inside the caller's transaction (executescript would commit)."""
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            conn.execute(statement)
            statement = ""


def _to_v1(conn: sqlite3.Connection) -> None:
    _run_script(conn, _V1)


def _to_v2(conn: sqlite3.Connection) -> None:
    _run_script(conn, _V2)
    rebuild_overrides(conn)


MIGRATIONS: Final[tuple[Callable[[sqlite3.Connection], None], ...]] = (_to_v1, _to_v2)
LATEST: Final = len(MIGRATIONS)


def rebuild_overrides(conn: sqlite3.Connection) -> None:
    """Refill the ``overrides`` table from the chain: the last override entry per id is its state."""
    conn.execute("DELETE FROM overrides")
    placeholders = ",".join("?" for _ in OVERRIDE_KINDS)
    rows = conn.execute(
        f"SELECT seq, content FROM audit_entries WHERE kind IN ({placeholders}) ORDER BY seq",
        OVERRIDE_KINDS,
    )
    for seq, content in rows.fetchall():
        save_override_state(conn, json.loads(content)["override"], seq)


def version(conn: sqlite3.Connection) -> int:
    row = conn.execute("PRAGMA user_version").fetchone()
    return int(row[0])


def migrate(conn: sqlite3.Connection, *, target: int = LATEST) -> int:
    """Bring the schema up to ``target`` inside the caller's transaction; returns the old version.

    Raises ValueError for a file newer than this code knows.
    """
    current = version(conn)
    if current > LATEST:
        raise ValueError(
            f"the store has schema version {current}, newer than this release understands "
            f"({LATEST}); upgrade forced_labour_guard to use it"
        )
    for number in range(current + 1, target + 1):
        MIGRATIONS[number - 1](conn)
        conn.execute(f"PRAGMA user_version = {number}")
    return current
