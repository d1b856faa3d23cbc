"""The policy: how findings become an action (allow / warn / block) and which Call-to-Action steps follow.

The defaults encode the Call to Action:

* A1 and ENTITY_LIST block at once (B1 allows no wind-down); DENIED_ENTRY blocks (C2).
* A2, A3 and NO_B4_ACK block after a responsible-exit window (B2, B3, B5), counted from the day the
  finding was first seen, and warn while the window runs.
* A4 on the order's own goods (a line's input produced in the region: its origin, its material or
  description, its producer's location) blocks: under the UFLPA and the EU regulation those goods are
  presumed made with forced labour wherever they are sent (C1), and the supplier gets a B4
  instruction. A4 from a sourcing report about a supplier warns and opens the B4 instruction.
* POSSIBLE_MATCH and HIGH_RISK_SECTOR warn: somebody must look (A).
* SCREENING_UNAVAILABLE blocks (fail closed); it may be relaxed to warn, never to allow.
* An A1, A2 or A4 location finding from a review-level locator signal (its score, the locator's
  confidence, below ``location_review_below``) warns with step A, map and verify, instead.

A company may tune actions, windows and match thresholds in a policy file (TOML or JSON), within those
limits. The match thresholds are bounded (``MatchingSettings``) so that no file can stop a certain
match of a listed entity from blocking. By C1 ("one global standard") no rule may be scoped to a market or destination: such a file
is rejected. ``evaluate`` is pure: the caller supplies today's date and first-seen dates.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Final

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from forced_labour_guard.errors import InputError, PolicyError, field_path
from forced_labour_guard.lists.watchlist import COUNTRY_CONFLICT, RECORD_FEATURES
from forced_labour_guard.matching.score import BRANCH_SCORE, SLIP_SCORE_CAP
from forced_labour_guard.model import Action, Finding, FindingCode
from forced_labour_guard.records import loads_strict
from forced_labour_guard.steps import ordered, step

# Codes whose disengagement follows a responsible-exit plan (B2, B3, B5 concern suppliers outside
# the region). Every other code acts at once.
RESPONSIBLE_EXIT_CODES: Final = frozenset({FindingCode.A2, FindingCode.A3, FindingCode.NO_B4_ACK})
# Codes that can never be relaxed below block: B1 (located in the region or listed) and C2.
ALWAYS_BLOCK_CODES: Final = frozenset(
    {FindingCode.A1, FindingCode.ENTITY_LIST, FindingCode.DENIED_ENTRY}
)
_WHY_ALWAYS_BLOCK: Final = {
    FindingCode.A1: "B1 requires disengaging immediately from suppliers located in the region",
    FindingCode.ENTITY_LIST: "B1 requires disengaging immediately from listed entities",
    FindingCode.DENIED_ENTRY: "C2 forbids re-exporting goods denied US entry",
}
# Location findings: a locator's review-level hit (its confidence below the policy's
# location_review_below) warns with step A, map and verify, instead of acting as a location.
LOCATION_CODES: Final = frozenset({FindingCode.A1, FindingCode.A2, FindingCode.A4})
REVIEW_LEVEL_CAP: Final = 0.7
"""The lowest confidence of a decisive locator signal (a postal code with no country): a policy may
lower ``location_review_below`` (to block on review signals too), never raise it above this."""
# Words that reveal a rule scoped to a market, which C1 forbids.
_MARKET_WORDS: Final = ("market", "destination", "country", "countries", "jurisdiction", "import")


class Rule(BaseModel):
    """What to do about one finding code."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    action: Action
    responsible_exit_days: int | None = Field(
        default=None,
        ge=0,
        le=730,
        description="Warn for this many days after the finding was first seen, then apply `action`.",
    )


DEFAULT_RULES: Final[dict[FindingCode, Rule]] = {
    FindingCode.A1: Rule(action=Action.BLOCK),
    FindingCode.ENTITY_LIST: Rule(action=Action.BLOCK),
    FindingCode.A2: Rule(action=Action.BLOCK, responsible_exit_days=90),
    FindingCode.A3: Rule(action=Action.BLOCK, responsible_exit_days=90),
    FindingCode.A4: Rule(action=Action.WARN),
    FindingCode.NO_B4_ACK: Rule(action=Action.BLOCK, responsible_exit_days=90),
    FindingCode.POSSIBLE_MATCH: Rule(action=Action.WARN),
    FindingCode.HIGH_RISK_SECTOR: Rule(action=Action.WARN),
    FindingCode.DENIED_ENTRY: Rule(action=Action.BLOCK),
    FindingCode.SCREENING_UNAVAILABLE: Rule(action=Action.BLOCK),
}


