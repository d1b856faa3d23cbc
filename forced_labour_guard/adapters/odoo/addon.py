"""Everything the Odoo addon ``purchase_forced_labour_guard`` decides, as plain functions.

The addon (``adapters/odoo/purchase_forced_labour_guard``) only reads records, calls these, and
writes what they return; so every rule is here, tested with recorded record dictionaries, and the
addon stays a thin layer that cannot drift from the library:

* :class:`AddonSettings` reads the system parameters (``flg.*``) and builds the Guard, recording
  every decision in the store when one is configured (as ``flg --store`` does);
* :func:`confirmation_error` is what Odoo's ``_confirmation_error_message()`` returns: the reasons
  for a block (Odoo then refuses the confirmation), nothing otherwise;
* :func:`decision_values` are the values of the decision fields shown on the order and the vendor;
* :func:`override_request` / :func:`request_override` / :func:`approve_override` go through the
  library's store, which enforces expiry and the second approver for A1 and listed entities;
* :class:`OdooMail` delivers a B4 instruction through Odoo's own mail, rendered by the library's
  campaign from its letter text; :func:`record_acknowledgement` records the supplier's answer.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from forced_labour_guard.adapters.odoo.writeback import fingerprint, note_html
from forced_labour_guard.denied_entry import load_denied_entry
from forced_labour_guard.errors import InputError, first_problem
from forced_labour_guard.guard import Guard
from forced_labour_guard.instructions.campaign import Campaign, SendResult
from forced_labour_guard.instructions.campaign_store import CampaignStore, ProofFile
from forced_labour_guard.instructions.model import (
    Acknowledgement,
    CampaignSettings,
    Company,
    ProofKind,
    Recipient,
)
from forced_labour_guard.instructions.pending import queue_b4_for
from forced_labour_guard.instructions.provider import provider_for_store
from forced_labour_guard.instructions.smtp import DeliveryError
from forced_labour_guard.instructions.templates import available_languages
from forced_labour_guard.lists.refresh import (
    UFLPA_SOURCE,
    Fetcher,
    ListSource,
    UpdateRefused,
    default_lists_dir,
    update_list,
)
from forced_labour_guard.lists.setup import StoredLists
from forced_labour_guard.lists.status import DEFAULT_MAX_AGE_DAYS
from forced_labour_guard.model import Action, Decision, Finding, FindingCode, Supplier, supplier_key
from forced_labour_guard.policy import Policy, evaluate, load_policy
from forced_labour_guard.store import Override, OverrideRequest, open_store, sqlite_path
from forced_labour_guard.store.audited import AuditedGuard

PARAMETERS = {
    "flg.store": "audit store (SQLite file) for decisions, overrides and B4 campaigns",
    "flg.policy": "policy file (.toml or .json); empty: the default policy",
    "flg.lists_dir": "folder where 'flg lists update' keeps refreshed lists",
    "flg.lists": "extra watchlist files, separated by commas",
    "flg.max_list_age": f"days before a list counts as stale (default {DEFAULT_MAX_AGE_DAYS})",
    "flg.denied_entry": "register of goods denied US entry (C2), CSV or JSON",
    "flg.campaign": "name of the B4 instruction campaign (default 'odoo-b4')",
}
"""The system parameters (Settings > Technical > System Parameters) the addon reads."""

DEFAULT_CAMPAIGN = "odoo-b4"


@dataclass(frozen=True)
class AddonSettings:
    """The addon's configuration, from Odoo system parameters."""

    store: str | None = None
    policy: str | None = None
    lists_dir: str | None = None
    lists: tuple[str, ...] = ()
    max_list_age: int = DEFAULT_MAX_AGE_DAYS
    denied_entry: str | None = None
    campaign: str = DEFAULT_CAMPAIGN

    @classmethod
    def from_parameters(cls, get: Callable[[str], str | bool | None]) -> AddonSettings:
        """``get`` is ``env["ir.config_parameter"].sudo().get_param``; unset reads as False."""

        def text(key: str) -> str | None:
            value = get(key)
            return value.strip() if isinstance(value, str) and value.strip() else None

        age = text("flg.max_list_age")
        try:
            max_age = int(age) if age else DEFAULT_MAX_AGE_DAYS
        except ValueError:
            raise InputError(f"{age!r} is not a number of days", path="flg.max_list_age") from None
        return cls(
            store=text("flg.store"),
            policy=text("flg.policy"),
            lists_dir=text("flg.lists_dir"),
            lists=tuple(p.strip() for p in (text("flg.lists") or "").split(",") if p.strip()),
            max_list_age=max_age,
            denied_entry=text("flg.denied_entry"),
            campaign=text("flg.campaign") or DEFAULT_CAMPAIGN,
        )

    @contextmanager
    def open_guard(self) -> Iterator[Guard | AuditedGuard]:
        """The Guard these settings describe, recording in the store when one is set, closed
        again on leaving. A list that cannot be loaded becomes a SCREENING_UNAVAILABLE finding
        (fail closed), never an allow."""
        policy = load_policy(self.policy) if self.policy else Policy()
        denied = load_denied_entry(self.denied_entry) if self.denied_entry else None
        b4_status = provider_for_store(self.store)
        guard = Guard.default(
            policy=policy,
            denied_entry=denied,
            b4_status=b4_status,
            list_loader=StoredLists(
                lists_dir=Path(self.lists_dir) if self.lists_dir else None,
                extra=self.lists,
                use_environment=False,
            ),
            max_list_age_days=self.max_list_age,
        )
        if self.store is None or b4_status is None:
            yield guard
            return
        with b4_status.store, open_store(self.store) as store:
            yield AuditedGuard(guard, store, on_decision=[queue_b4_for(b4_status.store)])

    def store_path(self) -> str:
        """The store file; overrides and B4 instructions cannot work without one."""
        if self.store is None:
            raise InputError(
                "B4 instructions and overrides need the audit store: set the system parameter "
                "flg.store to a file the Odoo server may write",
                path="flg.store",
            )
        return sqlite_path(self.store)

    def campaign_store(self) -> CampaignStore:
        return CampaignStore(self.store_path())


