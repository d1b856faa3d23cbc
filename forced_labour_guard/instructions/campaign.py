"""Run a B4 campaign: issue instructions, send reminders, mark overdue suppliers, record answers.

This module ties the pieces together and is the only one that touches the store and a deliverer in
the same call. Issuing is idempotent: the reference is derived from the campaign and the supplier, an
instruction already sent is skipped, and a failed send stays a draft that the next run retries. The
record is written before the message leaves and marked sent after, so a crash in between makes the
next run send again rather than lose the letter (same Message-ID, so mail programs see a duplicate).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from forced_labour_guard.clock import Clock, utc_now
from forced_labour_guard.errors import InputError
from forced_labour_guard.instructions import followup
from forced_labour_guard.instructions.campaign_store import CampaignStore
from forced_labour_guard.instructions.messages import (
    Envelope,
    build_message,
    make_reference,
    message_id,
)
from forced_labour_guard.instructions.model import (
    Acknowledgement,
    CampaignSettings,
    Company,
    Instruction,
    Recipient,
    Review,
    Status,
    email_address,
)
from forced_labour_guard.instructions.smtp import Deliverer, DeliveryError
from forced_labour_guard.instructions.templates import (
    LetterContext,
    RenderedLetter,
    TemplateSet,
    load_templates,
    render,
)

Outcome = Literal["sent", "skipped", "failed", "dry-run"]


@dataclass(frozen=True)
class SendResult:
    """What happened to one supplier's letter in this run."""

    reference: str
    supplier_key: str
    email: str
    outcome: Outcome
    detail: str = ""

    @classmethod
    def of(cls, instruction: Instruction, outcome: Outcome, detail: str = "") -> SendResult:
        return cls(
            instruction.reference, instruction.supplier_key, instruction.email, outcome, detail
        )


def select_recipients(
    recipients: Iterable[Recipient],
    *,
    only: Sequence[str] = (),
    include_inactive: bool = False,
) -> list[Recipient]:
    """All active suppliers by default; ``only`` picks suppliers by id (else name)."""
    pool = list(recipients)
    if only:
        wanted = set(only)
        missing = wanted - {r.key for r in pool}
        if missing:
            raise InputError(f"not in the suppliers file: {', '.join(sorted(missing))}")
        return [r for r in pool if r.key in wanted]
    return [r for r in pool if r.active or include_inactive]


def _sender(address: str) -> str:
    """The envelope sender, checked once here rather than failing every letter at build time."""
    try:
        return email_address(address)
    except ValueError as error:
        raise InputError(str(error), path="from_address") from None


