"""Suppliers queued for a B4 instruction by recorded screenings: the audited Guard's callback, the
campaign tables it writes (and their migration), clearing on issue, and the CLI."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from forced_labour_guard.cli import main
from forced_labour_guard.guard import Guard
from forced_labour_guard.instructions import campaign_store
from forced_labour_guard.instructions.campaign import Campaign
from forced_labour_guard.instructions.campaign_store import CampaignStore
from forced_labour_guard.instructions.model import Company, Recipient
from forced_labour_guard.instructions.pending import b4_findings, queue_b4_for
from forced_labour_guard.instructions.smtp import DeliveryError, EmlFolder
from forced_labour_guard.model import Action, Decision, FindingCode, PurchaseOrder, Supplier
from forced_labour_guard.store import SqliteStore
from forced_labour_guard.store.audited import AuditedGuard

DAY_ONE = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)

A4_PO: dict[str, Any] = {
    "id": "PO-A4-1",
    "destination_country": "FR",
    "supplier": {
        "id": "V-41200",
        "name": "Dhaka Knitwear Exports Ltd.",
        "country": "BD",
        "addresses": [{"city": "Gazipur", "country": "BD"}],
    },
    "lines": [
        {
            "line_id": "1",
            "description": "Men's cotton T-shirts",
            "quantity": "8000",
            "inputs": [
                {
                    "material": "cotton yarn",
                    "origin_country": "CN",
                    "origin_address": {"text": "Aksu, Xinjiang, China"},
                }
            ],
        }
    ],
}

CLEAN_PO: dict[str, Any] = {
    "id": "PO-CLEAN-1",
    "supplier": {
        "id": "V-10001",
        "name": "Porto Linen Lda",
        "country": "PT",
        "addresses": [{"city": "Porto", "country": "PT"}],
    },
    "lines": [{"line_id": "1", "description": "Linen napkins", "quantity": "500"}],
}


class Clock:
    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


def audited(
    path: Path, clock: Clock, *callbacks: Any
) -> tuple[AuditedGuard, SqliteStore, CampaignStore]:
    store = SqliteStore(str(path))
    campaigns = CampaignStore(path)
    guard = Guard.default(clock=clock)
    hooks = list(callbacks) or [queue_b4_for(campaigns)]
    return AuditedGuard(guard, store, on_decision=hooks), store, campaigns


def test_an_a4_order_queues_its_supplier_once_with_the_earliest_date(tmp_path: Path) -> None:
    clock = Clock(DAY_ONE)
    guard, store, campaigns = audited(tmp_path / "flg.sqlite", clock)
    po = PurchaseOrder.model_validate(A4_PO)
    first = guard.check_purchase_order(po)
    assert first.action is Action.BLOCK  # the order's own goods hold an input from the region
    assert [f.code for f in b4_findings(first)] == [FindingCode.A4]
    clock.now = DAY_ONE + dt.timedelta(days=3)
    guard.check_purchase_order(po)

    [entry] = campaigns.pending()
    assert entry.supplier_key == "V-41200"
    assert entry.supplier == po.supplier
    assert entry.first_flagged_on == dt.date(2026, 3, 2)
    assert entry.last_flagged_on == dt.date(2026, 3, 5)
    [reason] = entry.reasons
    assert reason.code == "A4"
    assert reason.decision_subject == "PO-A4-1"
    assert reason.first_flagged_on == dt.date(2026, 3, 2)
    assert "cotton yarn" in reason.detail
    assert len(list(store.entries())) == 2  # both decisions are on record


def test_an_earlier_screening_recorded_late_moves_the_flag_date_back(tmp_path: Path) -> None:
    with CampaignStore(tmp_path / "flg.sqlite") as campaigns:
        supplier = Supplier(id="V-1", name="One Ltd")
        decision = Decision.model_validate(
            {
                "action": "warn",
                "screened_at": DAY_ONE.isoformat(),
                "subject": "PO-LATE",
                "findings": [
                    {"code": "A4", "subject": "lines[0]", "detail": "d", "steps": ["B4"]},
                    {"code": "POSSIBLE_MATCH", "subject": "supplier", "detail": "p", "steps": []},
                ],
            }
        )
        hook = queue_b4_for(campaigns)
        hook(decision, supplier)
        earlier = decision.model_copy(
            update={"screened_at": DAY_ONE - dt.timedelta(days=10), "subject": "PO-EARLY"}
        )
        hook(earlier, supplier)
        [entry] = campaigns.pending()
        assert entry.first_flagged_on == dt.date(2026, 2, 20)
        assert entry.last_flagged_on == dt.date(2026, 3, 2)
        assert [(r.code, r.decision_subject) for r in entry.reasons] == [("A4", "PO-EARLY")]


def test_a_listed_input_producer_queues_the_direct_supplier(tmp_path: Path) -> None:
    guard, _, campaigns = audited(tmp_path / "flg.sqlite", Clock(DAY_ONE))
    po = {
        **CLEAN_PO,
        "id": "PO-SILICON",
        "lines": [
            {
                "line_id": "1",
                "description": "Silicon metal",
                "inputs": [
                    {
                        "material": "silicon",
                        "origin_country": "CN",
                        "producer": {"name": "Hoshine Silicon Industry Co., Ltd.", "country": "CN"},
                    }
                ],
            }
        ],
    }
    decision = guard.check_purchase_order(PurchaseOrder.model_validate(po))
    assert FindingCode.ENTITY_LIST in {f.code for f in b4_findings(decision)}
    [entry] = campaigns.pending()
    assert entry.supplier_key == "V-10001"  # the supplier we buy from, not the producer
    assert "ENTITY_LIST" in {r.code for r in entry.reasons}


def test_a_clean_order_queues_nothing(tmp_path: Path) -> None:
    guard, store, campaigns = audited(tmp_path / "flg.sqlite", Clock(DAY_ONE))
    decision = guard.check_purchase_order(PurchaseOrder.model_validate(CLEAN_PO))
    assert not b4_findings(decision)
    assert campaigns.pending() == []
    assert len(list(store.entries())) == 1


def test_a_finding_released_by_an_override_queues_nothing() -> None:
    decision = Decision.model_validate(
        {
            "action": "allow",
            "screened_at": DAY_ONE.isoformat(),
            "findings": [
                {
                    "code": "A4",
                    "subject": "lines[0]",
                    "detail": "d",
                    "steps": ["B4"],
                    "released_by": "OVR-1",
                }
            ],
        }
    )
    assert b4_findings(decision) == []


class FailingDeliverer:
    channel = "smtp"

    def deliver(self, message: EmailMessage) -> str:
        raise DeliveryError("connection refused", permanent=False)


def test_sending_an_instruction_to_the_supplier_clears_it(tmp_path: Path) -> None:
    path = tmp_path / "flg.sqlite"
    guard, _, campaigns = audited(path, Clock(DAY_ONE))
    guard.check_purchase_order(PurchaseOrder.model_validate(A4_PO))
    guard.check_purchase_order(
        PurchaseOrder.model_validate({**A4_PO, "id": "PO-A4-2", "supplier": {"name": "No Id Co"}})
    )
    assert [p.supplier_key for p in campaigns.pending()] == ["No Id Co", "V-41200"]

    company = Company(name="Nordwind Outdoor GmbH", contact_email="sourcing@nordwind.example")
    recipient = Recipient(
        supplier=Supplier(id="V-41200", name="Dhaka Knitwear Exports Ltd."),
        email="sales@dhaka-knit.example",
    )
    campaign = Campaign(campaigns, "Spring", company=company)
    [failed] = campaign.issue([recipient], FailingDeliverer(), today=DAY_ONE.date())
    assert failed.outcome == "failed"  # a draft that never left does not clear anything
    assert "V-41200" in [p.supplier_key for p in campaigns.pending()]

    [sent] = campaign.issue([recipient], EmlFolder(tmp_path / "out"), today=DAY_ONE.date())
    assert sent.outcome == "sent"
    assert [p.supplier_key for p in campaigns.pending()] == ["No Id Co"]
    assert campaigns.pending(supplier_key="V-41200") == []


def test_a_broken_callback_keeps_the_decision_and_its_audit_entry(tmp_path: Path) -> None:
    calls: list[str] = []

    def broken(decision: Decision, supplier: Supplier) -> None:
        raise sqlite3.OperationalError("database is locked")

    def later(decision: Decision, supplier: Supplier) -> None:
        calls.append(supplier.name)

    clock = Clock(DAY_ONE)
    guard, store, campaigns = audited(tmp_path / "flg.sqlite", clock, broken, later)
    plain = Guard.default(clock=clock).check_purchase_order(PurchaseOrder.model_validate(A4_PO))
    decision = guard.check_purchase_order(PurchaseOrder.model_validate(A4_PO))

    assert decision.action is Action.BLOCK  # never loosened
    assert decision.action is plain.action
    assert decision.findings == plain.findings
    assert decision.steps == plain.steps
    [problem] = [w for w in decision.warnings if "broken" in w]
    assert "database is locked" in problem
    assert calls == ["Dhaka Knitwear Exports Ltd."]  # the next callback still ran
    [entry] = list(store.entries())
    recorded = Decision.model_validate(json.loads(entry.content)["decision"])
    assert recorded == decision  # what the caller got is what is on record, warning included
    assert store.verify().ok
    assert campaigns.pending() == []


def test_a_broken_callback_on_a_block_still_blocks(tmp_path: Path) -> None:
    def broken(decision: Decision, supplier: Supplier) -> None:
        raise RuntimeError("boom")

    guard, store, _ = audited(tmp_path / "flg.sqlite", Clock(DAY_ONE), broken)
    po = dict(A4_PO, supplier={"id": "S-H", "name": "Hotan Co", "addresses": [{"city": "Hotan"}]})
    decision = guard.check_purchase_order(PurchaseOrder.model_validate(po))
    assert decision.action is Action.BLOCK
    assert any("boom" in w for w in decision.warnings)
    assert len(list(store.entries())) == 1


def test_cli_check_po_then_pending_lists_the_supplier(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    po_file = tmp_path / "po.json"
    po_file.write_text(json.dumps(A4_PO), encoding="utf-8")
    clean_file = tmp_path / "clean.json"
    clean_file.write_text(json.dumps(CLEAN_PO), encoding="utf-8")
    store = ["--store", str(tmp_path / "flg.sqlite")]
    for _ in range(2):
        assert main(["check-po", str(po_file), *store]) == 0
    assert main(["check-po", str(clean_file), *store]) == 0
    capsys.readouterr()

    assert main(["instructions", "pending", *store, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["count"] == 1
    [row] = report["pending"]
    assert row["supplier"] == "V-41200"
    assert row["supplier_record"]["country"] == "BD"
    assert [(r["code"], r["decision_subject"]) for r in row["reasons"]] == [("A4", "PO-A4-1")]

    assert main(["instructions", "pending", *store]) == 0
    text = capsys.readouterr().out
    assert "V-41200" in text and "1 supplier(s) need a B4 instruction" in text

    assert main(["instructions", "status", *store]) == 0
    assert "1 supplier(s) flagged by screening need an instruction: V-41200" in (
        capsys.readouterr().out
    )
    assert main(["instructions", "status", *store, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["needs_instruction"] == ["V-41200"]

    empty = ["--store", str(tmp_path / "other.sqlite")]
    assert main(["check-po", str(clean_file), *empty]) == 0
    capsys.readouterr()
    assert main(["instructions", "pending", *empty]) == 0
    assert "No flagged supplier is waiting" in capsys.readouterr().out


VERSION_1_INSTRUCTION = (
    "INSERT INTO campaign_campaigns VALUES ('Old', '{}', '{}', '2026-01-01T00:00:00+00:00');"
    "INSERT INTO campaign_instructions (reference, campaign, supplier_key, supplier_name, email, "
    "language, issued_on, deadline, channel, sent_at) VALUES ('FLG-B4-OLD', 'Old', 'V-1', 'One', "
    "'a@b.example', 'en', '2026-01-01', '2026-01-31', 'eml', '2026-01-01T00:00:00+00:00');"
)


def test_a_version_1_file_is_migrated_and_keeps_its_instructions(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE campaign_schema_version (version INTEGER NOT NULL)")
        db.executescript(campaign_store._SCHEMA)
        db.executescript(VERSION_1_INSTRUCTION)
        db.execute("INSERT INTO campaign_schema_version VALUES (1)")
    db.close()

    with CampaignStore(path) as campaigns:
        assert [i.reference for i in campaigns.instructions()] == ["FLG-B4-OLD"]
        decision = Decision.model_validate(
            {
                "action": "warn",
                "screened_at": DAY_ONE.isoformat(),
                "findings": [{"code": "A4", "subject": "s", "detail": "d", "steps": ["B4"]}],
            }
        )
        hook = queue_b4_for(campaigns)
        hook(decision, Supplier(id="V-1", name="One"))  # already instructed: not pending
        hook(decision, Supplier(id="V-2", name="Two"))
        assert [p.supplier_key for p in campaigns.pending()] == ["V-2"]
    with sqlite3.connect(path) as db:
        versions = [row[0] for row in db.execute("SELECT version FROM campaign_schema_version")]
    db.close()
    assert sorted(versions) == [1, 2] and campaign_store.SCHEMA_VERSION == 2
    with CampaignStore(path) as again:  # opening a current file changes nothing
        assert [p.supplier_key for p in again.pending()] == ["V-2"]