A4_ORDER_GOODS_RULE: Final = Rule(action=Action.BLOCK)
"""A4 on the order's own goods: the goods are presumed made with forced labour (UFLPA, EU FLR)."""

CERTAIN_MATCH_SCORES: Final[dict[str, float]] = {
    "a registration number the list gives for the entry": 1.0,
    "the listed name or alias, once case, punctuation, word order and legal forms are set aside": 1.0,
    "the listed name plus only a place or branch word (a branch is the same legal person)": (
        BRANCH_SCORE
    ),
    "the listed name itself, from a record that gives another country": (
        1.0 * (COUNTRY_CONFLICT.factor or 1.0)
    ),
}
"""The matches a watchlist reports as the listed entity itself, and the lowest score each can get.

The block threshold may never rise above the lowest of them: a policy file must not be able to turn
a listed company (or its branch) into an ``allow``. A match with a conflicting registration number
or country is deliberately scored lower (``lists.watchlist``) and goes to a reviewer instead."""
MAX_BLOCK_THRESHOLD: Final = min(CERTAIN_MATCH_SCORES.values())

REVIEW_CAPS: Final[dict[str, float]] = {
    "a listed name matched only through a slip in its own word": SLIP_SCORE_CAP,
    **{
        f"record feature '{feature.name}'": feature.cap
        for feature in RECORD_FEATURES
        if feature.cap is not None
    },
}
"""Scores that the matcher caps on purpose, so that a reviewer decides."""
MAX_REVIEW_THRESHOLD: Final = round(
    min(REVIEW_CAPS.values())
    * math.prod(f.factor for f in RECORD_FEATURES if f.factor is not None),
    4,
)
"""The lowest score a capped match can reach once the record features' factors apply on top (a
slip in a listed name, from a record that gives another country): the review threshold may never
rise above it, or a capped match of a listed entity would come out ``allow``."""


