"""Builders shared by the store tests: decisions with findings, a fixed clock, tampering by hand."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from forced_labour_guard.model import Action, Decision, Finding, FindingCode, ListVersion

UTC = dt.UTC
DAY = dt.datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def finding(
    code: FindingCode = FindingCode.A1,
    *,
    supplier_id: str = "S-1",
    subject: str = "supplier.addresses[0]",
    steps: tuple[str, ...] = ("B1",),
) -> Finding:
    return Finding(
        code=code,
        subject=subject,
        detail=f"{supplier_id} has a {code.value} finding at {subject}.",
        steps=list(steps),
        supplier_id=supplier_id,
    )


def decision(
    *findings: Finding,
    action: Action = Action.BLOCK,
    subject: str = "PO-1",
    at: dt.datetime = DAY,
) -> Decision:
    return Decision(
        action=action if findings else Action.ALLOW,
        findings=list(findings),
        steps=sorted({s for f in findings for s in f.steps}),
        reasons=[f.detail for f in findings] or ["nothing found"],
        screened_at=at,
        list_versions=[ListVersion(name="UFLPA Entity List", as_of=dt.date(2026, 1, 15))],
        subject=subject,
        policy_version="default",
    )


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: dt.datetime = DAY) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


def tamper(path: Path, *statements: str) -> None:
    """Edit the file directly, as someone with write access to it could (dropping the guards first)."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("DROP TRIGGER IF EXISTS audit_entries_no_update")
        conn.execute("DROP TRIGGER IF EXISTS audit_entries_no_delete")
        for statement in statements:
            conn.execute(statement)
        conn.commit()
    finally:
        conn.close()


def run_sql(location: str, *statements: str) -> list[tuple[object, ...]]:
    """Run SQL straight on a store's database (SQLite file or PostgreSQL URL), bypassing the store;
    returns the rows of the last statement."""
    rows: list[tuple[object, ...]] = []
    if location.startswith("postgresql://"):
        import psycopg

        with psycopg.connect(location, autocommit=True) as conn:
            for statement in statements:
                cursor = conn.execute(statement)
                rows = list(cursor.fetchall()) if cursor.description else []
        return rows
    conn = sqlite3.connect(location)
    try:
        for statement in statements:
            rows = conn.execute(statement).fetchall()
        conn.commit()
    finally:
        conn.close()
    return rows


def tamper_store(location: str, *statements: str) -> None:
    """Edit a store as an attacker with full database rights would: drop the append-only triggers
    first, then change rows."""
    if location.startswith("postgresql://"):
        drops = [
            "DROP TRIGGER IF EXISTS audit_entries_no_update ON audit_entries",
            "DROP TRIGGER IF EXISTS audit_entries_no_truncate ON audit_entries",
        ]
    else:
        drops = [
            "DROP TRIGGER IF EXISTS audit_entries_no_update",
            "DROP TRIGGER IF EXISTS audit_entries_no_delete",
        ]
    run_sql(location, *drops, *statements)
