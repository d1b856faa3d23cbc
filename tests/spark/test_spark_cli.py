"""`flg spark screen` and `flg spark exposure`: files in, a Spark output folder out, honest exit codes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from forced_labour_guard.cli import main

pytest.importorskip("pyspark", reason="the [spark] extra is not installed")


def read_output(folder: Path) -> list[dict[str, Any]]:
    return [
        json.loads(line)
        for part in sorted(folder.glob("part-*"))
        for line in part.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def test_screen_writes_one_row_per_line_and_exits_2_for_a_bad_line(
    spark: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "suppliers.jsonl"
    source.write_text(
        "\n".join(
            [
                json.dumps(
                    {"id": "S1", "name": "Kashgar Mill", "addresses": [{"city": "Kashgar"}]}
                ),
                json.dumps({"id": "S2", "name": "Porto Linen", "addresses": [{"city": "Porto"}]}),
                '{"id": "S3", "name": "Acme", "name": "Acme Two"',
                "",
            ]
        ),
        encoding="utf-8",
    )
    out = tmp_path / "decisions"
    assert main(["spark", "screen", str(source), str(out)]) == 2
    rows = {row.get("id"): row for row in read_output(out)}
    assert len(rows) == 3
    assert rows["S1"]["action"] == "block"
    assert rows["S2"]["action"] == "allow"
    [bad] = [row for row in rows.values() if row.get("error")]
    assert bad["action"] == "block"
    assert "could not be read" in capsys.readouterr().err


def test_screen_refuses_to_overwrite_an_existing_output_unless_told(
    spark: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "suppliers.jsonl"
    source.write_text(json.dumps({"id": "S1", "name": "Porto Linen"}) + "\n", encoding="utf-8")
    out = tmp_path / "decisions.parquet"
    assert main(["spark", "screen", str(source), str(out)]) == 0
    assert main(["spark", "screen", str(source), str(out)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert main(["spark", "screen", str(source), str(out), "--overwrite"]) == 0
    [row] = spark.read.parquet(str(out)).collect()
    assert row["action"] == "allow"


def test_exposure_reads_companies_and_edges_and_writes_the_paths(
    spark: Any, tmp_path: Path
) -> None:
    companies = tmp_path / "companies.jsonl"
    companies.write_text(
        "\n".join(
            json.dumps(c)
            for c in [
                {"id": "A", "name": "Buyer Supplier", "country": "DE"},
                {"id": "B", "name": "Yarn Mill", "addresses": [{"city": "Aksu", "country": "CN"}]},
            ]
        ),
        encoding="utf-8",
    )
    edges = tmp_path / "edges.jsonl"
    edges.write_text(json.dumps({"from_id": "A", "to_id": "B", "kind": "sub_supplier"}) + "\n")
    out = tmp_path / "exposure"
    assert (
        main(["spark", "exposure", str(companies), str(edges), str(out), "--max-depth", "3"]) == 0
    )
    rows = {row["company_id"]: row for row in read_output(out)}
    assert rows["A"]["path"] == ["A", "B"]
    assert rows["A"]["code"] == "A1"
    assert rows["B"]["tier"] == 0