class MatchingSettings(BaseModel):
    """Name-match score thresholds: >= block -> ENTITY_LIST, >= review -> POSSIBLE_MATCH.

    Bounds: ``block_threshold`` at most ``MAX_BLOCK_THRESHOLD`` (every certain match blocks), and
    ``review_threshold`` at most ``MAX_REVIEW_THRESHOLD`` and strictly below the block threshold
    (a capped or near match is always reviewed, never silently passed)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    block_threshold: float = Field(default=0.90, gt=0, le=1)
    review_threshold: float = Field(default=0.70, gt=0, le=1)

    @field_validator("block_threshold")
    @classmethod
    def _certain_matches_block(cls, value: float) -> float:
        if value > MAX_BLOCK_THRESHOLD:
            certain = "; ".join(
                f"{what}: {score:.2f}" for what, score in CERTAIN_MATCH_SCORES.items()
            )
            raise ValueError(
                f"{value} is above {MAX_BLOCK_THRESHOLD:.2f}: a listed entity matched with "
                f"certainty must always block (B1), and these matches score as low as: {certain}"
            )
        return value

    @field_validator("review_threshold")
    @classmethod
    def _capped_matches_are_reviewed(cls, value: float) -> float:
        if value > MAX_REVIEW_THRESHOLD:
            capped = "; ".join(f"{what}: {cap:.2f}" for what, cap in REVIEW_CAPS.items())
            raise ValueError(
                f"{value} is above {MAX_REVIEW_THRESHOLD:.2f}: a possible match of a listed "
                f"entity must always reach a reviewer, and these matches are capped at: {capped}"
            )
        return value

    @model_validator(mode="after")
    def _review_below_block(self) -> MatchingSettings:
        if self.review_threshold >= self.block_threshold:
            raise ValueError(
                f"review_threshold ({self.review_threshold}) must be below block_threshold "
                f"({self.block_threshold}), so a near miss goes to a reviewer instead of passing"
            )
        return self


class Policy(BaseModel):
    """Every tunable of the decision in one typed place; see the module docstring for the limits."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: str = Field(default="default", description="Recorded with every decision.")
    rules: dict[FindingCode, Rule] = Field(default_factory=lambda: dict(DEFAULT_RULES))
    matching: MatchingSettings = Field(default_factory=MatchingSettings)
    a4_on_order_goods: Rule = Field(
        default=A4_ORDER_GOODS_RULE,
        description=(
            "What to do about A4 when it concerns the order's own goods (an input of a line "
            "produced in the region), as against A4 from a sourcing report (rules.A4)."
        ),
    )
    max_relationship_depth: int = Field(
        default=10,
        ge=1,
        le=50,
        description="Tiers of relationships walked; anything deeper is reported, not ignored.",
    )
    location_review_below: float = Field(
        default=REVIEW_LEVEL_CAP,
        ge=0,
        le=REVIEW_LEVEL_CAP,
        description="An A1, A2 or A4 location finding whose locator confidence (its score) is "
        "below this warns with step A (map and verify) instead of acting; 0 makes them all act.",
    )

    @model_validator(mode="before")
    @classmethod
    def _merge_with_defaults(cls, data: Any) -> Any:
        """A policy file names only the rules it changes; the rest keep their defaults."""
        if isinstance(data, dict) and isinstance(data.get("rules"), dict):
            merged: dict[Any, Any] = {code.value: rule for code, rule in DEFAULT_RULES.items()}
            merged.update(data["rules"])
            data = {**data, "rules": merged}
        return data

    @model_validator(mode="after")
    def _respect_the_call_to_action(self) -> Policy:
        for code, rule in self.rules.items():
            if code in ALWAYS_BLOCK_CODES and rule.action is not Action.BLOCK:
                raise ValueError(
                    f"rules.{code.value}.action must be 'block': {_WHY_ALWAYS_BLOCK[code]}"
                )
            if rule.responsible_exit_days is not None and code not in RESPONSIBLE_EXIT_CODES:
                raise ValueError(
                    f"rules.{code.value}.responsible_exit_days is not allowed: only A2, A3 and "
                    "NO_B4_ACK (B2, B3, B5) have a responsible-exit window; B1 is immediate"
                )
            if rule.action is Action.ALLOW:
                raise ValueError(
                    f"rules.{code.value}.action cannot be 'allow': every finding needs at least a "
                    "warning (a finding that is wrong is released by an override, not by policy)"
                )
        goods = self.a4_on_order_goods
        if goods.action is Action.ALLOW:
            raise ValueError(
                "a4_on_order_goods.action cannot be 'allow': goods with an input produced in the "
                "region are presumed made with forced labour"
            )
        if goods.responsible_exit_days is not None:
            raise ValueError(
                "a4_on_order_goods.responsible_exit_days is not allowed: the goods of this order "
                "are presumed forced-labour goods now, not after a wind-down"
            )
        return self

    def rule(self, code: FindingCode) -> Rule:
        return self.rules.get(code, DEFAULT_RULES[code])

    def rule_for(self, finding: Finding) -> Rule:
        """The rule for one finding: A4 about the order's own goods has its own (block)."""
        if is_order_goods_a4(finding):
            return self.a4_on_order_goods
        return self.rule(finding.code)


def is_order_goods_a4(finding: Finding) -> bool:
    """A4 about an input of the order's own lines (its origin, material, description or producer's
    location), not a sourcing report about a company (a path ending in ``.evidence[n]``)."""
    return (
        finding.code is FindingCode.A4
        and finding.subject.startswith("lines[")
        and ".evidence[" not in finding.subject
    )


def _market_scoped_keys(data: Any, path: str = "") -> list[str]:
    """Paths of keys that scope something to a market or destination (forbidden by C1)."""
    found: list[str] = []
    if isinstance(data, dict):
        for key, value in data.items():
            here = f"{path}.{key}" if path else str(key)
            if any(word in str(key).lower() for word in _MARKET_WORDS):
                found.append(here)
            found.extend(_market_scoped_keys(value, here))
    elif isinstance(data, list):
        for index, item in enumerate(data):
            found.extend(_market_scoped_keys(item, f"{path}[{index}]"))
    return found


def policy_from_mapping(data: Mapping[str, Any], *, source: str = "policy") -> Policy:
    """Validate a parsed policy document; errors name the offending key and cite the rule broken."""
    scoped = _market_scoped_keys(dict(data))
    if scoped:
        raise PolicyError(
            f"{source}: {', '.join(scoped)}: rules cannot be scoped to a market or destination. "
            "Call to Action C1 requires one global standard for every market, with no bifurcated "
            "supply chains, so the same order gets the same decision wherever it ships."
        )
    try:
        return Policy.model_validate(dict(data))
    except ValidationError as error:
        problems = []
        for item in error.errors():
            where = field_path(item["loc"])
            message = str(item["msg"]).removeprefix("Value error, ")
            problems.append(f"{where}: {message}" if where else message)
        raise PolicyError(f"{source}: " + "; ".join(problems)) from None


