"""No internal paths in what the service answers.

The library writes file locations into its sentences on purpose: on the command line, "the
watchlist /srv/flg/lists/company.csv could not be loaded" tells the operator what to fix. Over HTTP
the reader is another system, and the server's directory layout is none of its business; the
operator finds the full sentence in the service's log under the same request id. So every
absolute path in a decision's text is cut down to its last part (``company.csv``).

A path is a slash that starts a word (after a space, a quote, a bracket or the start of the text)
followed by at least two parts; URLs (``https://host/a/b``), dates (``2026/01/02``) and names such
as ``A/S`` are left alone, since their slashes follow a letter, digit or colon.
"""

from __future__ import annotations

import re
from typing import Final

from forced_labour_guard.model import Decision, EvidenceRef, Finding, ListVersion

_ABSOLUTE_PATH: Final = re.compile(r"(?<![\w:/.\-~])(?:~)?/(?:[^\s/'\"(),;]+/)+([^\s/'\"(),;]*)")


def redact_paths(text: str) -> str:
    """``text`` with each absolute path replaced by its last part."""
    return _ABSOLUTE_PATH.sub(lambda match: match.group(1) or "(folder)", text)


def _optional(text: str | None) -> str | None:
    return None if text is None else redact_paths(text)


def _evidence(ref: EvidenceRef) -> EvidenceRef:
    return ref.model_copy(update={"source": redact_paths(ref.source)})


def _finding(finding: Finding) -> Finding:
    return finding.model_copy(
        update={
            "detail": redact_paths(finding.detail),
            "evidence": [_evidence(ref) for ref in finding.evidence],
        }
    )


def _list_version(version: ListVersion) -> ListVersion:
    return version.model_copy(
        update={"source": _optional(version.source), "note": _optional(version.note)}
    )


def redact_decision(decision: Decision) -> Decision:
    """The decision with no absolute path left in its sentences, evidence sources or list notes."""
    return decision.model_copy(
        update={
            "findings": [_finding(f) for f in decision.findings],
            "reasons": [redact_paths(r) for r in decision.reasons],
            "warnings": [redact_paths(w) for w in decision.warnings],
            "list_versions": [_list_version(v) for v in decision.list_versions],
        }
    )
