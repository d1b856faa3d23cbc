"""The `flg` command as a user meets it: output, exit codes, and bad input that never reads "allow"."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from forced_labour_guard.cli import main
from tests.conftest import EXAMPLES


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_check_po_on_the_a1_example_prints_block_with_paragraph_and_reason(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "check-po", str(EXAMPLES / "po_a1_supplier_in_region.json"))
    assert code == 0
    assert "PO-2026-0417: BLOCK" in out
    assert "[A1] supplier.addresses[0]" in out
    assert "Call to Action B1 (Disengage immediately)" in out
    assert "is located in the Uyghur Region" in out


def test_json_output_is_a_decision(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check-po", str(EXAMPLES / "po_nested_sub_supplier.json"), "--json")
    decision = json.loads(out)
    assert code == 0
    assert decision["action"] == "block"
    assert decision["findings"][0]["subject"].startswith(
        "supplier.relationships[0].supplier.relationships[0]"
    )
    assert {
        "action",
        "findings",
        "steps",
        "reasons",
        "screened_at",
        "list_versions",
    } <= decision.keys()


@pytest.mark.parametrize(
    ("example", "fail_on", "expected"),
    [
        ("po_a1_supplier_in_region.json", "block", 1),
        ("po_a1_supplier_in_region.json", "warn", 1),
        ("po_a4_input_from_region.json", "block", 1),
        ("po_a4_input_from_region.json", "warn", 1),
        ("po_clean.json", "warn", 0),
    ],
)
def test_fail_on(
    capsys: pytest.CaptureFixture[str], example: str, fail_on: str, expected: int
) -> None:
    code, _, _ = run(capsys, "check-po", str(EXAMPLES / example), "--fail-on", fail_on)
    assert code == expected


def test_denied_entry_register_option(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(
        capsys,
        "check-po",
        str(EXAMPLES / "po_c2_denied_entry.json"),
        "--json",
        "--denied-entry",
        str(EXAMPLES / "denied_entry.csv"),
    )
    assert json.loads(out)["findings"][0]["code"] == "DENIED_ENTRY"


def test_policy_option_and_c1_rejection(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(
        capsys,
        "check-po",
        str(EXAMPLES / "po_a2_subsidiary_in_region.json"),
        "--json",
        "--policy",
        str(EXAMPLES / "policy.toml"),
    )
    assert json.loads(out)["policy_version"] == "example-co-2026-11"
    scoped = tmp_path / "scoped.toml"
    scoped.write_text('[rules.A2]\naction = "warn"\nmarkets = ["EU"]\n')
    code, out, err = run(
        capsys, "check-po", str(EXAMPLES / "po_clean.json"), "--policy", str(scoped)
    )
    assert code == 2 and out == ""
    assert "C1" in err


def test_screen_supplier(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "screen-supplier", str(EXAMPLES / "supplier_in_region.json"), "--json")
    assert json.loads(out)["findings"][0]["subject"] == "supplier.facilities[0]"


def test_screen_suppliers_jsonl_one_line_per_record(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "screen-suppliers", str(EXAMPLES / "suppliers.jsonl"))
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 0
    assert [line["action"] for line in lines] == ["allow", "block", "allow", "warn"]
    assert lines[1]["source"].endswith("line 2")
    assert "screened 4 record(s)" in err


def test_screen_suppliers_csv_and_bad_rows_are_reported_not_dropped(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    csv_file = tmp_path / "suppliers.csv"
    csv_file.write_text(
        "id,name,country,aliases,addresses\n"
        'S1,Porto Linen,PT,,"[{""city"": ""Porto""}]"\n'
        'S2,Tianshan Cotton,CN,天山棉业;Tian Shan Cotton,"[{""city"": ""Urumqi""}]"\n'
        "S3,Bad Country,Germany,,\n",
        encoding="utf-8",
    )
    code, out, err = run(capsys, "screen-suppliers", str(csv_file), "--quiet")
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line.get("action") for line in lines] == ["allow", "block", None]
    assert "country" in lines[2]["error"]
    assert code == 2
    assert "must not be treated as cleared" in err


def test_schema_describes_the_input_models(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "schema")
    schema = json.loads(out)
    assert code == 0
    assert schema["purchase-order"]["additionalProperties"] is False
    assert "Supplier" in schema["purchase-order"]["$defs"]


MALFORMED = {
    "non_json": ("this is not json", "not valid JSON"),
    "empty": ("", "empty input"),
    "whitespace_only": ("   \n ", "empty input"),
    "array_instead_of_object": ("[1, 2]", "expected a JSON object"),
    "missing_supplier": ('{"id": "PO-1"}', "supplier: required field is missing"),
    "supplier_wrong_type": ('{"supplier": "Acme"}', "supplier"),
    "missing_supplier_name": (
        '{"supplier": {"id": "S1"}}',
        "supplier.name: required field is missing",
    ),
    "unknown_field": (
        '{"supplier": {"name": "A"}, "destination": "US"}',
        "destination: unknown field",
    ),
    "wrong_country_code": ('{"supplier": {"name": "A", "country": "China"}}', "supplier.country"),
    "wrong_type_in_list": (
        '{"supplier": {"name": "A"}, "lines": [{"quantity": "many"}]}',
        "lines[0].quantity",
    ),
    "negative_quantity": (
        '{"supplier": {"name": "A"}, "lines": [{"quantity": -5}]}',
        "lines[0].quantity",
    ),
    "bad_relationship_kind": (
        '{"supplier": {"name": "A", "relationships": [{"kind": "friend", "supplier": {"name": "B"}}]}}',
        "supplier.relationships[0].kind",
    ),
    "bad_date": (
        '{"supplier": {"name": "A", "evidence": [{"kind": "other", "summary": "s", "source": "x", "date": "yesterday"}]}}',
        "supplier.evidence[0].date",
    ),
    "huge_nesting": ('{"supplier": ' + "[" * 5000 + "]" * 5000 + "}", "nested more than"),
    "deep_relationships": (
        '{"supplier": '
        + '{"name": "x", "relationships": [{"kind": "sub_supplier", "supplier": ' * 40
        + '{"name": "y"}'
        + "}]}" * 40
        + "}",
        "nested more than",
    ),
    "not_utf8": (b'{"supplier": {"name": "\xff\xfe"}}', "not UTF-8"),
}


@pytest.mark.parametrize("kind", sorted(MALFORMED))
def test_malformed_input_exits_2_naming_the_field_and_never_allows(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, kind: str
) -> None:
    content, expected = MALFORMED[kind]
    path = tmp_path / f"{kind}.json"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    code, out, err = run(capsys, "check-po", str(path), "--json")
    assert code == 2
    assert out == ""  # nothing that could be read as a decision, let alone "allow"
    assert expected in err
    assert "Traceback" not in err
    assert err.count("\n") == 1


def test_missing_file_and_bad_usage_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(capsys, "check-po", str(tmp_path / "nope.json"))
    assert code == 2 and "cannot read file" in err
    with pytest.raises(SystemExit) as usage:
        main(["check-po"])
    assert usage.value.code == 2


def test_the_malformed_example_from_stdin_in_a_real_process() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "forced_labour_guard.cli", "check-po", "-", "--json"],
        input=(EXAMPLES / "po_malformed.json").read_bytes(),
        capture_output=True,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stdout == b""
    assert b"supplier.country" in proc.stderr
    assert b"Traceback" not in proc.stderr


def test_human_output_marks_released_findings_and_wraps_warnings() -> None:
    import datetime as dt

    from forced_labour_guard.cli.render import render_decision
    from forced_labour_guard.model import Action, Decision, Finding, FindingCode

    released = Finding(
        code=FindingCode.A1,
        subject="supplier",
        detail="In Urumqi.",
        steps=["B1"],
        released_by="OVR-7",
    )
    text = render_decision(
        Decision(
            action=Action.ALLOW,
            findings=[released],
            reasons=["Released by override OVR-7."],
            screened_at=dt.datetime(2026, 11, 25, tzinfo=dt.UTC),
            warnings=["w " * 80],
        )
    )
    assert "[A1] supplier  (released by override OVR-7)" in text
    assert "\n  ! w w" in text and "\n    w w" in text


def test_batch_streams_past_an_unreadable_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    batch = tmp_path / "batch.jsonl"
    batch.write_bytes(
        b'{"name": "A", "addresses": [{"city": "Urumqi"}]}\n\xff\xfe broken\n\n{"name": "B"}\n'
    )
    code, out, _ = run(capsys, "screen-suppliers", str(batch))
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line.get("action") for line in lines] == ["block", None, "allow"]
    assert "not UTF-8" in lines[1]["error"] and lines[2]["source"].endswith("line 4")
    assert code == 2


def test_batch_csv_that_is_not_utf8_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    batch = tmp_path / "batch.csv"
    batch.write_bytes(b"name,country\nA,CN\nB,\xff\n")
    code, out, err = run(capsys, "screen-suppliers", str(batch))
    assert code == 2
    assert '"action": "allow"' not in out
    assert "not UTF-8" in err and "Traceback" not in err


def test_batch_csv_with_an_open_quote_is_an_error_not_a_merged_row(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    batch = tmp_path / "batch.csv"
    batch.write_text('name,country\nA,CN\n"B,DE\nC,PT\n', encoding="utf-8")
    code, out, err = run(capsys, "screen-suppliers", str(batch))
    assert code == 2
    assert len(out.splitlines()) == 1  # row 2 only; the rest was never read as one merged name
    assert "not valid CSV" in err


def test_the_entity_list_example_blocks_on_the_bundled_list(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "check-po", str(EXAMPLES / "po_entity_list.json"), "--json")
    assert code == 0
    decision = json.loads(out)
    assert decision["action"] == "block"
    assert [f["code"] for f in decision["findings"]] == ["ENTITY_LIST"]
    assert decision["list_versions"][0]["complete"] is False


def _run_with_stdout_closed(*argv: str) -> subprocess.CompletedProcess[bytes]:
    """Run ``flg`` in a real process whose standard output is a pipe nobody reads any more."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return subprocess.run(
            [sys.executable, "-m", "forced_labour_guard.cli", *argv],
            stdout=write_end,
            stderr=subprocess.PIPE,
            check=False,
            timeout=120,
        )
    finally:
        os.close(write_end)


