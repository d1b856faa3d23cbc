"""examples/instruction_campaign.py runs and leaves a folder of .eml files."""

from __future__ import annotations

import runpy
from email import message_from_bytes, policy
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "instruction_campaign.py"


def test_example_campaign_writes_eml_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    namespace = runpy.run_path(str(EXAMPLE), run_name="example")
    namespace["main"](tmp_path)
    out = capsys.readouterr().out
    instructions = sorted((tmp_path / "outbox").glob("*.instruction.eml"))
    assert len(instructions) == 5  # six suppliers in the file, one inactive
    assert len(list((tmp_path / "outbox").glob("*.reminder-1.eml"))) == 5
    languages = set()
    for path in instructions:
        message = message_from_bytes(path.read_bytes(), policy=policy.default)
        assert message["X-FLG-Reference"] in path.name
        languages.add(message["Content-Language"])
    assert languages == {"en", "zh"}
    assert "4 supplier(s) overdue" in out
    assert "V-60001  proof_accepted  allow" in out
    assert out.count("warn  NO_B4_ACK") == 4
