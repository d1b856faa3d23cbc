"""The answer when the service itself cannot screen: a block, with SCREENING_UNAVAILABLE.

The Guard already fails closed for what it knows about (a list that did not load, a store that
failed, an internal error inside screening); its policy decides whether those block or warn. This
module covers what happens around the Guard: the time limit ran out, the Guard could not be built
at start-up, or an error escaped it. No screening ran at all then, so the answer always blocks,
whatever the policy says: an ERP must never read "the service broke" as "go ahead".
"""

from __future__ import annotations

import datetime as dt

from forced_labour_guard.model import Action, Decision, Finding, FindingCode, ListVersion

SUBJECT = "decision service"


def unavailable_decision(
    why: str,
    *,
    subject: str | None,
    supplier_id: str | None,
    list_versions: list[ListVersion] | None = None,
    policy_version: str | None = None,
) -> Decision:
    """A block whose one finding says why the service could not screen ``subject``."""
    finding = Finding(
        code=FindingCode.SCREENING_UNAVAILABLE,
        subject=SUBJECT,
        detail=(
            f"The decision service could not screen this record: {why}. Treat it as blocked and "
            "send it again; nothing may be cleared until a screening has run."
        ),
        supplier_id=supplier_id,
    )
    return Decision(
        action=Action.BLOCK,
        findings=[finding],
        steps=[],
        reasons=[f"Blocked: {finding.detail}"],
        screened_at=dt.datetime.now(dt.UTC),
        list_versions=list_versions or [],
        subject=subject,
        policy_version=policy_version,
    )


def is_unavailable(decision: Decision) -> bool:
    """True when a SCREENING_UNAVAILABLE finding still counts (not released by an override)."""
    return any(
        f.code is FindingCode.SCREENING_UNAVAILABLE and f.released_by is None
        for f in decision.findings
    )
