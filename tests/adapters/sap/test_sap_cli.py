"""``flg sap screen-suppliers``, ``flg sap check-pos --since`` and ``flg sap events`` against the
fake Gateway: JSON lines on stdout, the summary on stderr, blocks written only when enforcing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from forced_labour_guard.cli import main
from tests.adapters.sap.gateway import FakeGateway


def _config(tmp_path: Path, gateway: FakeGateway, extra: str = "") -> str:
    path = tmp_path / "sap.toml"
    path.write_text(
        f"""
base_url = "{gateway.url}"
sap_client = "100"
max_attempts = 2

[auth]
kind = "basic"
user = "FLG_COMM"
password_env = "FLG_TEST_SAP_PASSWORD"

[regions]
scheme = "iso_letters"

[origin]
kind = "material_table"
[origin.materials]
"COTTON-YARN-01" = {{ country = "CN", text = "Aksu, Xinjiang" }}

[enforcement]
purchasing_orgs = ["1010"]
{extra}
""",
        encoding="utf-8",
    )
    return str(path)


def _lines(out: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def test_screen_suppliers_dry_run_by_default_writes_nothing(
    tmp_path: Path, gateway: FakeGateway, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["sap", "screen-suppliers", "--config", _config(tmp_path, gateway)])
    out, err = capsys.readouterr()
    lines = _lines(out)
    assert code == 0
    assert [line["supplier"] for line in lines] == [f"1730000{i}" for i in range(1, 7)]
    assert {line["supplier"]: line["action"] for line in lines}["17300003"] == "allow"
    assert lines[0]["dry_run"] is True and lines[0]["writes"]
    assert gateway.writes() == []
    assert "screened 6 supplier(s)" in err and "dry run: would change" in err


def test_screen_suppliers_enforce_needs_a_store(
    tmp_path: Path, gateway: FakeGateway, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["sap", "screen-suppliers", "--config", _config(tmp_path, gateway), "--enforce"])
    assert code == 2
    assert "audit store" in capsys.readouterr().err


def test_screen_suppliers_enforce_blocks_and_records(
    tmp_path: Path, gateway: FakeGateway, capsys: pytest.CaptureFixture[str]
) -> None:
    store = str(tmp_path / "audit.db")
    code = main(
        [
            "sap",
            "screen-suppliers",
            "--config",
            _config(tmp_path, gateway),
            "--enforce",
            "--store",
            store,
            "--supplier",
            "17300001",
            "--supplier",
            "17300003",
        ]
    )
    assert code == 0
    assert gateway.row("A_Supplier", Supplier="17300001")["PurchasingIsBlocked"] is True
    assert gateway.row("A_Supplier", Supplier="17300003")["PurchasingIsBlocked"] is False
    assert main(["audit", "verify", "--store", store]) == 0


def test_check_pos_since_reads_only_recent_orders(
    tmp_path: Path, gateway: FakeGateway, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        ["sap", "check-pos", "--config", _config(tmp_path, gateway), "--since", "2026-11-15"]
    )
    lines = _lines(capsys.readouterr().out)
    assert code == 0
    assert [line["purchase_order"] for line in lines] == ["4500000001", "4500000002", "4500000004"]
    assert "A4" in {
        c for line in lines if line["purchase_order"] == "4500000004" for c in line["codes"]
    }  # type: ignore[attr-defined]


def test_a_record_sap_cannot_give_is_an_error_line_and_exit_2(
    tmp_path: Path, gateway: FakeGateway, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "sap",
            "screen-suppliers",
            "--config",
            _config(tmp_path, gateway),
            "--supplier",
            "99999999",
        ]
    )
    out, err = capsys.readouterr()
    assert code == 2
    assert _lines(out)[0]["error"] and _lines(out)[0]["action"] is None
    assert "must not be treated as cleared" in err and "1 failed" in err


def test_bad_since_and_missing_config_are_usage_errors(
    tmp_path: Path,
    gateway: FakeGateway,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["sap", "check-pos", "--config", _config(tmp_path, gateway), "--since", "yesterday"])
    assert caught.value.code == 2
    monkeypatch.delenv("FLG_SAP_CONFIG", raising=False)
    assert main(["sap", "screen-suppliers"]) == 2
    assert "--config" in capsys.readouterr().err


def test_a_typo_in_the_settings_names_the_key(
    tmp_path: Path, gateway: FakeGateway, capsys: pytest.CaptureFixture[str]
) -> None:
    config = _config(tmp_path, gateway, extra="dry_runn = true")
    assert main(["sap", "screen-suppliers", "--config", config]) == 2
    assert "enforcement.dry_runn" in capsys.readouterr().err


def test_events_file_is_processed_once(
    tmp_path: Path, gateway: FakeGateway, capsys: pytest.CaptureFixture[str]
) -> None:
    events = tmp_path / "events.jsonl"
    event = {
        "type": "sap.s4.beh.purchaseorder.v1.PurchaseOrder.Created.v1",
        "specversion": "1.0",
        "source": "/default/sap.s4.beh/1",
        "id": "ev-1",
        "data": {"PurchaseOrder": "4500000002"},
    }
    events.write_text(json.dumps(event) + "\n" + json.dumps(event) + "\n", encoding="utf-8")
    store = str(tmp_path / "audit.db")
    code = main(
        [
            "sap",
            "events",
            str(events),
            "--config",
            _config(tmp_path, gateway),
            "--enforce",
            "--store",
            store,
        ]
    )
    statuses = [line["status"] for line in _lines(capsys.readouterr().out)]
    assert code == 0
    assert statuses == ["processed", "duplicate"]
    assert gateway.row("A_Supplier", Supplier="17300001")["PurchasingIsBlocked"] is True