class Campaign:
    """One named campaign in a store, sent on behalf of ``company``."""

    def __init__(
        self,
        store: CampaignStore,
        name: str,
        *,
        company: Company | None = None,
        settings: CampaignSettings | None = None,
        templates_dir: Path | None = None,
        from_address: str | None = None,
        clock: Clock = utc_now,
    ) -> None:
        if not name.strip():
            raise InputError("a campaign needs a name", path="campaign")
        self.store = store
        self.name = name.strip()
        if company is None:
            company, stored_settings = store.campaign(self.name)
            settings = settings or stored_settings
        self.company = company
        self.settings = settings or CampaignSettings()
        self.templates_dir = templates_dir
        self.from_address = _sender(from_address) if from_address else company.contact_email
        self.clock = clock
        self._templates: dict[str, TemplateSet] = {}
        # Fail early on a bad default language or template folder, before anything is sent.
        self.templates(self.settings.language)

    # -- helpers ------------------------------------------------------------------------------

    def templates(self, language: str) -> TemplateSet:
        if language not in self._templates:
            self._templates[language] = load_templates(language, self.templates_dir)
        return self._templates[language]

    def _domain(self) -> str:
        return self.from_address.rsplit("@", 1)[-1]

    def _context(self, instruction: Instruction, today: dt.date) -> LetterContext:
        return LetterContext(
            company=self.company,
            supplier_name=instruction.supplier_name,
            supplier_id=instruction.supplier_id,
            contact_name=instruction.contact_name,
            reference=instruction.reference,
            campaign=instruction.campaign,
            issued_on=instruction.issued_on,
            deadline=instruction.deadline,
            today=today,
        )

    def _envelope(self, instruction: Instruction, msgid: str, in_reply_to: str | None) -> Envelope:
        return Envelope(
            from_address=self.from_address,
            from_name=self.company.name,
            to_address=instruction.email,
            to_name=instruction.supplier_name,
            reply_to=self.company.contact_email,
            campaign=instruction.campaign,
            date=self.clock(),
            message_id=msgid,
            in_reply_to=in_reply_to,
        )

    def _letter(self, instruction: Instruction, today: dt.date) -> RenderedLetter:
        templates = self.templates(instruction.language)
        return render(templates, "instruction", self._context(instruction, today))

    def _draft(self, recipient: Recipient, today: dt.date, channel: str) -> Instruction:
        language = self.templates(recipient.language or self.settings.language).language
        return Instruction(
            reference=make_reference(self.name, recipient.key),
            campaign=self.name,
            supplier_key=recipient.key,
            supplier_id=recipient.supplier.id,
            supplier_name=recipient.supplier.name,
            contact_name=recipient.contact_name,
            email=recipient.email,
            language=language,
            issued_on=today,
            deadline=today + dt.timedelta(days=self.settings.response_days),
            channel=channel,
        )

    # -- issuing ------------------------------------------------------------------------------

    def preview(self, recipient: Recipient, today: dt.date) -> RenderedLetter:
        """The letter ``recipient`` would get today, without recording or sending anything."""
        return self._letter(self._draft(recipient, today, "preview"), today)

    def issue(
        self,
        recipients: Iterable[Recipient],
        deliverer: Deliverer | None,
        *,
        today: dt.date,
        resend: bool = False,
    ) -> list[SendResult]:
        """Send the instruction to each recipient; ``deliverer=None`` is a dry run (nothing kept).

        ``resend`` sends again to suppliers already instructed (same reference and deadline).
        """
        channel = "dry-run" if deliverer is None else deliverer.channel
        if deliverer is not None:
            self.store.save_campaign(self.name, self.company, self.settings)
        results: list[SendResult] = []
        for recipient in recipients:
            draft = self._draft(recipient, today, channel)
            existing = self.store.get(draft.reference)
            if existing is None or existing.sent_at is None:
                supplier = recipient.supplier.model_dump_json(exclude_none=True)
                results.append(self._send(draft, deliverer, today, supplier=supplier))
            elif resend:
                results.append(self._send(existing, deliverer, today, supplier=None))
            else:
                detail = f"already sent on {existing.issued_on.isoformat()}"
                results.append(SendResult.of(existing, "skipped", detail))
        return results

    def _send(
        self,
        instruction: Instruction,
        deliverer: Deliverer | None,
        today: dt.date,
        *,
        supplier: str | None,
    ) -> SendResult:
        """Send one instruction. ``supplier`` is the supplier record's JSON for a letter not sent
        before (recorded as a draft first); None for a resend of one already on record."""
        letter = self._letter(instruction, today)
        # A resent letter needs its own Message-ID: mail systems drop a second message with
        # an ID they have already seen.
        suffix = "instruction" if supplier is not None else f"instruction-resent-{today:%Y%m%d}"
        msgid = message_id(instruction.reference, suffix, self._domain())
        if deliverer is not None and supplier is not None:
            self.store.add_instruction(instruction, supplier)
        try:
            message = build_message(
                letter, self._envelope(instruction, msgid, None), attachment=letter
            )
        except ValueError as error:  # headers that would not read back as written
            if deliverer is not None:
                self.store.record_failure(instruction.reference, str(error))
            return SendResult.of(instruction, "failed", str(error))
        if deliverer is None:
            return SendResult.of(instruction, "dry-run", letter.subject)
        try:
            location = deliverer.deliver(message)
        except DeliveryError as error:
            self.store.record_failure(instruction.reference, str(error))
            return SendResult.of(instruction, "failed", str(error))
        self.store.mark_sent(
            instruction.reference,
            issued_on=instruction.issued_on,
            deadline=instruction.deadline,
            channel=deliverer.channel,
            message_id=msgid,
            location=location,
        )
        return SendResult.of(instruction, "sent", location)

    # -- follow-up ----------------------------------------------------------------------------

    def instructions(self) -> list[Instruction]:
        return self.store.instructions(campaign=self.name)

    def reminders_due(self, today: dt.date) -> list[Instruction]:
        """The instructions due a reminder today (see ``followup.reminder_due``)."""
        days_before = self.settings.reminder_days_before
        return [i for i in self.instructions() if followup.reminder_due(i, today, days_before)]

    def remind(self, deliverer: Deliverer, *, today: dt.date) -> list[SendResult]:
        """Send a reminder to every supplier due one today."""
        results: list[SendResult] = []
        for instruction in self.reminders_due(today):
            number = len(instruction.reminders) + 1
            templates = self.templates(instruction.language)
            context = self._context(instruction, today)
            reminder = render(templates, "reminder", context)
            original = render(templates, "instruction", context)
            msgid = message_id(instruction.reference, f"reminder-{number}", self._domain())
            try:
                message = build_message(
                    reminder,
                    self._envelope(instruction, msgid, instruction.message_id),
                    attachment=original,
                )
                location = deliverer.deliver(message)
            except (DeliveryError, ValueError) as error:
                self.store.record_failure(instruction.reference, f"reminder: {error}")
                results.append(SendResult.of(instruction, "failed", str(error)))
                continue
            self.store.add_reminder(instruction.reference, sent_on=today, message_id=msgid)
            results.append(SendResult.of(instruction, "sent", location))
        return results

    def mark_overdue(self, *, today: dt.date) -> list[Instruction]:
        """Record, once, each instruction whose deadline passed without accepted proof."""
        newly: list[Instruction] = []
        for instruction in self.instructions():
            late = followup.status(instruction, today) is Status.OVERDUE
            unmarked = instruction.overdue_marked_on is None
            if late and unmarked and self.store.mark_overdue(instruction.reference, on=today):
                newly.append(instruction)
        return newly


acknowledge = CampaignStore.add_acknowledgement
"""Record a supplier's answer and, if the reviewer already decided, the review with it: one
transaction in the store (see :meth:`CampaignStore.add_acknowledgement`)."""


def review_latest(
    store: CampaignStore, reference: str, *, accepted: bool, reviewer: str, note: str = ""
) -> Acknowledgement:
    """Accept or reject the latest acknowledgement still awaiting review for ``reference``."""
    instruction = store.get(reference)
    if instruction is None:
        raise InputError(f"no instruction with reference {reference!r}", source=store.path)
    pending = [a for a in instruction.acknowledgements if a.review is Review.PENDING]
    if not pending:
        raise InputError(f"{reference} has no acknowledgement awaiting review")
    return store.review(pending[-1].id, accepted=accepted, reviewer=reviewer, note=note)
