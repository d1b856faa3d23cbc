"""Turn a rendered letter into a standard e-mail, write it as .eml, and find the reference in a reply.

Each message is a ``multipart/mixed`` :class:`email.message.EmailMessage`: a ``multipart/alternative``
with the plain-text and HTML letter, then the plain-text letter again as an attachment a supplier can
print, sign and return. The instruction's reference travels three ways so that a reply can be matched
whatever the supplier's mail program keeps: in the ``X-FLG-Reference`` header, at the front of the
subject, and inside a stable ``Message-ID`` that replies quote in ``In-Reply-To``/``References``.

Headers are built with :mod:`email.headerregistry` under ``email.policy.SMTP``, after every value went
through :func:`~forced_labour_guard.instructions.text.clean_inline`: a supplier name holding CR/LF or
``Bcc:`` becomes part of a quoted display name and can never add or change a header.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import tempfile
from dataclasses import dataclass
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import format_datetime
from pathlib import Path
from typing import Final

from forced_labour_guard.instructions.templates import RenderedLetter
from forced_labour_guard.instructions.text import clean_inline

REFERENCE_HEADER: Final = "X-FLG-Reference"
CAMPAIGN_HEADER: Final = "X-FLG-Campaign"
KIND_HEADER: Final = "X-FLG-Kind"
REFERENCE_PATTERN: Final = re.compile(r"FLG-B4-[0-9A-F]{10}")


def make_reference(campaign: str, supplier_key: str) -> str:
    """The same campaign and supplier always give the same reference, so re-running is idempotent."""
    digest = hashlib.sha256(f"{campaign}\x00{supplier_key}".encode()).hexdigest()
    return f"FLG-B4-{digest[:10].upper()}"


def message_id(reference: str, suffix: str, domain: str) -> str:
    """A stable Message-ID such as ``<FLG-B4-3F9A2C71D0.instruction@buyer.example>``."""
    return f"<{reference}.{suffix}@{domain}>"


@dataclass(frozen=True)
class Envelope:
    """Who a message goes from and to, and where it sits in the thread."""

    from_address: str
    from_name: str
    to_address: str
    to_name: str
    reply_to: str
    campaign: str
    date: dt.datetime
    message_id: str
    in_reply_to: str | None = None


def header_text(value: str) -> str:
    """One line for a header. ``=?`` is split to ``= ?`` because the standard library decodes an
    encoded-word it finds inside a display name when it folds the header: a name containing
    ``=?utf-8?q?=0D=0ABcc:_x@y?=`` would otherwise come out as a new ``Bcc`` line (seen on
    Python 3.11.7; later versions refuse to write such a header, which would stop the campaign)."""
    return clean_inline(value).replace("=?", "= ?")


_PHRASE_SPECIALS: Final = str.maketrans({ch: " " for ch in '"\\()<>[]:;@,'})


def display_name(value: str) -> str:
    """A display name the standard library folds and parses back unchanged.

    Besides :func:`header_text`, the RFC 5322 specials (quotes, backslash, brackets, ``:;@,``)
    become spaces: Python's folder can split a long quoted display name so that these come out
    unquoted, turning one recipient into several. The display name is cosmetic; the letter itself
    keeps the supplier's name exactly as written."""
    words = " ".join(header_text(value).translate(_PHRASE_SPECIALS).split())
    return words.lstrip(". ")  # a phrase must start with a word (RFC 5322 obs-phrase)


def _address(name: str, addr_spec: str) -> Address:
    return Address(display_name=display_name(name), addr_spec=clean_inline(addr_spec))


def _verify(message: EmailMessage, envelope: Envelope) -> None:
    """Parse the message back as a receiver would and refuse it if its headers are not exactly
    the ones set here: a last line of defence against header injection we did not foresee."""
    try:
        folded = b"".join(policy.SMTP.fold_binary(k, v) for k, v in message.items())
        parsed = BytesParser(policy=policy.default).parsebytes(folded + b"\r\n", headersonly=True)
        names = [name.lower() for name in parsed]
        recipients = [a.addr_spec for a in getattr(parsed["To"], "addresses", ())]
    except Exception as error:  # the standard library's own parser can fail on odd input
        raise ValueError(
            f"refusing to build a message its own headers cannot be read back from "
            f"({type(error).__name__}: {error})"
        ) from None
    expected = [name.lower() for name in message]
    if names != expected or recipients != [clean_inline(envelope.to_address)]:
        raise ValueError(
            f"refusing to build a message whose headers changed in transit: {names} / {recipients}"
        )


