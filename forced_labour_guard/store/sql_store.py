"""The store on a SQL database: a SQLite file (embedded default) or a PostgreSQL server.

Every write runs in ``Database.transaction()``, which holds the store's one write lock (SQLite
``BEGIN IMMEDIATE``; PostgreSQL a transaction-level advisory lock), so "read the last entry's hash,
append the next entry" is atomic across processes and hosts and the chain never forks. Other writers
wait (busy timeout, statement timeout) instead of failing. Readers (verify, export, first-seen
look-ups) take a snapshot and run while someone appends. Each thread uses its own connection, so
one store object can serve a multi-threaded server.

SQLite durability: ``synchronous=NORMAL`` (the default here) never corrupts the file or the chain
when a process is killed; after a power cut the last few commits may be lost, but what remains is a
valid chain. Pass ``synchronous="FULL"`` to sync every commit to disk, at some cost in appends per
second. PostgreSQL commits are durable under the server's own settings.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from forced_labour_guard.clock import Clock, utc_now
from forced_labour_guard.model import Decision, finding_key
from forced_labour_guard.store import migrations
from forced_labour_guard.store.audit_model import (
    AuditEntry,
    EntryKind,
    Override,
    OverrideRequest,
    OverrideRules,
    RecordKind,
    VerifyReport,
)
from forced_labour_guard.store.base import DecisionRecord, StoreError
from forced_labour_guard.store.chain import Row, to_entry, verify_rows
from forced_labour_guard.store.database import Database, Location, Synchronous, parse_location
from forced_labour_guard.store.evidence import evidence_problems
from forced_labour_guard.store.hashing import canonical_json
from forced_labour_guard.store.ledger import COLUMNS, append_entry, next_link
from forced_labour_guard.store.overrides import approve, new_override, revoke

_MAX_PROBLEMS = 20
_PAGE = 2000


class SqlStore:
    """The Store protocol on SQLite or PostgreSQL (schema created and migrated forward on open)."""

    def __init__(
        self,
        location: str | Path | Location | Database,
        *,
        rules: OverrideRules | None = None,
        clock: Clock = utc_now,
        busy_timeout: float = 60.0,
        synchronous: Synchronous = "NORMAL",
        statement_timeout: float = 30.0,
        connect_retry: float = 20.0,
    ) -> None:
        self.rules = rules or OverrideRules()
        self._clock = clock
        self.db = (
            location
            if isinstance(location, Database)
            else Database(
                location,
                busy_timeout=busy_timeout,
                synchronous=synchronous,
                statement_timeout=statement_timeout,
                connect_retry=connect_retry,
            )
        )
        try:
            migrations.migrate(self.db, at=clock())
        except BaseException:
            self.db.close()
            raise

    @property
    def location(self) -> str:
        """The file or server (without password) this store writes to."""
        return self.db.display

    @property
    def path(self) -> Path:
        """The SQLite file of an embedded store."""
        return Path(self.db.location.target)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> SqlStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---------------------------------------------------------------- appending

    def _append(
        self,
        kind: EntryKind,
        body: dict[str, Any],
        *,
        link: tuple[int, str] | None = None,
        **columns: str | None,
    ) -> Row:
        return append_entry(self.db, kind, body, at=self._clock(), link=link, **columns)

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
        with self.db.transaction():
            for record in records:
                row = self._append(
                    "decision",
                    {"decision": record.decision.model_dump(mode="json")},
                    record_kind=record.record_kind,
                    record_id=record.record_id,
                    record_hash=record.record_hash,
                    supplier_id=record.supplier_id,
                    action=record.decision.action.value,
                )
                _note_first_seen(self.db, record.decision, row.seq)
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
        rows = self.db.execute(
            f"SELECT finding_key, first_seen FROM first_seen WHERE supplier_id IN ({marks})",
            wanted,
        ).fetchall()
        return {str(key): dt.date.fromisoformat(day) for key, day in rows}

    # ---------------------------------------------------------------- overrides

    def add_override(self, request: OverrideRequest) -> Override:
        with self.db.transaction():
            link = next_link(self.db)
            override = new_override(
                request, override_id=f"OVR-{link[0]}", created_at=self._clock(), rules=self.rules
            )
            self._record_override("override", override, link=link)
        return override

    def approve_override(self, override_id: str, *, by: str, note: str | None = None) -> Override:
        with self.db.transaction():
            current = self._load_override(override_id)
            updated = approve(current, by=by, at=self._clock(), note=note)
            self._record_override("override_approval", updated)
        return updated

    def revoke_override(self, override_id: str, *, by: str, reason: str) -> Override:
        with self.db.transaction():
            current = self._load_override(override_id)
            updated = revoke(current, by=by, at=self._clock(), reason=reason)
            self._record_override("override_revocation", updated)
        return updated

    def get_override(self, override_id: str) -> Override:
        return self._load_override(override_id)

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
        rows = self.db.execute(f"SELECT state FROM overrides {where}", params).fetchall()
        found = [Override.model_validate_json(state) for (state,) in rows]
        return sorted(found, key=lambda override: (override.created_at, override.id))

    def _load_override(self, override_id: str) -> Override:
        row = self.db.execute("SELECT state FROM overrides WHERE id = ?", (override_id,)).fetchone()
        if row is None:
            raise StoreError(f"{self.location}: there is no override {override_id!r}")
        return Override.model_validate_json(row[0])

    def _record_override(
        self, kind: EntryKind, override: Override, *, link: tuple[int, str] | None = None
    ) -> None:
        state = override.model_dump(mode="json")
        row = self._append(
            kind,
            {"override": state},
            record_kind="purchase_order" if override.po_id else "supplier",
            record_id=override.po_id or override.supplier_id,
            supplier_id=override.supplier_id,
            link=link,
        )
        migrations.save_override_state(self.db, state, row.seq)

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
        yield from self._paged_rows(clauses, params)

    def _paged_rows(self, clauses: list[str], params: list[str]) -> Iterator[Row]:
        """Rows in chain order, read in pages by ``seq``: memory stays flat for a long chain and no
        transaction is held open while the caller works through them (entries never change, so
        the pages join up; entries appended meanwhile simply come at the end)."""
        after = 0
        while True:
            where = " AND ".join([*clauses, "seq > ?"])
            with self.db.snapshot():
                page = self.db.execute(
                    f"SELECT {COLUMNS} FROM audit_entries WHERE {where} ORDER BY seq LIMIT {_PAGE}",
                    [*params, after],
                ).fetchall()
            for raw in page:
                yield Row(*raw)
            if len(page) < _PAGE:
                return
            after = int(page[-1][0])

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
        return int(self.db.execute("SELECT count(*) FROM audit_entries").fetchone()[0])

    def verify(self) -> VerifyReport:
        """Check the chain, then that the override, first-seen and campaign tables agree with it."""
        with self.db.snapshot():
            report = verify_rows(self._paged_rows([], []))
            if report.first_break is not None:
                return report
            problems = [
                *_override_problems(self.db),
                *_first_seen_problems(self.db),
                *evidence_problems(self.db),
            ]
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


def _note_first_seen(db: Database, decision: Decision, seq: int) -> None:
    """Remember the earliest date each finding key was seen (the start of its exit window)."""
    day = _utc_day(decision.screened_at)
    if not decision.findings:
        return
    db.executemany(
        "INSERT INTO first_seen (finding_key, supplier_id, code, subject, first_seen, entry_seq) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (finding_key) DO UPDATE SET "
        "first_seen = excluded.first_seen, entry_seq = excluded.entry_seq "
        "WHERE excluded.first_seen < first_seen.first_seen",
        [
            (finding.key, finding.supplier_id or "", finding.code.value, finding.subject, day, seq)
            for finding in decision.findings
        ],
    )


def _override_problems(db: Database) -> list[str]:
    """Overrides whose stored state is not what their audit entries say (edited behind our back)."""
    expected: dict[str, str] = {}
    placeholders = ",".join("?" for _ in migrations.OVERRIDE_KINDS)
    for (content,) in db.execute(
        f"SELECT content FROM audit_entries WHERE kind IN ({placeholders}) ORDER BY seq",
        migrations.OVERRIDE_KINDS,
    ).fetchall():
        state = json.loads(content)["override"]
        expected[state["id"]] = canonical_json(state)
    actual = dict(db.execute("SELECT id, state FROM overrides").fetchall())
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


def _first_seen_problems(db: Database) -> list[str]:
    """First-seen dates that the recorded decisions do not support (a moved date shifts an exit window)."""
    expected: dict[str, str] = {}
    decisions = db.execute("SELECT content FROM audit_entries WHERE kind = 'decision'")
    for (content,) in decisions:
        decision = json.loads(content)["decision"]
        findings = decision.get("findings") or []
        if not findings:
            continue
        day = _utc_day(dt.datetime.fromisoformat(decision["screened_at"]))
        for finding in findings:
            key = finding_key(finding.get("supplier_id"), finding["code"], finding["subject"])
            if key not in expected or day < expected[key]:
                expected[key] = day
    actual = dict(db.execute("SELECT finding_key, first_seen FROM first_seen").fetchall())
    problems = []
    for key in sorted(expected.keys() | actual.keys()):
        if expected.get(key) != actual.get(key):
            problems.append(
                f"first-seen date for {key} is {actual.get(key) or 'missing'} but the audit trail "
                f"says {expected.get(key) or 'never seen'}"
            )
    return problems


class SqliteStore(SqlStore):
    """The embedded store on one SQLite file (a path or ``sqlite:///path``)."""

    def __init__(
        self,
        path: str | Path,
        *,
        rules: OverrideRules | None = None,
        clock: Clock = utc_now,
        busy_timeout: float = 60.0,
        synchronous: Synchronous = "NORMAL",
    ) -> None:
        location = parse_location(path)
        if location.dialect != "sqlite":
            raise StoreError(f"{location.display}: not a SQLite file; use open_store for a server")
        super().__init__(
            location, rules=rules, clock=clock, busy_timeout=busy_timeout, synchronous=synchronous
        )
