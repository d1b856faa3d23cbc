"""The whole B4/B5 lifecycle with the Guard's decision at each step:
issued -> reminded -> overdue -> NO_B4_ACK (warn, then block) -> acknowledged -> proof accepted -> clear.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from instructions_helpers import recipient

from forced_labour_guard.guard import Guard
from forced_labour_guard.instructions.campaign import Campaign, acknowledge, review_latest
from forced_labour_guard.instructions.campaign_store import CampaignStore, ProofFile
from forced_labour_guard.instructions.followup import (
    first_seen,
    no_b4_ack_findings,
    reminder_due,
    status,
)
from forced_labour_guard.instructions.model import (
    CampaignSettings,
    Company,
    Instruction,
    ProofKind,
    Review,
    Status,
)
from forced_labour_guard.instructions.provider import B4StatusProvider
from forced_labour_guard.instructions.smtp import DeliveryError, EmlFolder
from forced_labour_guard.model import Action, FindingCode, Supplier
from forced_labour_guard.policy import Policy, Rule

ISSUED = dt.date(2026, 3, 2)
DEADLINE = dt.date(2026, 4, 1)  # 30 days
SUPPLIER = Supplier(id="S-001", name="Supplier 1 Ltd", country="VN")


def at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(10, 0), tzinfo=dt.UTC)


def guard_on(day: dt.date, store: CampaignStore, policy: Policy | None = None) -> Guard:
    return Guard.default(b4_status=B4StatusProvider(store), policy=policy, clock=lambda: at(day))


def only(store: CampaignStore) -> Instruction:
    [record] = store.instructions()
    return record


def test_issued_reminded_overdue_no_b4_ack_acknowledged_cleared(
    tmp_path: Path, store: CampaignStore, company: Company
) -> None:
    outbox = tmp_path / "outbox"
    deliver = EmlFolder(outbox)
    campaign = Campaign(store, "2026-B4", company=company, clock=lambda: at(ISSUED))

    # Issued: nothing is held against the supplier while the deadline runs.
    [sent] = campaign.issue([recipient(1)], deliver, today=ISSUED)
    assert sent.outcome == "sent"
    assert status(only(store), ISSUED) is Status.ISSUED
    assert only(store).deadline == DEADLINE
    decision = guard_on(ISSUED, store).screen_supplier(SUPPLIER)
    assert decision.action is Action.ALLOW
    assert decision.findings == []

    # Reminded: 7 days and 1 day before the deadline, once each, never twice on the same stage.
    assert campaign.remind(deliver, today=dt.date(2026, 3, 24)) == []
    assert [r.outcome for r in campaign.remind(deliver, today=dt.date(2026, 3, 25))] == ["sent"]
    assert campaign.remind(deliver, today=dt.date(2026, 3, 26)) == []
    assert [r.outcome for r in campaign.remind(deliver, today=dt.date(2026, 3, 31))] == ["sent"]
    assert campaign.remind(deliver, today=DEADLINE) == []
    assert only(store).reminders == [dt.date(2026, 3, 25), dt.date(2026, 3, 31)]
    reminders = sorted(p.name for p in outbox.glob("*.reminder-*.eml"))
    assert reminders == [f"{sent.reference}.reminder-1.eml", f"{sent.reference}.reminder-2.eml"]
    assert guard_on(DEADLINE, store).screen_supplier(SUPPLIER).action is Action.ALLOW

    # Overdue the day after the deadline: marked once, and NO_B4_ACK appears (B5).
    overdue_day = DEADLINE + dt.timedelta(days=1)
    assert [i.reference for i in campaign.mark_overdue(today=overdue_day)] == [sent.reference]
    assert campaign.mark_overdue(today=overdue_day) == []
    assert status(only(store), overdue_day) is Status.OVERDUE
    assert campaign.remind(deliver, today=overdue_day) == []  # no reminders after the deadline
    decision = guard_on(overdue_day, store).screen_supplier(SUPPLIER)
    [finding] = decision.findings
    assert finding.code is FindingCode.NO_B4_ACK
    assert finding.steps == ["B5"]
    assert finding.supplier_id == "S-001"
    assert sent.reference in finding.detail and "2026-04-01" in finding.detail
    assert finding.evidence[0].date == ISSUED
    assert sent.reference in finding.evidence[0].source
    assert "2 reminder(s)" in (finding.evidence[0].summary or "")
    # Responsible exit (B5): warn during the policy's window, counted from the day it went overdue.
    assert decision.action is Action.WARN
    assert decision.steps == ["B5"]
    assert "2026-07-01" in decision.reasons[0]  # 2026-04-02 + 90 days

    # Screening only weeks later still counts the window from the day it went overdue.
    window_end = overdue_day + dt.timedelta(days=90)
    assert (
        guard_on(window_end - dt.timedelta(days=1), store).screen_supplier(SUPPLIER).action
        is Action.WARN
    )
    late = guard_on(window_end, store).screen_supplier(SUPPLIER)
    assert late.action is Action.BLOCK
    assert "2026-04-02" in late.reasons[0]

    # Acknowledged with proof, not yet reviewed: still overdue, still blocked.
    ack_day = window_end + dt.timedelta(days=2)
    ack = acknowledge(
        store,
        sent.reference,
        received_on=ack_day,
        proofs=[
            ProofFile("attestation.pdf", b"%PDF-1.7 signed attestation", ProofKind.ATTESTATION),
            ProofFile("bill-of-lading.pdf", b"%PDF-1.7 BoL 4711", ProofKind.TRACEABILITY),
        ],
        signed_by="Nguyen Van A, Managing Director",
        recorded_by="jana",
    )
    assert ack.review is Review.PENDING
    assert status(only(store), ack_day) is Status.OVERDUE
    assert guard_on(ack_day, store).screen_supplier(SUPPLIER).action is Action.BLOCK

    # Proof accepted: cleared, no finding, allow; the overdue mark is lifted.
    accepted = review_latest(store, sent.reference, accepted=True, reviewer="compliance-officer")
    assert accepted.review is Review.ACCEPTED and accepted.reviewed_by == "compliance-officer"
    assert status(only(store), ack_day) is Status.PROOF_ACCEPTED
    assert only(store).overdue_marked_on is None
    cleared = guard_on(ack_day, store).screen_supplier(SUPPLIER)
    assert cleared.action is Action.ALLOW
    assert cleared.findings == []

    kinds = [e.kind for e in store.events(sent.reference)]
    assert kinds == [
        "recorded",
        "issued",
        "reminded",
        "reminded",
        "overdue",
        "acknowledged",
        "proof_accepted",
    ]


def test_rejected_proof_keeps_reminders_going_and_then_goes_overdue(
    tmp_path: Path, store: CampaignStore, company: Company
) -> None:
    campaign = Campaign(store, "c", company=company)
    [sent] = campaign.issue([recipient(1)], EmlFolder(tmp_path), today=ISSUED)
    acknowledge(
        store,
        sent.reference,
        received_on=dt.date(2026, 3, 10),
        proofs=[ProofFile("note.txt", b"we agree", ProofKind.OTHER)],
        review=Review.REJECTED,
        reviewer="jana",
        review_note="no attestation, no traceability",
    )
    record = only(store)
    assert status(record, dt.date(2026, 3, 20)) is Status.PROOF_REJECTED
    assert reminder_due(record, dt.date(2026, 3, 25), (7, 1))
    assert status(record, DEADLINE + dt.timedelta(days=1)) is Status.OVERDUE
    [finding] = no_b4_ack_findings([record], SUPPLIER, DEADLINE + dt.timedelta(days=1))
    assert "1 answer(s) with proof rejected" in (finding.evidence[0].summary or "")


def test_pending_answer_is_not_reminded_but_must_be_reviewed_in_time(
    tmp_path: Path, store: CampaignStore, company: Company
) -> None:
    campaign = Campaign(store, "c", company=company)
    [sent] = campaign.issue([recipient(1)], EmlFolder(tmp_path), today=ISSUED)
    acknowledge(
        store,
        sent.reference,
        received_on=dt.date(2026, 3, 20),
        proofs=[ProofFile("a.pdf", b"x", ProofKind.ATTESTATION)],
    )
    record = only(store)
    assert status(record, dt.date(2026, 3, 25)) is Status.ACKNOWLEDGED
    assert not reminder_due(record, dt.date(2026, 3, 25), (7, 1))
    # An answer nobody reviewed is not proof: after the deadline the supplier is overdue.
    assert status(record, DEADLINE + dt.timedelta(days=1)) is Status.OVERDUE


def test_accepted_before_the_deadline_never_produces_a_finding(
    tmp_path: Path, store: CampaignStore, company: Company
) -> None:
    campaign = Campaign(store, "c", company=company)
    [sent] = campaign.issue([recipient(1)], EmlFolder(tmp_path), today=ISSUED)
    acknowledge(
        store,
        sent.reference,
        received_on=dt.date(2026, 3, 5),
        proofs=[ProofFile("a.pdf", b"x", ProofKind.ATTESTATION)],
        review=Review.ACCEPTED,
        reviewer="jana",
    )
    later = DEADLINE + dt.timedelta(days=400)
    assert status(only(store), later) is Status.PROOF_ACCEPTED
    assert no_b4_ack_findings(store.instructions(), SUPPLIER, later) == []
    assert campaign.mark_overdue(today=later) == []
    assert guard_on(later, store).screen_supplier(SUPPLIER).action is Action.ALLOW


def test_a_newer_accepted_instruction_clears_an_older_overdue_one(
    tmp_path: Path, store: CampaignStore, company: Company
) -> None:
    old = Campaign(store, "2025", company=company)
    [first] = old.issue([recipient(1)], EmlFolder(tmp_path), today=dt.date(2025, 1, 6))
    today = dt.date(2026, 3, 2)
    assert len(no_b4_ack_findings(store.instructions(), SUPPLIER, today)) == 1
    new = Campaign(store, "2026", company=company)
    [second] = new.issue([recipient(1)], EmlFolder(tmp_path), today=today)
    assert first.reference != second.reference
    acknowledge(
        store,
        second.reference,
        received_on=today,
        proofs=[ProofFile("a.pdf", b"x", ProofKind.ATTESTATION)],
        review=Review.ACCEPTED,
        reviewer="jana",
    )
    assert no_b4_ack_findings(store.instructions(), SUPPLIER, today) == []


def test_finding_is_about_this_supplier_only_and_first_seen_is_the_overdue_day(
    tmp_path: Path, store: CampaignStore, company: Company
) -> None:
    campaign = Campaign(store, "c", company=company)
    campaign.issue([recipient(1), recipient(2)], EmlFolder(tmp_path), today=ISSUED)
    today = dt.date(2026, 5, 1)
    records = store.instructions()
    other = Supplier(id="S-999", name="Supplier 1 Ltd")  # same name, other id: not the same
    assert no_b4_ack_findings(records, other, today) == []
    [finding] = no_b4_ack_findings(records, SUPPLIER, today)
    assert first_seen(records, SUPPLIER, today) == {finding.key: DEADLINE + dt.timedelta(days=1)}


def test_a_letter_that_never_left_is_not_held_against_the_supplier(
    store: CampaignStore, company: Company
) -> None:
    class Broken:
        channel = "smtp"

        def deliver(self, message: object) -> str:
            raise DeliveryError("relay down", permanent=False)

    campaign = Campaign(store, "c", company=company)
    [result] = campaign.issue([recipient(1)], Broken(), today=ISSUED)  # type: ignore[list-item]
    assert result.outcome == "failed"
    later = DEADLINE + dt.timedelta(days=200)
    assert status(only(store), later) is Status.DRAFT
    assert guard_on(later, store).screen_supplier(SUPPLIER).action is Action.ALLOW


@pytest.mark.parametrize("days", [0, 30])
def test_policy_window_setting_is_respected(
    tmp_path: Path, store: CampaignStore, company: Company, days: int
) -> None:
    campaign = Campaign(store, "c", company=company, settings=CampaignSettings(response_days=10))
    campaign.issue([recipient(1)], EmlFolder(tmp_path), today=ISSUED)
    policy = Policy(
        rules={FindingCode.NO_B4_ACK: Rule(action=Action.BLOCK, responsible_exit_days=days)}
    )
    overdue_day = ISSUED + dt.timedelta(days=11)
    action = guard_on(overdue_day, store, policy).screen_supplier(SUPPLIER).action
    assert action is (Action.BLOCK if days == 0 else Action.WARN)


def test_provider_failure_fails_closed(store: CampaignStore) -> None:
    store.close()  # a closed store raises on every read
    decision = guard_on(ISSUED, store).screen_supplier(SUPPLIER)
    assert decision.action is Action.BLOCK
    assert decision.findings[0].code is FindingCode.SCREENING_UNAVAILABLE
