"""Persist campaigns in SQLite: instructions, reminders, acknowledgements, proof documents, events.

The tables are prefixed ``campaign_`` so they can live in the same database file as the audit store
(``FLG_STORE`` / ``--store``) without touching its tables; the schema has its own version table.
Proof documents are stored once per content, keyed by SHA-256, and linked to each acknowledgement
with the file name the supplier gave and the kind of proof; who reviewed them and when is kept on
the acknowledgement. Every change also appends a row to ``campaign_events``, the campaign's history.

Suppliers a recorded screening flagged for a B4 instruction (an A4 finding, say) wait in
``campaign_pending`` with the findings that put them there (``campaign_pending_reasons``) until an
instruction to them is sent; see ``instructions.pending``.

Dates are ISO strings, timestamps ISO 8601 in UTC. WAL mode lets a status report read while a
campaign is being sent. The schema moves forward only: a file made by an older version gets the
missing tables when it is opened (``_MIGRATIONS``); a newer one is refused.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, Final

from forced_labour_guard.clock import Clock, utc_now
from forced_labour_guard.errors import InputError
from forced_labour_guard.instructions.model import (
    Acknowledgement,
    CampaignSettings,
    Company,
    Instruction,
    PendingReason,
    PendingSupplier,
    ProofDocument,
    ProofKind,
    Review,
)
from forced_labour_guard.model import Finding, Supplier, supplier_key

SCHEMA_VERSION: Final = 2
MAX_DOCUMENT_BYTES: Final = 50 * 1024 * 1024

_SCHEMA: Final = """
CREATE TABLE IF NOT EXISTS campaign_campaigns (
    name TEXT PRIMARY KEY,
    company_json TEXT NOT NULL,
    settings_json TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS campaign_instructions (
    reference TEXT PRIMARY KEY,
    campaign TEXT NOT NULL REFERENCES campaign_campaigns(name),
    supplier_key TEXT NOT NULL,
    supplier_id TEXT,
    supplier_name TEXT NOT NULL,
    contact_name TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL,
    language TEXT NOT NULL,
    issued_on TEXT NOT NULL,
    deadline TEXT NOT NULL,
    channel TEXT NOT NULL,
    sent_at TEXT,
    message_id TEXT,
    overdue_marked_on TEXT,
    UNIQUE (campaign, supplier_key)
);
CREATE INDEX IF NOT EXISTS campaign_instructions_supplier
    ON campaign_instructions(supplier_key);
CREATE TABLE IF NOT EXISTS campaign_reminders (
    reference TEXT NOT NULL REFERENCES campaign_instructions(reference),
    sent_on TEXT NOT NULL,
    sent_at TEXT NOT NULL,
    message_id TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS campaign_documents (
    sha256 TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    content BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS campaign_acknowledgements (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    reference TEXT NOT NULL REFERENCES campaign_instructions(reference),
    received_on TEXT NOT NULL,
    signed_by TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    recorded_by TEXT NOT NULL DEFAULT '',
    recorded_at TEXT NOT NULL,
    review TEXT NOT NULL DEFAULT 'pending',
    reviewed_by TEXT NOT NULL DEFAULT '',
    reviewed_at TEXT,
    review_note TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS campaign_proofs (
    ack_id INTEGER NOT NULL REFERENCES campaign_acknowledgements(id),
    sha256 TEXT NOT NULL REFERENCES campaign_documents(sha256),
    file_name TEXT NOT NULL,
    kind TEXT NOT NULL,
    PRIMARY KEY (ack_id, sha256, file_name)
);
CREATE TABLE IF NOT EXISTS campaign_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    reference TEXT NOT NULL,
    at TEXT NOT NULL,
    kind TEXT NOT NULL,
    actor TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT ''
);
"""

# Version -> the statements that bring a file from the version before up to it. A new file runs
# the version 1 schema above and then every step, so old and new files end up alike.
_MIGRATIONS: Final[dict[int, str]] = {
    2: """
CREATE TABLE IF NOT EXISTS campaign_pending (
    supplier_key TEXT PRIMARY KEY,
    supplier_json TEXT NOT NULL,
    first_flagged_on TEXT NOT NULL,
    last_flagged_on TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS campaign_pending_reasons (
    supplier_key TEXT NOT NULL REFERENCES campaign_pending(supplier_key),
    code TEXT NOT NULL,
    subject TEXT NOT NULL,
    detail TEXT NOT NULL,
    decision_subject TEXT,
    first_flagged_on TEXT NOT NULL,
    PRIMARY KEY (supplier_key, code, subject)
);
""",
}


@dataclass(frozen=True)
class Event:
    """One line of a campaign's history."""

    reference: str
    at: dt.datetime
    kind: str
    actor: str
    detail: str


@dataclass(frozen=True)
class ProofFile:
    """A proof document as received: its name, content and kind."""

    file_name: str
    content: bytes
    kind: ProofKind = ProofKind.OTHER


class CampaignStore:
    """The campaign tables in one SQLite file. Not shared between threads; open one per thread."""

    def __init__(self, path: str | Path, *, clock: Clock = utc_now) -> None:
        self.path = str(path)
        self._clock = clock
        try:
            self._db = sqlite3.connect(self.path, timeout=10.0)
        except sqlite3.Error as error:
            raise InputError(f"cannot open the store ({error})", source=self.path) from None
        self._db.row_factory = sqlite3.Row
        try:
            self._db.execute("PRAGMA foreign_keys = ON")
            if self.path != ":memory:":
                self._db.execute("PRAGMA journal_mode = WAL")
            self._migrate()
        except sqlite3.DatabaseError as error:
            self._db.close()
            raise InputError(f"not a usable SQLite store ({error})", source=self.path) from None

    # -- lifecycle --------------------------------------------------------------------------

    def __enter__(self) -> CampaignStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    def _migrate(self) -> None:
        with self._db:
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS campaign_schema_version (version INTEGER NOT NULL)"
            )
            row = self._db.execute("SELECT MAX(version) FROM campaign_schema_version").fetchone()
            version = row[0]
            if version is not None and version > SCHEMA_VERSION:
                raise InputError(
                    f"campaign tables are at schema version {version}, newer than this "
                    f"forced_labour_guard understands ({SCHEMA_VERSION}); upgrade the package",
                    source=self.path,
                )
            if version is None:  # a new file: the first schema and every step, noted once
                _run_script(self._db, _SCHEMA)
                for step in range(2, SCHEMA_VERSION + 1):
                    _run_script(self._db, _MIGRATIONS[step])
                self._db.execute(
                    "INSERT INTO campaign_schema_version (version) VALUES (?)", (SCHEMA_VERSION,)
                )
                return
            for step in range(version + 1, SCHEMA_VERSION + 1):  # an old file: a row per step
                _run_script(self._db, _MIGRATIONS[step])
                self._db.execute(
                    "INSERT INTO campaign_schema_version (version) VALUES (?)", (step,)
                )

    def _now(self) -> str:
        return self._clock().astimezone(dt.UTC).isoformat()

    def _event(self, reference: str, kind: str, actor: str = "", detail: str = "") -> None:
        self._db.execute(
            "INSERT INTO campaign_events (reference, at, kind, actor, detail) VALUES (?, ?, ?, ?, ?)",
            (reference, self._now(), kind, actor, detail),
        )

    # -- campaigns ----------------------------------------------------------------------------

    def save_campaign(self, name: str, company: Company, settings: CampaignSettings) -> None:
        """Create the campaign, or update who sends it and its settings for later messages."""
        with self._db:
            self._db.execute(
                "INSERT INTO campaign_campaigns (name, company_json, settings_json, created_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT(name) DO UPDATE SET "
                "company_json = excluded.company_json, settings_json = excluded.settings_json",
                (name, company.model_dump_json(), settings.model_dump_json(), self._now()),
            )

    def campaign(self, name: str) -> tuple[Company, CampaignSettings]:
        row = self._db.execute(
            "SELECT company_json, settings_json FROM campaign_campaigns WHERE name = ?", (name,)
        ).fetchone()
        if row is None:
            raise InputError(f"no campaign named {name!r} in the store", source=self.path)
        return (
            Company.model_validate_json(row["company_json"]),
            CampaignSettings.model_validate_json(row["settings_json"]),
        )

    def campaigns(self) -> list[str]:
        rows = self._db.execute("SELECT name FROM campaign_campaigns ORDER BY created_at, name")
        return [row["name"] for row in rows]

    # -- instructions -------------------------------------------------------------------------

    def add_instruction(self, instruction: Instruction, supplier_json: str = "") -> bool:
        """Record an instruction before it is sent; a draft never sent is updated (e.g. a corrected
        address). Returns False when the reference was already sent and nothing changed."""
        i = instruction
        with self._db:
            cursor = self._db.execute(
                "INSERT INTO campaign_instructions (reference, campaign, supplier_key, "
                "supplier_id, supplier_name, contact_name, email, language, issued_on, deadline, "
                "channel) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(reference) DO UPDATE SET supplier_id = excluded.supplier_id, "
                "supplier_name = excluded.supplier_name, contact_name = excluded.contact_name, "
                "email = excluded.email, language = excluded.language, "
                "issued_on = excluded.issued_on, deadline = excluded.deadline, "
                "channel = excluded.channel WHERE campaign_instructions.sent_at IS NULL",
                (
                    i.reference,
                    i.campaign,
                    i.supplier_key,
                    i.supplier_id,
                    i.supplier_name,
                    i.contact_name,
                    i.email,
                    i.language,
                    i.issued_on.isoformat(),
                    i.deadline.isoformat(),
                    i.channel,
                ),
            )
            if cursor.rowcount:
                self._event(i.reference, "recorded", detail=supplier_json)
            return cursor.rowcount == 1

    def mark_sent(
        self,
        reference: str,
        *,
        issued_on: dt.date,
        deadline: dt.date,
        channel: str,
        message_id: str,
        location: str,
    ) -> None:
        """The instruction left: its issue date and deadline count from now."""
        with self._db:
            self._db.execute(
                "UPDATE campaign_instructions SET sent_at = ?, issued_on = ?, deadline = ?, "
                "channel = ?, message_id = ? WHERE reference = ?",
                (
                    self._now(),
                    issued_on.isoformat(),
                    deadline.isoformat(),
                    channel,
                    message_id,
                    reference,
                ),
            )
            self._event(reference, "issued", detail=f"{channel} {location}; deadline {deadline}")

    def record_failure(self, reference: str, reason: str) -> None:
        with self._db:
            self._event(reference, "send_failed", detail=reason)

    def add_reminder(self, reference: str, *, sent_on: dt.date, message_id: str) -> None:
        with self._db:
            self._db.execute(
                "INSERT INTO campaign_reminders (reference, sent_on, sent_at, message_id) "
                "VALUES (?, ?, ?, ?)",
                (reference, sent_on.isoformat(), self._now(), message_id),
            )
            self._event(reference, "reminded", detail=f"on {sent_on}")

    def mark_overdue(self, reference: str, *, on: dt.date) -> bool:
        """Note, once, the day an instruction was found overdue; False if it was already noted
        (another run got there first), so the history holds one 'overdue' event per lapse."""
        with self._db:
            cursor = self._db.execute(
                "UPDATE campaign_instructions SET overdue_marked_on = ? "
                "WHERE reference = ? AND overdue_marked_on IS NULL",
                (on.isoformat(), reference),
            )
            if cursor.rowcount:
                self._event(reference, "overdue", detail=f"noticed on {on}")
            return cursor.rowcount == 1

    # -- acknowledgements and proof -----------------------------------------------------------

    def add_acknowledgement(
        self,
        reference: str,
        *,
        received_on: dt.date,
        proofs: Sequence[ProofFile] = (),
        signed_by: str = "",
        note: str = "",
        recorded_by: str = "",
        review: Review | None = None,
        reviewer: str = "",
        review_note: str = "",
    ) -> Acknowledgement:
        """Record a supplier's answer and keep each proof document by its SHA-256.

        A ``review`` the reviewer already decided (accepted or rejected; None or pending leaves it
        open) is recorded in the same transaction, so one the store refuses (no proof to accept,
        no reviewer named) leaves no answer behind and the corrected call records it once."""
        if self.get(reference) is None:
            raise InputError(f"no instruction with reference {reference!r}", source=self.path)
        for proof in proofs:
            if len(proof.content) > MAX_DOCUMENT_BYTES:
                raise InputError(
                    f"larger than {MAX_DOCUMENT_BYTES // (1024 * 1024)} MiB; store a summary "
                    "or a hash reference instead",
                    source=proof.file_name,
                )
        with self._db:
            cursor = self._db.execute(
                "INSERT INTO campaign_acknowledgements (reference, received_on, signed_by, note, "
                "recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?)",
                (reference, received_on.isoformat(), signed_by, note, recorded_by, self._now()),
            )
            ack_id = cursor.lastrowid
            assert ack_id is not None
            for proof in proofs:
                digest = hashlib.sha256(proof.content).hexdigest()
                self._db.execute(
                    "INSERT OR IGNORE INTO campaign_documents (sha256, size, content) "
                    "VALUES (?, ?, ?)",
                    (digest, len(proof.content), proof.content),
                )
                self._db.execute(
                    "INSERT OR IGNORE INTO campaign_proofs (ack_id, sha256, file_name, kind) "
                    "VALUES (?, ?, ?, ?)",
                    (ack_id, digest, proof.file_name, proof.kind.value),
                )
            names = ", ".join(f"{p.file_name} ({p.kind.value})" for p in proofs) or "no proof"
            self._event(reference, "acknowledged", recorded_by, f"ack {ack_id}: {names}")
            if review is Review.ACCEPTED or review is Review.REJECTED:
                self._decide(
                    ack_id, accepted=review is Review.ACCEPTED, reviewer=reviewer, note=review_note
                )
        return self._acknowledgement(ack_id)

    def review(
        self, ack_id: int, *, accepted: bool, reviewer: str, note: str = ""
    ) -> Acknowledgement:
        """Accept or reject an acknowledgement's proof. A decision, once taken, is not changed:
        the supplier sends a new acknowledgement instead, so the history stays readable."""
        with self._db:
            self._decide(ack_id, accepted=accepted, reviewer=reviewer, note=note)
        return self._acknowledgement(ack_id)

    def _decide(self, ack_id: int, *, accepted: bool, reviewer: str, note: str) -> None:
        """Record a review inside the caller's transaction; every check comes before any write.
        Accepted proof also lifts the instruction's overdue mark (it is no longer overdue)."""
        if not reviewer.strip():
            raise InputError("a review needs the reviewer's name", path="reviewer")
        current = self._acknowledgement(ack_id)
        if current.review is not Review.PENDING:
            raise InputError(
                f"acknowledgement {ack_id} was already {current.review.value} by "
                f"{current.reviewed_by or 'someone'}; record a new acknowledgement instead",
                source=self.path,
            )
        if accepted and not current.proofs:
            raise InputError(
                f"acknowledgement {ack_id} has no proof document; B5 asks for proof, not only "
                "agreement",
                source=self.path,
            )
        verdict = Review.ACCEPTED if accepted else Review.REJECTED
        cursor = self._db.execute(
            "UPDATE campaign_acknowledgements SET review = ?, reviewed_by = ?, "
            "reviewed_at = ?, review_note = ? WHERE id = ? AND review = ?",
            (verdict.value, reviewer.strip(), self._now(), note, ack_id, Review.PENDING.value),
        )
        if cursor.rowcount == 0:  # another reviewer, in another process, decided since we read it
            raise InputError(
                f"acknowledgement {ack_id} was reviewed by someone else a moment ago; run "
                "'flg instructions status' to see the decision",
                source=self.path,
            )
        self._event(current.reference, f"proof_{verdict.value}", reviewer.strip(), note)
        if accepted:
            self._db.execute(
                "UPDATE campaign_instructions SET overdue_marked_on = NULL WHERE reference = ?",
                (current.reference,),
            )

    def document(self, sha256: str) -> bytes:
        row = self._db.execute(
            "SELECT content FROM campaign_documents WHERE sha256 = ?", (sha256,)
        ).fetchone()
        if row is None:
            raise InputError(f"no proof document with SHA-256 {sha256}", source=self.path)
        content: bytes = row["content"]
        return content

    def _acknowledgement(self, ack_id: int) -> Acknowledgement:
        row = self._db.execute(
            "SELECT * FROM campaign_acknowledgements WHERE id = ?", (ack_id,)
        ).fetchone()
        if row is None:
            raise InputError(f"no acknowledgement with id {ack_id}", source=self.path)
        return self._ack_from_row(row, self._proofs([ack_id]).get(ack_id, []))

    def _proofs(self, ack_ids: Iterable[int]) -> dict[int, list[ProofDocument]]:
        ids = list(ack_ids)
        found: dict[int, list[ProofDocument]] = {}
        if not ids:
            return found
        marks = ",".join("?" * len(ids))
        rows = self._db.execute(
            "SELECT p.ack_id, p.sha256, p.file_name, p.kind, d.size FROM campaign_proofs p "
            f"JOIN campaign_documents d USING (sha256) WHERE p.ack_id IN ({marks}) "
            "ORDER BY p.file_name",
            ids,
        )
        for row in rows:
            found.setdefault(row["ack_id"], []).append(
                ProofDocument(
                    sha256=row["sha256"],
                    file_name=row["file_name"],
                    size=row["size"],
                    kind=ProofKind(row["kind"]),
                )
            )
        return found

    @staticmethod
    def _ack_from_row(row: sqlite3.Row, proofs: list[ProofDocument]) -> Acknowledgement:
        return Acknowledgement(
            id=row["id"],
            reference=row["reference"],
            received_on=dt.date.fromisoformat(row["received_on"]),
            signed_by=row["signed_by"],
            note=row["note"],
            recorded_by=row["recorded_by"],
            recorded_at=dt.datetime.fromisoformat(row["recorded_at"]),
            proofs=proofs,
            review=Review(row["review"]),
            reviewed_by=row["reviewed_by"],
            reviewed_at=_timestamp(row["reviewed_at"]),
            review_note=row["review_note"],
        )

    # -- suppliers waiting for an instruction ------------------------------------------------

    def queue_pending(
        self,
        supplier: Supplier,
        findings: Sequence[Finding],
        *,
        on: dt.date,
        decision_subject: str | None = None,
    ) -> None:
        """Note that a screening on ``on`` found ``findings`` asking for a B4 instruction to
        ``supplier``. Idempotent: screening the same order again adds nothing; the earliest date
        (and the screening it came from) is kept for the supplier and for each finding, and the
        supplier record is refreshed to the latest one seen."""
        key = supplier_key(supplier)
        day = on.isoformat()
        with self._db:
            self._db.execute(
                "INSERT INTO campaign_pending (supplier_key, supplier_json, first_flagged_on, "
                "last_flagged_on) VALUES (?, ?, ?, ?) ON CONFLICT(supplier_key) DO UPDATE SET "
                "supplier_json = excluded.supplier_json, "
                "first_flagged_on = MIN(first_flagged_on, excluded.first_flagged_on), "
                "last_flagged_on = MAX(last_flagged_on, excluded.last_flagged_on)",
                (key, supplier.model_dump_json(exclude_none=True), day, day),
            )
            for finding in findings:
                self._db.execute(
                    "INSERT INTO campaign_pending_reasons (supplier_key, code, subject, detail, "
                    "decision_subject, first_flagged_on) VALUES (?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT(supplier_key, code, subject) DO UPDATE SET "
                    "detail = excluded.detail, decision_subject = excluded.decision_subject, "
                    "first_flagged_on = excluded.first_flagged_on "
                    "WHERE excluded.first_flagged_on < campaign_pending_reasons.first_flagged_on",
                    (
                        key,
                        finding.code.value,
                        finding.subject,
                        finding.detail,
                        decision_subject,
                        day,
                    ),
                )

    def pending(self, *, supplier_key: str | None = None) -> list[PendingSupplier]:
        """Flagged suppliers with no instruction sent to them yet, in any campaign, earliest flag
        first. Derived on every read: sending an instruction (not a draft whose send failed)
        takes the supplier off the list, and nothing has to be marked."""
        where = "" if supplier_key is None else "AND p.supplier_key = ?"
        params: list[Any] = [] if supplier_key is None else [supplier_key]
        rows = self._db.execute(
            "SELECT * FROM campaign_pending p WHERE NOT EXISTS (SELECT 1 FROM "
            "campaign_instructions i WHERE i.supplier_key = p.supplier_key AND i.sent_at IS NOT "
            f"NULL) {where} ORDER BY p.first_flagged_on, p.supplier_key",
            params,
        ).fetchall()
        if not rows:
            return []
        keys = [row["supplier_key"] for row in rows]
        marks = ",".join("?" * len(keys))
        reasons: dict[str, list[PendingReason]] = {}
        for r in self._db.execute(
            f"SELECT * FROM campaign_pending_reasons WHERE supplier_key IN ({marks}) "
            "ORDER BY first_flagged_on, code, subject",
            keys,
        ):
            reasons.setdefault(r["supplier_key"], []).append(
                PendingReason(
                    code=r["code"],
                    subject=r["subject"],
                    detail=r["detail"],
                    decision_subject=r["decision_subject"],
                    first_flagged_on=dt.date.fromisoformat(r["first_flagged_on"]),
                )
            )
        return [
            PendingSupplier(
                supplier_key=row["supplier_key"],
                supplier=Supplier.model_validate_json(row["supplier_json"]),
                first_flagged_on=dt.date.fromisoformat(row["first_flagged_on"]),
                last_flagged_on=dt.date.fromisoformat(row["last_flagged_on"]),
                reasons=reasons.get(row["supplier_key"], []),
            )
            for row in rows
        ]

    # -- reading ------------------------------------------------------------------------------

    def get(self, reference: str) -> Instruction | None:
        found = self.instructions(reference=reference)
        return found[0] if found else None

    def instructions(
        self,
        *,
        campaign: str | None = None,
        supplier_key: str | None = None,
        reference: str | None = None,
    ) -> list[Instruction]:
        """Instructions with their reminders and acknowledgements, oldest first."""
        where: list[str] = []
        params: list[Any] = []
        for column, value in (
            ("campaign", campaign),
            ("supplier_key", supplier_key),
            ("reference", reference),
        ):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        rows = self._db.execute(
            f"SELECT * FROM campaign_instructions {clause} ORDER BY issued_on, reference", params
        ).fetchall()
        if not rows:
            return []
        refs = [row["reference"] for row in rows]
        marks = ",".join("?" * len(refs))
        reminders: dict[str, list[dt.date]] = {}
        for r in self._db.execute(
            f"SELECT reference, sent_on FROM campaign_reminders WHERE reference IN ({marks}) "
            "ORDER BY sent_on",
            refs,
        ):
            reminders.setdefault(r["reference"], []).append(dt.date.fromisoformat(r["sent_on"]))
        ack_rows = self._db.execute(
            f"SELECT * FROM campaign_acknowledgements WHERE reference IN ({marks}) ORDER BY id",
            refs,
        ).fetchall()
        proofs = self._proofs(row["id"] for row in ack_rows)
        acks: dict[str, list[Acknowledgement]] = {}
        for a in ack_rows:
            acks.setdefault(a["reference"], []).append(
                self._ack_from_row(a, proofs.get(a["id"], []))
            )
        return [
            Instruction(
                reference=row["reference"],
                campaign=row["campaign"],
                supplier_key=row["supplier_key"],
                supplier_id=row["supplier_id"],
                supplier_name=row["supplier_name"],
                contact_name=row["contact_name"],
                email=row["email"],
                language=row["language"],
                issued_on=dt.date.fromisoformat(row["issued_on"]),
                deadline=dt.date.fromisoformat(row["deadline"]),
                channel=row["channel"],
                sent_at=_timestamp(row["sent_at"]),
                message_id=row["message_id"],
                reminders=reminders.get(row["reference"], []),
                overdue_marked_on=_date(row["overdue_marked_on"]),
                acknowledgements=acks.get(row["reference"], []),
            )
            for row in rows
        ]

    def events(self, reference: str | None = None) -> list[Event]:
        clause, params = ("WHERE reference = ?", [reference]) if reference else ("", [])
        rows = self._db.execute(f"SELECT * FROM campaign_events {clause} ORDER BY id", params)
        return [
            Event(
                reference=row["reference"],
                at=dt.datetime.fromisoformat(row["at"]),
                kind=row["kind"],
                actor=row["actor"],
                detail=row["detail"],
            )
            for row in rows
        ]


def _run_script(db: sqlite3.Connection, script: str) -> None:
    """Run each statement of ``script`` inside the caller's transaction (``executescript`` would
    commit first). Every statement is ``IF NOT EXISTS``, so two processes opening an old file at
    once both succeed."""
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


def _timestamp(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None
