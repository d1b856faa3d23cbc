"""Review-level location signs: the locator says how strong a hit is, the detector puts the
locator's confidence in the finding's score, and the policy warns with step A (map and verify)
for an A1, A2 or A4 finding below ``location_review_below`` instead of acting on it."""

from __future__ import annotations

import datetime as dt

import pytest

from forced_labour_guard import Action, FindingCode, Guard, Supplier
from forced_labour_guard.errors import PolicyError
from forced_labour_guard.policy import Policy, policy_from_mapping
from tests.region.region_uscc_check import with_check

NOW = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)
GOOD = with_check("91652901MA776CPL1")
TYPO = GOOD[:-1] + ("1" if GOOD[-1] != "1" else "2")


def screen(supplier: Supplier, policy: Policy | None = None) -> tuple[Action, list[str], list]:
    guard = Guard.default(clock=lambda: NOW)
    if policy is not None:
        guard = Guard(locator=guard.locator, watchlists=guard.watchlists, policy=policy)
    decision = guard.screen_supplier(supplier)
    located = [f for f in decision.findings if f.code is FindingCode.A1]
    return decision.action, decision.steps, located


def test_a_valid_region_code_blocks_with_its_confidence_as_score() -> None:
    action, steps, located = screen(Supplier(name="Cotton Co", registration_id=GOOD))
    assert action is Action.BLOCK and "B1" in steps
    assert located[0].score == 1.0


def test_a_region_code_with_a_bad_check_character_warns_and_asks_to_map() -> None:
    action, steps, located = screen(Supplier(name="Cotton Co", registration_id=TYPO))
    assert action is Action.WARN
    assert steps == ["A"]
    finding = located[0]
    assert finding.score is not None and finding.score < 0.7
    assert finding.steps == ["A"]
    assert "check character" in finding.detail and "652901" in finding.detail
    assert "may be in the Uyghur Region" in finding.detail


def test_a_policy_may_block_on_review_signs_too() -> None:
    strict = policy_from_mapping({"location_review_below": 0})
    action, _, _ = screen(Supplier(name="Cotton Co", registration_id=TYPO), strict)
    assert action is Action.BLOCK


@pytest.mark.parametrize("level", [0.8, 1.0, -0.1])
def test_a_policy_cannot_turn_decisive_locations_into_warnings(level: float) -> None:
    with pytest.raises(PolicyError, match="location_review_below"):
        policy_from_mapping({"location_review_below": level})
