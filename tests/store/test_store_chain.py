"""The hash chain catches edited, deleted, reordered and rehashed entries, and side-table edits."""

from __future__ import annotations

import io
import itertools
import shutil
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from store_helpers import Clock, decision, finding, tamper

from forced_labour_guard.model import FindingCode
from forced_labour_guard.store import SqliteStore, StoreError, canonical_hash, verify_rows
from forced_labour_guard.store.audit_model import GENESIS_HASH
from forced_labour_guard.store.chain import Row, hash_row, seal
from forced_labour_guard.store.export import read_jsonl, write_jsonl


@pytest.fixture
def store(tmp_path: Path) -> SqliteStore:
    clock = Clock()
    store = SqliteStore(tmp_path / "audit.db", clock=clock)
    for number in range(1, 11):
        clock.advance(minutes=1)
        store.append_decision(
            decision(finding(supplier_id=f"S-{number % 3}"), subject=f"PO-{number}"),
            record_kind="purchase_order",
            record_hash="a" * 64,
            record_id=f"PO-{number}",
            supplier_id=f"S-{number % 3}",
        )
    return store


def test_intact_chain_verifies_and_links_every_entry(store: SqliteStore) -> None:
    report = store.verify()
    assert report.ok, report
    assert report.entries == 10
    rows = list(store.rows())
    assert rows[0].prev_hash == GENESIS_HASH
    assert all(later.prev_hash == earlier.entry_hash for earlier, later in itertools.pairwise(rows))
    assert report.head_hash == rows[-1].entry_hash


def test_entry_carries_decision_versions_and_record_hash(store: SqliteStore) -> None:
    entry = next(store.entries())
    recorded = entry.decision()
    assert recorded is not None
    assert recorded.list_versions[0].name == "UFLPA Entity List"
    assert recorded.policy_version == "default"
    assert entry.record_hash == "a" * 64
    assert entry.action is not None and entry.action.value == "block"


def test_edited_entry_is_caught(store: SqliteStore) -> None:
    tamper(
        store.path,
        "UPDATE audit_entries SET content = replace(content, '\"block\"', '\"allow\"') WHERE seq = 4",
    )
    report = store.verify()
    assert report.first_break is not None
    assert report.first_break.seq == 4
    assert "altered" in report.first_break.reason
    assert report.entries == 3


def test_edited_column_is_caught(store: SqliteStore) -> None:
    tamper(store.path, "UPDATE audit_entries SET supplier_id = 'S-OTHER' WHERE seq = 6")
    report = store.verify()
    assert report.first_break is not None and report.first_break.seq == 6


def test_edited_and_rehashed_entry_breaks_the_next_link(store: SqliteStore) -> None:
    row = next(r for r in store.rows() if r.seq == 5)
    forged = seal(row._replace(action="allow"))
    tamper(
        store.path,
        f"UPDATE audit_entries SET action = 'allow', entry_hash = '{forged.entry_hash}' WHERE seq = 5",
    )
    report = store.verify()
    assert report.first_break is not None
    assert report.first_break.seq == 6
    assert "does not point at the entry before it" in report.first_break.reason


def test_deleted_entry_is_caught(store: SqliteStore) -> None:
    tamper(store.path, "DELETE FROM audit_entries WHERE seq = 7")
    report = store.verify()
    assert report.first_break is not None
    assert report.first_break.seq == 8
    assert "missing" in report.first_break.reason


def test_reordered_entries_are_caught(store: SqliteStore) -> None:
    tamper(
        store.path,
        "UPDATE audit_entries SET seq = -1 WHERE seq = 3",
        "UPDATE audit_entries SET seq = 3 WHERE seq = 4",
        "UPDATE audit_entries SET seq = 4 WHERE seq = -1",
    )
    report = store.verify()
    assert report.first_break is not None
    assert report.first_break.seq == 3


def test_the_store_refuses_updates_and_deletes_itself(store: SqliteStore) -> None:
    conn = sqlite3.connect(store.path)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("UPDATE audit_entries SET action = 'allow' WHERE seq = 1")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("DELETE FROM audit_entries WHERE seq = 1")
    conn.close()


def test_moved_first_seen_date_is_reported(store: SqliteStore) -> None:
    key = finding(supplier_id="S-1").key
    assert store.first_seen(["S-1"]) == {key: decision().screened_at.date()}
    tamper(
        store.path, f"UPDATE first_seen SET first_seen = '2026-09-01' WHERE finding_key = '{key}'"
    )
    report = store.verify()
    assert report.first_break is None
    assert not report.ok
    assert any(key in problem for problem in report.problems)


def test_edited_override_table_is_reported(store: SqliteStore) -> None:
    from forced_labour_guard.store import OverrideRequest

    override = store.add_override(
        OverrideRequest(
            supplier_id="S-1",
            codes=[FindingCode.A4],
            reason="traceability proof received",
            created_by="alice",
            expires_on=store._clock().date().replace(month=6),
        )
    )
    assert store.verify().ok
    tamper(
        store.path,
        "UPDATE overrides SET expires_on = '2030-01-01', state = replace(state, "
        "'2026-06-02', '2030-01-01')",
    )
    report = store.verify()
    assert report.first_break is None
    assert report.problems == [
        f"override {override.id} differs from its audit entries: it was edited outside the store"
    ]