def load_policy(path: str | Path) -> Policy:
    """Read a policy file (``.toml`` or ``.json``). This is the edge: the engine never reads files."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as error:
        raise PolicyError(f"{file}: cannot read policy file ({error.strerror})") from None
    except UnicodeDecodeError as error:
        raise PolicyError(f"{file}: not UTF-8 text (byte {error.start})") from None
    try:
        if file.suffix.lower() == ".json":
            data = loads_strict(text, source=str(file))
        else:
            data = tomllib.loads(text)  # TOML itself refuses a key defined twice
    except InputError as error:
        raise PolicyError(str(error)) from None
    except (json.JSONDecodeError, tomllib.TOMLDecodeError) as error:
        raise PolicyError(
            f"{file}: not valid {file.suffix.lstrip('.') or 'TOML'}: {error}"
        ) from None
    if not isinstance(data, dict):
        raise PolicyError(f"{file}: a policy must be an object of settings")
    return policy_from_mapping(data, source=str(file))


# --------------------------------------------------------------------------------------------
# Evaluation
# --------------------------------------------------------------------------------------------


class Verdict(BaseModel):
    """The policy's part of a Decision."""

    model_config = ConfigDict(frozen=True)

    action: Action
    steps: list[str]
    reasons: list[str]


def _needs_review(finding: Finding, policy: Policy) -> bool:
    """A location finding from a review-level locator signal (see ``location_review_below``)."""
    return (
        finding.code in LOCATION_CODES
        and finding.score is not None
        and finding.score < policy.location_review_below
    )


def finding_action(
    finding: Finding,
    policy: Policy,
    *,
    today: dt.date,
    first_seen: Mapping[str, dt.date],
) -> tuple[Action, str]:
    """The action one finding calls for, and the sentence that explains it."""
    if _needs_review(finding, policy):
        return Action.WARN, (
            f"Needs review: {finding.detail} The locator's confidence ({finding.score:.2f}) is "
            f"below the policy's review level ({policy.location_review_below:.2f}), so this is not "
            f"acted on as a location until a person has checked it. Call to Action "
            f"{step('A').sentence()}"
        )
    rule = policy.rule_for(finding)
    steps_text = " ".join(step(sid).sentence() for sid in finding.steps) or (
        "(none): repair the screening, then screen again."
    )
    if rule.responsible_exit_days is None or rule.action is not Action.BLOCK:
        verb = "Blocked" if rule.action is Action.BLOCK else "Needs attention"
        return rule.action, f"{verb}: {finding.detail} Call to Action {steps_text}"
    seen = min(first_seen.get(finding.key, today), today)
    window_ends = seen + dt.timedelta(days=rule.responsible_exit_days)
    if today < window_ends:
        return Action.WARN, (
            f"Responsible exit under way: {finding.detail} First seen {seen.isoformat()}; orders are "
            f"allowed with a warning until the exit window ends on {window_ends.isoformat()}, and "
            f"blocked from then on. Call to Action {steps_text}"
        )
    return Action.BLOCK, (
        f"Blocked: {finding.detail} First seen {seen.isoformat()}; the responsible-exit window ended "
        f"on {window_ends.isoformat()}. Call to Action {steps_text}"
    )


def evaluate(
    findings: Iterable[Finding],
    policy: Policy,
    *,
    today: dt.date,
    first_seen: Mapping[str, dt.date] | None = None,
) -> Verdict:
    """Turn findings into one action: the most severe any finding calls for.

    A finding released by an override (``released_by`` set) stays listed and explained, but no
    longer sets the action or adds steps."""
    seen = first_seen or {}
    action = Action.ALLOW
    reasons: list[str] = []
    step_ids: set[str] = set()
    for finding in findings:
        if finding.released_by is not None:
            reasons.append(
                f"Released by override {finding.released_by}: {finding.detail} It no longer "
                "sets the action while the override is in force."
            )
            continue
        finding_verdict, reason = finding_action(finding, policy, today=today, first_seen=seen)
        if finding_verdict.severity > action.severity:
            action = finding_verdict
        reasons.append(reason)
        step_ids.update(["A"] if _needs_review(finding, policy) else finding.steps)
    return Verdict(action=action, steps=ordered(step_ids), reasons=reasons)
