"""Copying a whole store to another database (``flg store migrate``) and preparing an empty one
(``flg store init``), e.g. to move from the embedded SQLite file to a PostgreSQL server.

The copy takes every table verbatim (audit entries with their hashes, first-seen dates, overrides,
campaign tables with their ids, documents, the pending queue) in one transaction on the target, so
a failure leaves the target as it was; then it verifies the chain *on the target* and checks that
it ends on the source's head hash. The source is verified first: copying a chain that does not
verify would hide where it broke.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Final

from forced_labour_guard.store import migrations
from forced_labour_guard.store.audit_model import VerifyReport
from forced_labour_guard.store.base import StoreError
from forced_labour_guard.store.database import Database
from forced_labour_guard.store.ledger import insert_row
from forced_labour_guard.store.sql_store import SqlStore

TABLES: Final = (
    "campaign_campaigns",
    "campaign_instructions",
    "campaign_reminders",
    "campaign_documents",
    "campaign_acknowledgements",
    "campaign_proofs",
    "campaign_events",
    "campaign_pending",
    "campaign_pending_reasons",
    "first_seen",
    "overrides",
)
"""Every table but ``audit_entries``, parents before the tables that refer to them."""

_IDENTITY_TABLES: Final = ("campaign_acknowledgements", "campaign_events")
_BATCH: Final = 1000


@dataclass(frozen=True)
class Contents:
    """How much a store holds: audit entries and campaign rows."""

    entries: int
    campaign_rows: int

    @property
    def empty(self) -> bool:
        return self.entries == 0 and self.campaign_rows == 0


def contents(db: Database) -> Contents:
    if migrations.version(db) == 0:
        return Contents(0, 0)
    entries = int(db.execute("SELECT count(*) FROM audit_entries").fetchone()[0])
    campaign = sum(
        int(db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
        for table in ("campaign_campaigns", "campaign_instructions", "campaign_pending")
    )
    return Contents(entries, campaign)


def refuse_if_not_empty(db: Database, what: str) -> None:
    held = contents(db)
    if not held.empty:
        raise StoreError(
            f"{db.display}: already holds {held.entries} audit entries and {held.campaign_rows} "
            f"campaign rows; {what}"
        )


def clear(db: Database) -> None:
    """Remove every table of the store from ``db`` (``--replace``): its chain goes with it."""
    with db.transaction():
        for table in ("audit_entries", *reversed(TABLES)):
            db.execute(
                f"DROP TABLE IF EXISTS {table}" + (" CASCADE" if db.dialect != "sqlite" else "")
            )
        if db.dialect == "sqlite":
            db.execute("PRAGMA user_version = 0")
        else:
            db.execute("DROP TABLE IF EXISTS flg_schema_version")
            db.execute("DROP FUNCTION IF EXISTS flg_audit_entries_append_only()")


@dataclass(frozen=True)
class CopyReport:
    copied: Contents
    source_head: str
    target: VerifyReport


def copy_store(source: SqlStore, target: SqlStore) -> CopyReport:
    """Copy ``source`` into the empty ``target`` and verify the chain there (see module docstring)."""
    before = source.verify()
    if not before.ok:
        where = before.first_break.reason if before.first_break else "; ".join(before.problems)
        raise StoreError(f"{source.location}: the source does not verify ({where}); not copied")
    refuse_if_not_empty(target.db, "copy into an empty database, or pass --replace")
    held = contents(source.db)
    with target.db.transaction():
        for table in TABLES:
            _copy_table(source.db, target.db, table)
        for row in source.rows():
            insert_row(target.db, row)
        if target.db.dialect == "postgresql":
            for table in _IDENTITY_TABLES:
                target.db.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)"
                )
    after = target.verify()
    if after.head_hash != before.head_hash and after.ok:
        raise StoreError(
            f"{target.location}: the copy ends on {after.head_hash}, not on the source's head "
            f"{before.head_hash}; entries were appended to the source meanwhile, copy again"
        )
    return CopyReport(held, before.head_hash, after)


def _copy_table(source: Database, target: Database, table: str) -> None:
    rows = source.fetch_dicts(f"SELECT * FROM {table}")
    if not rows:
        return
    columns = list(rows[0])
    marks = ",".join("?" for _ in columns)
    statement = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
    for start in range(0, len(rows), _BATCH):
        target.executemany(statement, [tuple(row.values()) for row in rows[start : start + _BATCH]])


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
