"""The functions the Odoo addon calls, exercised with recorded record dictionaries: settings from
system parameters, the confirmation refusal, decision fields, overrides through the store, B4
instructions through Odoo's mail and acknowledgements through the campaign."""

from __future__ import annotations

import datetime as dt
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from recorded_odoo import response_of

from forced_labour_guard.adapters.odoo import addon
from forced_labour_guard.adapters.odoo.mapping import (
    Lookups,
    purchase_order_from_records,
    supplier_from_partners,
)
from forced_labour_guard.errors import InputError, UsageError
from forced_labour_guard.guard import Guard
from forced_labour_guard.instructions.model import Company
from forced_labour_guard.lists.refresh import Fetcher, ListSource, RetryPolicy
from forced_labour_guard.model import Action, PurchaseOrder, Supplier
from forced_labour_guard.store import open_store
from forced_labour_guard.store.audited import AuditedGuard

LOOKUPS = Lookups(
    state_xml_ids={887: "base.state_cn_XJ", 876: "base.state_cn_SH", 1364: "base.state_de_hh"},
    country_codes={48: "CN", 57: "DE"},
)
TODAY = dt.date(2026, 12, 1)


def _partner(partner_id: int) -> dict[str, Any]:
    rows = {row["id"]: row for row in response_of("21_") + response_of("22_")}
    return rows[partner_id]


def _supplier(partner_id: int) -> Supplier:
    return supplier_from_partners(_partner(partner_id), [], LOOKUPS)


def _order(order_id: int, supplier: Supplier) -> PurchaseOrder:
    (order,) = [row for row in response_of("26_") if row["id"] == order_id]
    lines = [
        dict(row, quantity=row["product_qty"])
        for row in response_of("27_")
        if row["order_id"][0] == order_id
    ]
    return purchase_order_from_records(order, lines, supplier)


def _settings(tmp_path: Path, **more: str) -> addon.AddonSettings:
    params = {"flg.store": str(tmp_path / "flg.sqlite"), **more}
    return addon.AddonSettings.from_parameters(lambda key: params.get(key, False))


def _check(settings: addon.AddonSettings, po: PurchaseOrder) -> Any:
    with settings.open_guard() as guard:
        return guard.check_purchase_order(po)


def test_unset_parameters_give_the_defaults_and_a_plain_guard() -> None:
    settings = addon.AddonSettings.from_parameters(lambda key: False)
    assert settings.store is None and settings.campaign == addon.DEFAULT_CAMPAIGN
    with settings.open_guard() as guard:
        assert isinstance(guard, Guard)


def test_a_bad_list_age_parameter_is_named() -> None:
    with pytest.raises(InputError, match=r"flg\.max_list_age"):
        addon.AddonSettings.from_parameters(
            lambda key: "ninety" if key == "flg.max_list_age" else False
        )


def test_an_unreadable_extra_list_fails_closed(tmp_path: Path) -> None:
    settings = addon.AddonSettings.from_parameters(
        lambda key: str(tmp_path / "missing.csv") if key == "flg.lists" else False
    )
    with settings.open_guard() as guard:
        decision = guard.screen_supplier(_supplier(37))
    assert decision.action is Action.BLOCK
    assert {f.code.value for f in decision.findings} == {"SCREENING_UNAVAILABLE"}


