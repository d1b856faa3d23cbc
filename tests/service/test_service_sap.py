"""The SAP endpoint: BAPIRET2-like messages, one per finding, most severe first, within SAP's
lengths; and the pure message builder for the kinds no example order produces."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from forced_labour_guard import Guard
from forced_labour_guard.model import Action, Decision, Finding, FindingCode, Supplier
from forced_labour_guard.service.sap_messages import (
    MESSAGE_LENGTH,
    NUMBERS,
    VARIABLE_LENGTH,
    finding_actions,
    sap_messages,
    severest_rule_actions,
)
from tests.service.conftest import EXAMPLES
from tests.service.service_helpers import ServiceProcess, clean_environment, write_token_file

SAP_CHECK = "/v1/sap/purchase-orders/check"


@pytest.mark.parametrize(
    ("example", "action", "expected"),
    [
        (
            "po_a1_supplier_in_region.json",
            "block",
            [("E", "001", "A1"), ("W", "020", "HIGH_RISK_SECTOR")],
        ),
        ("po_a2_subsidiary_in_region.json", "warn", [("W", "002", "A2")]),
        ("po_a3_labour_transfer.json", "warn", [("W", "003", "A3")]),
        # two A4: the input's origin address, and its producer's registered name (Aksu ... Co., Ltd.)
        ("po_a4_input_from_region.json", "block", [("E", "004", "A4"), ("E", "004", "A4")]),
        ("po_entity_list.json", "block", [("E", "010", "ENTITY_LIST")]),
        ("po_c2_denied_entry.json", "block", [("E", "040", "DENIED_ENTRY")]),
    ],
)
def test_each_finding_kind_gets_its_message_type_and_number(
    service: ServiceProcess, example: str, action: str, expected: list[tuple[str, str, str]]
) -> None:
    answer = service.post(SAP_CHECK, data=(EXAMPLES / example).read_bytes())
    assert answer.status_code == 200
    body = answer.json()
    assert body["action"] == body["decision"]["action"] == action
    findings = [m for m in body["messages"] if m["number"] != "900"]
    assert [(m["type"], m["number"], m["message_v1"]) for m in findings] == expected
    for message in body["messages"]:
        assert message["id"] == "ZFLG"
        assert len(message["message"]) <= MESSAGE_LENGTH
        for variable in ("message_v1", "message_v2", "message_v3", "message_v4"):
            assert len(message[variable]) <= VARIABLE_LENGTH


def test_an_allowed_order_gets_one_information_line_then_the_warnings(
    service: ServiceProcess,
) -> None:
    body = service.post(SAP_CHECK, data=(EXAMPLES / "po_clean.json").read_bytes()).json()
    assert body["action"] == "allow"
    assert body["messages"][0]["type"] == "I" and body["messages"][0]["number"] == "000"
    assert body["messages"][0]["message"].startswith("No link to the Uyghur Region was found")
    assert {m["number"] for m in body["messages"][1:]} == {"900"}


def test_a_bad_order_is_refused_422_like_the_other_endpoints(service: ServiceProcess) -> None:
    answer = service.post(SAP_CHECK, data=(EXAMPLES / "po_malformed.json").read_bytes())
    assert answer.status_code == 422
    assert answer.json()["field"] == "supplier.country"


# ------------------------------------------------------------------------ the pure builder

NOW = dt.datetime(2026, 11, 2, 10, 0, tzinfo=dt.UTC)


def finding(code: FindingCode, *, released_by: str | None = None, detail: str = "Why.") -> Finding:
    return Finding(
        code=code,
        subject="supplier",
        detail=detail,
        steps=["B1"],
        supplier_id="V-1",
        released_by=released_by,
    )


def decision(*findings: Finding, action: Action = Action.BLOCK) -> Decision:
    return Decision(action=action, findings=list(findings), screened_at=NOW, reasons=["r"])


def test_the_most_severe_message_comes_first_whatever_the_finding_order() -> None:
    d = decision(finding(FindingCode.POSSIBLE_MATCH), finding(FindingCode.ENTITY_LIST))
    messages = sap_messages(d, [Action.WARN, Action.BLOCK])
    assert [(m.type, m.message_v1) for m in messages] == [
        ("E", "ENTITY_LIST"),
        ("W", "POSSIBLE_MATCH"),
    ]


def test_a_released_finding_is_information_and_says_which_override() -> None:
    d = decision(finding(FindingCode.ENTITY_LIST, released_by="ovr-7"), action=Action.ALLOW)
    guard = Guard.default()
    actions = finding_actions(guard, Supplier(name="X"), d, {})
    assert actions == [Action.ALLOW]
    (message,) = sap_messages(d, actions)
    assert message.type == "I"
    assert "Released by override ovr-7" in message.message


def test_an_exit_window_that_ended_makes_the_finding_an_error() -> None:
    a2 = finding(FindingCode.A2)
    d = decision(a2)
    guard = Guard.default()
    long_ago = {a2.key: NOW.date() - dt.timedelta(days=400)}
    assert finding_actions(guard, Supplier(name="X", id="V-1"), d, long_ago) == [Action.BLOCK]
    assert finding_actions(guard, Supplier(name="X", id="V-1"), d, {}) == [Action.WARN]


def test_without_first_seen_dates_a_windowed_finding_is_never_shown_softer() -> None:
    d = decision(finding(FindingCode.NO_B4_ACK), finding(FindingCode.POSSIBLE_MATCH))
    assert severest_rule_actions(d, Guard.default().policy) == [Action.BLOCK, Action.WARN]


def test_long_details_are_cut_to_sap_lengths_with_an_ellipsis() -> None:
    d = decision(finding(FindingCode.A1, detail="word " * 100))
    (message,) = sap_messages(d, [Action.BLOCK])
    assert MESSAGE_LENGTH - 5 < len(message.message) <= MESSAGE_LENGTH
    assert message.message.endswith("…")


def test_every_finding_code_has_its_own_stable_number() -> None:
    assert set(NUMBERS) == set(FindingCode)
    assert len(set(NUMBERS.values())) == len(FindingCode)


COMPANY_LIST = (
    "name,country,source,date\nNorthwind Polysilicon Materials,CN,Company review,2026-10-01\n"
)


def order_from(name: str) -> dict[str, object]:
    return {"id": "PO-7", "supplier": {"id": "V-7", "name": name, "country": "CN"}}


def test_a_company_list_hit_is_an_error_and_a_near_name_a_warning_but_a_stranger_neither(
    tmp_path: Path,
) -> None:
    company = tmp_path / "company.csv"
    company.write_text(COMPANY_LIST, encoding="utf-8")
    (tmp_path / "lists").mkdir()
    service = ServiceProcess(
        ["--token-file", str(write_token_file(tmp_path)), "--list", str(company)],
        clean_environment(tmp_path / "lists"),
        tmp_path / "service.log",
    )
    try:

        def numbers(name: str) -> list[tuple[str, str]]:
            body = service.post(SAP_CHECK, json_body=order_from(name)).json()
            return [(m["type"], m["number"]) for m in body["messages"] if m["number"] != "900"]

        assert numbers("Northwind Polysilicon Materials") == [("E", "010")]
        assert numbers("Northwind Polysilicon Trading") == [("W", "011")]
        assert numbers("Southwind Linen Weavers") == [("I", "000")]
    finally:
        service.stop()
