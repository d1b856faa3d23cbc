"""The campaign tables in SQLite: schema and version, proof documents by SHA-256, review rules."""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
from pathlib import Path

import pytest
from instructions_helpers import TODAY, recipient

from forced_labour_guard.errors import InputError
from forced_labour_guard.instructions.campaign import Campaign, acknowledge, review_latest
from forced_labour_guard.instructions.campaign_store import CampaignStore, ProofFile
from forced_labour_guard.instructions.model import Company, ProofKind, Review
from forced_labour_guard.instructions.smtp import DeliveryError, EmlFolder
from forced_labour_guard.store import StoreError, migrations


def issued(store: CampaignStore, company: Company, tmp_path: Path, n: int = 1) -> list[str]:
    campaign = Campaign(store, "c", company=company)
    results = campaign.issue([recipient(i) for i in range(n)], EmlFolder(tmp_path), today=TODAY)
    return [r.reference for r in results]


def test_campaign_tables_share_the_store_schema_version_and_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "shared.sqlite"
    CampaignStore(path).close()
    with sqlite3.connect(path) as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert {t for t in tables if t.startswith("campaign_")} == {
            "campaign_campaigns",
            "campaign_instructions",
            "campaign_reminders",
            "campaign_documents",
            "campaign_acknowledgements",
            "campaign_proofs",
            "campaign_events",
            "campaign_pending",
            "campaign_pending_reasons",
        }
        assert "audit_entries" in tables  # one schema for the whole store
        assert db.execute("PRAGMA user_version").fetchone()[0] == migrations.LATEST
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    CampaignStore(path).close()  # opening again neither fails nor moves the version
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == migrations.LATEST


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite"
    CampaignStore(path).close()
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {migrations.LATEST + 1}")
    with pytest.raises(StoreError, match="newer than this release"):
        CampaignStore(path)


def test_not_a_database_is_a_store_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("this is not SQLite " * 100)
    with pytest.raises(StoreError, match="not a database"):
        CampaignStore(path)


def test_proof_documents_are_kept_once_by_sha256(
    tmp_path: Path, store: CampaignStore, company: Company
) -> None:
    [reference] = issued(store, company, tmp_path)
    content = b"%PDF-1.7 attestation"
    digest = hashlib.sha256(content).hexdigest()
    first = store.add_acknowledgement(
        reference,
        received_on=TODAY,
        proofs=[ProofFile("attestation.pdf", content, ProofKind.ATTESTATION)],
        recorded_by="jana",
    )
    second = store.add_acknowledgement(
        reference,
        received_on=TODAY,
        proofs=[ProofFile("same-file-renamed.pdf", content, ProofKind.ATTESTATION)],
    )
    assert [p.sha256 for p in first.proofs] == [digest]
    assert [p.file_name for p in second.proofs] == ["same-file-renamed.pdf"]
    assert first.proofs[0].size == len(content)
    assert store.document(digest) == content
    with sqlite3.connect(store.path) as db:
        assert db.execute("SELECT COUNT(*) FROM campaign_documents").fetchone()[0] == 1
        assert db.execute("SELECT COUNT(*) FROM campaign_proofs").fetchone()[0] == 2
    with pytest.raises(InputError, match="no proof document"):
        store.document("0" * 64)


def test_review_rules(tmp_path: Path, store: CampaignStore, company: Company) -> None:
    [reference] = issued(store, company, tmp_path)
    bare = store.add_acknowledgement(reference, received_on=TODAY, note="we agree")
    with pytest.raises(InputError, match="no proof document"):
        store.review(bare.id, accepted=True, reviewer="officer")
    with pytest.raises(InputError, match="reviewer"):
        store.review(bare.id, accepted=False, reviewer="  ")
    rejected = store.review(bare.id, accepted=False, reviewer="officer", note="no proof")
    assert rejected.review is Review.REJECTED and rejected.reviewed_by == "officer"
    assert rejected.reviewed_at is not None
    with pytest.raises(InputError, match="already rejected by officer"):
        store.review(bare.id, accepted=True, reviewer="someone else")
    with pytest.raises(InputError, match="no acknowledgement awaiting review"):
        review_latest(store, reference, accepted=True, reviewer="officer")
    with pytest.raises(InputError, match="no instruction with reference"):
        store.add_acknowledgement("FLG-B4-0000000000", received_on=TODAY)


def test_a_refused_review_leaves_no_answer_behind(
    tmp_path: Path, store: CampaignStore, company: Company
) -> None:
    [reference] = issued(store, company, tmp_path)
    with pytest.raises(InputError, match="no proof document"):
        acknowledge(store, reference, received_on=TODAY, review=Review.ACCEPTED, reviewer="officer")
    with pytest.raises(InputError, match="reviewer"):
        acknowledge(
            store,
            reference,
            received_on=TODAY,
            proofs=[ProofFile("attestation.pdf", b"%PDF signed")],
            review=Review.REJECTED,
        )
    assert store.get(reference).acknowledgements == []  # type: ignore[union-attr]
    with sqlite3.connect(store.path) as db:
        assert db.execute("SELECT COUNT(*) FROM campaign_documents").fetchone()[0] == 0
    assert [e.kind for e in store.events(reference)] == ["recorded", "issued"]
    accepted = acknowledge(
        store,
        reference,
        received_on=TODAY,
        proofs=[ProofFile("attestation.pdf", b"%PDF signed")],
        review=Review.ACCEPTED,
        reviewer="officer",
    )
    assert accepted.id == store.get(reference).acknowledgements[0].id  # type: ignore[union-attr]
    assert accepted.review is Review.ACCEPTED and accepted.reviewed_by == "officer"