@pytest.mark.parametrize("json_flag", [[], ["--json"]])
def test_fail_on_block_never_exits_0_when_the_answer_cannot_be_delivered(
    json_flag: list[str],
) -> None:
    done = _run_with_stdout_closed(
        "check-po", str(EXAMPLES / "po_entity_list.json"), "--fail-on", "block", *json_flag
    )
    err = done.stderr.decode()
    assert done.returncode != 0
    assert "could not be written to standard output" in err
    assert "Traceback" not in err and "Exception ignored" not in err


def test_an_allow_that_cannot_be_delivered_is_not_a_pass() -> None:
    done = _run_with_stdout_closed("check-po", str(EXAMPLES / "po_clean.json"))
    assert done.returncode == 2
    assert "nothing may be taken as cleared" in done.stderr.decode()


class _ClosedPipe(io.StringIO):
    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")


@pytest.mark.parametrize(
    "argv",
    [
        ["screen-supplier", str(EXAMPLES / "supplier_clean.json")],
        ["screen-suppliers", str(EXAMPLES / "suppliers.jsonl"), "--quiet"],
        ["schema"],
    ],
)
def test_every_command_that_prints_an_answer_fails_when_stdout_is_broken(
    argv: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdout", _ClosedPipe())
    assert main(argv) == 2
    assert "could not be written to standard output" in capsys.readouterr().err
