"""The embedded store: one SQLite file in WAL mode, safe for several processes appending at once.

Every write runs in a ``BEGIN IMMEDIATE`` transaction: SQLite hands out one write lock at a time, so
"read the last entry's hash, append the next entry" is atomic across processes and the chain never
forks. Other writers wait on the busy timeout instead of failing. WAL mode lets readers (verify,
export, first-seen look-ups) run while someone appends.

Durability: ``synchronous=NORMAL`` (the default here) never corrupts the file or the chain when a
process is killed; after a power cut the last few commits may be lost, but what remains is a valid
chain. Pass ``synchronous="FULL"`` to sync every commit to disk, at some cost in appends per second.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

from forced_labour_guard.clock import Clock, utc_now
from forced_labour_guard.model import Decision, finding_key
from forced_labour_guard.store import migrations
from forced_labour_guard.store.base import DecisionRecord, StoreError
from forced_labour_guard.store.chain import Row, seal, timestamp, to_entry, verify_rows
from forced_labour_guard.store.hashing import canonical_json
from forced_labour_guard.store.overrides import approve, new_override, revoke
from forced_labour_guard.store.records import (
    GENESIS_HASH,
    AuditEntry,
    EntryKind,
    Override,
    OverrideRequest,
    OverrideRules,
    RecordKind,
    VerifyReport,
)

Synchronous = Literal["NORMAL", "FULL"]
_MAX_PROBLEMS = 20
_COLUMNS = (
    "seq, recorded_at, kind, record_kind, record_id, record_hash, supplier_id, action, content, "
    "prev_hash, entry_hash"
)


class SqliteStore:
    """The Store protocol on a SQLite file (created, and migrated forward, on open)."""

    def __init__(
        self,
        path: str | Path,
        *,
        rules: OverrideRules | None = None,
        clock: Clock = utc_now,
        busy_timeout: float = 60.0,
        synchronous: Synchronous = "NORMAL",
    ) -> None:
        self.path = Path(path)
        self.rules = rules or OverrideRules()
        self._clock = clock
        self._busy_timeout = busy_timeout
        self._lock = threading.RLock()
        if not self.path.parent.is_dir():
            raise StoreError(f"{self.path}: directory {self.path.parent} does not exist")
        if self.path.is_dir():
            raise StoreError(f"{self.path}: is a directory; give the path of the store file")
        try:
            self._conn = sqlite3.connect(
                self.path, isolation_level=None, timeout=busy_timeout, check_same_thread=False
            )
        except sqlite3.Error as error:
            raise StoreError(f"{self.path}: cannot open the store ({error})") from None
        try:
            self._conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
            self._enable_wal()
            self._conn.execute(f"PRAGMA synchronous = {synchronous}")
            with self._write() as conn:
                migrations.migrate(conn)
        except StoreError:
            self._conn.close()
            raise
        except (ValueError, sqlite3.Error) as error:
            self._conn.close()
            raise StoreError(f"{self.path}: cannot open the store ({error})") from None

    # ---------------------------------------------------------------- connection and transactions

    def _enable_wal(self) -> None:
        """Switch to WAL; it needs a moment of exclusive access, so retry while others hold the file."""
        deadline = time.monotonic() + self._busy_timeout
        while True:
            try:
                mode = self._conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
                break
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or time.monotonic() > deadline:
                    raise
                time.sleep(0.01)
        if str(mode).lower() != "wal":
            raise StoreError(f"{self.path}: the file system does not support SQLite WAL mode")

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One atomic write: the whole block commits, or nothing does."""
        with self._guard() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise

    @contextmanager
    def _guard(self) -> Iterator[sqlite3.Connection]:
        """This store's connection, one thread at a time, with SQLite errors as StoreError."""
        with self._lock:
            try:
                yield self._conn
            except sqlite3.Error as error:
                raise StoreError(f"{self.path}: {error}") from None

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        """A snapshot for reading on its own connection, so long reads never block this one."""
        try:
            conn = sqlite3.connect(
                self.path, isolation_level=None, timeout=self._busy_timeout, check_same_thread=False
            )
        except sqlite3.Error as error:  # e.g. the file's directory was removed since opening
            raise StoreError(f"{self.path}: cannot read the store ({error})") from None
        try:
            conn.execute("BEGIN")
            yield conn
        except sqlite3.DatabaseError as error:
            raise StoreError(f"{self.path}: cannot read the store ({error})") from None
        finally:
            conn.close()

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> SqliteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---------------------------------------------------------------- appending

    def _append(
        self,
        conn: sqlite3.Connection,
        kind: EntryKind,
        body: dict[str, Any],
        *,
        record_kind: str | None = None,
        record_id: str | None = None,
        record_hash: str | None = None,
        supplier_id: str | None = None,
        action: str | None = None,
        seq: int | None = None,
        prev_hash: str | None = None,
    ) -> Row:
        if seq is None or prev_hash is None:
            seq, prev_hash = self._next_link(conn)
        row = seal(
            Row(
                seq=seq,
                recorded_at=timestamp(self._clock()),
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
        conn.execute(f"INSERT INTO audit_entries ({_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?)", row)
        return row

    @staticmethod
    def _next_link(conn: sqlite3.Connection) -> tuple[int, str]:
        last = conn.execute(
            "SELECT seq, entry_hash FROM audit_entries ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        return (1, GENESIS_HASH) if last is None else (int(last[0]) + 1, str(last[1]))

    def append_decision(
        self,
        decision: Decision,
        *,
        record_kind: RecordKind,
        record_hash: str,
        record_id: str | None,
        supplier_id: str | None,
    ) -> AuditEntry:
        record = DecisionRecord(decision, record_kind, record_hash, record_id, supplier_id)
        return self.append_decisions([record])[0]

    def append_decisions(self, records: Sequence[DecisionRecord]) -> list[AuditEntry]:
        rows: list[Row] = []
        with self._write() as conn:
            for record in records:
                row = self._append(
                    conn,
                    "decision",
                    {"decision": record.decision.model_dump(mode="json")},
                    record_kind=record.record_kind,
                    record_id=record.record_id,
                    record_hash=record.record_hash,
                    supplier_id=record.supplier_id,
                    action=record.decision.action.value,
                )
                _note_first_seen(conn, record.decision, row.seq)
                rows.append(row)
        return [to_entry(row) for row in rows]

    # ---------------------------------------------------------------- first-seen dates

    def first_seen(self, supplier_ids: Iterable[str]) -> dict[str, dt.date]:
        wanted = (
            [supplier_ids] if isinstance(supplier_ids, str) else list(dict.fromkeys(supplier_ids))
        )
        if not wanted:
            return {}
        marks = ",".join("?" for _ in wanted)
        with self._guard():
            rows = self._conn.execute(
                f"SELECT finding_key, first_seen FROM first_seen WHERE supplier_id IN ({marks})",
                wanted,
            ).fetchall()
        return {str(key): dt.date.fromisoformat(day) for key, day in rows}

    # ---------------------------------------------------------------- overrides

    def add_override(self, request: OverrideRequest) -> Override:
        with self._write() as conn:
            seq, prev_hash = self._next_link(conn)
            override = new_override(
                request, override_id=f"OVR-{seq}", created_at=self._clock(), rules=self.rules
            )
            self._record_override(conn, "override", override, seq=seq, prev_hash=prev_hash)
        return override

    def approve_override(self, override_id: str, *, by: str, note: str | None = None) -> Override:
        with self._write() as conn:
            current = self._load_override(conn, override_id)
            updated = approve(current, by=by, at=self._clock(), note=note)
            self._record_override(conn, "override_approval", updated)
        return updated

    def revoke_override(self, override_id: str, *, by: str, reason: str) -> Override:
        with self._write() as conn:
            current = self._load_override(conn, override_id)
            updated = revoke(current, by=by, at=self._clock(), reason=reason)
            self._record_override(conn, "override_revocation", updated)
        return updated

    def get_override(self, override_id: str) -> Override:
        with self._guard() as conn:
            return self._load_override(conn, override_id)

    def overrides(
        self, *, po_id: str | None = None, supplier_ids: Iterable[str] = ()
    ) -> list[Override]:
        suppliers = list(supplier_ids)
        clauses: list[str] = []
        params: list[str] = []
        if po_id is not None:
            clauses.append("po_id = ?")
            params.append(po_id)
        if suppliers:
            marks = ",".join("?" for _ in suppliers)
            clauses.append(f"supplier_id IN ({marks})")
            params.extend(suppliers)
        where = f"WHERE {' OR '.join(clauses)}" if clauses else ""
        with self._guard():
            rows = self._conn.execute(f"SELECT state FROM overrides {where}", params).fetchall()
        found = [Override.model_validate_json(state) for (state,) in rows]
        return sorted(found, key=lambda override: (override.created_at, override.id))

    def _load_override(self, conn: sqlite3.Connection, override_id: str) -> Override:
        row = conn.execute("SELECT state FROM overrides WHERE id = ?", (override_id,)).fetchone()
        if row is None:
            raise StoreError(f"{self.path}: there is no override {override_id!r}")
        return Override.model_validate_json(row[0])

    def _record_override(
        self,
        conn: sqlite3.Connection,
        kind: EntryKind,
        override: Override,
        *,
        seq: int | None = None,
        prev_hash: str | None = None,
    ) -> None:
        state = override.model_dump(mode="json")
        row = self._append(
            conn,
            kind,
            {"override": state},
            record_kind="purchase_order" if override.po_id else "supplier",
            record_id=override.po_id or override.supplier_id,
            supplier_id=override.supplier_id,
            seq=seq,
            prev_hash=prev_hash,
        )
        migrations.save_override_state(conn, state, row.seq)

    # ---------------------------------------------------------------- reading the trail

    def rows(
        self,
        *,
        since: dt.date | None = None,
        until: dt.date | None = None,
        supplier_id: str | None = None,
    ) -> Iterator[Row]:
        clauses: list[str] = []
        params: list[str] = []
        if since is not None:
            clauses.append("recorded_at >= ?")
            params.append(since.isoformat())
        if until is not None:
            clauses.append("recorded_at < ?")
            params.append((until + dt.timedelta(days=1)).isoformat())
        if supplier_id is not None:
            clauses.append("supplier_id = ?")
            params.append(supplier_id)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        with self._read() as conn:
            cursor = conn.execute(
                f"SELECT {_COLUMNS} FROM audit_entries {where} ORDER BY seq", params
            )
            for raw in cursor:
                yield Row(*raw)

    def entries(
        self,
        *,
        since: dt.date | None = None,
        until: dt.date | None = None,
        supplier_id: str | None = None,
    ) -> Iterator[AuditEntry]:
        for row in self.rows(since=since, until=until, supplier_id=supplier_id):
            yield to_entry(row)

    def count(self) -> int:
        with self._guard():
            return int(self._conn.execute("SELECT count(*) FROM audit_entries").fetchone()[0])

    def verify(self) -> VerifyReport:
        """Check the chain, then that the override and first-seen tables agree with it."""
        with self._read() as conn:
            cursor = conn.execute(f"SELECT {_COLUMNS} FROM audit_entries ORDER BY seq")
            report = verify_rows(Row(*raw) for raw in cursor)
            if report.first_break is not None:
                return report
            problems = [*_override_problems(conn), *_first_seen_problems(conn)]
        if len(problems) > _MAX_PROBLEMS:
            more = len(problems) - _MAX_PROBLEMS
            problems = [*problems[:_MAX_PROBLEMS], f"... and {more} more of the same kind"]
        return report.model_copy(update={"problems": problems})


# -------------------------------------------------------------------- helpers on a connection


def _utc_day(moment: dt.datetime) -> str:
    """The UTC calendar day of a screening, as the policy counts exit windows (naive = UTC)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC)
    return moment.date().isoformat()


def _note_first_seen(conn: sqlite3.Connection, decision: Decision, seq: int) -> None:
    """Remember the earliest date each finding key was seen (the start of its exit window)."""
    day = _utc_day(decision.screened_at)
    conn.executemany(
        "INSERT INTO first_seen (finding_key, supplier_id, code, subject, first_seen, entry_seq) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (finding_key) DO UPDATE SET "
        "first_seen = excluded.first_seen, entry_seq = excluded.entry_seq "
        "WHERE excluded.first_seen < first_seen.first_seen",
        [
            (finding.key, finding.supplier_id or "", finding.code.value, finding.subject, day, seq)
            for finding in decision.findings
        ],
    )


def _override_problems(conn: sqlite3.Connection) -> list[str]:
    """Overrides whose stored state is not what their audit entries say (edited behind our back)."""
    expected: dict[str, str] = {}
    placeholders = ",".join("?" for _ in migrations.OVERRIDE_KINDS)
    for (content,) in conn.execute(
        f"SELECT content FROM audit_entries WHERE kind IN ({placeholders}) ORDER BY seq",
        migrations.OVERRIDE_KINDS,
    ):
        state = json.loads(content)["override"]
        expected[state["id"]] = canonical_json(state)
    actual = dict(conn.execute("SELECT id, state FROM overrides").fetchall())
    problems = []
    for override_id in sorted(expected.keys() | actual.keys()):
        if override_id not in actual:
            problems.append(
                f"override {override_id} is in the audit trail but missing from the table"
            )
        elif override_id not in expected:
            problems.append(
                f"override {override_id} has no audit entry: it was added outside the store"
            )
        elif expected[override_id] != actual[override_id]:
            problems.append(
                f"override {override_id} differs from its audit entries: it was edited outside the store"
            )
    return problems


def _first_seen_problems(conn: sqlite3.Connection) -> list[str]:
    """First-seen dates that the recorded decisions do not support (a moved date shifts an exit window)."""
    expected: dict[str, str] = {}
    for (content,) in conn.execute("SELECT content FROM audit_entries WHERE kind = 'decision'"):
        decision = json.loads(content)["decision"]
        findings = decision.get("findings") or []
        if not findings:
            continue
        day = _utc_day(dt.datetime.fromisoformat(decision["screened_at"]))
        for finding in findings:
            key = finding_key(finding.get("supplier_id"), finding["code"], finding["subject"])
            if key not in expected or day < expected[key]:
                expected[key] = day
    actual = dict(conn.execute("SELECT finding_key, first_seen FROM first_seen").fetchall())
    problems = []
    for key in sorted(expected.keys() | actual.keys()):
        if expected.get(key) != actual.get(key):
            problems.append(
                f"first-seen date for {key} is {actual.get(key) or 'missing'} but the audit trail "
                f"says {expected.get(key) or 'never seen'}"
            )
    return problems
