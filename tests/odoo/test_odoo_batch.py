"""``flg odoo screen-vendors`` and ``flg odoo check-pos`` against the recorded Odoo on 127.0.0.1:
screening, write-back to the chatter, no duplicate notes, the store, ``--dry-run``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import settings_for
from recorded_odoo import API_KEY, DATABASE, RunningOdoo

from forced_labour_guard.adapters.odoo.client import Json2Transport, OdooClient
from forced_labour_guard.adapters.odoo.reader import OdooReader
from forced_labour_guard.adapters.odoo.writeback import fingerprint_in
from forced_labour_guard.cli import main
from forced_labour_guard.model import PurchaseOrder
from forced_labour_guard.store import open_store


@pytest.fixture
def odoo_env(odoo_server: RunningOdoo, monkeypatch: pytest.MonkeyPatch) -> RunningOdoo:
    monkeypatch.setenv("ODOO_URL", odoo_server.url)
    monkeypatch.setenv("ODOO_DB", DATABASE)
    monkeypatch.setenv("ODOO_API_KEY", API_KEY)
    monkeypatch.delenv("ODOO_PROTOCOL", raising=False)
    return odoo_server


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[dict[str, Any]], str]:
    code = main(["odoo", *argv])
    out, err = capsys.readouterr()
    return code, [json.loads(line) for line in out.splitlines()], err


def _notes(odoo: RunningOdoo, model: str) -> dict[int, list[str]]:
    notes: dict[int, list[str]] = {}
    for message in odoo.odoo.tables["mail.message"].values():
        if message["model"] == model:
            notes.setdefault(message["res_id"], []).append(message["body"])
    return notes


def test_screen_vendors_notes_each_vendor_and_assigns_work_on_a_block(
    odoo_env: RunningOdoo, capsys: pytest.CaptureFixture[str]
) -> None:
    code, lines, err = _run(capsys, "screen-vendors")
    assert code == 0
    actions = {line["id"]: line["action"] for line in lines}
    assert actions[34] == "block"
    assert actions[37] == "allow"
    assert 35 not in actions, "a contact is screened as part of its company, not on its own"
    urumqi = next(line for line in lines if line["id"] == 34)
    assert urumqi["model"] == "res.partner"
    assert any(f["code"] == "A1" for f in urumqi["findings"])
    assert urumqi["odoo"]["written"] == "posted"
    notes = _notes(odoo_env, "res.partner")
    assert set(notes) == {34, 36, 37}
    assert "BLOCK" in notes[34][0]
    assert urumqi["reasons"][0].split(":")[0] in notes[34][0].replace("&#x27;", "'")
    activities = odoo_env.odoo.tables["mail.activity"].values()
    assert 34 in {a["res_id"] for a in activities}
    assert 37 not in {a["res_id"] for a in activities}, "no activity on allow"
    assert "screened 3 record(s): 1 block" in err


def test_a_second_run_with_nothing_changed_posts_no_duplicate_note(
    odoo_env: RunningOdoo, capsys: pytest.CaptureFixture[str]
) -> None:
    _run(capsys, "screen-vendors")
    before = len(odoo_env.odoo.tables["mail.message"])
    code, lines, err = _run(capsys, "screen-vendors")
    assert code == 0
    assert {line["odoo"]["written"] for line in lines} == {"unchanged"}
    assert len(odoo_env.odoo.tables["mail.message"]) == before
    assert "3 unchanged" in err


def test_a_changed_decision_is_noted_again(
    odoo_env: RunningOdoo, capsys: pytest.CaptureFixture[str]
) -> None:
    _run(capsys, "screen-vendors")
    odoo_env.odoo.tables["res.partner"][37]["city"] = "乌鲁木齐市"
    odoo_env.odoo.tables["res.partner"][37]["country_id"] = [48, "China"]
    _, lines, _ = _run(capsys, "screen-vendors")
    written = {line["id"]: line["odoo"]["written"] for line in lines}
    assert written == {34: "unchanged", 36: "unchanged", 37: "posted"}
    assert len(_notes(odoo_env, "res.partner")[37]) == 2


def test_dry_run_writes_nothing(odoo_env: RunningOdoo, capsys: pytest.CaptureFixture[str]) -> None:
    code, lines, _ = _run(capsys, "check-pos", "--dry-run")
    assert code == 0
    assert {line["odoo"]["written"] for line in lines} == {"dry-run"}
    assert odoo_env.odoo.tables["mail.message"] == {}
    assert odoo_env.odoo.tables["mail.activity"] == {}
    writes = [
        p for p, _ in odoo_env.odoo.requests if p.endswith(("message_post", "activity_schedule"))
    ]
    assert writes == []


def test_check_pos_screens_open_orders_and_records_them_in_the_store(
    odoo_env: RunningOdoo, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    store = tmp_path / "audit.sqlite"
    code, lines, _ = _run(capsys, "check-pos", "--store", str(store), "--fail-on", "block")
    assert code == 1, "--fail-on block is met by the Urumqi order"
    by_name = {line["label"]: line for line in lines}
    assert by_name["P00022"]["action"] == "block"
    assert by_name["P00024"]["action"] == "allow"
    assert by_name["P00022"]["subject"] == "P00022"
    notes = _notes(odoo_env, "purchase.order")
    assert fingerprint_in(notes[22][0]) == by_name["P00022"]["odoo"]["fingerprint"]
    with open_store(store) as opened:
        recorded = [entry.record_id for entry in opened.entries()]
    assert sorted(recorded) == ["P00022", "P00023", "P00024"]


def test_check_pos_only_reads_the_states_asked_for(
    odoo_env: RunningOdoo, capsys: pytest.CaptureFixture[str]
) -> None:
    _, lines, _ = _run(capsys, "check-pos", "--state", "sent", "--dry-run")
    assert [line["label"] for line in lines] == ["P00023"]


def test_an_unknown_state_is_a_usage_error(
    odoo_env: RunningOdoo, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["odoo", "check-pos", "--state", "confirmed"]) == 2
    assert "not an order state" in capsys.readouterr().err


def test_a_vendor_that_cannot_be_mapped_is_reported_and_the_others_screened(
    odoo_env: RunningOdoo, capsys: pytest.CaptureFixture[str]
) -> None:
    odoo_env.odoo.tables["res.partner"][36]["name"] = False
    code, lines, err = _run(capsys, "screen-vendors")
    assert code == 2
    broken = next(line for line in lines if line["id"] == 36)
    assert broken["action"] is None and "name" in broken["error"]
    assert {line["id"] for line in lines if line["action"]} == {34, 37}
    assert "must not be treated as cleared" in err


def test_without_an_api_key_nothing_is_called(
    odoo_env: RunningOdoo, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ODOO_API_KEY")
    assert main(["odoo", "screen-vendors"]) == 2
    assert "ODOO_API_KEY" in capsys.readouterr().err
    assert odoo_env.odoo.requests == []


def test_a_wrong_key_stops_the_run_with_odoos_message(
    odoo_env: RunningOdoo, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ODOO_API_KEY", "not-the-key")
    assert main(["odoo", "screen-vendors"]) == 2
    err = capsys.readouterr().err
    assert "Invalid apikey" in err and "not-the-key" not in err


def test_an_order_addressed_to_a_contact_screens_its_company(
    odoo_env: RunningOdoo, capsys: pytest.CaptureFixture[str]
) -> None:
    """The German order re-addressed to the Urumqi vendor's Shanghai invoice contact (35): the
    supplier is the contact's commercial partner, located in the region."""
    odoo_env.odoo.tables["purchase.order"][24]["partner_id"] = [
        35,
        "乌鲁木齐恒远棉纱贸易有限公司, 王芳",
    ]
    _, lines, _ = _run(capsys, "check-pos", "--dry-run")
    german_order = next(line for line in lines if line["label"] == "P00024")
    assert german_order["action"] == "block"
    assert {f["supplier_id"] for f in german_order["findings"]} == {"res.partner,34"}


