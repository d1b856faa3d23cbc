"""B5 evidence in the hash chain: every change to a campaign row is also a chained audit entry.

A customs officer asks for the campaign's history under B5: when each instruction was issued and
sent, the reminders, when it was found overdue, the supplier's acknowledgement with its proof
documents, and the reviewer's verdict. The campaign tables stay the query side (fast look-ups for
screening and ``flg instructions status``); the chain is the record. Each change appends one entry
whose body holds the *whole row as it now stands* (an acknowledgement with the SHA-256 of each proof
document), in the same transaction as the change:

=========================  ====================================================================
entry kind                 body
=========================  ====================================================================
``campaign_settings``      ``campaign``: who sends it and its deadline and reminder settings
``instruction_issued``     ``instruction``: recorded (a draft) or corrected before sending
``instruction_sent``       ``instruction``: sent, with its deadline counted from that day
``reminder_sent``          ``reminder``: one reminder
``instruction_overdue``    ``instruction``: the day it was found overdue
``acknowledgement``        ``acknowledgement``: the answer, its proof documents by SHA-256
``acknowledgement_review`` ``acknowledgement`` (accepted or rejected, by whom) and ``instruction``
=========================  ====================================================================

``evidence_problems`` replays those entries and compares the last state of each row with the
table: an edited review, deadline or proof hash, a row added or removed by hand, or a proof document
whose bytes no longer hash to its SHA-256 is reported by ``flg audit verify``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter
from collections.abc import Iterator
from typing import Any, Final, get_args

from forced_labour_guard.store.audit_model import EntryKind, EvidenceKind
from forced_labour_guard.store.chain import Row
from forced_labour_guard.store.database import Database
from forced_labour_guard.store.hashing import canonical_json
from forced_labour_guard.store.ledger import append_entry

EVIDENCE_KINDS: Final[tuple[EvidenceKind, ...]] = get_args(EvidenceKind)

_MAX_DIFFERENCES: Final = 3


def campaign_state(db: Database, name: str) -> dict[str, Any]:
    [row] = db.fetch_dicts("SELECT * FROM campaign_campaigns WHERE name = ?", (name,))
    return row


def instruction_state(db: Database, reference: str) -> dict[str, Any]:
    [row] = db.fetch_dicts("SELECT * FROM campaign_instructions WHERE reference = ?", (reference,))
    return row


def acknowledgement_state(db: Database, ack_id: int) -> dict[str, Any]:
    """The acknowledgement row with its proof documents (SHA-256, file name, kind)."""
    [row] = db.fetch_dicts("SELECT * FROM campaign_acknowledgements WHERE id = ?", (ack_id,))
    row["proofs"] = db.fetch_dicts(
        "SELECT sha256, file_name, kind FROM campaign_proofs WHERE ack_id = ? "
        "ORDER BY file_name, sha256",
        (ack_id,),
    )
    return row


def record_evidence(
    db: Database,
    kind: EntryKind,
    body: dict[str, Any],
    *,
    at: dt.datetime,
    reference: str | None,
    supplier_key: str | None,
) -> Row:
    """Chain ``body`` (row states) as an entry of ``kind``; call inside the change's transaction."""
    return append_entry(db, kind, body, at=at, record_id=reference, supplier_id=supplier_key)


def supplier_of(db: Database, reference: str) -> str | None:
    row = db.execute(
        "SELECT supplier_key FROM campaign_instructions WHERE reference = ?", (reference,)
    ).fetchone()
    return None if row is None else str(row[0])


# ------------------------------------------------------------------------ checking


def _chained_states(db: Database) -> Iterator[tuple[str, dict[str, Any]]]:
    marks = ",".join("?" for _ in EVIDENCE_KINDS)
    cursor = db.execute(
        f"SELECT content FROM audit_entries WHERE kind IN ({marks}) ORDER BY seq", EVIDENCE_KINDS
    )
    for (content,) in cursor.fetchall():
        body = json.loads(content)
        for table, state in body.items():
            if isinstance(state, dict):
                yield table, state


