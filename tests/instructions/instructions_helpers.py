"""Shared pieces for the instruction campaign tests: awkward names, a recording SMTP handler."""

from __future__ import annotations

import datetime as dt
import socket
import threading
from typing import Any

from aiosmtpd.smtp import SMTP, Envelope, Session

from forced_labour_guard.instructions.model import Recipient
from forced_labour_guard.model import Supplier

AWKWARD_NAMES = [
    "Quote \"Double\" & 'Single' Trading Co.",
    "新疆棉纺织有限公司",
    "ئۇيغۇر توقۇمىچىلىق شىركىتى",  # Uyghur in Arabic script (right-to-left)
    "שמש טקסטיל בע״מ",  # Hebrew (right-to-left)
    "Evil Corp\r\nBcc: victim@attacker.example\r\nX-Injected: yes",
    "Line\nbreak\rand\u2028separator\u2029too",
    "<script>alert(1)</script><b>Bold</b> Ltd",
    "Costs $deadline and ${company} and $$ Ltd",
    "Bidi \u202eevil\u202c override Ltd",
    "Tab\tand\x00null\x1b[31mansi Ltd",
    "=?utf-8?q?Encoded=0D=0ABcc:_x@y?= Ltd",
    'Comma, "Display" <fake@attacker.example>, Another Ltd',
    # Found by fuzzing: long display names with specials that Python's folder split unquoted, or
    # that its parser could not read back (a leading dot).
    '. <"Quoted\\" (@;' + "x" * 40 + "=?utf-8?q?:=0D=0A",
    'Gamma \\"The\\" Mill, ' + "y" * 70 + " ;Bcc: z@z.example",
]

TODAY = dt.date(2026, 3, 2)


def recipient(index: int, name: str | None = None, **extra: Any) -> Recipient:
    return Recipient(
        supplier=Supplier(id=f"S-{index:03d}", name=name or f"Supplier {index} Ltd"),
        email=f"supplier{index}@vendor{index}.example",
        **extra,
    )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class RecordingHandler:
    """Keeps every accepted message; can refuse the first ``fail_first`` DATA commands with 451 and
    refuse chosen recipients with a permanent 550."""

    def __init__(self, fail_first: int = 0, refuse: frozenset[str] = frozenset()) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []
        self.data_attempts = 0
        self.fail_first = fail_first
        self.refuse = refuse
        self.lock = threading.Lock()

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if address in self.refuse:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        with self.lock:
            self.data_attempts += 1
            if self.data_attempts <= self.fail_first:
                return "451 4.3.0 Temporary local problem, try again later"
            content = envelope.original_content or envelope.content or b""
            assert isinstance(content, bytes)
            self.messages.append((str(envelope.mail_from), list(envelope.rcpt_tos), content))
        return "250 2.0.0 Message accepted"


class SmtpServer:
    def __init__(self, handler: RecordingHandler, port: int) -> None:
        self.handler = handler
        self.host = "127.0.0.1"
        self.port = port
