"""``flg audit verify`` and ``flg audit export`` cover the B4 campaign, on both backends, end to end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from store_helpers import tamper_store

from forced_labour_guard.cli import main

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_verify_reports_a_campaign_deadline_moved_by_hand(
    store_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    issue = [
        "instructions",
        "issue",
        str(EXAMPLES / "campaign_suppliers.jsonl"),
        "--company",
        str(EXAMPLES / "campaign_company.json"),
        "--store",
        store_url,
        "--out",
        str(tmp_path / "outbox"),
        "--today",
        "2026-03-02",
    ]
    assert main(issue) == 0
    capsys.readouterr()
    assert main(["audit", "verify", "--store", store_url, "--json"]) == 0
    intact = json.loads(capsys.readouterr().out)
    assert intact["ok"] and intact["entries"] == 1 + 5 * 2  # settings, then issued + sent each

    assert main(["audit", "export", "--store", store_url]) == 0
    kinds = [json.loads(line)["kind"] for line in capsys.readouterr().out.splitlines()]
    assert kinds.count("instruction_sent") == 5

    tamper_store(store_url, "UPDATE campaign_instructions SET deadline = '2026-12-31'")
    assert main(["audit", "verify", "--store", store_url]) == 1
    out = capsys.readouterr().out
    assert out.count("PROBLEM: instruction") == 5
    assert 'deadline is "2026-12-31" but the chain says "2026-04-01"' in out
