"""The policy table, responsible-exit windows, limits a policy file cannot cross, and C1."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forced_labour_guard import Guard, PurchaseOrder
from forced_labour_guard.countries import ISO_ALPHA2
from forced_labour_guard.errors import PolicyError
from forced_labour_guard.model import Action, Finding, FindingCode
from forced_labour_guard.policy import (
    DEFAULT_RULES,
    Policy,
    evaluate,
    load_policy,
    policy_from_mapping,
)

TODAY = dt.date(2026, 11, 25)


def finding(code: FindingCode, steps: list[str] | None = None) -> Finding:
    return Finding(
        code=code,
        subject="supplier",
        detail="Something was found.",
        steps=steps or ["B2"],
        supplier_id="S1",
    )


@pytest.mark.parametrize(
    ("code", "action"),
    [
        (FindingCode.A1, Action.BLOCK),
        (FindingCode.ENTITY_LIST, Action.BLOCK),
        (FindingCode.A2, Action.WARN),  # inside the exit window on the day it is first seen
        (FindingCode.A3, Action.WARN),
        (FindingCode.A4, Action.WARN),
        (FindingCode.NO_B4_ACK, Action.WARN),
        (FindingCode.POSSIBLE_MATCH, Action.WARN),
        (FindingCode.HIGH_RISK_SECTOR, Action.WARN),
        (FindingCode.DENIED_ENTRY, Action.BLOCK),
        (FindingCode.SCREENING_UNAVAILABLE, Action.BLOCK),
    ],
)
def test_default_table(code: FindingCode, action: Action) -> None:
    assert evaluate([finding(code)], Policy(), today=TODAY).action is action


def test_no_findings_means_allow() -> None:
    assert evaluate([], Policy(), today=TODAY).action is Action.ALLOW


def test_the_most_severe_finding_wins_and_steps_are_in_call_to_action_order() -> None:
    verdict = evaluate(
        [
            finding(FindingCode.A4, ["B4"]),
            finding(FindingCode.A1, ["B1"]),
            finding(FindingCode.DENIED_ENTRY, ["C2"]),
        ],
        Policy(),
        today=TODAY,
    )
    assert verdict.action is Action.BLOCK
    assert verdict.steps == ["B1", "B4", "C2"]
    assert len(verdict.reasons) == 3


@pytest.mark.parametrize(
    ("days_ago", "expected"),
    [
        (0, Action.WARN),
        (89, Action.WARN),
        (90, Action.BLOCK),
        (91, Action.BLOCK),
        (400, Action.BLOCK),
    ],
)
def test_responsible_exit_window_before_at_and_after_its_end(
    days_ago: int, expected: Action
) -> None:
    a2 = finding(FindingCode.A2)
    first_seen = {a2.key: TODAY - dt.timedelta(days=days_ago)}
    verdict = evaluate([a2], Policy(), today=TODAY, first_seen=first_seen)
    assert verdict.action is expected
    window_end = (TODAY - dt.timedelta(days=days_ago) + dt.timedelta(days=90)).isoformat()
    assert window_end in verdict.reasons[0]


def test_without_a_first_seen_date_the_window_starts_today() -> None:
    verdict = evaluate([finding(FindingCode.A3)], Policy(), today=TODAY)
    assert "ends on 2027-02-23" in verdict.reasons[0]


def test_a_first_seen_date_in_the_future_is_treated_as_today() -> None:
    a2 = finding(FindingCode.A2)
    verdict = evaluate(
        [a2], Policy(), today=TODAY, first_seen={a2.key: TODAY + dt.timedelta(days=500)}
    )
    assert "First seen 2026-11-25" in verdict.reasons[0]


def test_windows_are_configurable() -> None:
    policy = policy_from_mapping(
        {"rules": {"A2": {"action": "block", "responsible_exit_days": 10}}}
    )
    a2 = finding(FindingCode.A2)
    seen = {a2.key: TODAY - dt.timedelta(days=10)}
    assert evaluate([a2], policy, today=TODAY, first_seen=seen).action is Action.BLOCK
    assert (
        policy.rule(FindingCode.A1) == DEFAULT_RULES[FindingCode.A1]
    )  # untouched rules keep defaults


def test_b1_is_always_immediate() -> None:
    with pytest.raises(PolicyError, match="B1"):
        policy_from_mapping({"rules": {"A1": {"action": "block", "responsible_exit_days": 30}}})
    with pytest.raises(PolicyError, match="B1"):
        policy_from_mapping({"rules": {"ENTITY_LIST": {"action": "warn"}}})


def test_denied_entry_cannot_be_relaxed() -> None:
    with pytest.raises(PolicyError, match="C2"):
        policy_from_mapping({"rules": {"DENIED_ENTRY": {"action": "warn"}}})


def test_no_finding_can_be_set_to_allow() -> None:
    with pytest.raises(PolicyError, match="cannot be 'allow'"):
        policy_from_mapping({"rules": {"SCREENING_UNAVAILABLE": {"action": "allow"}}})


@pytest.mark.parametrize(
    "document",
    [
        {"rules": {"A2": {"action": "warn", "markets": ["EU"]}}},
        {"destination_country": "US", "rules": {}},
        {"rules": {"A4": {"action": "block"}}, "scopes": [{"destination": "US"}]},
        {"per_country": {"US": {"rules": {"A2": {"action": "block"}}}}},
    ],
)
def test_market_scoped_policy_is_rejected_citing_c1(document: dict[str, Any]) -> None:
    with pytest.raises(PolicyError, match="C1"):
        policy_from_mapping(document)


def test_unknown_settings_and_bad_thresholds_name_the_key() -> None:
    with pytest.raises(PolicyError, match=r"rules\.A9"):
        policy_from_mapping({"rules": {"A9": {"action": "block"}}})
    with pytest.raises(PolicyError, match="review_threshold"):
        policy_from_mapping({"matching": {"block_threshold": 0.8, "review_threshold": 0.9}})


def test_policy_files_in_toml_and_json(tmp_path: Path) -> None:
    toml = tmp_path / "p.toml"
    toml.write_text(
        'version = "acme-1"\n[rules.A3]\naction = "block"\nresponsible_exit_days = 30\n'
    )
    assert load_policy(toml).rule(FindingCode.A3).responsible_exit_days == 30
    js = tmp_path / "p.json"
    js.write_text(json.dumps({"version": "acme-2", "matching": {"block_threshold": 0.88}}))
    assert load_policy(js).matching.block_threshold == 0.88
    broken = tmp_path / "bad.toml"
    broken.write_text("rules = [")
    with pytest.raises(PolicyError, match="not valid"):
        load_policy(broken)
    with pytest.raises(PolicyError, match="cannot read"):
        load_policy(tmp_path / "missing.toml")


def test_a_policy_file_that_is_not_utf8_is_a_policy_error_not_a_crash(tmp_path: Path) -> None:
    latin1 = tmp_path / "p.toml"
    latin1.write_bytes('version = "Zürich"\n'.encode("latin-1"))
    with pytest.raises(PolicyError, match="not UTF-8"):
        load_policy(latin1)


def test_the_bundled_example_policy_loads() -> None:
    example = Path(__file__).resolve().parents[2] / "examples" / "policy.toml"
    assert load_policy(example).rule(FindingCode.A2).responsible_exit_days == 120


# --- C1: the decision never depends on destination_country -------------------------------------

_BASE_ORDERS = [
    {"supplier": {"name": "A", "addresses": [{"city": "Urumqi"}]}},
    {
        "supplier": {
            "name": "B",
            "relationships": [
                {
                    "kind": "subsidiary",
                    "supplier": {"name": "S", "addresses": [{"text": "Hotan, Xinjiang"}]},
                }
            ],
        }
    },
    {"supplier": {"name": "C"}, "lines": [{"hs_code": "6109.10"}]},
    {
        "supplier": {"name": "D", "country": "PT"},
        "lines": [{"sku": "X", "inputs": [{"material": "flax", "origin_country": "BE"}]}],
    },
]
NOW = dt.datetime(2026, 11, 25, tzinfo=dt.UTC)


@settings(max_examples=60, deadline=None)
@given(
    order=st.sampled_from(_BASE_ORDERS),
    first=st.sampled_from(sorted(ISO_ALPHA2)),
    second=st.one_of(st.none(), st.sampled_from(sorted(ISO_ALPHA2))),
)
def test_same_order_any_destination_same_decision(
    order: dict[str, Any], first: str, second: str | None
) -> None:
    guard = Guard(clock=lambda: NOW)
    one = guard.check_purchase_order(
        PurchaseOrder.model_validate({**order, "destination_country": first})
    )
    two = guard.check_purchase_order(
        PurchaseOrder.model_validate({**order, "destination_country": second})
    )
    assert one.action == two.action
    assert one.findings == two.findings
    assert one.reasons == two.reasons


def test_a_released_finding_is_explained_but_does_not_set_the_action() -> None:
    released = finding(FindingCode.A1, ["B1"]).model_copy(update={"released_by": "OVR-1"})
    verdict = evaluate([released, finding(FindingCode.A4, ["B4"])], Policy(), today=TODAY)
    assert verdict.action is Action.WARN
    assert verdict.steps == ["B4"]
    assert verdict.reasons[0].startswith("Released by override OVR-1")


# --- Issue 10: no policy file can stop a listed entity from blocking ----------------------------


def test_a_policy_raising_both_thresholds_to_one_is_rejected_naming_the_key() -> None:
    with pytest.raises(PolicyError, match=r"matching\.block_threshold.*must always block"):
        policy_from_mapping({"matching": {"block_threshold": 1.0, "review_threshold": 1.0}})


def test_review_threshold_equal_to_block_is_rejected() -> None:
    with pytest.raises(PolicyError, match=r"review_threshold.*below block_threshold"):
        policy_from_mapping({"matching": {"block_threshold": 0.75, "review_threshold": 0.75}})


def test_under_the_strictest_allowed_thresholds_a_listed_entity_and_its_branch_still_block() -> (
    None
):
    from forced_labour_guard import Supplier
    from forced_labour_guard.policy import MAX_BLOCK_THRESHOLD, MAX_REVIEW_THRESHOLD

    strict = policy_from_mapping(
        {
            "matching": {
                "block_threshold": MAX_BLOCK_THRESHOLD,
                "review_threshold": MAX_REVIEW_THRESHOLD,
            }
        }
    )
    screen = Guard.default(policy=strict).screen_supplier
    listed = "Lop County Hair Product Industrial Park"
    assert screen(Supplier(name=listed.upper())).action is Action.BLOCK
    branch = screen(Supplier(name=f"{listed} Urumqi Branch"))
    assert [f.code for f in branch.findings] == [FindingCode.ENTITY_LIST]
    assert branch.action is Action.BLOCK
    # and a name that is genuinely different is not pulled in by the bound
    assert screen(Supplier(name="Lop Nur Hair Salon GmbH")).action is Action.ALLOW


def test_a_review_threshold_above_the_matchers_caps_is_rejected_so_capped_matches_are_reviewed() -> (
    None
):
    with pytest.raises(PolicyError, match=r"review_threshold.*must always reach a reviewer"):
        policy_from_mapping({"matching": {"block_threshold": 0.9, "review_threshold": 0.88}})


def test_at_the_strictest_thresholds_a_listed_name_from_another_country_still_blocks() -> None:
    from forced_labour_guard import Supplier
    from forced_labour_guard.policy import MAX_BLOCK_THRESHOLD, MAX_REVIEW_THRESHOLD

    strict = policy_from_mapping(
        {
            "matching": {
                "block_threshold": MAX_BLOCK_THRESHOLD,
                "review_threshold": MAX_REVIEW_THRESHOLD,
            }
        }
    )
    screen = Guard.default(policy=strict).screen_supplier
    listed = "Lop County Hair Product Industrial Park"
    decision = screen(Supplier(name=listed, country="DE"))
    assert [f.code for f in decision.findings] == [FindingCode.ENTITY_LIST]
    assert decision.action is Action.BLOCK


def test_at_the_highest_review_threshold_a_slip_in_a_listed_name_is_still_reviewed() -> None:
    from forced_labour_guard import Supplier
    from forced_labour_guard.policy import MAX_BLOCK_THRESHOLD, MAX_REVIEW_THRESHOLD

    strict = policy_from_mapping(
        {
            "matching": {
                "block_threshold": MAX_BLOCK_THRESHOLD,
                "review_threshold": MAX_REVIEW_THRESHOLD,
            }
        }
    )
    decision = Guard.default(policy=strict).screen_supplier(
        Supplier(name="Hetian Haolinn Hair Accessories Co. Ltd.", country="DE")
    )
    assert decision.action is not Action.ALLOW


# --- Issue 9: A4 on the order's own goods blocks; a sourcing report about a supplier warns ---


def _a4(subject: str) -> Finding:
    return Finding(code=FindingCode.A4, subject=subject, detail="d", steps=["B4"], supplier_id="S")


@pytest.mark.parametrize(
    "subject",
    [
        "lines[0].inputs[0].origin_address",
        "lines[0].inputs[0].material",
        "lines[2].description",
        "lines[0].inputs[1].producer.addresses[0]",
    ],
)
def test_a4_on_the_orders_own_goods_blocks_by_default(subject: str) -> None:
    verdict = evaluate([_a4(subject)], Policy(), today=TODAY)
    assert verdict.action is Action.BLOCK
    assert verdict.steps == ["B4"]
    assert verdict.reasons[0].startswith("Blocked:")


@pytest.mark.parametrize(
    "subject", ["supplier.evidence[0]", "lines[0].inputs[0].producer.evidence[1]"]
)
def test_a4_from_a_sourcing_report_stays_a_warning_with_b4(subject: str) -> None:
    verdict = evaluate([_a4(subject)], Policy(), today=TODAY)
    assert verdict.action is Action.WARN
    assert verdict.steps == ["B4"]


def test_a4_on_order_goods_may_be_relaxed_to_warn_but_never_to_allow() -> None:
    relaxed = policy_from_mapping({"a4_on_order_goods": {"action": "warn"}})
    assert evaluate([_a4("lines[0].description")], relaxed, today=TODAY).action is Action.WARN
    with pytest.raises(PolicyError, match=r"a4_on_order_goods.*allow"):
        policy_from_mapping({"a4_on_order_goods": {"action": "allow"}})
    with pytest.raises(PolicyError, match=r"a4_on_order_goods\.responsible_exit_days"):
        policy_from_mapping({"a4_on_order_goods": {"action": "block", "responsible_exit_days": 30}})