def test_export_slice_verifies_on_its_own(store: SqliteStore) -> None:
    buffer = io.StringIO()
    rows = [row for row in store.rows() if 3 <= row.seq <= 8]
    assert write_jsonl(rows, buffer) == 6
    back = list(read_jsonl(buffer.getvalue().splitlines()))
    assert back == rows
    report = verify_rows(back, first_seq=3, first_prev_hash=back[0].prev_hash)
    assert report.ok and report.entries == 6
    edited = [*back[:2], back[2]._replace(record_id="PO-999"), *back[3:]]
    broken = verify_rows(edited, first_seq=3, first_prev_hash=back[0].prev_hash)
    assert broken.first_break is not None and broken.first_break.seq == 5


def test_supplier_export_checks_each_entry_despite_gaps(store: SqliteStore) -> None:
    rows = list(store.rows(supplier_id="S-1"))
    assert [row.seq for row in rows] == [1, 4, 7, 10]
    assert verify_rows(rows, first_seq=1, gaps_allowed=True).ok
    altered = [rows[0], rows[1]._replace(content=rows[1].content.replace("S-1", "S-2")), *rows[2:]]
    report = verify_rows(altered, first_seq=1, gaps_allowed=True)
    assert report.first_break is not None and report.first_break.seq == 4


def test_hash_covers_every_field() -> None:
    base = Row(
        1,
        "2026-01-01T00:00:00.000000+00:00",
        "decision",
        "supplier",
        "S",
        "h",
        "S",
        "warn",
        "{}",
        GENESIS_HASH,
        "",
    )
    digest = hash_row(base)
    for field in Row._fields:
        if field in ("entry_hash", "seq"):
            continue
        changed = base._replace(**{field: "x"})
        assert hash_row(changed) != digest, field
    assert hash_row(base._replace(seq=2)) != digest


def test_canonical_hash_ignores_key_order_and_defaults() -> None:
    from forced_labour_guard.model import Supplier

    one = Supplier.model_validate({"name": "Acme", "id": "S-1"})
    two = Supplier.model_validate({"id": "S-1", "name": "Acme", "aliases": []})
    three = Supplier.model_validate({"id": "S-1", "name": "Acme Ltd"})
    assert canonical_hash(one) == canonical_hash(two)
    assert canonical_hash(one) != canonical_hash(three)
    assert len(canonical_hash(one)) == 64


def test_missing_directory_and_non_database_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="does not exist"):
        SqliteStore(tmp_path / "no" / "such" / "audit.db")
    junk = tmp_path / "junk.db"
    junk.write_text("this is not a database" * 100)
    with pytest.raises(StoreError, match="cannot open"):
        SqliteStore(junk)


def test_closed_store_raises_store_error(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "audit.db")
    store.close()
    with pytest.raises(StoreError):
        store.first_seen(["S-1"])


def test_store_gone_since_opening_is_a_store_error_for_readers(tmp_path: Path) -> None:
    folder = tmp_path / "audit"
    folder.mkdir()
    store = SqliteStore(folder / "audit.db")
    shutil.rmtree(folder)
    with pytest.raises(StoreError, match="cannot read the store"):
        store.verify()
    with pytest.raises(StoreError, match="cannot read the store"):
        list(store.rows())
    store.close()


def _chain(length: int) -> list[Row]:
    rows: list[Row] = []
    prev = GENESIS_HASH
    for seq in range(1, length + 1):
        row = seal(
            Row(
                seq,
                f"2026-01-01T00:00:{seq:02d}.000000+00:00",
                "decision",
                "purchase_order",
                f"PO-{seq}",
                "d" * 64,
                "S-1",
                "warn",
                f'{{"n":{seq}}}',
                prev,
                "",
            )
        )
        rows.append(row)
        prev = row.entry_hash
    return rows


@given(
    length=st.integers(min_value=2, max_value=12),
    data=st.data(),
)
def test_any_single_field_change_is_caught_at_or_before_it(
    length: int, data: st.DataObject
) -> None:
    rows = _chain(length)
    index = data.draw(st.integers(min_value=0, max_value=length - 1))
    field = data.draw(st.sampled_from([f for f in Row._fields if f != "seq"]))
    original = getattr(rows[index], field)
    new_value = data.draw(st.text(min_size=1, max_size=8).filter(lambda v: v != original))
    rows[index] = rows[index]._replace(**{field: new_value})
    report = verify_rows(rows)
    assert report.first_break is not None
    assert report.first_break.seq in (index + 1, index + 2)


@given(data=st.data())
def test_any_deletion_or_swap_is_caught(data: st.DataObject) -> None:
    rows = _chain(8)
    first = data.draw(st.integers(min_value=0, max_value=7))
    delete = data.draw(st.booleans())
    if delete:
        del rows[first]
    else:
        second = data.draw(st.integers(min_value=0, max_value=7).filter(lambda i: i != first))
        rows[first], rows[second] = rows[second], rows[first]
    report = verify_rows(rows)
    if delete and first == 7:
        # Known limit, documented: cutting entries off the end leaves a valid shorter chain; only a
        # head hash kept elsewhere (flg audit verify --expect-head) reveals it.
        assert report.ok
    else:
        assert report.first_break is not None


def test_first_seen_is_the_utc_day_like_the_policy_counts(tmp_path: Path) -> None:
    import datetime as dt

    evening_in_new_york = dt.datetime(
        2026, 3, 2, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=-5))
    )
    store = SqliteStore(tmp_path / "audit.db")
    store.append_decision(
        decision(finding(), at=evening_in_new_york),
        record_kind="supplier",
        record_hash="e" * 64,
        record_id="S-1",
        supplier_id="S-1",
    )
    assert store.first_seen(["S-1"]) == {finding().key: dt.date(2026, 3, 3)}
    assert store.verify().ok
