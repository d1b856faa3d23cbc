"""Persistence at the edge of the Guard: a tamper-evident audit trail, overrides, first-seen dates.

``open_store(path)`` gives the embedded SQLite store; callers type against the ``Store`` protocol so a
server database can be added later without changing them. See ``docs/store.md``.
"""

from __future__ import annotations

from pathlib import Path

from forced_labour_guard.store.base import DecisionRecord, Store, StoreError
from forced_labour_guard.store.chain import Row, verify_rows
from forced_labour_guard.store.hashing import canonical_hash, canonical_json
from forced_labour_guard.store.records import (
    AuditEntry,
    ChainBreak,
    Override,
    OverrideRequest,
    OverrideRules,
    VerifyReport,
)
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
    "verify_rows",
]


def open_store(location: str | Path, *, rules: OverrideRules | None = None) -> Store:
    """Open the store at ``location``: a file path, or ``sqlite:///path``.

    Other URL schemes (e.g. ``postgresql://``) are refused with a message, since no server backend
    ships with this release.
    """
    text = str(location)
    if text.startswith("sqlite:///"):
        text = text.removeprefix("sqlite://")
    elif "://" in text:
        scheme = text.split("://", 1)[0]
        raise StoreError(
            f"{scheme}:// stores are not supported by this release; give a file path for the "
            "embedded SQLite store"
        )
    return SqliteStore(text, rules=rules)
