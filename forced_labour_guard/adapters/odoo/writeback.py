"""Putting a decision back into Odoo: a chatter note with the reasons, an activity on warn/block.

What is written is built by pure functions here (the addon uses them too); :class:`OdooWriter` does
the calls. A note carries a *fingerprint* of what the decision says (action, standing and released
findings, steps): when the latest note on the record has the same fingerprint, nothing is posted,
so a nightly run does not bury the chatter under copies of an unchanged result. The fingerprint is
read back from the chatter itself, so it needs no addon and survives a lost local store.

Odoo escapes a plain-text ``body`` posted over the API and wraps it in ``<p>`` (FACTS: [32]), so a
note sent from outside is plain text; the addon posts the HTML rendering with Odoo's ``Markup``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import re
from dataclasses import dataclass
from typing import Any, Literal

from forced_labour_guard.adapters.odoo.client import OdooClient
from forced_labour_guard.model import Action, Decision

FINGERPRINT_LABEL = "Screening fingerprint"
_FINGERPRINT = re.compile(rf"{FINGERPRINT_LABEL}: flg-([0-9a-f]{{16}})")
ACTIVITY_TYPE = "mail.mail_activity_data_todo"
NOTE_SUBTYPE = "mail.mt_note"

WriteOutcome = Literal["posted", "unchanged", "dry-run", "failed"]


def fingerprint(decision: Decision) -> str:
    """16 hex digits that change when what the decision *says* changes, not when it was made."""
    said = {
        "action": decision.action.value,
        "findings": sorted(
            [f.code.value, f.subject, f.supplier_id or "", f.released_by or "", f.detail]
            for f in decision.findings
        ),
        "steps": list(decision.steps),
        "lists": sorted(f"{v.name}@{v.as_of}" for v in decision.list_versions),
    }
    digest = hashlib.sha256(json.dumps(said, sort_keys=True, ensure_ascii=False).encode())
    return digest.hexdigest()[:16]


def fingerprint_in(body: str | None) -> str | None:
    """The fingerprint a posted note carries, whether read back as HTML or as text."""
    found = _FINGERPRINT.findall(html.unescape(body or ""))
    # The note's own fingerprint is its last line; an earlier look-alike can only come from a
    # value quoted in a reason (a vendor named "... Screening fingerprint: flg-..."), and must
    # not be able to pass for it.
    return found[-1] if found else None


_HEADLINE = {
    Action.BLOCK: "BLOCK: do not confirm; the reasons below must be resolved first.",
    Action.WARN: "WARN: confirmation is allowed, but the points below need follow-up.",
    Action.ALLOW: "ALLOW: no link to the Uyghur Region was found.",
}


def note_lines(decision: Decision) -> list[str]:
    """The note as lines of plain text: headline, reasons, steps, lists, warnings, fingerprint."""
    lines = [f"Forced labour screening — {_HEADLINE[decision.action]}"]
    lines += [f"• {reason}" for reason in decision.reasons]
    if decision.steps:
        lines.append(f"Call-to-Action steps: {', '.join(decision.steps)}")
    if decision.list_versions:
        lists = ", ".join(
            f"{v.name} (as of {v.as_of.isoformat() if v.as_of else 'unknown'}"
            f"{', partial' if not v.complete else ''})"
            for v in decision.list_versions
        )
        lines.append(f"Lists used: {lists}")
    lines += [f"Note: {warning}" for warning in decision.warnings]
    lines.append(f"Screened at {decision.screened_at.isoformat(timespec='seconds')}.")
    lines.append(f"{FINGERPRINT_LABEL}: flg-{fingerprint(decision)}")
    return lines


def note_text(decision: Decision) -> str:
    return "\n".join(note_lines(decision))


def note_html(decision: Decision) -> str:
    """The note as escaped HTML paragraphs (for the addon, which may post HTML)."""
    return "".join(f"<p>{html.escape(line)}</p>" for line in note_lines(decision))


def needs_activity(decision: Decision) -> bool:
    return decision.action in (Action.WARN, Action.BLOCK)


def activity_summary(decision: Decision, label: str) -> str:
    verb = "blocked" if decision.action is Action.BLOCK else "needs review"
    return f"Forced labour screening: {label} {verb}"[:120]


@dataclass(frozen=True)
class WriteBack:
    """What was (or, in a dry run, would have been) written to one record."""

    outcome: WriteOutcome
    fingerprint: str
    message_id: int | None = None
    activity_id: int | None = None
    error: str | None = None


class OdooWriter:
    """Posts notes and schedules activities through the client; ``dry_run`` only reads."""

    def __init__(self, client: OdooClient, *, dry_run: bool = False) -> None:
        self.client = client
        self.dry_run = dry_run

    def last_fingerprint(self, model: str, record_id: int) -> str | None:
        """The fingerprint of the latest screening note on the record, if any."""
        rows = self.client.search_read(
            "mail.message",
            [
                ["model", "=", model],
                ["res_id", "=", record_id],
                ["body", "ilike", FINGERPRINT_LABEL],
            ],
            ["body"],
            limit=1,
            order="id desc",
        )
        return fingerprint_in(rows[0].get("body")) if rows else None

    def write(
        self,
        model: str,
        record_id: int,
        decision: Decision,
        *,
        label: str,
        user_id: int | None,
        today: dt.date,
    ) -> WriteBack:
        """Post the decision's note (and an activity on warn/block) unless the last note says
        the same; nothing at all in a dry run."""
        current = fingerprint(decision)
        if self.last_fingerprint(model, record_id) == current:
            return WriteBack("unchanged", current)
        if self.dry_run:
            return WriteBack("dry-run", current)
        posted = self.client.call(
            model,
            "message_post",
            ids=[record_id],
            body=note_text(decision),
            message_type="comment",
            subtype_xmlid=NOTE_SUBTYPE,
        )
        activity = None
        if needs_activity(decision):
            values: dict[str, Any] = {
                "act_type_xmlid": ACTIVITY_TYPE,
                "date_deadline": today.isoformat(),
                "summary": activity_summary(decision, label),
                "note": "\n".join(decision.reasons),
            }
            if user_id is not None:
                values["user_id"] = user_id
            activity = self.client.call(model, "activity_schedule", ids=[record_id], **values)
        return WriteBack("posted", current, _first_id(posted), _first_id(activity))


def _first_id(value: Any) -> int | None:
    if isinstance(value, list) and value and isinstance(value[0], int):
        return int(value[0])
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return None
