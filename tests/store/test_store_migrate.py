"""``flg store init`` and ``flg store migrate``: a store moves between backends whole, and proves it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from store_helpers import decision, finding

from forced_labour_guard.cli import main
from forced_labour_guard.instructions.campaign_store import CampaignStore, ProofFile
from forced_labour_guard.instructions.model import CampaignSettings, Company, Instruction
from forced_labour_guard.model import FindingCode, Supplier
from forced_labour_guard.store import OverrideRequest, open_store

COMPANY = Company(name="Nordwind", contact_name="Jana", contact_email="jana@nordwind.example")


def _fill(location: str) -> str:
    """A store with decisions, an override, a campaign with proof and a pending supplier."""
    with open_store(location) as store:
        for n in range(30):
            store.append_decision(
                decision(finding(supplier_id=f"S-{n % 3}"), subject=f"PO-{n}"),
                record_kind="purchase_order",
                record_hash="f" * 64,
                record_id=f"PO-{n}",
                supplier_id=f"S-{n % 3}",
            )
        store.add_override(
            OverrideRequest(
                po_id="PO-3",
                codes=[FindingCode.A1],
                reason="checked",
                created_by="alice",
                expires_on=dt.date.today() + dt.timedelta(days=9),
            )
        )
    with CampaignStore(location) as campaigns:
        campaigns.save_campaign("B4", COMPANY, CampaignSettings())
        today = dt.date.today()
        campaigns.add_instruction(
            Instruction(
                reference="FLG-B4-M1",
                campaign="B4",
                supplier_key="S-1",
                supplier_name="One",
                email="one@x.example",
                language="en",
                issued_on=today,
                deadline=today + dt.timedelta(days=30),
                channel="eml",
            )
        )
        ack = campaigns.add_acknowledgement(
            "FLG-B4-M1", received_on=today, proofs=[ProofFile("a.pdf", b"%PDF proof")]
        )
        campaigns.review(ack.id, accepted=True, reviewer="jana")
        campaigns.queue_pending(Supplier(id="S-2", name="Two"), [finding(FindingCode.A4)], on=today)
    with open_store(location) as store:
        return store.verify().head_hash


@pytest.fixture(params=["sqlite-to-postgresql", "postgresql-to-sqlite"])
def ends(request: pytest.FixtureRequest, tmp_path: Path, postgres_url: str) -> tuple[str, str]:
    sqlite = str(tmp_path / "flg.sqlite")
    return (sqlite, postgres_url) if request.param.startswith("sqlite") else (postgres_url, sqlite)


def test_migrate_copies_everything_and_verifies_the_chain_on_the_target(
    ends: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    source, target = ends
    head = _fill(source)
    assert main(["store", "migrate", "--from", source, "--to", target]) == 0
    assert f"head {head}" in capsys.readouterr().out
    assert main(["audit", "verify", "--store", target]) == 0
    with CampaignStore(target) as campaigns:
        [instruction] = campaigns.instructions()
        assert instruction.acknowledgements[0].proofs[0].file_name == "a.pdf"
        assert [p.supplier_key for p in campaigns.pending()] == ["S-2"]
        again = campaigns.add_acknowledgement("FLG-B4-M1", received_on=dt.date.today())
        assert again.id == instruction.acknowledgements[0].id + 1  # ids carry on after the copy
    with open_store(target) as store:
        assert [o.po_id for o in store.overrides(po_id="PO-3")] == ["PO-3"]
        assert store.verify().ok


def test_migrate_refuses_a_target_that_holds_a_store_unless_told_to_replace_it(
    ends: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    source, target = ends
    head = _fill(source)
    _fill(target)
    assert main(["store", "migrate", "--from", source, "--to", target]) == 2
    assert "already holds 35 audit entries" in capsys.readouterr().err
    assert main(["store", "migrate", "--from", source, "--to", target, "--replace"]) == 0
    with open_store(target) as store:
        assert store.verify().head_hash == head


def test_migrate_refuses_a_source_that_does_not_exist(
    tmp_path: Path, postgres_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = str(tmp_path / "typo.sqlite")
    assert main(["store", "migrate", "--from", missing, "--to", postgres_url]) == 2
    assert "no store there" in capsys.readouterr().err


def test_init_prepares_an_empty_database_and_refuses_one_in_use(
    store_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["store", "init", store_url]) == 0
    assert "created" in capsys.readouterr().out
    assert main(["audit", "verify", "--store", store_url]) == 0
    _fill(store_url)
    assert main(["store", "init", store_url]) == 2
    assert "--existing-ok" in capsys.readouterr().err
    assert main(["store", "init", store_url, "--existing-ok"]) == 0