def test_two_reviewers_at_once_cannot_both_decide(
    tmp_path: Path, store: CampaignStore, company: Company, monkeypatch: pytest.MonkeyPatch
) -> None:
    [reference] = issued(store, company, tmp_path)
    proof = [ProofFile("attestation.pdf", b"%PDF signed")]
    ack = store.add_acknowledgement(reference, received_on=TODAY, proofs=proof)
    with CampaignStore(store.path) as other:
        other.review(ack.id, accepted=False, reviewer="first", note="unsigned")
    # This store read the answer as still pending just before the other one decided.
    monkeypatch.setattr(store, "_acknowledgement", lambda ack_id: ack)
    with pytest.raises(InputError, match="reviewed by someone else"):
        store.review(ack.id, accepted=True, reviewer="second")
    monkeypatch.undo()
    kept = store.get(reference).acknowledgements[0]  # type: ignore[union-attr]
    assert (kept.review, kept.reviewed_by) == (Review.REJECTED, "first")
    assert [e.kind for e in store.events(reference)][-1] == "proof_rejected"


def test_overdue_is_noted_once_even_by_two_runs(
    tmp_path: Path, store: CampaignStore, company: Company
) -> None:
    [reference] = issued(store, company, tmp_path)
    later = TODAY + dt.timedelta(days=40)
    with CampaignStore(store.path) as other:
        assert other.mark_overdue(reference, on=later) is True
    # This run read the instruction before the other one marked it.
    assert store.mark_overdue(reference, on=later + dt.timedelta(days=1)) is False
    assert [e.kind for e in store.events(reference)].count("overdue") == 1
    assert store.get(reference).overdue_marked_on == later  # type: ignore[union-attr]


def test_oversized_proof_is_refused(
    tmp_path: Path, store: CampaignStore, company: Company, monkeypatch: pytest.MonkeyPatch
) -> None:
    import forced_labour_guard.instructions.campaign_store as module

    monkeypatch.setattr(module, "MAX_DOCUMENT_BYTES", 10)
    [reference] = issued(store, company, tmp_path)
    with pytest.raises(InputError, match=r"big\.pdf"):
        store.add_acknowledgement(
            reference, received_on=TODAY, proofs=[ProofFile("big.pdf", b"x" * 11)]
        )
    assert store.get(reference).acknowledgements == []  # type: ignore[union-attr]


def test_a_failed_draft_is_corrected_and_sent_on_the_next_run(
    tmp_path: Path, store: CampaignStore, company: Company
) -> None:
    class Refuses:
        channel = "smtp"

        def deliver(self, message: object) -> str:
            raise DeliveryError("550 no such user", permanent=True)

    campaign = Campaign(store, "c", company=company)
    wrong = recipient(1)
    [failed] = campaign.issue([wrong], Refuses(), today=TODAY)  # type: ignore[arg-type]
    assert failed.outcome == "failed"
    fixed = wrong.model_copy(update={"email": "right@vendor1.example"})
    later = TODAY + dt.timedelta(days=3)
    [sent] = campaign.issue([fixed], EmlFolder(tmp_path), today=later)
    assert sent.outcome == "sent" and sent.reference == failed.reference
    record = store.get(sent.reference)
    assert record is not None
    assert record.email == "right@vendor1.example"
    assert record.issued_on == later  # the deadline counts from the letter that actually left
    assert record.deadline == later + dt.timedelta(days=30)


def test_resend_keeps_reference_and_deadline(
    tmp_path: Path, store: CampaignStore, company: Company
) -> None:
    campaign = Campaign(store, "c", company=company)
    [first] = campaign.issue([recipient(1)], EmlFolder(tmp_path / "a"), today=TODAY)
    [again] = campaign.issue(
        [recipient(1)], EmlFolder(tmp_path / "b"), today=TODAY + dt.timedelta(days=5), resend=True
    )
    assert again.outcome == "sent" and again.reference == first.reference
    assert [p.name for p in (tmp_path / "b").glob("*.eml")] == [
        f"{first.reference}.instruction-resent-20260307.eml"
    ]
    record = store.get(first.reference)
    assert record is not None and record.issued_on == TODAY


def test_reminders_use_the_company_stored_with_the_campaign(
    tmp_path: Path, company: Company
) -> None:
    path = tmp_path / "flg.sqlite"
    with CampaignStore(path) as store:
        Campaign(store, "c", company=company).issue(
            [recipient(1)], EmlFolder(tmp_path / "out"), today=TODAY
        )
    with CampaignStore(path) as store:  # a later run, e.g. a daily job, knows only the name
        campaign = Campaign(store, "c")
        assert campaign.company == company
        [reminder] = campaign.remind(EmlFolder(tmp_path / "out"), today=TODAY + dt.timedelta(23))
        assert reminder.outcome == "sent"
        with pytest.raises(InputError, match="no campaign named 'nope'"):
            Campaign(store, "nope")


def test_readers_see_committed_work_while_another_connection_writes(
    tmp_path: Path, company: Company
) -> None:
    path = tmp_path / "flg.sqlite"
    with CampaignStore(path) as writer, CampaignStore(path) as reader:
        refs = issued(writer, company, tmp_path / "out", n=3)
        assert sorted(i.reference for i in reader.instructions()) == sorted(refs)