def evidence_problems(db: Database) -> list[str]:
    """Campaign rows that do not agree with their chained entries (edited behind the store's back)."""
    expected: dict[str, dict[str, dict[str, Any]]] = {
        "campaign": {},
        "instruction": {},
        "acknowledgement": {},
    }
    reminders: Counter[str] = Counter()
    keys = {"campaign": "name", "instruction": "reference", "acknowledgement": "id"}
    for table, state in _chained_states(db):
        if table == "reminder":
            reminders[canonical_json(state)] += 1
        elif table in keys:
            expected[table][str(state[keys[table]])] = state
    actual = {
        "campaign": {
            str(row["name"]): row for row in db.fetch_dicts("SELECT * FROM campaign_campaigns")
        },
        "instruction": {
            str(row["reference"]): row
            for row in db.fetch_dicts("SELECT * FROM campaign_instructions")
        },
        "acknowledgement": {
            str(row["id"]): acknowledgement_state(db, int(row["id"]))
            for row in db.fetch_dicts("SELECT id FROM campaign_acknowledgements")
        },
    }
    problems: list[str] = []
    for table in ("campaign", "instruction", "acknowledgement"):
        problems += _compare(table, expected[table], actual[table])
    stored = Counter(
        canonical_json(row) for row in db.fetch_dicts("SELECT * FROM campaign_reminders")
    )
    for text in sorted((reminders - stored).elements()):
        problems.append(f"reminder {_brief(text)} is in the audit trail but not in the table")
    for text in sorted((stored - reminders).elements()):
        problems.append(
            f"reminder {_brief(text)} has no audit entry: it was added outside the store"
        )
    problems += _document_problems(db)
    return problems


def _compare(
    table: str, expected: dict[str, dict[str, Any]], actual: dict[str, dict[str, Any]]
) -> list[str]:
    problems = []
    for key in sorted(expected.keys() | actual.keys()):
        if key not in actual:
            problems.append(f"{table} {key} is in the audit trail but missing from its table")
        elif key not in expected:
            problems.append(f"{table} {key} has no audit entry: it was added outside the store")
        elif canonical_json(expected[key]) != canonical_json(actual[key]):
            problems.append(
                f"{table} {key} differs from its audit entry, so it was edited outside the store: "
                f"{_differences(expected[key], actual[key])}"
            )
    return problems


def _differences(chained: dict[str, Any], stored: dict[str, Any]) -> str:
    names = sorted(
        name
        for name in chained.keys() | stored.keys()
        if canonical_json(chained.get(name)) != canonical_json(stored.get(name))
    )
    shown = [
        f"{name} is {_short(stored.get(name))} but the chain says {_short(chained.get(name))}"
        for name in names[:_MAX_DIFFERENCES]
    ]
    if len(names) > _MAX_DIFFERENCES:
        shown.append(f"and {len(names) - _MAX_DIFFERENCES} more")
    return "; ".join(shown)


def _short(value: Any) -> str:
    text = canonical_json(value)
    return text if len(text) <= 120 else text[:117] + "..."


def _brief(state: str) -> str:
    data = json.loads(state)
    return f"{data.get('reference')} of {data.get('sent_on')}"


def _document_problems(db: Database) -> list[str]:
    """Proof documents whose bytes no longer hash to the SHA-256 they are filed (and chained) under."""
    problems = []
    for row in db.fetch_dicts("SELECT sha256, size, content FROM campaign_documents"):
        content = as_bytes(row["content"])
        if hashlib.sha256(content).hexdigest() != row["sha256"] or len(content) != row["size"]:
            problems.append(
                f"proof document {row['sha256']} no longer matches its SHA-256: its content was "
                "replaced outside the store"
            )
    return problems


def as_bytes(value: Any) -> bytes:
    """A document's content as bytes (SQLite hands back text if someone stored text in it)."""
    return value.encode("utf-8") if isinstance(value, str) else bytes(value)


# ------------------------------------------------------------------------ upgrading old stores


def chain_existing_campaign_rows(db: Database, at: dt.datetime) -> None:
    """Enter campaign rows kept before evidence was chained, once, marked ``adopted``: from then on
    ``verify`` checks them. (It cannot prove what happened to them before the upgrade.)"""
    for row in db.fetch_dicts("SELECT name FROM campaign_campaigns ORDER BY created_at, name"):
        state = campaign_state(db, str(row["name"]))
        record_evidence(
            db,
            "campaign_settings",
            {"campaign": state, "adopted": True},
            at=at,
            reference=None,
            supplier_key=None,
        )
    for row in db.fetch_dicts("SELECT reference FROM campaign_instructions ORDER BY reference"):
        state = instruction_state(db, str(row["reference"]))
        kind: EntryKind = "instruction_sent" if state["sent_at"] else "instruction_issued"
        record_evidence(
            db,
            kind,
            {"instruction": state, "adopted": True},
            at=at,
            reference=state["reference"],
            supplier_key=state["supplier_key"],
        )
    for state in db.fetch_dicts(
        "SELECT * FROM campaign_reminders ORDER BY reference, sent_on, message_id"
    ):
        record_evidence(
            db,
            "reminder_sent",
            {"reminder": state, "adopted": True},
            at=at,
            reference=state["reference"],
            supplier_key=supplier_of(db, state["reference"]),
        )
    for row in db.fetch_dicts("SELECT id, reference FROM campaign_acknowledgements ORDER BY id"):
        record_evidence(
            db,
            "acknowledgement",
            {"acknowledgement": acknowledgement_state(db, int(row["id"])), "adopted": True},
            at=at,
            reference=row["reference"],
            supplier_key=supplier_of(db, row["reference"]),
        )
