"""An older store file is migrated forward on open, keeps its chain, and a newer one is refused."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from forced_labour_guard.model import FindingCode
from forced_labour_guard.store import OverrideRequest, SqliteStore, StoreError, migrations

V1_DUMP = Path(__file__).parent / "data" / "store_v1.sql"


def _load_v1(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.executescript(V1_DUMP.read_text(encoding="utf-8"))
    conn.close()


def _version(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])
    finally:
        conn.close()


def test_version_1_store_is_migrated_and_keeps_its_chain(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _load_v1(path)
    assert _version(path) == 1
    store = SqliteStore(path)
    assert _version(path) == migrations.LATEST == 2
    report = store.verify()
    assert report.ok, report
    assert report.entries == 3
    assert store.first_seen(["S-7"]) == {"S-7|A3|supplier.evidence[0]": dt.date(2025, 11, 3)}
    old = [entry.decision() for entry in store.entries()]
    assert [d.subject for d in old if d] == ["PO-100", "PO-101", "PO-102"]
    override = store.add_override(
        OverrideRequest(
            supplier_id="S-7",
            codes=[FindingCode.A3],
            reason="supplier left the transfer programme; evidence on file",
            created_by="alice",
            expires_on=dt.date.today() + dt.timedelta(days=30),
        )
    )
    assert override.id == "OVR-4"
    assert store.verify().ok
    conn = sqlite3.connect(path)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("DELETE FROM audit_entries WHERE seq = 1")
    conn.close()


def test_reopening_a_current_store_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "audit.db"
    SqliteStore(path).close()
    before = path.read_bytes()
    SqliteStore(path).close()
    assert _version(path) == migrations.LATEST
    assert sqlite3.connect(path).execute("SELECT count(*) FROM audit_entries").fetchone() == (0,)
    assert len(path.read_bytes()) == len(before)


def test_store_from_a_newer_release_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(StoreError, match="newer than this release"):
        SqliteStore(path)


def test_failed_migration_leaves_the_old_version(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _load_v1(path)
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE overrides (id TEXT)")  # a clash makes the v2 migration fail
    conn.commit()
    conn.close()
    with pytest.raises(StoreError):
        SqliteStore(path)
    assert _version(path) == 1
    conn = sqlite3.connect(path)
    indexes = conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'").fetchall()
    conn.close()
    assert ("audit_by_supplier",) not in indexes
