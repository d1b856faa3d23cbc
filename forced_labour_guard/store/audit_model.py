"""What the store keeps: audit entries, overrides and the verdict of a chain check.

These are plain, frozen records shared by every store backend (SQLite and PostgreSQL), so the
code that hashes, verifies, exports and applies them never needs to know where they were kept.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from forced_labour_guard.model import Action, Decision, Finding, FindingCode, OverrideRef

EvidenceKind = Literal[
    "campaign_settings",
    "instruction_issued",
    "instruction_sent",
    "reminder_sent",
    "instruction_overdue",
    "acknowledgement",
    "acknowledgement_review",
]
"""B5 evidence from the campaign tables, each entry holding the changed rows (``store.evidence``)."""
EntryKind = Literal[
    "decision", "override", "override_approval", "override_revocation", EvidenceKind
]
RecordKind = Literal["purchase_order", "supplier"]
NonEmptyStr = Annotated[str, Field(min_length=1)]


def same_person(first: str, second: str) -> bool:
    """Whether two names given for approvers are one identity: compared after trimming and
    case-folding, so "Alice" cannot approve " alice"'s override (the four-eyes rule)."""
    return first.strip().casefold() == second.strip().casefold()


GENESIS_HASH = "0" * 64
"""The ``prev_hash`` of the first entry: a chain always starts from the same known value."""


class AuditEntry(BaseModel):
    """One link of the audit chain, exactly as it was hashed.

    ``content`` is the canonical JSON body (a decision, an override, an approval or a revocation) kept
    as text, so that verification rehashes the very bytes that were written.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    seq: int = Field(ge=1)
    recorded_at: dt.datetime
    kind: EntryKind
    record_kind: RecordKind | None = None
    record_id: str | None = None
    record_hash: str | None = None
    supplier_id: str | None = None
    action: Action | None = None
    content: str
    prev_hash: str
    entry_hash: str

    def body(self) -> dict[str, Any]:
        parsed: dict[str, Any] = json.loads(self.content)
        return parsed

    def decision(self) -> Decision | None:
        """The Decision recorded by a ``decision`` entry; None for other kinds."""
        if self.kind != "decision":
            return None
        return Decision.model_validate(self.body()["decision"])


class ChainBreak(BaseModel):
    """The first place where the chain does not hold, and why, in a sentence."""

    model_config = ConfigDict(frozen=True)

    seq: int
    reason: str


class VerifyReport(BaseModel):
    """The result of walking the chain: how far it holds and where it first breaks."""

    model_config = ConfigDict(frozen=True)

    entries: int = Field(description="Entries checked.")
    head_hash: str = Field(description="Hash of the last entry checked (genesis if none).")
    first_break: ChainBreak | None = None
    problems: list[str] = Field(
        default_factory=list,
        description="Inconsistencies outside the chain itself, e.g. an override table edited.",
    )

    @property
    def ok(self) -> bool:
        return self.first_break is None and not self.problems


class OverrideRules(BaseModel):
    """Limits on overrides. Defaults: A1 and ENTITY_LIST releases need a second person; at most a year."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    second_approver_codes: frozenset[FindingCode] = Field(
        default=frozenset({FindingCode.A1, FindingCode.ENTITY_LIST}),
        description="Codes whose release needs approval by someone other than its author.",
    )
    max_days: int = Field(
        default=366, ge=1, le=3660, description="Longest an override may run, from its creation."
    )


class OverrideRequest(BaseModel):
    """What a compliance officer asks for: release these finding codes, in this scope, until then.

    The scope is a purchase order (``po_id``), a supplier (``supplier_id``) or both (that supplier's
    findings on that order). ``subjects`` narrows it further to named finding subjects. A finding is
    released only if its code is listed and it falls inside every scope field that is set.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    po_id: str | None = None
    supplier_id: str | None = None
    codes: list[FindingCode] = Field(min_length=1)
    subjects: list[NonEmptyStr] = Field(default_factory=list)
    reason: NonEmptyStr
    created_by: NonEmptyStr
    expires_on: dt.date

    @field_validator("codes")
    @classmethod
    def _no_fail_closed_release(cls, codes: list[FindingCode]) -> list[FindingCode]:
        if FindingCode.SCREENING_UNAVAILABLE in codes:
            raise ValueError(
                "SCREENING_UNAVAILABLE cannot be overridden: the screen did not run, so there is "
                "nothing to release; repair the screening and screen again"
            )
        return sorted(set(codes), key=list(FindingCode).index)

    @model_validator(mode="after")
    def _has_scope(self) -> OverrideRequest:
        if not (self.po_id or self.supplier_id):
            raise ValueError("an override needs a scope: po_id, supplier_id or both")
        return self


class Approval(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    by: str
    at: dt.datetime
    note: str | None = None


class Revocation(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    by: str
    at: dt.datetime
    reason: str


OverrideStatus = Literal["active", "pending_approval", "expired", "revoked"]


class Override(OverrideRequest):
    """An override as recorded: the request plus its id, time, approvals and any revocation."""

    id: str
    created_at: dt.datetime
    requires_second_approver: bool
    approvals: list[Approval] = Field(default_factory=list)
    revocation: Revocation | None = None

    @property
    def second_approvers(self) -> list[str]:
        """Approvers other than the author, each identity once (see ``same_person``); an approval
        recorded by the author under another spelling does not count."""
        found: list[str] = []
        for approval in self.approvals:
            if same_person(approval.by, self.created_by):
                continue
            if not any(same_person(approval.by, known) for known in found):
                found.append(approval.by)
        return found

    def status(self, today: dt.date) -> OverrideStatus:
        if self.revocation is not None:
            return "revoked"
        if today > self.expires_on:
            return "expired"
        if self.requires_second_approver and not self.second_approvers:
            return "pending_approval"
        return "active"

    def is_effective(self, today: dt.date) -> bool:
        return self.status(today) == "active"

    def covers(self, finding: Finding, *, po_id: str | None) -> bool:
        """Whether this override was given for ``finding`` (found on order ``po_id``, if any)."""
        if finding.code not in self.codes:
            return False
        if self.po_id is not None and self.po_id != po_id:
            return False
        if self.supplier_id is not None and self.supplier_id != finding.supplier_id:
            return False
        return not self.subjects or finding.subject in self.subjects

    def ref(self) -> OverrideRef:
        return OverrideRef(
            id=self.id,
            codes=list(self.codes),
            reason=self.reason,
            created_by=self.created_by,
            approved_by=self.second_approvers,
            expires_on=self.expires_on,
        )
