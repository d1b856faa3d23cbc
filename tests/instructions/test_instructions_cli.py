"""``flg instructions``: issue, status, ack, review and remind, end to end on real files."""

from __future__ import annotations

import json
import shutil
from email import policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from instructions_helpers import SmtpServer

from forced_labour_guard.cli import main
from forced_labour_guard.instructions.campaign_store import CampaignStore
from forced_labour_guard.instructions.messages import make_reference

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture
def files(tmp_path: Path) -> Path:
    for name in ("campaign_company.json", "campaign_suppliers.jsonl"):
        shutil.copy(EXAMPLES / name, tmp_path / name)
    return tmp_path


def issue_args(files: Path, *extra: str) -> list[str]:
    return [
        "instructions",
        "issue",
        str(files / "campaign_suppliers.jsonl"),
        "--company",
        str(files / "campaign_company.json"),
        "--store",
        str(files / "flg.sqlite"),
        "--today",
        "2026-03-02",
        *extra,
    ]


def test_issue_status_ack_remind(
    files: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = files / "outbox"
    assert main(issue_args(files, "--out", str(out))) == 0
    printed = capsys.readouterr()
    assert printed.out.count("sent ") == 5  # the inactive supplier is left out
    assert "5 sent" in printed.err
    assert len(list(out.glob("*.instruction.eml"))) == 5

    assert main(issue_args(files, "--out", str(out))) == 0
    assert capsys.readouterr().out.count("skipped ") == 5

    store_args = ["--store", str(files / "flg.sqlite")]
    assert main(["instructions", "status", *store_args, "--today", "2026-03-10"]) == 0
    table = capsys.readouterr().out
    assert "5 instruction(s) on 2026-03-10: 5 issued, 0 acknowledged" in table
    assert "V-30877" in table and "2026-04-01" in table

    reference = make_reference("B4", "V-60001")
    proof = files / "attestation.pdf"
    proof.write_bytes(b"%PDF-1.7 signed")
    code = main(
        [
            "instructions",
            "ack",
            reference,
            "--attestation",
            str(proof),
            "--received",
            "2026-03-12",
            "--signed-by",
            "Ana Ferreira",
            "--recorded-by",
            "jana",
            *store_args,
        ]
    )
    assert code == 0
    ack_out = capsys.readouterr().out
    assert "pending" in ack_out and "attestation.pdf" in ack_out
    assert (
        main(
            ["instructions", "review", reference, "--accept", "--reviewer", "officer", *store_args]
        )
        == 0
    )
    assert "accepted by officer" in capsys.readouterr().out

    assert (
        main(["instructions", "remind", "--out", str(out), *store_args, "--today", "2026-03-25"])
        == 0
    )
    reminded = capsys.readouterr()
    assert reminded.out.count("sent ") == 4  # not the supplier whose proof was accepted
    assert len(list(out.glob("*.reminder-1.eml"))) == 4

    assert (
        main(["instructions", "remind", "--out", str(out), *store_args, "--today", "2026-04-02"])
        == 0
    )
    overdue = capsys.readouterr()
    assert overdue.err.count("NO_B4_ACK (B5)") == 4

    assert main(["instructions", "status", "--json", *store_args, "--today", "2026-04-02"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["counts"] == {"overdue": 4, "proof_accepted": 1}
    accepted = next(r for r in report["instructions"] if r["supplier"] == "V-60001")
    assert accepted["proof_documents"] == 1 and accepted["overdue_since"] is None


def test_ack_from_a_saved_reply(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(issue_args(files, "--out", str(files / "outbox"))) == 0
    capsys.readouterr()
    reference = make_reference("B4", "V-41200")
    reply = EmailMessage(policy=policy.SMTP)
    reply["From"] = "export@dhakaknit.example"
    reply["To"] = "sourcing@nordwind.example"
    reply["Subject"] = f"Re: [{reference}] Instruction"
    reply["In-Reply-To"] = f"<{reference}.instruction@nordwind.example>"
    reply.set_content("We agree. Signed attestation and lab report attached.")
    reply.add_attachment(
        b"%PDF attestation", maintype="application", subtype="pdf", filename="att.pdf"
    )
    reply.add_attachment(b"%PDF lab", maintype="application", subtype="pdf", filename="lab.pdf")
    saved = files / "reply.eml"
    saved.write_bytes(reply.as_bytes())
    code = main(
        [
            "instructions",
            "ack",
            "--eml",
            str(saved),
            "--eml-kind",
            "test_report",
            "--store",
            str(files / "flg.sqlite"),
            "--today",
            "2026-03-05",
        ]
    )
    assert code == 0
    out = capsys.readouterr().out
    assert f"for {reference}: pending" in out
    assert "att.pdf" in out and "lab.pdf" in out and "test_report" in out
    with CampaignStore(files / "flg.sqlite") as store:
        record = store.get(reference)
        assert record is not None
        [ack] = record.acknowledgements
        assert {p.file_name for p in ack.proofs} == {"att.pdf", "lab.pdf"}
        assert store.document(ack.proofs[0].sha256).startswith(b"%PDF")


def test_issue_over_smtp(
    files: Path,
    smtp_server: SmtpServer,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(
        issue_args(
            files,
            "--smtp-host",
            "127.0.0.1",
            "--smtp-port",
            str(smtp_server.port),
            "--no-starttls",
            "--only",
            "V-30877",
            "--only",
            "V-55210",
        )
    )
    assert code == 0
    assert len(smtp_server.handler.messages) == 2
    assert {rcpt for _, rcpts, _ in smtp_server.handler.messages for rcpt in rcpts} == {
        "sales@haichen-textiles.example",
        "info@anatoliayarn.example",
    }


def test_dry_run_sends_and_records_nothing(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(issue_args(files, "--dry-run", "--json"))
    assert code == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["outcome"] for line in lines] == ["dry-run"] * 5
    assert lines[2]["detail"].startswith(f"[{make_reference('B4', 'V-30877')}] ")
    assert not (files / "flg.sqlite").exists()


def test_failed_sends_exit_1(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from instructions_helpers import free_port

    code = main(
        issue_args(
            files,
            "--smtp-host",
            "127.0.0.1",
            "--smtp-port",
            str(free_port()),
            "--no-starttls",
            "--smtp-attempts",
            "1",
            "--only",
            "V-60001",
        )
    )
    assert code == 1
    assert "failed" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ((), "give exactly one of --out DIR or --smtp-host HOST"),
        (("--out", "x", "--smtp-host", "h"), "give exactly one of"),
        (("--smtp-host", "h", "--smtp-user", "u"), "FLG_SMTP_PASSWORD is not set"),
        (("--out", "x", "--response-days", "0"), "--response-days"),
        (("--out", "x", "--language", "fr"), "no templates for language 'fr'"),
        (("--out", "x", "--only", "V-NOPE"), "not in the suppliers file: V-NOPE"),
        (("--out", "x", "--from", "compliance"), "from_address: 'compliance' is not an e-mail"),
        (("--smtp-host", "h", "--smtp-timeout", "-1"), "--smtp-timeout must be more than 0"),
    ],
)
def test_usage_errors_exit_2(
    files: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    extra: tuple[str, ...],
    message: str,
) -> None:
    monkeypatch.delenv("FLG_SMTP_PASSWORD", raising=False)
    assert main(issue_args(files, *extra)) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err


def test_bad_suppliers_file_names_line_and_field(
    files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = files / "campaign_suppliers.jsonl"
    bad.write_text(
        '{"supplier": {"id": "A", "name": "A"}, "email": "a@a.example"}\n'
        '{"supplier": {"id": "B", "name": "B", "adress": "x"}, "email": "b@b.example"}\n',
        encoding="utf-8",
    )
    assert main(issue_args(files, "--out", str(files / "o"))) == 2
    err = capsys.readouterr().err
    assert "campaign_suppliers.jsonl:2" in err and "supplier.adress" in err


def test_status_without_a_store_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("FLG_STORE", raising=False)
    assert main(["instructions", "status"]) == 2
    assert "pass --store PATH or set FLG_STORE" in capsys.readouterr().err
    assert main(["instructions", "status", "--store", str(tmp_path / "none.sqlite")]) == 2
    assert "no store there" in capsys.readouterr().err
    assert main(["instructions", "status", "--store", "mysql://db/flg"]) == 2
    assert "mysql:// is not a store" in capsys.readouterr().err


def test_store_comes_from_the_environment(
    files: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FLG_STORE", str(files / "env.sqlite"))
    args = [a for a in issue_args(files, "--out", str(files / "o")) if "flg.sqlite" not in a]
    args.remove("--store")
    assert main(args) == 0
    assert (files / "env.sqlite").exists()
    capsys.readouterr()
    assert main(["instructions", "status", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["instructions"]) == 5


def test_screening_with_the_store_sees_overdue_suppliers(
    files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The campaign lives in the audit store's file; screening with --store finds NO_B4_ACK."""
    store = str(files / "flg.sqlite")
    args = issue_args(files, "--out", str(files / "o"), "--only", "V-41200")
    args[args.index("2026-03-02")] = "2020-01-06"  # long past: deadline and exit window are over
    assert main(args) == 0
    supplier = files / "supplier.json"
    supplier.write_text(
        json.dumps({"id": "V-41200", "name": "Dhaka Knitwear Exports Ltd.", "country": "BD"}),
        encoding="utf-8",
    )
    other = files / "other.json"
    other.write_text(json.dumps({"id": "V-1", "name": "Other Ltd", "country": "BD"}))
    capsys.readouterr()
    assert main(["screen-supplier", str(supplier), "--json", "--store", store]) == 0
    decision = json.loads(capsys.readouterr().out)
    assert decision["action"] == "block"
    assert [f["code"] for f in decision["findings"]] == ["NO_B4_ACK"]
    assert "B5" in decision["steps"]
    assert "2020-02-06" in decision["reasons"][0]  # first seen: the day after the deadline
    assert main(["screen-supplier", str(other), "--json", "--store", store]) == 0
    assert json.loads(capsys.readouterr().out)["action"] == "allow"
    # The audit trail in the same file is intact and recorded both decisions.
    assert main(["audit", "verify", "--store", store]) == 0


def test_a_supplier_known_by_an_unclean_name_prints_as_one_clean_line(
    files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # No id, so the supplier's key is its name, which holds a terminal escape and a line break.
    (files / "campaign_suppliers.jsonl").write_text(
        '{"supplier": {"name": "Evil\\u001b[2J\\r\\nFake line"}, "email": "e@evil.example"}\n',
        encoding="utf-8",
    )
    assert main(issue_args(files, "--out", str(files / "outbox"))) == 0
    assert main(["instructions", "status", "--store", str(files / "flg.sqlite")]) == 0
    store, outbox = str(files / "flg.sqlite"), str(files / "outbox")
    late = ["--today", "2026-05-01"]
    assert main(["instructions", "remind", "--store", store, "--out", outbox, *late]) == 0
    out, err = capsys.readouterr()
    for text in (out, err):
        assert "\x1b" not in text and "\r" not in text
    assert "Evil [2J Fake line" in out and "Evil [2J Fake line  deadline" in err
    assert not any(line.startswith("Fake line") for line in (out + err).splitlines())


def _stored_settings(files: Path) -> tuple[int, tuple[int, ...], str]:
    with CampaignStore(files / "flg.sqlite") as store:
        settings = store.campaign("B4")[1]
    return settings.response_days, settings.reminder_days_before, settings.language


def test_issuing_again_keeps_the_campaign_settings_given_first(
    files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = str(files / "outbox")
    first = issue_args(files, "--out", out, "--response-days", "45", "--remind-days", "10,3")
    assert main([*first, "--language", "zh"]) == 0
    assert main(issue_args(files, "--out", out)) == 0  # a daily re-run naming no settings
    assert _stored_settings(files) == (45, (10, 3), "zh")
    assert main(issue_args(files, "--out", out, "--response-days", "45")) == 0  # the same: fine
    assert _stored_settings(files) == (45, (10, 3), "zh")


def test_issuing_again_with_different_settings_is_an_error_showing_both(
    files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = str(files / "outbox")
    assert main(issue_args(files, "--out", out, "--response-days", "45")) == 0
    capsys.readouterr()
    assert (
        main(issue_args(files, "--out", out, "--response-days", "20", "--remind-days", "7,1")) == 2
    )
    err = capsys.readouterr().err
    assert "--response-days 45" in err and "--response-days 20" in err
    assert "--remind-days" not in err  # 7,1 is what the campaign already has
    assert "Traceback" not in err
    assert _stored_settings(files) == (45, (7, 1), "en")


def test_a_new_campaign_takes_the_default_settings(files: Path) -> None:
    assert main(issue_args(files, "--out", str(files / "outbox"))) == 0
    assert _stored_settings(files) == (30, (7, 1), "en")
