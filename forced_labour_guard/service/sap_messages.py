"""A Decision as messages an ABAP program consumes without a JSON mapper of its own.

The shape follows SAP's BAPIRET2 structure, which every ABAP developer already handles: ``type``
(E error, W warning, I information), ``id`` (message class), ``number`` (three digits),
``message`` (at most 220 characters, BAPIRET2's length) and ``message_v1`` .. ``message_v4`` (at
most 50 characters each, BAPIRET2's length for the variables). One message per finding, the most
severe first; then one information message per warning on the decision (a partial or stale list).

A finding's type is what that finding alone calls for under the policy at the time of screening:
E when it blocks, W when it warns (review, or a responsible-exit window still running), I when an
override released it. An ``allow`` without findings gets one I message saying what was checked.

Message numbers are stable (ABAP code may branch on them), one per finding code:

=====  =========================  =====  ==========================
 001   A1                          010   ENTITY_LIST
 002   A2                          011   POSSIBLE_MATCH
 003   A3                          020   HIGH_RISK_SECTOR
 004   A4                          030   NO_B4_ACK
 040   DENIED_ENTRY                090   SCREENING_UNAVAILABLE
 000   no link found (allow)       900   a warning about the screening
=====  =========================  =====  ==========================

The message class ``ZFLG`` is in the customer namespace; an ABAP system that wants long texts in
SE91 creates that class with these numbers (see ``docs/service.md``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Final, Literal

from pydantic import BaseModel, ConfigDict, Field

from forced_labour_guard.detectors import today_of
from forced_labour_guard.guard import Guard
from forced_labour_guard.model import Action, Decision, Finding, FindingCode, Supplier
from forced_labour_guard.policy import Policy, finding_action

MESSAGE_CLASS: Final = "ZFLG"
MESSAGE_LENGTH: Final = 220
VARIABLE_LENGTH: Final = 50
NUMBERS: Final[Mapping[FindingCode, str]] = {
    FindingCode.A1: "001",
    FindingCode.A2: "002",
    FindingCode.A3: "003",
    FindingCode.A4: "004",
    FindingCode.ENTITY_LIST: "010",
    FindingCode.POSSIBLE_MATCH: "011",
    FindingCode.HIGH_RISK_SECTOR: "020",
    FindingCode.NO_B4_ACK: "030",
    FindingCode.DENIED_ENTRY: "040",
    FindingCode.SCREENING_UNAVAILABLE: "090",
}
ALLOW_NUMBER: Final = "000"
WARNING_NUMBER: Final = "900"

MessageType = Literal["E", "W", "I"]
_TYPE_OF: Final[Mapping[Action, MessageType]] = {
    Action.BLOCK: "E",
    Action.WARN: "W",
    Action.ALLOW: "I",
}
_ORDER: Final[Mapping[str, int]] = {"E": 0, "W": 1, "I": 2}


class SapMessage(BaseModel):
    """One BAPIRET2-like line."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: MessageType = Field(description="E: blocks; W: warns; I: information.")
    id: str = Field(description="Message class.")
    number: str = Field(pattern=r"^[0-9]{3}$", description="Message number in the class.")
    message: str = Field(max_length=MESSAGE_LENGTH)
    message_v1: str = Field(default="", max_length=VARIABLE_LENGTH, description="Finding code.")
    message_v2: str = Field(default="", max_length=VARIABLE_LENGTH, description="Subject path.")
    message_v3: str = Field(default="", max_length=VARIABLE_LENGTH, description="Steps.")
    message_v4: str = Field(default="", max_length=VARIABLE_LENGTH, description="Supplier key.")


class SapCheckResponse(BaseModel):
    """What ``POST /v1/sap/purchase-orders/check`` answers."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    action: Action
    messages: list[SapMessage]
    decision: Decision


def clip(text: str, limit: int) -> str:
    """``text`` within ``limit`` characters, marked with an ellipsis when cut."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def finding_actions(
    guard: Guard,
    supplier: Supplier,
    decision: Decision,
    stored_first_seen: Mapping[str, dt.date],
) -> list[Action]:
    """What each finding of ``decision`` calls for on its own, with the first-seen dates the
    decision was made with (the store's, merged with the B4 provider's, as the Guard merges them)."""
    today = today_of(decision.screened_at)
    dates = guard.first_seen_dates(supplier, today, stored_first_seen)
    return [_finding_action(f, guard.policy, today, dates) for f in decision.findings]


def _finding_action(
    finding: Finding, policy: Policy, today: dt.date, dates: Mapping[str, dt.date]
) -> Action:
    if finding.released_by is not None:
        return Action.ALLOW
    action, _ = finding_action(finding, policy, today=today, first_seen=dates)
    return action


def severest_rule_actions(decision: Decision, policy: Policy) -> list[Action]:
    """Each finding's action from its rule alone, for when first-seen dates cannot be read (the
    store failed): an exit window is then taken as over, which never shows a block as a warning."""
    return [
        Action.ALLOW if f.released_by is not None else policy.rule(f.code).action
        for f in decision.findings
    ]


def _finding_message(finding: Finding, action: Action) -> SapMessage:
    released = f" Released by override {finding.released_by}." if finding.released_by else ""
    return SapMessage(
        type=_TYPE_OF[action],
        id=MESSAGE_CLASS,
        number=NUMBERS[finding.code],
        message=clip(f"{finding.code.value}: {finding.detail}{released}", MESSAGE_LENGTH),
        message_v1=finding.code.value,
        message_v2=clip(finding.subject, VARIABLE_LENGTH),
        message_v3=clip(" ".join(finding.steps), VARIABLE_LENGTH),
        message_v4=clip(finding.supplier_id or "", VARIABLE_LENGTH),
    )


def sap_messages(decision: Decision, actions: Sequence[Action]) -> list[SapMessage]:
    """The decision's messages, most severe first (findings in their own order within a type)."""
    findings = [
        _finding_message(finding, action)
        for finding, action in zip(decision.findings, actions, strict=True)
    ]
    findings.sort(key=lambda message: _ORDER[message.type])
    if not findings:
        reason = decision.reasons[0] if decision.reasons else "No link to the region was found."
        findings.append(
            SapMessage(
                type="I",
                id=MESSAGE_CLASS,
                number=ALLOW_NUMBER,
                message=clip(reason, MESSAGE_LENGTH),
                message_v1=decision.action.value,
            )
        )
    notes = [
        SapMessage(
            type="I",
            id=MESSAGE_CLASS,
            number=WARNING_NUMBER,
            message=clip(warning, MESSAGE_LENGTH),
        )
        for warning in decision.warnings
    ]
    return [*findings, *notes]


def sap_response(decision: Decision, actions: Sequence[Action]) -> SapCheckResponse:
    return SapCheckResponse(
        action=decision.action, messages=sap_messages(decision, actions), decision=decision
    )
