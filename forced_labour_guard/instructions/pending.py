"""Queue suppliers for a B4 instruction when a recorded screening asks for one.

DESIGN's policy table says an A4 finding (inputs from the Uyghur Region) opens a B4 instruction for
that supplier, whether it blocks (the order's own goods) or warns (a sourcing report); findings on input producers that are on a list carry B4 as well. The
Guard stays pure and only names the step; this module is the edge that remembers it. It gives the
audited Guard a callback (``AuditedGuard(guard, store, on_decision=[queue_b4_for(campaigns)])``)
that writes the screened supplier to the campaign tables of the same store file, where
``flg instructions status`` and ``flg instructions pending`` show it until an instruction is sent.

A finding released by an override (a wrong match, a proven exit) does not queue anyone: the
override says there is nothing to instruct the supplier about.
"""

from __future__ import annotations

from collections.abc import Callable

from forced_labour_guard.detectors import today_of
from forced_labour_guard.instructions.campaign_store import CampaignStore
from forced_labour_guard.model import Decision, Finding, Supplier

B4_STEP = "B4"


def b4_findings(decision: Decision) -> list[Finding]:
    """The findings of ``decision`` that ask for a B4 instruction and still count."""
    return [f for f in decision.findings if B4_STEP in f.steps and f.released_by is None]


def queue_b4_for(store: CampaignStore) -> Callable[[Decision, Supplier], None]:
    """A callback for ``AuditedGuard(on_decision=...)`` that queues ``supplier`` in ``store``
    when its decision has B4 findings, dated by the day of the screening. Store errors propagate:
    the audited Guard catches them, logs them and puts a warning on the decision."""

    def queue_for_b4_instruction(decision: Decision, supplier: Supplier) -> None:
        findings = b4_findings(decision)
        if findings:
            store.queue_pending(
                supplier,
                findings,
                on=today_of(decision.screened_at),
                decision_subject=decision.subject,
            )

    return queue_for_b4_instruction
