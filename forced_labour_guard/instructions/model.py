"""The records of a B4 instruction campaign: who sends, who receives, what was sent and what came back.

The canonical :class:`~forced_labour_guard.model.Supplier` has no e-mail field (its fields are a public
contract), so a campaign addresses a :class:`Recipient`: a supplier plus the contact details a campaign
needs. Everything here is plain data; the store, the mailer and the follow-up logic read and write it.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from forced_labour_guard.instructions.text import clean_inline
from forced_labour_guard.model import Supplier, supplier_key


def _one_line(value: str) -> str:
    """Company and contact fields end up in headers and letters: no line breaks or controls."""
    return clean_inline(value)


def email_address(value: str) -> str:
    """A bare addr-spec (``name@example.com``); display names and lists are not accepted here."""
    from email.headerregistry import Address  # local: only needed when validating

    text = value.strip()
    if text != clean_inline(text) or " " in text:
        raise ValueError(f"{value!r} is not a single e-mail address (spaces or line breaks found)")
    try:
        parsed = Address(addr_spec=text)
    except (ValueError, IndexError) as error:
        raise ValueError(f"{value!r} is not an e-mail address ({error})") from None
    if not parsed.username or not parsed.domain or "." not in parsed.domain.strip("."):
        raise ValueError(f"{value!r} is not an e-mail address with a user and a domain")
    return parsed.addr_spec


OneLine = Annotated[str, AfterValidator(_one_line)]
EmailAddress = Annotated[str, AfterValidator(email_address)]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Company(_Record):
    """The buyer sending the instruction: fills the letterhead, signature and From/Reply-To."""

    name: Annotated[OneLine, Field(min_length=1)]
    contact_name: OneLine = ""
    contact_email: EmailAddress
    contact_phone: OneLine = ""
    letterhead: list[OneLine] = Field(
        default_factory=list, description="Address lines printed under the company name."
    )


class Recipient(_Record):
    """One supplier in a campaign file, with the address its instruction goes to."""

    supplier: Supplier
    email: EmailAddress
    contact_name: OneLine = ""
    language: str | None = Field(default=None, description="Template language, e.g. 'en' or 'zh'.")
    active: bool = True

    @property
    def key(self) -> str:
        """The supplier's identity across screenings and campaigns: its id, else its name."""
        return supplier_key(self.supplier)


class ProofKind(StrEnum):
    """Kinds of proof the letter says we accept."""

    ATTESTATION = "attestation"
    TRACEABILITY = "traceability"
    TEST_REPORT = "test_report"
    OTHER = "other"


class Review(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class Status(StrEnum):
    """Where one instruction stands; derived from its record and the date, never stored."""

    DRAFT = "draft"  # recorded but never sent (e.g. the send failed)
    ISSUED = "issued"
    ACKNOWLEDGED = "acknowledged"  # answer received, proof not yet reviewed
    PROOF_REJECTED = "proof_rejected"  # answer received, proof rejected; deadline still open
    PROOF_ACCEPTED = "proof_accepted"  # cleared
    OVERDUE = "overdue"  # deadline passed without accepted proof: NO_B4_ACK (B5)


class ProofDocument(_Record):
    """A file a supplier sent as proof, kept by content hash so it cannot change unnoticed."""

    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
    file_name: str
    size: int = Field(ge=0)
    kind: ProofKind = ProofKind.OTHER


class Acknowledgement(_Record):
    """A supplier's answer to an instruction, with its proof and the buyer's review of it."""

    id: int
    reference: str
    received_on: dt.date
    signed_by: str = ""
    note: str = ""
    recorded_by: str = ""
    recorded_at: dt.datetime
    proofs: list[ProofDocument] = Field(default_factory=list)
    review: Review = Review.PENDING
    reviewed_by: str = ""
    reviewed_at: dt.datetime | None = None
    review_note: str = ""


class Instruction(_Record):
    """One B4 instruction to one supplier, as recorded in the campaign store."""

    reference: str
    campaign: str
    supplier_key: str
    supplier_id: str | None = None
    supplier_name: str
    contact_name: str = ""
    email: str
    language: str
    issued_on: dt.date
    deadline: dt.date
    channel: str = Field(description="'smtp' or 'eml' (written to a folder for another mailer).")
    sent_at: dt.datetime | None = None
    message_id: str | None = None
    reminders: list[dt.date] = Field(default_factory=list)
    overdue_marked_on: dt.date | None = None
    acknowledgements: list[Acknowledgement] = Field(default_factory=list)

    @property
    def overdue_since(self) -> dt.date:
        """The first day without accepted proof after the deadline (start of the B5 exit window)."""
        return self.deadline + dt.timedelta(days=1)


class CampaignSettings(_Record):
    """The windows of a campaign, each a documented setting in one place."""

    response_days: int = Field(
        default=30,
        ge=1,
        le=365,
        description="Days from issue to deadline for agreeing to B4 and sending proof.",
    )
    reminder_days_before: tuple[int, ...] = Field(
        default=(7, 1),
        description="Send a reminder this many days before the deadline (one per entry).",
    )
    language: str = Field(default="en", description="Template language when a recipient has none.")


class PendingReason(_Record):
    """A finding that asked for a B4 instruction to a supplier, as first seen by a screening."""

    code: str
    subject: str
    detail: str
    decision_subject: str | None = Field(
        default=None, description="What the screening that first raised it was about, e.g. a PO id."
    )
    first_flagged_on: dt.date


class PendingSupplier(_Record):
    """A supplier that a recorded screening flagged for a B4 instruction and that has not been sent
    one yet. The canonical supplier has no e-mail, so its address must be added to the recipients
    file before ``flg instructions issue`` can reach it."""

    supplier_key: str
    supplier: Supplier
    first_flagged_on: dt.date
    last_flagged_on: dt.date
    reasons: list[PendingReason] = Field(default_factory=list)
