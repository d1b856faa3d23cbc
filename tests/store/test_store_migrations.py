"""An older store file is migrated forward on open, keeps its chain, and a newer one is refused."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from forced_labour_guard.instructions.campaign_store import CampaignStore
from forced_labour_guard.model import FindingCode
from forced_labour_guard.store import OverrideRequest, SqliteStore, StoreError, migrations

DATA = Path(__file__).parent / "data"
V1_DUMP = DATA / "store_v1.sql"
V2_WITH_CAMPAIGN_DUMP = DATA / "store_v2_with_campaign.sql"


def _load(path: Path, dump: Path) -> None:
    conn = sqlite3.connect(path)
    conn.executescript(dump.read_text(encoding="utf-8"))
    conn.close()


def _load_v1(path: Path) -> None:
    _load(path, V1_DUMP)


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
    assert _version(path) == migrations.LATEST
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


def test_audit_and_campaign_tables_migrate_under_one_version(tmp_path: Path) -> None:
    """A file from before one scheme (audit at version 2, campaign tables versioned apart) reaches
    the one latest version whichever store opens it first, and keeps a single version marker."""
    for opener in (SqliteStore, CampaignStore):
        path = tmp_path / f"{opener.__name__}.db"
        _load(path, V2_WITH_CAMPAIGN_DUMP)
        opener(path).close()
        conn = sqlite3.connect(path)
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        conn.close()
        assert _version(path) == migrations.LATEST
        assert "campaign_schema_version" not in tables
        assert {"campaign_pending", "overrides", "audit_entries"} <= tables


def test_campaign_rows_from_before_the_chain_are_chained_once_on_upgrade(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _load(path, V2_WITH_CAMPAIGN_DUMP)
    with SqliteStore(path) as store:
        report = store.verify()
        assert report.ok, report
        kinds = [entry.kind for entry in store.entries()]
    assert kinds[0] == "override"
    assert sorted(kinds[1:]) == sorted(
        ["campaign_settings", "instruction_sent", "reminder_sent", "acknowledgement"]
    )
    with SqliteStore(path) as store:  # opening again adds nothing
        assert len(list(store.entries())) == len(kinds)


def test_a_newer_campaign_version_from_before_one_scheme_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "odd.db"
    _load(path, V2_WITH_CAMPAIGN_DUMP)
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO campaign_schema_version VALUES (3)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="newer than this release"):
        CampaignStore(path)
    assert _version(path) == 2
