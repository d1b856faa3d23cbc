"""The hash chain: how an entry is sealed and how a sequence of entries is checked.

Each entry's hash covers its position (``seq``), the previous entry's hash, every indexed column and the
canonical JSON body. Editing any of them changes the hash; deleting or reordering entries breaks the
next entry's ``prev_hash`` or the run of ``seq`` numbers. The formula is independent of any database so
an auditor can recheck an export with nothing but SHA-256::

    entry_hash = sha256(canonical_json([FORMAT, seq, prev_hash, recorded_at, kind, record_kind,
                                        record_id, record_hash, supplier_id, action]) + "\\n" + content)

A chain only proves that nobody rewrote history *after* the last hash you trust: keep the head hash
that ``flg audit verify`` prints somewhere the database's owner cannot edit, and check it later.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import NamedTuple

from forced_labour_guard.store.audit_model import GENESIS_HASH, AuditEntry, ChainBreak, VerifyReport
from forced_labour_guard.store.hashing import canonical_json, sha256_hex

FORMAT = "flg-audit-1"


class Row(NamedTuple):
    """An entry as stored, every field as text, so a damaged row can still be checked and reported."""

    seq: int
    recorded_at: str
    kind: str
    record_kind: str | None
    record_id: str | None
    record_hash: str | None
    supplier_id: str | None
    action: str | None
    content: str
    prev_hash: str
    entry_hash: str


def timestamp(at: dt.datetime) -> str:
    """UTC ISO-8601 with microseconds: the one spelling of a time inside the chain."""
    if at.tzinfo is None:
        raise ValueError("audit times must be timezone-aware")
    return at.astimezone(dt.UTC).isoformat(timespec="microseconds")


def hash_row(row: Row) -> str:
    """The hash ``row`` should carry, computed from everything in it except ``entry_hash``."""
    header = canonical_json(
        [
            FORMAT,
            row.seq,
            row.prev_hash,
            row.recorded_at,
            row.kind,
            row.record_kind,
            row.record_id,
            row.record_hash,
            row.supplier_id,
            row.action,
        ]
    )
    return sha256_hex(header + "\n" + row.content)


def seal(row: Row) -> Row:
    """``row`` with its ``entry_hash`` filled in."""
    return row._replace(entry_hash=hash_row(row))


def to_entry(row: Row) -> AuditEntry:
    return AuditEntry.model_validate(row._asdict())


def to_row(entry: AuditEntry) -> Row:
    return Row(
        seq=entry.seq,
        recorded_at=timestamp(entry.recorded_at),
        kind=entry.kind,
        record_kind=entry.record_kind,
        record_id=entry.record_id,
        record_hash=entry.record_hash,
        supplier_id=entry.supplier_id,
        action=entry.action.value if entry.action is not None else None,
        content=entry.content,
        prev_hash=entry.prev_hash,
        entry_hash=entry.entry_hash,
    )


def verify_rows(
    rows: Iterable[Row],
    *,
    first_seq: int = 1,
    first_prev_hash: str = GENESIS_HASH,
    gaps_allowed: bool = False,
) -> VerifyReport:
    """Walk ``rows`` in order and report the first link that does not hold.

    A full chain starts at ``seq`` 1 from the genesis hash; a contiguous slice (an export for one
    month) can be checked from the ``seq`` and ``prev_hash`` of its first row. With ``gaps_allowed``
    (an export for one supplier) each entry's own hash is checked, and links only between
    neighbours whose numbers follow on.
    """
    expected_seq = first_seq
    prev_hash = first_prev_hash
    count = 0
    for row in rows:
        if gaps_allowed and row.seq > expected_seq:
            expected_seq, prev_hash = row.seq, row.prev_hash
        problem = _link_problem(row, expected_seq, prev_hash)
        if problem is not None:
            return VerifyReport(
                entries=count,
                head_hash=prev_hash,
                first_break=ChainBreak(seq=row.seq, reason=problem),
            )
        count += 1
        expected_seq = row.seq + 1
        prev_hash = row.entry_hash
    return VerifyReport(entries=count, head_hash=prev_hash)


def _link_problem(row: Row, expected_seq: int, prev_hash: str) -> str | None:
    if row.seq != expected_seq:
        if row.seq > expected_seq:
            return f"entries {expected_seq} to {row.seq - 1} are missing (deleted?)"
        return f"entry number {row.seq} comes after {expected_seq - 1} (reordered or duplicated)"
    if row.prev_hash != prev_hash:
        return (
            f"entry {row.seq} does not point at the entry before it (prev_hash "
            f"{row.prev_hash[:12]}… but that entry hashes to {prev_hash[:12]}…): an earlier entry "
            "was edited, deleted or reordered"
        )
    actual = hash_row(row)
    if actual != row.entry_hash:
        return f"entry {row.seq} was altered after it was written (its content no longer matches its hash)"
    return None
