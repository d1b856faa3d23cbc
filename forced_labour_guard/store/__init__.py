"""Persistence at the edge of the Guard: a tamper-evident audit trail, overrides, first-seen dates.

``open_store(path)`` gives the embedded SQLite store; callers type against the ``Store`` protocol so a
server database can be added later without changing them. See ``docs/store.md``.
"""

from __future__ import annotations

from pathlib import Path

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
from forced_labour_guard.store.hashing import canonical_hash, canonical_json
from forced_labour_guard.store.sqlite import SqliteStore

__all__ = [
    "AuditEntry",
    "ChainBreak",
    "DecisionRecord",
    "Override",
    "OverrideRequest",
    "OverrideRules",
    "Row",
    "SqliteStore",
    "Store",
    "StoreError",
    "VerifyReport",
    "canonical_hash",
    "canonical_json",
    "open_store",
    "sqlite_path",
    "verify_rows",
]


def sqlite_path(location: str | Path) -> str:
    """The SQLite file a store location names: a file path, or ``sqlite:///path``.

    Other URL schemes (e.g. ``postgresql://``) are refused with a message, since no server backend
    ships with this release. The audit store, the campaign tables and the CLI all read a location
    through this one function, so they always agree on which file it is.
    """
    text = str(location).removeprefix("sqlite://")
    if "://" in text:
        scheme = text.split("://", 1)[0]
        raise StoreError(
            f"{scheme}:// stores are not supported by this release; give a file path for the "
            "embedded SQLite store"
        )
    return text


def open_store(location: str | Path, *, rules: OverrideRules | None = None) -> Store:
    """Open the store at ``location`` (see :func:`sqlite_path`)."""
    return SqliteStore(sqlite_path(location), rules=rules)