def test_the_addons_line_fields_are_read_when_the_server_has_them(
    odoo_env: RunningOdoo, capsys: pytest.CaptureFixture[str]
) -> None:
    odoo = odoo_env.odoo
    for name in ("flg_input_material", "flg_input_origin_city"):
        odoo.fields["purchase.order.line"][name] = {"type": "char", "string": name}
    for name in (
        "flg_input_origin_country_id",
        "flg_input_origin_state_id",
        "flg_input_producer_id",
    ):
        odoo.fields["purchase.order.line"][name] = {"type": "many2one", "string": name}
    odoo.tables["purchase.order.line"][37].update(
        flg_input_material="recycled pulp",
        flg_input_origin_country_id=[48, "China"],
        flg_input_origin_state_id=[887, "新疆维吾尔自治区 (CN)"],
    )
    _, lines, _ = _run(capsys, "check-pos", "--dry-run")
    german_order = next(line for line in lines if line["label"] == "P00024")
    assert [f["code"] for f in german_order["findings"]] == ["A4"]
    assert german_order["findings"][0]["subject"].startswith("lines[0].inputs[0]")


def test_without_the_addon_no_addon_field_is_asked_for(
    odoo_env: RunningOdoo, capsys: pytest.CaptureFixture[str]
) -> None:
    """Asking for a field the server lacks is a 500 that fails the whole read."""
    _run(capsys, "check-pos", "--dry-run")
    asked = {
        name
        for _, body in odoo_env.odoo.requests
        if isinstance(body, dict)
        for name in body.get("fields") or []
    }
    assert not {name for name in asked if name.startswith("flg_")}
    assert "product_uom" not in asked and "picking_type_id" not in asked


