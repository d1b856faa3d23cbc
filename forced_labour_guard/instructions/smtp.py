"""Deliver campaign messages: over SMTP (STARTTLS, login, retries) or into a folder of .eml files.

Both deliverers share one small protocol, :class:`Deliverer`, so a campaign does not care where its
letters go. The SMTP deliverer keeps one connection open for a whole campaign and retries temporary
failures (4xx replies, dropped connections, timeouts) with exponential back-off via tenacity; a
permanent refusal (5xx) is not retried and surfaces as :class:`DeliveryError` for that one letter.

"Exactly once" holds as far as SMTP allows: a message is retried only when the server said it did
not take it. If the connection drops after the data was sent but before the server's answer, the
message may arrive twice; its stable Message-ID lets mail programs recognise the duplicate.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from types import TracebackType
from typing import Protocol

from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential,
)

from forced_labour_guard.instructions.messages import write_eml


class DeliveryError(Exception):
    """A message could not be delivered; ``permanent`` says whether retrying later may help."""

    def __init__(self, message: str, *, permanent: bool) -> None:
        super().__init__(message)
        self.permanent = permanent


class Deliverer(Protocol):
    """Where a campaign's messages go. ``deliver`` returns a location to record (path or server)."""

    channel: str

    def deliver(self, message: EmailMessage) -> str: ...


class EmlFolder:
    """Write each message as ``<reference>.<kind>.eml`` for another mail system to send."""

    channel = "eml"

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def deliver(self, message: EmailMessage) -> str:
        try:
            return str(write_eml(message, self.folder))
        except OSError as error:
            raise DeliveryError(f"cannot write to {self.folder}: {error}", permanent=True) from None


@dataclass(frozen=True)
class SmtpSettings:
    """How to reach the buyer's mail server. The password is never shown in a repr or a log."""

    host: str
    port: int = 587
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    starttls: bool = True
    tls_context: ssl.SSLContext | None = field(default=None, repr=False)
    timeout: float = 30.0
    attempts: int = 4  # first try included
    wait_initial: float = 2.0  # seconds before the first retry; doubles each time
    wait_max: float = 60.0
    local_hostname: str | None = None

    def __post_init__(self) -> None:
        # The socket module refuses these only when the first letter goes out, mid-campaign.
        if not self.timeout > 0:
            raise ValueError(f"SMTP timeout must be more than 0 seconds, not {self.timeout}")


def _is_transient(error: BaseException) -> bool:
    """Worth retrying: the server said "try later" (4xx) or the connection broke."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        return bool(codes) and all(400 <= code < 500 for code in codes)
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    if isinstance(error, smtplib.SMTPNotSupportedError | ssl.SSLError):
        return False
    return isinstance(error, smtplib.SMTPServerDisconnected | OSError)


class SmtpDeliverer:
    """Send over one SMTP connection, reconnecting and retrying on temporary failures.

    Use it as a context manager so the connection is closed with QUIT at the end of a campaign.
    """

    channel = "smtp"

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings
        self._connection: smtplib.SMTP | None = None
        self.attempts_made = 0

    def __enter__(self) -> SmtpDeliverer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is None:
            return
        try:
            connection.quit()
        except (smtplib.SMTPException, OSError):
            connection.close()

    def _connect(self) -> smtplib.SMTP:
        if self._connection is not None:
            return self._connection
        s = self.settings
        connection = smtplib.SMTP(
            s.host, s.port, timeout=s.timeout, local_hostname=s.local_hostname
        )
        try:
            connection.ehlo()
            if s.starttls:
                if not connection.has_extn("starttls"):
                    raise DeliveryError(
                        f"{s.host}:{s.port} does not offer STARTTLS; refusing to send in clear "
                        "(set starttls off only for a trusted local relay)",
                        permanent=True,
                    )
                connection.starttls(context=s.tls_context or ssl.create_default_context())
                connection.ehlo()
            if s.username:
                connection.login(s.username, s.password or "")
        except BaseException:
            connection.close()
            raise
        self._connection = connection
        return connection

    def _drop(self, state: RetryCallState) -> None:
        """Before a retry: forget a connection that may be broken, keep one that only said 4xx."""
        outcome = state.outcome
        error = outcome.exception() if outcome is not None else None
        if not isinstance(error, smtplib.SMTPResponseException) or error.smtp_code == 421:
            self._forget()

    def _forget(self) -> None:
        """Close the connection without QUIT (it may be broken); the next letter reconnects."""
        connection, self._connection = self._connection, None
        if connection is not None:
            connection.close()

    def _send_once(self, message: EmailMessage) -> None:
        self.attempts_made += 1
        self._connect().send_message(message)

    def deliver(self, message: EmailMessage) -> str:
        s = self.settings
        retrying = Retrying(
            stop=stop_after_attempt(max(s.attempts, 1)),
            wait=wait_exponential(multiplier=s.wait_initial, max=s.wait_max),
            retry=retry_if_exception(_is_transient),
            before_sleep=self._drop,
            reraise=True,
        )
        try:
            retrying(self._send_once, message)
        except DeliveryError:
            raise
        except smtplib.SMTPAuthenticationError as error:
            raise DeliveryError(
                f"login to {s.host}:{s.port} refused ({error.smtp_code})", permanent=True
            ) from None
        except (smtplib.SMTPException, OSError) as error:
            self._forget()
            transient = _is_transient(error)
            raise DeliveryError(
                f"{s.host}:{s.port}: {_describe(error)}"
                + (f" (still failing after {s.attempts} attempts)" if transient else ""),
                permanent=not transient,
            ) from None
        return f"smtp://{s.host}:{s.port}"


def _describe(error: BaseException) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "; ".join(
            f"{rcpt} refused: {code} {text.decode(errors='replace')}"
            for rcpt, (code, text) in error.recipients.items()
        )
    if isinstance(error, smtplib.SMTPResponseException):
        text = error.smtp_error
        detail = text.decode(errors="replace") if isinstance(text, bytes) else str(text)
        return f"{error.smtp_code} {detail}"
    return f"{type(error).__name__}: {error}"
