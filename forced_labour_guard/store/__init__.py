"""Persistence at the edge of the Guard: a tamper-evident audit trail, overrides, first-seen dates.

``open_store(location)`` gives the store at a file path (embedded SQLite) or a ``postgresql://`` URL;
callers type against the ``Store`` protocol. See ``docs/store.md``.
"""

from __future__ import annotations

from pathlib import Path

from forced_labour_guard.store import migrations
from forced_labour_guard.store.audit_model import (
    AuditEntry,
    ChainBreak,
    Override,
    OverrideRequest,
    OverrideRules,
    VerifyReport,
)
from forced_labour_guard.store.base import DecisionRecord, Store, StoreError
from forced_labour_guard.store.chain import Row, verify_rows
from forced_labour_guard.store.database import Database, Location, parse_location
from forced_labour_guard.store.hashing import canonical_hash, canonical_json
from forced_labour_guard.store.sql_store import SqliteStore, SqlStore

__all__ = [
    "AuditEntry",
    "ChainBreak",
    "Database",
    "DecisionRecord",
    "Location",
    "Override",
    "OverrideRequest",
    "OverrideRules",
    "Row",
    "SqlStore",
    "SqliteStore",
    "Store",
    "StoreError",
    "VerifyReport",
    "canonical_hash",
    "canonical_json",
    "open_database",
    "open_store",
    "parse_location",
    "verify_rows",
]


def open_database(
    location: str | Path, *, create: bool = True, connect_retry: float = 20.0
) -> Database:
    """Connect to the database at ``location`` (see ``open_store``). With ``create=False`` a
    location that holds no store yet is refused, so a typo cannot report an empty, intact chain."""
    parsed = parse_location(location)
    if not create and parsed.dialect == "sqlite" and not Path(parsed.target).exists():
        raise StoreError(f"{parsed.display}: no store there (check the path, or $FLG_STORE)")
    db = Database(parsed, connect_retry=connect_retry)
    if not create:
        try:
            empty = migrations.version(db) == 0
        except BaseException:
            db.close()
            raise
        if empty:
            db.close()
            raise StoreError(f"{parsed.display}: no store there (run 'flg store init' first)")
    return db


def open_store(
    location: str | Path,
    *,
    rules: OverrideRules | None = None,
    create: bool = True,
    connect_retry: float = 20.0,
) -> SqlStore:
    """Open the store at ``location``: a file path or ``sqlite:///path`` (embedded SQLite), or
    ``postgresql://user@host/db`` (needs the ``[postgres]`` extra). The schema is created or
    migrated forward; ``create=False`` refuses a location with no store yet. Use it as a context
    manager (``with open_store(url) as store:``) so its connections are closed."""
    return SqlStore(
        open_database(location, create=create, connect_retry=connect_retry), rules=rules
    )
