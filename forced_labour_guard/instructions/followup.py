"""Follow-up (B5) as pure functions of the campaign records and today's date.

B5 asks the buyer to disengage, responsibly, from suppliers that neither agree to the B4 instruction
nor prove that they carried it out. Here that becomes:

* an instruction's :class:`~.model.Status` (issued, acknowledged, proof rejected, proof accepted,
  overdue), derived from the record and the date and never stored, so it cannot go stale;
* which instructions are due a reminder before the deadline;
* the ``NO_B4_ACK`` finding for a supplier with an overdue instruction, which the policy turns into
  disengagement after its responsible-exit window. The window starts on the day the supplier became
  overdue (the day after the deadline), given as the finding's first-seen date.

Accepted proof clears an instruction, and also any older overdue instruction to the same supplier:
the newer answer covers the same request. An instruction that was never sent (a failed send) is a
draft and is never held against the supplier.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from forced_labour_guard.instructions.model import (
    Instruction,
    Review,
    Status,
)
from forced_labour_guard.model import EvidenceRef, Finding, FindingCode, Supplier, supplier_key


def is_cleared(instruction: Instruction) -> bool:
    """The supplier agreed and the buyer accepted its proof."""
    return any(ack.review is Review.ACCEPTED for ack in instruction.acknowledgements)


def cleared_on(instruction: Instruction) -> dt.date | None:
    """The day an acknowledgement's proof was first accepted (by its receipt date)."""
    days = [a.received_on for a in instruction.acknowledgements if a.review is Review.ACCEPTED]
    return min(days) if days else None


def status(instruction: Instruction, today: dt.date) -> Status:
    """Where the instruction stands on ``today``."""
    if instruction.sent_at is None:
        return Status.DRAFT
    if is_cleared(instruction):
        return Status.PROOF_ACCEPTED
    if today > instruction.deadline:
        return Status.OVERDUE
    reviews = [ack.review for ack in instruction.acknowledgements]
    if Review.PENDING in reviews:
        return Status.ACKNOWLEDGED
    if Review.REJECTED in reviews:
        return Status.PROOF_REJECTED
    return Status.ISSUED


def reminder_due(instruction: Instruction, today: dt.date, days_before: Sequence[int]) -> bool:
    """True when a reminder should go out today.

    A reminder stage ``d`` opens ``d`` days before the deadline. The latest stage that has opened
    gets one reminder, unless one was already sent since it opened. Stages that would open on or
    before the issue day are skipped (nobody needs a reminder with the letter). Suppliers whose
    answer is waiting for review are not reminded.
    """
    if status(instruction, today) not in {Status.ISSUED, Status.PROOF_REJECTED}:
        return False
    stages = (instruction.deadline - dt.timedelta(days=d) for d in days_before)
    opened = [day for day in stages if instruction.issued_on < day <= today]
    if not opened:
        return False
    latest = max(opened)
    return not any(sent >= latest for sent in instruction.reminders)


def outstanding(instructions: Iterable[Instruction], today: dt.date) -> list[Instruction]:
    """Overdue instructions not covered by accepted proof on the same or a later instruction."""
    records = list(instructions)
    accepted_issues = [i.issued_on for i in records if is_cleared(i)]
    return [
        i
        for i in records
        if status(i, today) is Status.OVERDUE
        and not any(issued >= i.issued_on for issued in accepted_issues)
    ]


def _describe(instruction: Instruction) -> str:
    parts = [f"sent to {instruction.email} on {instruction.issued_on.isoformat()}"]
    parts.append(f"deadline {instruction.deadline.isoformat()}")
    if instruction.reminders:
        parts.append(f"{len(instruction.reminders)} reminder(s)")
    rejected = [a for a in instruction.acknowledgements if a.review is Review.REJECTED]
    pending = [a for a in instruction.acknowledgements if a.review is Review.PENDING]
    if rejected:
        parts.append(f"{len(rejected)} answer(s) with proof rejected")
    if pending:
        parts.append(f"{len(pending)} answer(s) awaiting review")
    if not instruction.acknowledgements:
        parts.append("no answer received")
    return "; ".join(parts)


def _late(
    instructions: Iterable[Instruction], supplier: Supplier, today: dt.date
) -> list[Instruction]:
    """This supplier's outstanding instructions (same id, else same name), oldest deadline first."""
    key = supplier_key(supplier)
    mine = [i for i in instructions if i.supplier_key == key]
    return sorted(outstanding(mine, today), key=lambda i: (i.deadline, i.reference))


def _finding(supplier: Supplier, late: Sequence[Instruction]) -> Finding:
    first = late[0]
    detail = (
        f"{supplier.label} has not agreed to the B4 instruction {first.reference} "
        f"(issued {first.issued_on.isoformat()}) with proof we accepted; the deadline was "
        f"{first.deadline.isoformat()}. B5: end the relationship, following the responsible-exit "
        "policy, unless the supplier agrees and proves it in the meantime."
    )
    return Finding(
        code=FindingCode.NO_B4_ACK,
        subject="supplier",
        detail=detail,
        evidence=[
            EvidenceRef(
                source=f"B4 instruction {i.reference} (campaign {i.campaign})",
                summary=_describe(i),
                date=i.issued_on,
            )
            for i in late
        ],
        steps=["B5"],
        supplier_id=supplier_key(supplier),
    )


def no_b4_ack_findings(
    instructions: Iterable[Instruction], supplier: Supplier, today: dt.date
) -> list[Finding]:
    """The NO_B4_ACK finding for ``supplier`` on ``today``, or nothing.

    ``instructions`` may hold records for many suppliers; only the ones addressed to this supplier
    (same id, else same name) count. One finding per supplier, about its oldest outstanding
    instruction, with every outstanding instruction as evidence.
    """
    late = _late(instructions, supplier, today)
    return [_finding(supplier, late)] if late else []


def first_seen(
    instructions: Iterable[Instruction], supplier: Supplier, today: dt.date
) -> dict[str, dt.date]:
    """``{finding.key: day the supplier became overdue}`` for the Guard's ``first_seen`` mapping."""
    late = _late(instructions, supplier, today)
    if not late:
        return {}
    return {_finding(supplier, late).key: min(i.overdue_since for i in late)}