def build_message(
    letter: RenderedLetter, envelope: Envelope, *, attachment: RenderedLetter
) -> EmailMessage:
    """The e-mail for ``letter``; ``attachment`` is the instruction letter attached as text.

    For the instruction itself ``attachment`` is the same letter; a reminder attaches the original.
    """
    message = EmailMessage(policy=policy.SMTP)
    message["From"] = _address(envelope.from_name, envelope.from_address)
    message["To"] = _address(envelope.to_name, envelope.to_address)
    message["Reply-To"] = _address(envelope.from_name, envelope.reply_to)
    message["Subject"] = header_text(letter.subject)
    message["Date"] = format_datetime(envelope.date)
    message["Message-ID"] = envelope.message_id
    if envelope.in_reply_to:
        message["In-Reply-To"] = envelope.in_reply_to
        message["References"] = envelope.in_reply_to
    message[REFERENCE_HEADER] = header_text(letter.reference)
    message[CAMPAIGN_HEADER] = header_text(envelope.campaign)
    message[KIND_HEADER] = letter.kind
    message.set_content(letter.text, charset="utf-8")
    message.add_alternative(letter.html, subtype="html", charset="utf-8")
    message.add_attachment(
        attachment.text,
        subtype="plain",
        charset="utf-8",
        filename=attachment_name(attachment),
    )
    # After the parts: making the message multipart moves Content-* headers into the first part.
    message["Content-Language"] = letter.language
    _verify(message, envelope)
    return message


def attachment_name(letter: RenderedLetter) -> str:
    """``FLG-B4-3F9A2C71D0-en.txt``: ASCII only, whatever the supplier is called."""
    return f"{letter.reference}-{letter.language}.txt"


def eml_name(message: Message) -> str:
    """File name for a message: its reference and kind, e.g. ``FLG-B4-3F9A2C71D0.reminder-2.eml``."""
    reference = str(message.get(REFERENCE_HEADER, ""))
    if not REFERENCE_PATTERN.fullmatch(reference):
        raise ValueError("message has no valid reference header")
    msgid = str(message.get("Message-ID", ""))
    suffix = msgid.strip("<>").split("@", 1)[0].removeprefix(reference).lstrip(".")
    safe = re.sub(r"[^A-Za-z0-9-]", "-", suffix) or "instruction"
    return f"{reference}.{safe}.eml"


def write_eml(message: EmailMessage, folder: Path) -> Path:
    """Write ``message`` into ``folder`` (CRLF line ends, as sent); atomic, so no half files."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / eml_name(message)
    data = message.as_bytes(policy=policy.SMTP)
    handle, temp = tempfile.mkstemp(prefix=".tmp-", suffix=".eml", dir=folder)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return target


def reference_from_message(message: Message) -> str | None:
    """The instruction reference a reply is about: header, then thread headers, then subject."""
    for header in (REFERENCE_HEADER, "In-Reply-To", "References", "Subject"):
        for value in message.get_all(header) or []:
            found = REFERENCE_PATTERN.search(str(value))
            if found:
                return found.group(0)
    return None


def attachments(message: Message) -> list[tuple[str, bytes]]:
    """(file name, bytes) of each attachment in a reply, for recording as proof documents."""
    found: list[tuple[str, bytes]] = []
    for part in message.walk():
        if part.get_content_disposition() != "attachment":
            continue
        payload = part.get_payload(decode=True)
        if isinstance(payload, bytes):
            name = clean_inline(part.get_filename() or "") or f"attachment-{len(found) + 1}"
            found.append((name, payload))
    return found
