"""Overrides as pure functions: creating, approving and revoking one, and applying them to a decision.

An override is how a compliance officer releases a block they have checked (a wrong match, a supplier
that has proven its exit). The rules that keep it honest live here, not in a database:

* it releases only findings whose code it names and that fall inside its scope (order, supplier,
  subjects); any other finding on the same order still counts;
* it has an expiry date and no effect after it, nor once revoked;
* releasing A1 or ENTITY_LIST (configurable) needs a second person to approve it first; people are
  told apart by name compared after trimming and case-folding (``same_person``), so "Alice" is
  the same person as " alice" and cannot approve her own override;
* the decision after an override still lists the released finding, marked with the override's id, and
  its reasons say who released it and why.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from forced_labour_guard.errors import InputError, UsageError
from forced_labour_guard.model import Decision, Finding
from forced_labour_guard.policy import Policy, evaluate
from forced_labour_guard.store.audit_model import (
    Approval,
    Override,
    OverrideRequest,
    OverrideRules,
    Revocation,
    same_person,
)


def new_override(
    request: OverrideRequest, *, override_id: str, created_at: dt.datetime, rules: OverrideRules
) -> Override:
    """Check ``request`` against ``rules`` and turn it into a recorded override."""
    created_on = created_at.date()
    if request.expires_on < created_on:
        raise InputError(
            f"{request.expires_on.isoformat()} is already past; an override must expire in the "
            "future",
            path="expires_on",
        )
    latest = created_on + dt.timedelta(days=rules.max_days)
    if request.expires_on > latest:
        raise InputError(
            f"overrides may run at most {rules.max_days} days (until {latest.isoformat()}); "
            "renew it when it ends so that someone looks again",
            path="expires_on",
        )
    return Override(
        **request.model_dump(),
        id=override_id,
        created_at=created_at,
        requires_second_approver=bool(set(request.codes) & rules.second_approver_codes),
    )


def approve(override: Override, *, by: str, at: dt.datetime, note: str | None = None) -> Override:
    """Record a second person's approval; the author cannot approve their own override."""
    by = by.strip()
    if not by:
        raise InputError("the approver's name is empty", path="by")
    if same_person(by, override.created_by):
        raise UsageError(f"{override.id} was created by {by}; a different person must approve it")
    _must_be_open(override, at.date())
    if any(same_person(by, approval.by) for approval in override.approvals):
        raise UsageError(f"{by} has already approved {override.id}")
    approval = Approval(by=by, at=at, note=note)
    return override.model_copy(update={"approvals": [*override.approvals, approval]})


def revoke(override: Override, *, by: str, at: dt.datetime, reason: str) -> Override:
    """End an override before its expiry date."""
    if not by.strip() or not reason.strip():
        raise InputError(
            "a revocation needs who revokes it and why", path="reason" if by.strip() else "by"
        )
    if override.revocation is not None:
        raise UsageError(f"{override.id} was already revoked by {override.revocation.by}")
    revocation = Revocation(by=by.strip(), at=at, reason=reason.strip())
    return override.model_copy(update={"revocation": revocation})


def _must_be_open(override: Override, today: dt.date) -> None:
    status = override.status(today)
    if status in ("revoked", "expired"):
        raise UsageError(f"{override.id} is {status}; create a new override instead")


def apply_overrides(
    decision: Decision,
    overrides: Iterable[Override],
    *,
    today: dt.date,
    po_id: str | None,
    policy: Policy,
    first_seen: Mapping[str, dt.date] | None = None,
) -> Decision:
    """The decision once effective overrides have released the findings they were given for.

    ``po_id`` is the order that was screened (None when a supplier was screened on its own, so
    order-scoped overrides cannot apply). The action, steps and reasons are recomputed by the policy
    from the findings still standing; released findings stay listed with ``released_by`` set.
    """
    effective = sorted(
        (override for override in overrides if override.is_effective(today)),
        key=lambda override: (override.created_at, override.id),
    )
    used: dict[str, Override] = {}
    findings: list[Finding] = []
    for finding in decision.findings:
        if finding.released_by is None:
            match = next((o for o in effective if o.covers(finding, po_id=po_id)), None)
            if match is not None:
                finding = finding.model_copy(update={"released_by": match.id})
                used[match.id] = match
        findings.append(finding)
    if not used:
        return decision
    standing = [finding for finding in findings if finding.released_by is None]
    verdict = evaluate(standing, policy, today=today, first_seen=first_seen)
    released = [
        _release_sentence(finding, used[finding.released_by])
        for finding in findings
        if finding.released_by in used
    ]
    return decision.model_copy(
        update={
            "action": verdict.action,
            "findings": findings,
            "steps": verdict.steps,
            "reasons": [*verdict.reasons, *released],
            "overrides": [*decision.overrides, *(override.ref() for override in used.values())],
        }
    )


def _release_sentence(finding: Finding, override: Override) -> str:
    approvers = override.second_approvers
    approved = f", approved by {', '.join(approvers)}" if approvers else ""
    return (
        f"Released by override {override.id} (by {override.created_by}{approved}, until "
        f"{override.expires_on.isoformat()}): {finding.detail} Reason given: {override.reason}"
    )
