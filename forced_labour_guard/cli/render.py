"""Human-readable rendering of a Decision for the terminal."""

from __future__ import annotations

import textwrap

from forced_labour_guard.model import Decision, Finding
from forced_labour_guard.steps import step

_WIDTH = 100


def _wrap(text: str, indent: str, rest: str | None = None) -> str:
    return textwrap.fill(
        text,
        width=_WIDTH,
        initial_indent=indent,
        subsequent_indent=indent if rest is None else rest,
    )


def _finding(finding: Finding) -> list[str]:
    released = f"  (released by override {finding.released_by})" if finding.released_by else ""
    lines = [f"  [{finding.code.value}] {finding.subject}{released}"]
    lines.append(_wrap(finding.detail, "      "))
    if finding.score is not None:
        lines.append(f"      Match score: {finding.score:.2f}")
    for sid in finding.steps:
        lines.append(_wrap(f"Call to Action {step(sid).sentence()}", "      "))
    for ref in finding.evidence:
        parts = [ref.source]
        if ref.date:
            parts.append(ref.date.isoformat())
        if ref.url:
            parts.append(ref.url)
        lines.append(_wrap("Evidence: " + " | ".join(parts), "      "))
    return lines


def render_decision(decision: Decision) -> str:
    lists = (
        ", ".join(
            f"{v.name} (as of {v.as_of.isoformat() if v.as_of else 'unknown'}"
            f"{'' if v.complete else ', PARTIAL'})"
            for v in decision.list_versions
        )
        or "no watchlist"
    )
    out = [
        f"{decision.subject or 'record'}: {decision.action.value.upper()}",
        f"  screened {decision.screened_at.isoformat(timespec='seconds')} against {lists}; "
        f"policy {decision.policy_version}",
    ]
    if decision.findings:
        out.append("")
        out.append("Findings:")
        for finding in decision.findings:
            out.extend(_finding(finding))
    out.append("")
    out.append("Why:")
    out.extend(_wrap(reason, "  - ", "    ") for reason in decision.reasons)
    if decision.steps:
        out.append("")
        out.append("Call-to-Action steps: " + ", ".join(decision.steps))
    if decision.warnings:
        out.append("")
        out.append("Warnings:")
        out.extend(_wrap(w, "  ! ", "    ") for w in decision.warnings)
    return "\n".join(out)