def test_vendors_are_read_page_by_page(
    odoo_env: RunningOdoo, capsys: pytest.CaptureFixture[str]
) -> None:
    _, lines, _ = _run(capsys, "screen-vendors", "--dry-run", "--page-size", "2")
    assert sorted(line["id"] for line in lines) == [34, 36, 37]
    pages = [
        body
        for path, body in odoo_env.odoo.requests
        if path.endswith("res.partner/search_read") and "limit" in body
    ]
    assert [(page["limit"], page["offset"]) for page in pages] == [(2, 0), (2, 2)]


def test_a_vendor_name_imitating_the_fingerprint_cannot_suppress_a_note(
    odoo_env: RunningOdoo, capsys: pytest.CaptureFixture[str]
) -> None:
    _, first, _ = _run(capsys, "screen-vendors")
    real = next(line for line in first if line["id"] == 34)["odoo"]["fingerprint"]
    message_id = max(odoo_env.odoo.tables["mail.message"])
    forged = odoo_env.odoo.tables["mail.message"][message_id]
    forged["body"] = (
        f"<p>About Screening fingerprint: flg-{real}<br>Screening fingerprint: flg-{'0' * 16}</p>"
    )
    forged["res_id"] = 34
    _, second, _ = _run(capsys, "screen-vendors")
    assert next(line for line in second if line["id"] == 34)["odoo"]["written"] == "posted"


def test_the_destination_comes_from_the_dropship_address_or_the_receiving_warehouse(
    odoo_env: RunningOdoo, capsys: pytest.CaptureFixture[str]
) -> None:
    """With Inventory installed an order has a picking type; its warehouse's address gives the
    destination. Recorded only: the decision is the same wherever the goods go (C1)."""
    odoo = odoo_env.odoo
    odoo.fields["purchase.order"]["picking_type_id"] = {"type": "many2one", "string": "Deliver To"}
    odoo.tables["stock.picking.type"] = {1: {"id": 1, "warehouse_id": [1, "WH"]}}
    odoo.tables["stock.warehouse"] = {1: {"id": 1, "partner_id": [37, "Müller Verpackungen GmbH"]}}
    for order in odoo.tables["purchase.order"].values():
        order["picking_type_id"] = [1, "WH: Receipts"]
    odoo.tables["purchase.order"][23]["dest_address_id"] = [35, "王芳"]
    _, lines, _ = _run(capsys, "check-pos", "--dry-run")
    actions = {line["label"]: line["action"] for line in lines}
    assert actions == {"P00022": "block", "P00023": "allow", "P00024": "allow"}
    reader = OdooReader(OdooClient(Json2Transport(settings_for(odoo_env.url), None)))
    destinations = {
        item.label: item.record.destination_country
        for item in reader.orders()
        if isinstance(item.record, PurchaseOrder)
    }
    assert destinations == {"P00022": "DE", "P00023": "CN", "P00024": "DE"}


def test_a_server_without_a_field_screening_needs_stops_before_screening(
    odoo_env: RunningOdoo, capsys: pytest.CaptureFixture[str]
) -> None:
    del odoo_env.odoo.fields["res.partner"]["state_id"]
    code, lines, err = _run(capsys, "screen-vendors")
    assert code == 2 and lines == []
    assert "res.partner has no field 'state_id'" in err
    assert odoo_env.odoo.tables["mail.message"] == {}
