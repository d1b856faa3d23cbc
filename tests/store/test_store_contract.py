"""The store contract, run unchanged on both backends (``store_url``: a SQLite file, then a fresh
PostgreSQL database): append and verify, overrides with a second approver, first-seen dates, the
campaign lifecycle as chained B5 evidence, the pending B4 queue, export, append-only enforcement and
tamper detection with the triggers dropped."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
from collections.abc import Iterator

import pytest
from store_helpers import DAY, Clock, decision, finding, run_sql, tamper_store

from forced_labour_guard.errors import UsageError
from forced_labour_guard.instructions.campaign_store import CampaignStore, ProofFile
from forced_labour_guard.instructions.model import (
    CampaignSettings,
    Company,
    Instruction,
    ProofKind,
    Review,
)
from forced_labour_guard.model import FindingCode, Supplier
from forced_labour_guard.store import OverrideRequest, SqlStore, StoreError, open_store, verify_rows
from forced_labour_guard.store.evidence import EVIDENCE_KINDS
from forced_labour_guard.store.export import read_jsonl, write_jsonl

COMPANY = Company(
    name="Nordwind Outdoor GmbH",
    contact_name="Jana Keller",
    contact_email="sourcing@nordwind.example",
)
REFERENCE = "FLG-B4-CONTRACT"
PROOF = b"%PDF-1.7 signed B4 attestation"


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(store_url: str, clock: Clock) -> Iterator[SqlStore]:
    with SqlStore(store_url, clock=clock) as opened:
        yield opened


@pytest.fixture
def campaigns(store_url: str, clock: Clock) -> Iterator[CampaignStore]:
    with CampaignStore(store_url, clock=clock) as opened:
        yield opened


def _append(store: SqlStore, subject: str, supplier: str = "S-1", at: dt.datetime = DAY) -> None:
    store.append_decision(
        decision(finding(supplier_id=supplier), subject=subject, at=at),
        record_kind="purchase_order",
        record_hash=hashlib.sha256(subject.encode()).hexdigest(),
        record_id=subject,
        supplier_id=supplier,
    )


def _run_campaign(campaigns: CampaignStore, clock: Clock) -> int:
    """Issue, send, remind, mark overdue, acknowledge with proof and accept: every B5 step."""
    campaigns.save_campaign("B4", COMPANY, CampaignSettings())
    campaigns.add_instruction(
        Instruction(
            reference=REFERENCE,
            campaign="B4",
            supplier_key="S-9",
            supplier_id="S-9",
            supplier_name="Kashgar Cotton Ltd",
            email="export@kashgar.example",
            language="en",
            issued_on=DAY.date(),
            deadline=DAY.date() + dt.timedelta(days=30),
            channel="eml",
        )
    )
    campaigns.mark_sent(
        REFERENCE,
        issued_on=DAY.date(),
        deadline=DAY.date() + dt.timedelta(days=30),
        channel="eml",
        message_id="<1@flg>",
        location="outbox/1.eml",
    )
    clock.advance(days=23)
    campaigns.add_reminder(REFERENCE, sent_on=clock().date(), message_id="<2@flg>")
    clock.advance(days=8)
    assert campaigns.mark_overdue(REFERENCE, on=clock().date())
    ack = campaigns.add_acknowledgement(
        REFERENCE,
        received_on=clock().date(),
        proofs=[ProofFile("attestation.pdf", PROOF, ProofKind.ATTESTATION)],
        signed_by="Li Wei",
        recorded_by="jana",
    )
    campaigns.review(ack.id, accepted=True, reviewer="Jana Keller", note="signed and stamped")
    return ack.id


# ------------------------------------------------------------------------ the chain


def test_appended_decisions_form_one_verified_chain(store: SqlStore) -> None:
    for n in range(5):
        _append(store, f"PO-{n}")
    report = store.verify()
    assert report.ok, report
    assert report.entries == 5
    entries = list(store.entries())
    assert [e.seq for e in entries] == [1, 2, 3, 4, 5]
    assert entries[-1].entry_hash == report.head_hash
    assert [e.decision().subject for e in entries if e.decision()] == [f"PO-{n}" for n in range(5)]


def test_audit_entries_are_append_only_in_the_database(store: SqlStore, store_url: str) -> None:
    _append(store, "PO-1")
    for statement in ("UPDATE audit_entries SET action = 'allow'", "DELETE FROM audit_entries"):
        with pytest.raises(Exception, match="append-only"):
            run_sql(store_url, statement)
    assert store.verify().ok


def test_an_edited_audit_row_is_reported_even_with_the_triggers_dropped(
    store: SqlStore, store_url: str
) -> None:
    for n in range(3):
        _append(store, f"PO-{n}")
    tamper_store(store_url, "UPDATE audit_entries SET action = 'allow' WHERE seq = 2")
    report = store.verify()
    assert report.first_break is not None and report.first_break.seq == 2
    assert "altered" in report.first_break.reason


def test_a_deleted_audit_row_is_reported(store: SqlStore, store_url: str) -> None:
    for n in range(3):
        _append(store, f"PO-{n}")
    tamper_store(store_url, "DELETE FROM audit_entries WHERE seq = 2")
    report = store.verify()
    assert report.first_break is not None and "missing" in report.first_break.reason


def test_export_carries_every_entry_and_verifies_on_its_own(
    store: SqlStore, campaigns: CampaignStore, clock: Clock
) -> None:
    _append(store, "PO-1", supplier="S-9")
    _run_campaign(campaigns, clock)
    out = io.StringIO()
    assert write_jsonl(store.rows(), out) == len(list(store.entries()))
    rows = list(read_jsonl(io.StringIO(out.getvalue()), source="export"))
    assert verify_rows(rows).ok
    assert {row.kind for row in rows} >= set(EVIDENCE_KINDS)
    for_supplier = list(store.rows(supplier_id="S-9"))
    assert len(for_supplier) == len(rows) - 1  # all but the campaign's settings name S-9


# ------------------------------------------------------------------------ overrides, first-seen


def test_override_needing_a_second_approver_takes_effect_once_approved(store: SqlStore) -> None:
    request = OverrideRequest(
        supplier_id="S-1",
        codes=[FindingCode.ENTITY_LIST],
        reason="a different company of the same name; registry extract on file",
        created_by="alice",
        expires_on=DAY.date() + dt.timedelta(days=30),
    )
    override = store.add_override(request)
    assert override.status(DAY.date()) == "pending_approval"
    with pytest.raises(UsageError):
        store.approve_override(override.id, by=" ALICE ")
    approved = store.approve_override(override.id, by="bob")
    assert approved.status(DAY.date()) == "active"
    assert [o.id for o in store.overrides(supplier_ids=["S-1"])] == [override.id]
    assert store.get_override(override.id) == approved
    assert [e.kind for e in store.entries()] == ["override", "override_approval"]
    assert store.verify().ok


def test_first_seen_keeps_the_earliest_day(store: SqlStore) -> None:
    _append(store, "PO-2", at=DAY + dt.timedelta(days=3))
    _append(store, "PO-1", at=DAY)
    _append(store, "PO-3", at=DAY + dt.timedelta(days=9))
    assert store.first_seen(["S-1"]) == {"S-1|A1|supplier.addresses[0]": DAY.date()}
    assert store.verify().ok


# ------------------------------------------------------------------------ campaign as B5 evidence


def test_every_campaign_step_is_a_chained_entry(
    store: SqlStore, campaigns: CampaignStore, clock: Clock
) -> None:
    ack_id = _run_campaign(campaigns, clock)
    kinds = [entry.kind for entry in store.entries()]
    assert kinds == [
        "campaign_settings",
        "instruction_issued",
        "instruction_sent",
        "reminder_sent",
        "instruction_overdue",
        "acknowledgement",
        "acknowledgement_review",
    ]
    ack_entry = json.loads(list(store.entries())[5].content)["acknowledgement"]
    assert ack_entry["proofs"] == [
        {
            "file_name": "attestation.pdf",
            "kind": "attestation",
            "sha256": hashlib.sha256(PROOF).hexdigest(),
        }
    ]
    [instruction] = campaigns.instructions()
    assert instruction.acknowledgements[0].review is Review.ACCEPTED
    assert instruction.overdue_marked_on is None
    assert campaigns.document(hashlib.sha256(PROOF).hexdigest()) == PROOF
    assert ack_id == instruction.acknowledgements[0].id
    assert store.verify().ok


@pytest.mark.parametrize(
    "edit, reported",
    [
        (
            "UPDATE campaign_acknowledgements SET review = 'accepted', reviewed_by = 'mallory' "
            "WHERE id = (SELECT MAX(id) FROM campaign_acknowledgements)",
            "acknowledgement",
        ),
        (
            f"UPDATE campaign_instructions SET deadline = '2027-01-01' WHERE reference = '{REFERENCE}'",
            "deadline",
        ),
        ("UPDATE campaign_proofs SET sha256 = sha256", None),  # a no-op edit is not a finding
        ("DELETE FROM campaign_reminders", "reminder"),
        ("UPDATE campaign_campaigns SET settings_json = '{\"response_days\":365}'", "campaign B4"),
    ],
)
def test_an_edited_campaign_row_is_reported_by_verify(
    store: SqlStore,
    campaigns: CampaignStore,
    clock: Clock,
    store_url: str,
    edit: str,
    reported: str | None,
) -> None:
    ack_id = _run_campaign(campaigns, clock)
    if reported == "acknowledgement":  # a rejected answer turned into an accepted one by hand
        campaigns.add_acknowledgement(REFERENCE, received_on=clock().date(), recorded_by="jana")
        campaigns.review(ack_id + 1, accepted=False, reviewer="Jana Keller", note="no proof")
    tamper_store(store_url, edit)
    report = store.verify()
    assert report.first_break is None
    if reported is None:
        assert report.ok, report
    else:
        assert any(reported in problem for problem in report.problems), report.problems


def test_a_replaced_proof_document_is_reported(
    store: SqlStore, campaigns: CampaignStore, clock: Clock, store_url: str
) -> None:
    _run_campaign(campaigns, clock)
    tamper_store(store_url, "UPDATE campaign_documents SET content = content || content")
    assert any("no longer matches its SHA-256" in p for p in store.verify().problems)


def test_pending_queue_lists_flagged_suppliers_until_instructed(campaigns: CampaignStore) -> None:
    a4 = finding(FindingCode.A4, supplier_id="S-5", subject="lines[0].inputs[0]", steps=("B4",))
    supplier = Supplier(id="S-5", name="Turpan Yarn Co")
    campaigns.queue_pending(supplier, [a4], on=DAY.date() + dt.timedelta(days=2))
    campaigns.queue_pending(supplier, [a4], on=DAY.date())
    [pending] = campaigns.pending()
    assert pending.first_flagged_on == DAY.date()
    assert pending.last_flagged_on == DAY.date() + dt.timedelta(days=2)
    assert [r.code for r in pending.reasons] == ["A4"]


# ------------------------------------------------------------------------ opening


def test_open_store_without_create_refuses_an_empty_location(store_url: str) -> None:
    with pytest.raises(StoreError, match="no store there"):
        open_store(store_url, create=False)
    open_store(store_url).close()
    open_store(store_url, create=False).close()
