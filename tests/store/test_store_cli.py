"""``flg audit ...``, ``flg override ...`` and ``--store`` / ``FLG_STORE`` on the screening commands."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sqlite3
from pathlib import Path

import pytest

from forced_labour_guard.cli import main
from forced_labour_guard.store import SqliteStore

EXPIRES = (dt.date.today() + dt.timedelta(days=30)).isoformat()

PO = {
    "id": "PO-77",
    "supplier": {
        "id": "S-77",
        "name": "Anhui Garments",
        "country": "CN",
        "evidence": [
            {
                "kind": "sourcing",
                "summary": "Buys cotton yarn spun in the Uyghur Region",
                "source": "Example supply-chain study",
                "date": "2025-02-01",
            }
        ],
    },
}


@pytest.fixture
def po_file(tmp_path: Path) -> Path:
    path = tmp_path / "po.json"
    path.write_text(json.dumps(PO), encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def add_override(
    capsys: pytest.CaptureFixture[str],
    store: str,
    *args: str,
    reason: str = "r",
    by: str = "alice",
    expires: str = EXPIRES,
) -> tuple[int, str, str]:
    """``flg override add`` with the scope and codes in ``args``."""
    extra = ["--reason", reason, "--by", by, "--expires", expires]
    return run(capsys, "override", "add", "--store", store, *args, *extra)


def test_screening_without_a_store_records_nothing(
    tmp_path: Path,
    po_file: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("FLG_STORE", raising=False)
    code, out, _ = run(capsys, "check-po", str(po_file), "--json")
    assert code == 0
    assert json.loads(out)["action"] == "warn"
    assert list(tmp_path.glob("*.db")) == []


def test_store_option_and_env_record_decisions(
    tmp_path: Path,
    po_file: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store = tmp_path / "audit.db"
    assert run(capsys, "check-po", str(po_file), "--store", str(store))[0] == 0
    monkeypatch.setenv("FLG_STORE", str(store))
    assert run(capsys, "check-po", str(po_file), "--json")[0] == 0
    supplier = tmp_path / "supplier.json"
    supplier.write_text(json.dumps(PO["supplier"]), encoding="utf-8")
    assert run(capsys, "screen-supplier", str(supplier))[0] == 0
    batch = tmp_path / "suppliers.jsonl"
    batch.write_text(
        json.dumps(PO["supplier"]) + "\n" + json.dumps({"name": "Clean Buttons GmbH"}) + "\n",
        encoding="utf-8",
    )
    assert run(capsys, "screen-suppliers", str(batch), "--quiet")[0] == 0
    with SqliteStore(store) as opened:
        kinds = [(row.record_kind, row.record_id, row.action) for row in opened.rows()]
        assert kinds == [
            ("purchase_order", "PO-77", "warn"),
            ("purchase_order", "PO-77", "warn"),
            ("supplier", "S-77", "warn"),
            ("supplier", "S-77", "warn"),
            ("supplier", None, "allow"),
        ]
        assert opened.verify().ok


def test_override_commands_and_their_effect_on_check_po(
    tmp_path: Path, po_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = str(tmp_path / "audit.db")
    code, out, _ = add_override(
        capsys,
        store,
        *("--po", "PO-77", "--code", "A4", "--json"),
        reason="yarn now from Egypt; mill certificates on file",
    )
    assert code == 0
    added = json.loads(out)
    assert added["status"] == "active" and added["id"] == "OVR-1"
    code, out, _ = run(capsys, "check-po", str(po_file), "--store", store, "--json")
    decision = json.loads(out)
    assert decision["action"] == "allow"
    assert decision["findings"][0]["code"] == "A4"
    assert decision["findings"][0]["released_by"] == "OVR-1"
    assert decision["overrides"][0]["reason"].startswith("yarn now from Egypt")

    code, out, err = add_override(
        capsys, store, "--supplier", "S-77", "--code", "ENTITY_LIST", reason="name clash"
    )
    assert code == 0 and "pending_approval" in out and "second person" in err
    code, _, err = run(capsys, "override", "approve", "OVR-3", "--store", store, "--by", "alice")
    assert code == 2 and "different person" in err
    code, out, _ = run(capsys, "override", "approve", "OVR-3", "--store", store, "--by", "bob")
    assert code == 0 and "active" in out and "approved by bob" in out
    code, out, _ = run(
        capsys,
        "override",
        "revoke",
        "OVR-1",
        "--store",
        store,
        "--by",
        "carol",
        "--reason",
        "certificates withdrawn",
    )
    assert code == 0 and "revoked" in out
    code, out, _ = run(capsys, "override", "list", "--store", store)
    assert [line.split()[0] for line in out.splitlines()] == ["OVR-3"]
    code, out, _ = run(capsys, "override", "list", "--store", store, "--all", "--json")
    assert [json.loads(line)["status"] for line in out.splitlines()] == ["revoked", "active"]
    code, out, _ = run(capsys, "check-po", str(po_file), "--store", store, "--json")
    assert json.loads(out)["action"] == "warn"  # the revoked override no longer applies


def test_override_add_rejects_bad_requests(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = str(tmp_path / "audit.db")
    code, _, err = add_override(capsys, store, "--code", "A4", by="a")
    assert code == 2 and "needs a scope" in err
    code, _, err = add_override(
        capsys, store, "--po", "P", "--code", "A4", by="a", expires="2001-01-01"
    )
    assert code == 2 and "expires_on" in err and "already past" in err
    with pytest.raises(SystemExit) as exit_info:
        add_override(capsys, store, "--po", "P", "--code", "SCREENING_UNAVAILABLE", by="a")
    assert exit_info.value.code == 2


def test_audit_verify_reports_intact_and_broken_chains(
    tmp_path: Path, po_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "audit.db"
    for _ in range(3):
        run(capsys, "check-po", str(po_file), "--store", str(store))
    code, out, _ = run(capsys, "audit", "verify", "--store", str(store))
    assert code == 0 and out.startswith("chain intact: 3 entries")
    head = out.split("head ")[1].strip()
    code, out, _ = run(
        capsys, "audit", "verify", "--store", str(store), "--expect-head", head, "--json"
    )
    assert code == 0 and json.loads(out)["ok"] is True

    conn = sqlite3.connect(store)
    conn.execute("DROP TRIGGER audit_entries_no_delete")
    conn.execute(
        "DELETE FROM audit_entries WHERE seq = 3"
    )  # truncation: the chain alone looks fine
    conn.commit()
    code, out, _ = run(capsys, "audit", "verify", "--store", str(store))
    assert code == 0
    code, out, _ = run(capsys, "audit", "verify", "--store", str(store), "--expect-head", head)
    assert code == 1 and "no longer in the chain" in out

    conn.execute("DROP TRIGGER audit_entries_no_update")
    conn.execute("UPDATE audit_entries SET record_id = 'PO-78' WHERE seq = 1")
    conn.commit()
    conn.close()
    code, out, _ = run(capsys, "audit", "verify", "--store", str(store))
    assert code == 1 and out.startswith("CHAIN BROKEN at entry 1")


def test_audit_verify_needs_an_existing_store(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("FLG_STORE", raising=False)
    code, _, err = run(capsys, "audit", "verify")
    assert code == 2 and "FLG_STORE" in err
    code, _, err = run(capsys, "audit", "verify", "--store", str(tmp_path / "typo.db"))
    assert code == 2 and "no store there" in err
    assert not (tmp_path / "typo.db").exists()
    code, _, err = run(capsys, "audit", "verify", "--store", "mysql://db/flg")
    assert code == 2 and "mysql:// is not a store" in err


def test_audit_export_filters_and_formats(
    tmp_path: Path, po_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = str(tmp_path / "audit.db")
    run(capsys, "check-po", str(po_file), "--store", store)
    other = tmp_path / "other.json"
    other.write_text(json.dumps({**PO, "id": "PO-88", "supplier": {"id": "S-88", "name": "Other"}}))
    run(capsys, "check-po", str(other), "--store", store)
    add_override(capsys, store, "--supplier", "S-77", "--code", "A4")

    code, out, err = run(capsys, "audit", "export", "--store", store)
    assert code == 0 and "exported 3" in err
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line["seq"] for line in lines] == [1, 2, 3]
    assert json.loads(lines[0]["content"])["decision"]["subject"] == "PO-77"

    code, out, _ = run(capsys, "audit", "export", "--store", store, "--supplier", "S-77")
    assert [json.loads(line)["seq"] for line in out.splitlines()] == [1, 3]

    today = dt.date.today()
    code, out, _ = run(
        capsys,
        "audit",
        "export",
        "--store",
        store,
        "--until",
        (today - dt.timedelta(days=1)).isoformat(),
    )
    assert out == ""
    code, out, _ = run(
        capsys,
        "audit",
        "export",
        "--store",
        store,
        "--since",
        today.isoformat(),
        "--until",
        today.isoformat(),
        "--format",
        "csv",
    )
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [row["record_id"] for row in rows] == ["PO-77", "PO-88", "S-77"]
    assert rows[0]["finding_codes"] == "A4" and rows[2]["override_id"] == "OVR-3"

    export = tmp_path / "export.jsonl"
    code, _, _ = run(
        capsys, "audit", "export", "--store", store, "--supplier", "S-77", "-o", str(export)
    )
    assert code == 0
    code, out, _ = run(capsys, "audit", "verify", "--file", str(export))
    assert code == 0 and "2 entries" in out
    tampered = export.read_text().replace('"action":"warn"', '"action":"allow"', 1)
    export.write_text(tampered)
    code, out, _ = run(capsys, "audit", "verify", "--file", str(export))
    assert code == 1 and "CHAIN BROKEN at entry 1" in out


def test_audit_verify_file_with_bad_content_is_an_input_error(
    tmp_path: Path, po_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = str(tmp_path / "audit.db")
    run(capsys, "check-po", str(po_file), "--store", store)
    export = tmp_path / "export.jsonl"
    run(capsys, "audit", "export", "--store", store, "-o", str(export))
    entry = json.loads(export.read_text(encoding="utf-8"))
    cases = {
        "wrong-type.jsonl": json.dumps({**entry, "content": 5}).encode(),
        "seq-as-text.jsonl": json.dumps({**entry, "seq": "1"}).encode(),
        "not-an-object.jsonl": b"[1, 2]\n",
        "latin-1.jsonl": "Lieferant Müller\n".encode("latin-1"),
    }
    expected = {
        "wrong-type.jsonl": "wrong-type.jsonl:1: not an audit export entry (content: ",
        "seq-as-text.jsonl": "seq-as-text.jsonl:1: not an audit export entry (seq: ",
        "not-an-object.jsonl": "not-an-object.jsonl:1: not an audit export entry (expected",
        "latin-1.jsonl": "latin-1.jsonl: not UTF-8 text",
    }
    for name, content in cases.items():
        path = tmp_path / name
        path.write_bytes(content)
        for extra in ([], ["--expect-head", entry["entry_hash"]]):
            code, out, err = run(capsys, "audit", "verify", "--file", str(path), *extra)
            assert code == 2 and out == ""
            assert expected[name] in err and "internal error" not in err
    code, out, _ = run(
        capsys, "audit", "verify", "--file", str(export), "--expect-head", entry["entry_hash"]
    )
    assert code == 0 and "chain intact: 1 entries" in out