# -- confirmation and the decision fields -----------------------------------------------------


def confirmation_error(decision: Decision, label: str) -> str | None:
    """The text Odoo shows when it refuses to confirm ``label``; None lets the confirmation go on."""
    if decision.action is not Action.BLOCK:
        return None
    standing = {f.code for f in decision.findings if f.released_by is None}
    if standing <= {FindingCode.SCREENING_UNAVAILABLE}:
        advice = (
            "The screening itself could not run, so nothing can be released: an administrator "
            "must repair it (see the reason above), then confirm again."
        )
    else:
        advice = (
            "A compliance manager can review the findings on the order's 'Forced labour' tab "
            "and, where they are wrong or resolved, request an override."
        )
    lines = [
        f"{label} cannot be confirmed: forced labour screening says BLOCK.",
        *(f"- {reason}" for reason in decision.reasons),
        advice,
    ]
    return "\n".join(lines)


def unavailable_decision(subject: str, why: str, *, now: dt.datetime | None = None) -> Decision:
    """The decision when screening could not even start (the library, its settings or the
    record failed): SCREENING_UNAVAILABLE under the default policy, i.e. block (fail closed)."""
    finding = Finding(
        code=FindingCode.SCREENING_UNAVAILABLE,
        subject="odoo",
        detail=f"{subject} could not be screened: {why}",
    )
    today = (now or dt.datetime.now(dt.UTC)).date()
    verdict = evaluate([finding], Policy(), today=today)
    return Decision(
        action=verdict.action,
        findings=[finding],
        steps=verdict.steps,
        reasons=verdict.reasons,
        screened_at=now or dt.datetime.now(dt.UTC),
        subject=subject,
    )


def refresh_lists(
    settings: AddonSettings,
    *,
    source: ListSource = UFLPA_SOURCE,
    fetcher: Fetcher | None = None,
) -> str:
    """Download the UFLPA Entity List into ``flg.lists_dir`` (the scheduled action); a refused
    download keeps the stored copy and says why."""
    directory = Path(settings.lists_dir) if settings.lists_dir else default_lists_dir()
    try:
        result = update_list(source, directory, fetcher=fetcher)
    except UpdateRefused as refused:
        return f"UFLPA Entity List not refreshed: {refused}"
    version = result.snapshot.version
    return (
        f"UFLPA Entity List {result.status}: {version.entries} listings as of {version.as_of}; "
        f"{len(result.added)} new, {len(result.removed)} gone"
    )