def test_with_a_store_every_decision_is_recorded(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    with settings.open_guard() as guard:
        assert isinstance(guard, AuditedGuard)
        guard.screen_supplier(_supplier(34))
    with open_store(settings.store_path()) as store:
        assert [e.supplier_id for e in store.entries()] == ["res.partner,34"]


def test_a_block_refuses_confirmation_with_the_reasons() -> None:
    decision = Guard.default().check_purchase_order(_order(22, _supplier(34)))
    message = addon.confirmation_error(decision, "P00022")
    assert message is not None
    assert message.startswith("P00022 cannot be confirmed")
    assert decision.reasons[0] in message


def test_an_allow_or_a_warn_lets_confirmation_go_on() -> None:
    decision = Guard.default().check_purchase_order(_order(24, _supplier(37)))
    assert decision.action is Action.ALLOW
    assert addon.confirmation_error(decision, "P00024") is None
    warn = decision.model_copy(update={"action": Action.WARN})
    assert addon.confirmation_error(warn, "P00024") is None


def test_decision_values_fill_the_tab_and_note_is_due_only_on_change() -> None:
    decision = Guard.default().screen_supplier(_supplier(34))
    values = addon.decision_values(decision)
    assert values["flg_action"] == "block"
    assert "A1 at supplier" in values["flg_findings"]
    assert values["flg_steps"] == "B1"
    assert len(values["flg_screened_at"]) == 19 and values["flg_screened_at"][10] == " "
    assert addon.note_is_due(decision, False)
    assert not addon.note_is_due(decision, values["flg_fingerprint"])
    assert addon.decision_from_json(values["flg_decision_json"]) == decision


def test_chatter_note_escapes_what_a_supplier_wrote() -> None:
    hostile = _supplier(37).model_copy(update={"name": "<script>alert(1)</script> GmbH"})
    decision = Guard.default().screen_supplier(hostile)
    decision = decision.model_copy(update={"reasons": [f"About {hostile.name}"]})
    note = addon.chatter_note(decision)
    assert "<script>" not in note
    assert "&lt;script&gt;" in note


def test_override_of_a1_waits_for_a_second_approver_then_releases_the_order(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    po = _order(22, _supplier(34))
    first = _check(settings, po)
    assert first.action is Action.BLOCK
    assert addon.open_codes(first.model_dump_json()) == ["A1"]
    request = addon.override_request(
        codes=addon.open_codes(first.model_dump_json()),
        reason="Registered office moved to Shanghai; checked on site",
        created_by="Compliance Manager A",
        expires_on=dt.date.today() + dt.timedelta(days=30),
        po_id="P00022",
    )
    override = addon.request_override(settings, request)
    assert override.requires_second_approver
    assert _check(settings, po).action is Action.BLOCK
    with pytest.raises(UsageError, match="different person"):
        addon.approve_override(settings, override.id, by="Compliance Manager A")
    addon.approve_override(settings, override.id, by="Compliance Manager B")
    released = _check(settings, po)
    assert released.action is not Action.BLOCK
    assert released.overrides[0].id == override.id
    assert [o.id for o in addon.overrides_for(settings, po_id="P00022")] == [override.id]


def test_an_override_cannot_release_a_screen_that_did_not_run() -> None:
    with pytest.raises(InputError, match="cannot be overridden"):
        addon.override_request(
            codes=["SCREENING_UNAVAILABLE"],
            reason="x",
            created_by="A",
            expires_on=TODAY,
            po_id="P1",
        )
    with pytest.raises(InputError, match="scope"):
        addon.override_request(codes=["A1"], reason="x", created_by="A", expires_on=TODAY)


def test_overrides_need_the_store() -> None:
    settings = addon.AddonSettings()
    with pytest.raises(InputError, match=r"flg\.store"):
        settings.store_path()


def test_b4_instruction_goes_through_odoo_mail_and_the_answer_is_recorded(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    supplier = _supplier(34)
    recipient = addon.recipient_for(supplier, _partner(34))
    queued: list[dict[str, Any]] = []

    def send(values: dict[str, Any]) -> str:
        queued.append(values)
        return f"mail.mail,{len(queued)}"

    company = Company(name="My Company", contact_email="compliance@my-company.example.com")
    (result,) = addon.issue_b4(settings, [recipient], company=company, send=send, today=TODAY)
    assert result.outcome == "sent"
    (mail,) = queued
    assert "sales@hengyuan-yarn.example.cn" in mail["email_to"]
    assert "<html" in mail["body_html"].lower() or "<p" in mail["body_html"].lower()
    assert result.reference in mail["subject"] or result.reference in mail["body_html"]
    assert mail["message_id"].startswith("<")
    assert mail["attachments"], "the letter travels as an attachment too"
    reference = addon.instruction_reference(settings, supplier)
    assert reference == result.reference
    ack = addon.record_acknowledgement(
        settings,
        reference,
        received_on=TODAY,
        signed_by="王芳",
        note="Signed instruction returned",
        recorded_by="Compliance Manager A",
        proofs=[("attestation.pdf", b"%PDF-1.4 signed")],
    )
    assert ack.proofs[0].file_name == "attestation.pdf"


def test_a_failing_odoo_mail_leaves_the_instruction_to_retry(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    recipient = addon.recipient_for(_supplier(34), _partner(34))

    def send(values: dict[str, Any]) -> str:
        raise RuntimeError("mail server down")

    company = Company(name="My Company", contact_email="compliance@my-company.example.com")
    (result,) = addon.issue_b4(settings, [recipient], company=company, send=send, today=TODAY)
    assert result.outcome == "failed" and "mail server down" in result.detail


def test_a_vendor_without_email_cannot_be_instructed() -> None:
    with pytest.raises(InputError, match="no e-mail"):
        addon.recipient_for(_supplier(37), dict(_partner(37), email=False))


def test_a_record_that_cannot_be_screened_blocks_with_the_reason() -> None:
    decision = addon.unavailable_decision("P00022", "the vendor has no name")
    assert decision.action is Action.BLOCK
    assert "P00022 could not be screened: the vendor has no name" in decision.reasons[0]
    refusal = addon.confirmation_error(decision, "P00022")
    assert refusal is not None
    assert "an administrator must repair it" in refusal
    assert "request an override" not in refusal, "SCREENING_UNAVAILABLE cannot be released"


def test_a_vendor_writing_chinese_gets_the_chinese_letter_and_others_the_default() -> None:
    chinese = addon.recipient_for(_supplier(34), dict(_partner(34), lang="zh_CN"))
    german = addon.recipient_for(_supplier(37), dict(_partner(37), lang="de_DE"))
    assert (chinese.language, german.language) == ("zh", None)


class _ListPage(BaseHTTPRequestHandler):
    """Serves the saved DHS page, or a 503 when the server's ``broken`` flag is set."""

    server: Any

    def do_GET(self) -> None:
        body = b"down" if self.server.broken else DHS_PAGE
        self.send_response(503 if self.server.broken else 200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        return


DHS_PAGE = (Path(__file__).parents[1] / "lists" / "data" / "dhs_uflpa_page.html").read_bytes()


def test_the_scheduled_refresh_stores_the_list_and_keeps_it_when_a_download_fails(
    tmp_path: Path,
) -> None:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _ListPage)
    httpd.broken = False  # type: ignore[attr-defined]
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        source = ListSource(
            name="uflpa", url=f"http://127.0.0.1:{httpd.server_address[1]}/", format="dhs-html"
        )
        fetcher = Fetcher(
            retry=RetryPolicy(attempts=1, initial_wait=0, max_wait=0), cache_ttl=0.001
        )
        settings = addon.AddonSettings(lists_dir=str(tmp_path / "lists"))
        stored = addon.refresh_lists(settings, source=source, fetcher=fetcher)
        assert stored.startswith("UFLPA Entity List updated")
        httpd.broken = True  # type: ignore[attr-defined]
        kept = addon.refresh_lists(settings, source=source, fetcher=fetcher)
        assert kept.startswith("UFLPA Entity List not refreshed")
        assert (tmp_path / "lists" / "uflpa.json").is_file()
    finally:
        httpd.shutdown()
        httpd.server_close()
