"""Supplier instructions (Call to Action B4) and their follow-up (B5).

A campaign sends every supplier a letter, in its language, telling it to stop sourcing goods and
inputs from the Uyghur Region for the buyer's products, to drop business partners caught by paragraph
A, and to keep out of state-sponsored labour transfer (B3); it offers help with other sources and
encourages a full exit (B6). Answers are recorded with their proof documents; suppliers that miss the
deadline produce the NO_B4_ACK finding, which the policy turns into a responsible exit (B5).

Start with :class:`Campaign`; see ``docs/instructions.md``.
"""

from forced_labour_guard.instructions.campaign import (
    Campaign,
    SendResult,
    acknowledge,
    review_latest,
    select_recipients,
)
from forced_labour_guard.instructions.campaign_store import CampaignStore, ProofFile
from forced_labour_guard.instructions.followup import (
    first_seen,
    no_b4_ack_findings,
    reminder_due,
    status,
)
from forced_labour_guard.instructions.messages import (
    build_message,
    make_reference,
    reference_from_message,
    write_eml,
)
from forced_labour_guard.instructions.model import (
    Acknowledgement,
    CampaignSettings,
    Company,
    Instruction,
    ProofDocument,
    ProofKind,
    Recipient,
    Review,
    Status,
)
from forced_labour_guard.instructions.provider import B4StatusProvider
from forced_labour_guard.instructions.recipients import load_recipients, parse_recipients
from forced_labour_guard.instructions.smtp import (
    DeliveryError,
    EmlFolder,
    SmtpDeliverer,
    SmtpSettings,
)
from forced_labour_guard.instructions.templates import load_templates, render

__all__ = [
    "Acknowledgement",
    "B4StatusProvider",
    "Campaign",
    "CampaignSettings",
    "CampaignStore",
    "Company",
    "DeliveryError",
    "EmlFolder",
    "Instruction",
    "ProofDocument",
    "ProofFile",
    "ProofKind",
    "Recipient",
    "Review",
    "SendResult",
    "SmtpDeliverer",
    "SmtpSettings",
    "Status",
    "acknowledge",
    "build_message",
    "first_seen",
    "load_recipients",
    "load_templates",
    "make_reference",
    "no_b4_ack_findings",
    "parse_recipients",
    "reference_from_message",
    "reminder_due",
    "render",
    "review_latest",
    "select_recipients",
    "status",
    "write_eml",
]