def odoo_datetime(moment: dt.datetime) -> str:
    """Odoo's datetime format: UTC, no zone, seconds."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")


def findings_text(decision: Decision) -> str:
    lines = []
    for finding in decision.findings:
        released = f" [released by {finding.released_by}]" if finding.released_by else ""
        steps = f" (steps {', '.join(finding.steps)})" if finding.steps else ""
        lines.append(
            f"{finding.code.value} at {finding.subject}{steps}{released}: {finding.detail}"
        )
    return "\n".join(lines)


def decision_values(decision: Decision) -> dict[str, Any]:
    """Values of the ``flg_*`` decision fields the addon adds to orders and vendors."""
    return {
        "flg_action": decision.action.value,
        "flg_reasons": "\n".join(decision.reasons),
        "flg_findings": findings_text(decision),
        "flg_steps": ", ".join(decision.steps),
        "flg_list_versions": "\n".join(
            f"{v.name}: as of {v.as_of.isoformat() if v.as_of else 'unknown'}"
            f"{' (partial)' if not v.complete else ''}"
            for v in decision.list_versions
        ),
        "flg_warnings": "\n".join(decision.warnings),
        "flg_screened_at": odoo_datetime(decision.screened_at),
        "flg_fingerprint": fingerprint(decision),
        "flg_decision_json": decision.model_dump_json(),
    }


def chatter_note(decision: Decision) -> str:
    """The note's HTML (every value escaped); the addon wraps it in ``Markup`` to post it."""
    return note_html(decision)


def note_is_due(decision: Decision, previous_fingerprint: str | bool | None) -> bool:
    """Post a note (and an activity on warn/block) only when the decision says something new."""
    return fingerprint(decision) != (previous_fingerprint or None)


# -- overrides --------------------------------------------------------------------------------


def override_request(
    *,
    codes: Iterable[str],
    reason: str,
    created_by: str,
    expires_on: dt.date,
    po_id: str | None = None,
    supplier_id: str | None = None,
) -> OverrideRequest:
    """An override request from the wizard's values; a bad value is an InputError naming it."""
    try:
        return OverrideRequest(
            po_id=po_id,
            supplier_id=supplier_id,
            codes=[FindingCode(code.strip()) for code in codes if code.strip()],
            reason=reason,
            created_by=created_by,
            expires_on=expires_on,
        )
    except ValueError as error:
        if isinstance(error, ValidationError):
            path, message = first_problem(error)
            raise InputError(message, path=path) from None
        raise InputError(str(error), path="codes") from None


def open_codes(decision_json: str | bool | None) -> list[str]:
    """The codes of the findings still standing in a stored decision (what an override could
    release); SCREENING_UNAVAILABLE is never among them."""
    if not isinstance(decision_json, str) or not decision_json:
        return []
    decision = Decision.model_validate_json(decision_json)
    codes = {
        finding.code.value
        for finding in decision.findings
        if finding.released_by is None and finding.code is not FindingCode.SCREENING_UNAVAILABLE
    }
    return sorted(codes, key=[c.value for c in FindingCode].index)


def request_override(settings: AddonSettings, request: OverrideRequest) -> Override:
    """Record the request in the store; A1 and ENTITY_LIST then wait for a second approver."""
    with open_store(settings.store_path()) as store:
        return store.add_override(request)


def approve_override(settings: AddonSettings, override_id: str, *, by: str) -> Override:
    """A second person's approval (the store refuses the author's own)."""
    with open_store(settings.store_path()) as store:
        return store.approve_override(override_id, by=by)


def overrides_for(
    settings: AddonSettings, *, po_id: str | None = None, supplier_id: str | None = None
) -> list[Override]:
    if settings.store is None:
        return []
    with open_store(settings.store) as store:
        ids = [supplier_id] if supplier_id else []
        return store.overrides(po_id=po_id, supplier_ids=ids)


# -- B4 instructions through Odoo's mail ---------------------------------------------------------


def mail_values(message: EmailMessage) -> dict[str, Any]:
    """``mail.mail`` values for a campaign message: subject, HTML body, addresses, Message-ID and
    the attached copy of the letter (as ``(name, bytes)`` pairs for the addon to attach)."""
    html_part = message.get_body(preferencelist=("html",))
    text_part = message.get_body(preferencelist=("plain",))
    body = html_part.get_content() if html_part is not None else ""
    if not body and text_part is not None:
        body = f"<pre>{html.escape(text_part.get_content())}</pre>"
    attachments = [
        (part.get_filename() or "letter.txt", part.get_payload(decode=True) or b"")
        for part in message.iter_attachments()
    ]
    return {
        "subject": str(message["Subject"] or ""),
        "body_html": body,
        "email_from": str(message["From"] or ""),
        "email_to": str(message["To"] or ""),
        "reply_to": str(message["Reply-To"] or ""),
        "message_id": str(message["Message-ID"] or ""),
        "attachments": attachments,
    }


class OdooMail:
    """A campaign deliverer that hands each message to Odoo (``send`` creates and queues a
    ``mail.mail`` from :func:`mail_values` and returns its reference)."""

    channel = "odoo-mail"

    def __init__(self, send: Callable[[dict[str, Any]], str]) -> None:
        self.send = send

    def deliver(self, message: EmailMessage) -> str:
        try:
            return self.send(mail_values(message))
        except Exception as error:  # whatever Odoo raised: the letter stays a draft to retry
            raise DeliveryError(
                f"Odoo could not queue the mail: {error}", permanent=False
            ) from error


def issue_b4(
    settings: AddonSettings,
    recipients: Sequence[Recipient],
    *,
    company: Company,
    send: Callable[[dict[str, Any]], str],
    today: dt.date,
    response_days: int = 30,
) -> list[SendResult]:
    """Issue the B4 instruction to ``recipients`` through Odoo's mail, recorded in the campaign."""
    with settings.campaign_store() as store:
        campaign = Campaign(
            store,
            settings.campaign,
            company=company,
            settings=CampaignSettings(response_days=response_days),
        )
        return campaign.issue(recipients, OdooMail(send), today=today)


def recipient_for(supplier: Supplier, partner: Mapping[str, Any]) -> Recipient:
    """The campaign recipient for a vendor: its e-mail and language from the partner record."""
    email = partner.get("email")
    if not isinstance(email, str) or not email.strip():
        raise InputError(
            f"{supplier.name} has no e-mail address for the B4 instruction", path="email"
        )
    lang = partner.get("lang")
    language = lang.split("_", 1)[0].lower() if isinstance(lang, str) and lang else None
    if language not in available_languages():
        language = None  # no letter in that language: the campaign's default language
    try:
        return Recipient(supplier=supplier, email=email, language=language)
    except ValidationError as error:
        path, message = first_problem(error)
        raise InputError(message, path=path, source=supplier.label) from None


def instruction_reference(settings: AddonSettings, supplier: Supplier) -> str | None:
    """The reference of the latest B4 instruction to ``supplier``, if one was issued."""
    with settings.campaign_store() as store:
        found = store.instructions(supplier_key=supplier_key(supplier))
    return found[-1].reference if found else None


def record_acknowledgement(
    settings: AddonSettings,
    reference: str,
    *,
    received_on: dt.date,
    signed_by: str,
    note: str,
    recorded_by: str,
    proofs: Sequence[tuple[str, bytes]] = (),
) -> Acknowledgement:
    """Record a supplier's answer and its proof documents in the campaign."""
    files = [
        ProofFile(file_name=name, content=content, kind=ProofKind.OTHER) for name, content in proofs
    ]
    with settings.campaign_store() as store:
        return store.add_acknowledgement(
            reference,
            received_on=received_on,
            proofs=files,
            signed_by=signed_by,
            note=note,
            recorded_by=recorded_by,
        )


def decision_from_json(value: str | bool | None) -> Decision | None:
    """The decision stored on a record (``flg_decision_json``), if any."""
    if not isinstance(value, str) or not value:
        return None
    return Decision.model_validate_json(value)
