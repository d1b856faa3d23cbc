"""E-mail: headers that no supplier name can forge, .eml files, and delivery through a real SMTP server
(aiosmtpd on 127.0.0.1): 50 letters, a server that fails twice, STARTTLS with login, refusals."""

from __future__ import annotations

import datetime as dt
import smtplib
import ssl
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from instructions_helpers import AWKWARD_NAMES, TODAY, SmtpServer, recipient

from forced_labour_guard.instructions.campaign import Campaign
from forced_labour_guard.instructions.campaign_store import CampaignStore
from forced_labour_guard.instructions.messages import (
    REFERENCE_HEADER,
    Envelope,
    attachments,
    build_message,
    make_reference,
    reference_from_message,
)
from forced_labour_guard.instructions.model import CampaignSettings, Company, Status
from forced_labour_guard.instructions.smtp import (
    DeliveryError,
    EmlFolder,
    SmtpDeliverer,
    SmtpSettings,
)
from forced_labour_guard.instructions.templates import LetterContext, load_templates, render
from forced_labour_guard.instructions.text import clean_inline

EXPECTED_HEADERS = {
    "From",
    "To",
    "Reply-To",
    "Subject",
    "Date",
    "Message-ID",
    REFERENCE_HEADER,
    "X-FLG-Campaign",
    "X-FLG-Kind",
    "Content-Language",
    "Content-Type",
    "MIME-Version",
}


def fixed_clock() -> dt.datetime:
    return dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)


class Capture:
    """Wraps a deliverer and keeps the bytes of every message handed to it."""

    def __init__(self, inner: EmlFolder | SmtpDeliverer) -> None:
        self.inner = inner
        self.channel = inner.channel
        self.sent: list[EmailMessage] = []

    def deliver(self, message: EmailMessage) -> str:
        self.sent.append(message)
        return self.inner.deliver(message)


def parse(raw: bytes) -> EmailMessage:
    parsed = message_from_bytes(raw, policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def same_boundaries(raw: bytes) -> bytes:
    """``raw`` with its MIME boundaries renamed in order of appearance."""
    for number, part in enumerate(p for p in parse(raw).walk() if p.is_multipart()):
        boundary = part.get_boundary()
        assert boundary is not None
        raw = raw.replace(boundary.encode(), f"BOUNDARY-{number}".encode())
    return raw


def fast(server: SmtpServer, **overrides: object) -> SmtpSettings:
    values: dict[str, object] = {
        "host": server.host,
        "port": server.port,
        "starttls": False,
        "timeout": 10.0,
        "wait_initial": 0.0,
        "wait_max": 0.0,
    }
    values.update(overrides)
    return SmtpSettings(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize("name", AWKWARD_NAMES)
def test_a_supplier_name_cannot_add_or_change_a_header(
    tmp_path: Path, store: CampaignStore, company: Company, name: str
) -> None:
    campaign = Campaign(store, "hdr", company=company, clock=fixed_clock)
    folder = tmp_path / "out"
    one = recipient(1, name, contact_name=name)
    [result] = campaign.issue([one], EmlFolder(folder), today=TODAY)
    assert result.outcome == "sent"
    raw = Path(result.detail).read_bytes()
    message = parse(raw)
    assert set(message.keys()) == EXPECTED_HEADERS
    assert len(message.keys()) == len(EXPECTED_HEADERS)  # no header twice
    for line in raw.split(b"\r\n\r\n", 1)[0].split(b"\r\n"):
        assert not line.lower().startswith((b"bcc", b"x-injected", b"cc:")), line
    [to] = message["To"].addresses
    assert to.addr_spec == "supplier1@vendor1.example"
    # Punctuation that RFC 5322 treats as syntax is dropped from the display name; every letter
    # and digit of the name is still there, in order. (Spaces are not compared: CPython's parser
    # puts one between adjacent encoded-words, which RFC 2047 says to drop.)
    assert [c for c in to.display_name if c.isalnum()] == [
        c for c in clean_inline(name) if c.isalnum()
    ]
    assert not set(to.display_name) & set('"\\<>@,;:')
    [sender] = message["From"].addresses
    assert sender.addr_spec == "sourcing@nordwind.example"
    reference = make_reference("hdr", "S-001")
    assert message[REFERENCE_HEADER] == reference
    assert message["Subject"].startswith(f"[{reference}] ")
    assert message["Message-ID"] == f"<{reference}.instruction@nordwind.example>"


def test_message_has_text_html_and_the_letter_attached(
    tmp_path: Path, store: CampaignStore, company: Company
) -> None:
    campaign = Campaign(store, "parts", company=company, clock=fixed_clock)
    [result] = campaign.issue(
        [recipient(7, "新疆棉纺织有限公司", language="zh")], EmlFolder(tmp_path), today=TODAY
    )
    message = parse(Path(result.detail).read_bytes())
    assert message.get_content_type() == "multipart/mixed"
    body = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert body is not None and html is not None
    text = body.get_content()
    assert "致：新疆棉纺织有限公司" in text
    assert "<td>新疆棉纺织有限公司</td>" in html.get_content()
    [(file_name, content)] = attachments(message)
    reference = make_reference("parts", "S-007")
    assert file_name == f"{reference}-zh.txt"
    assert content.decode("utf-8").replace("\r\n", "\n") == text.replace("\r\n", "\n")
    assert message["Content-Language"] == "zh"
    assert message["Date"] == "Mon, 02 Mar 2026 09:30:00 +0000"


def test_replies_are_matched_by_header_thread_or_subject() -> None:
    reference = make_reference("c", "S-1")
    by_subject = EmailMessage()
    by_subject["Subject"] = f"RE: AW: [{reference}] Instruction"
    assert reference_from_message(by_subject) == reference
    by_thread = EmailMessage()
    by_thread["Subject"] = "our answer"
    by_thread["In-Reply-To"] = f"<{reference}.instruction@buyer.example>"
    assert reference_from_message(by_thread) == reference
    unrelated = EmailMessage()
    unrelated["Subject"] = "FLG-B4-XYZ not a reference"
    assert reference_from_message(unrelated) is None


def test_campaign_of_fifty_letters_arrives_intact(
    smtp_server: SmtpServer, store: CampaignStore, company: Company
) -> None:
    recipients = [
        recipient(i, AWKWARD_NAMES[i % len(AWKWARD_NAMES)] + f" #{i}", language=("en", "zh")[i % 2])
        for i in range(50)
    ]
    campaign = Campaign(store, "spring-2026", company=company, clock=fixed_clock)
    with SmtpDeliverer(fast(smtp_server)) as smtp:
        capture = Capture(smtp)
        results = campaign.issue(recipients, capture, today=TODAY)
    assert [r.outcome for r in results] == ["sent"] * 50
    received = smtp_server.handler.messages
    assert len(received) == 50
    by_reference = {}
    for mail_from, rcpt_tos, raw in received:
        message = parse(raw)
        by_reference[message[REFERENCE_HEADER]] = (mail_from, rcpt_tos, raw)
    assert len(by_reference) == 50
    for sent, r in zip(capture.sent, recipients, strict=True):
        reference = make_reference("spring-2026", r.key)
        assert sent[REFERENCE_HEADER] == reference
        mail_from, rcpt_tos, raw = by_reference[reference]
        assert mail_from == "sourcing@nordwind.example"
        assert rcpt_tos == [r.email]
        # Intact: what arrived parses to the same headers and the same letter as what was sent.
        # Byte for byte what was built, up to the random MIME boundaries chosen when flattening.
        assert same_boundaries(raw) == same_boundaries(sent.as_bytes(policy=policy.SMTP))
        got = parse(raw)
        assert got.keys() == sent.keys()
        assert got["Subject"] == sent["Subject"]
        sent_body, got_body = sent.get_body(("plain",)), got.get_body(("plain",))
        assert sent_body is not None and got_body is not None
        # get_content() keeps CRLF for base64 parts and not for quoted-printable ones.
        crlf = "\r\n"
        got_text = got_body.get_content().replace(crlf, "\n")
        assert got_text == sent_body.get_content().replace(crlf, "\n")
        assert reference in got_body.get_content()
    assert all(i.sent_at is not None for i in store.instructions(campaign="spring-2026"))
    # Running the campaign again sends nothing twice.
    with SmtpDeliverer(fast(smtp_server)) as smtp:
        again = campaign.issue(recipients, smtp, today=TODAY)
    assert {r.outcome for r in again} == {"skipped"}
    assert len(smtp_server.handler.messages) == 50


def test_server_failing_twice_still_gets_every_letter_once(
    flaky_smtp_server: SmtpServer, store: CampaignStore, company: Company
) -> None:
    recipients = [recipient(i) for i in range(5)]
    campaign = Campaign(store, "flaky", company=company, clock=fixed_clock)
    with SmtpDeliverer(fast(flaky_smtp_server, attempts=3)) as smtp:
        results = campaign.issue(recipients, smtp, today=TODAY)
        assert smtp.attempts_made == 7  # 5 letters + 2 refused tries
    assert [r.outcome for r in results] == ["sent"] * 5
    handler = flaky_smtp_server.handler
    assert handler.data_attempts == 7
    references = [parse(raw)[REFERENCE_HEADER] for _, _, raw in handler.messages]
    assert sorted(references) == sorted(make_reference("flaky", r.key) for r in recipients)


def test_retries_give_up_after_the_configured_attempts(
    flaky_smtp_server: SmtpServer, store: CampaignStore, company: Company
) -> None:
    campaign = Campaign(store, "gives-up", company=company, clock=fixed_clock)
    with SmtpDeliverer(fast(flaky_smtp_server, attempts=2)) as smtp:
        first, second = campaign.issue([recipient(1), recipient(2)], smtp, today=TODAY)
    assert first.outcome == "failed" and "451" in first.detail and "2 attempts" in first.detail
    assert second.outcome == "sent"
    draft = store.get(first.reference)
    assert draft is not None and draft.sent_at is None
    from forced_labour_guard.instructions.followup import status

    assert status(draft, TODAY + dt.timedelta(days=90)) is Status.DRAFT  # never held against it
    assert [e.kind for e in store.events(first.reference)] == ["recorded", "send_failed"]


def test_permanent_refusal_is_not_retried_and_the_rest_go_out(
    smtp_server: SmtpServer, store: CampaignStore, company: Company
) -> None:
    smtp_server.handler.refuse = frozenset({"supplier2@vendor2.example"})
    campaign = Campaign(store, "refusal", company=company, clock=fixed_clock)
    with SmtpDeliverer(fast(smtp_server)) as smtp:
        results = campaign.issue([recipient(i) for i in range(1, 4)], smtp, today=TODAY)
        assert smtp.attempts_made == 3
    assert [r.outcome for r in results] == ["sent", "failed", "sent"]
    assert "550" in results[1].detail
    assert len(smtp_server.handler.messages) == 2


def test_starttls_and_login(
    tls_smtp_server: SmtpServer,
    client_tls_context: ssl.SSLContext,
    store: CampaignStore,
    company: Company,
) -> None:
    settings = fast(
        tls_smtp_server,
        starttls=True,
        tls_context=client_tls_context,
        username="campaign",
        password="s3cret-pass",
    )
    assert "s3cret-pass" not in repr(settings)
    campaign = Campaign(store, "tls", company=company, clock=fixed_clock)
    with SmtpDeliverer(settings) as smtp:
        results = campaign.issue([recipient(i) for i in range(3)], smtp, today=TODAY)
    assert [r.outcome for r in results] == ["sent"] * 3
    assert len(tls_smtp_server.handler.messages) == 3


def test_wrong_password_is_a_permanent_failure(
    tls_smtp_server: SmtpServer, client_tls_context: ssl.SSLContext
) -> None:
    settings = fast(
        tls_smtp_server,
        starttls=True,
        tls_context=client_tls_context,
        username="campaign",
        password="wrong",
    )
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "a@b.example", "c@d.example", "x"
    with SmtpDeliverer(settings) as smtp, pytest.raises(DeliveryError) as caught:
        smtp.deliver(message)
    assert caught.value.permanent
    assert tls_smtp_server.handler.messages == []


def test_refuses_to_send_in_clear_when_starttls_is_expected(smtp_server: SmtpServer) -> None:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "a@b.example", "c@d.example", "x"
    with SmtpDeliverer(fast(smtp_server, starttls=True)) as smtp:
        with pytest.raises(DeliveryError, match="STARTTLS") as caught:
            smtp.deliver(message)
        assert caught.value.permanent
    assert smtp_server.handler.messages == []


def test_unreachable_server_is_reported_not_raised(store: CampaignStore, company: Company) -> None:
    from instructions_helpers import free_port

    settings = SmtpSettings(
        host="127.0.0.1",
        port=free_port(),
        starttls=False,
        timeout=2,
        attempts=2,
        wait_initial=0,
        wait_max=0,
    )
    campaign = Campaign(store, "down", company=company, clock=fixed_clock)
    with SmtpDeliverer(settings) as smtp:
        [result] = campaign.issue([recipient(1)], smtp, today=TODAY)
    assert result.outcome == "failed"
    assert "ConnectionRefusedError" in result.detail


def test_eml_folder_writes_one_file_per_message(
    tmp_path: Path, store: CampaignStore, company: Company
) -> None:
    campaign = Campaign(store, "eml", company=company, clock=fixed_clock)
    results = campaign.issue([recipient(i) for i in range(4)], EmlFolder(tmp_path), today=TODAY)
    files = sorted(p.name for p in tmp_path.glob("*.eml"))
    assert files == sorted(f"{r.reference}.instruction.eml" for r in results)
    assert not list(tmp_path.glob(".tmp-*"))


def test_smtp_is_exercised_through_smtplib() -> None:
    # The transient/permanent split follows SMTP reply classes.
    from forced_labour_guard.instructions.smtp import _is_transient

    assert _is_transient(smtplib.SMTPDataError(451, b"later"))
    assert not _is_transient(smtplib.SMTPDataError(554, b"no"))
    assert _is_transient(smtplib.SMTPServerDisconnected("gone"))
    assert _is_transient(smtplib.SMTPRecipientsRefused({"a@b": (452, b"full")}))
    assert not _is_transient(smtplib.SMTPRecipientsRefused({"a@b": (550, b"unknown")}))
    assert not _is_transient(ValueError("bug"))


def test_campaign_settings_reach_the_deadline(
    tmp_path: Path, store: CampaignStore, company: Company
) -> None:
    campaign = Campaign(
        store, "short", company=company, settings=CampaignSettings(response_days=14)
    )
    [result] = campaign.issue([recipient(1)], EmlFolder(tmp_path), today=TODAY)
    record = store.get(result.reference)
    assert record is not None and record.deadline == TODAY + dt.timedelta(days=14)


@settings(max_examples=150, deadline=None)
@given(name=st.text(min_size=1, max_size=80))
def test_any_supplier_name_builds_a_message_with_exactly_our_headers(name: str) -> None:
    """No name stops a campaign (build_message refuses messages whose headers changed) and no
    name adds a header."""
    company = Company(name="Buyer", contact_email="b@buyer.example")
    context = LetterContext(
        company=company,
        supplier_name=name,
        supplier_id=name,
        contact_name=name,
        reference="FLG-B4-0123456789",
        campaign=name,
        issued_on=TODAY,
        deadline=TODAY,
        today=TODAY,
    )
    letter = render(load_templates("en"), "instruction", context)
    envelope = Envelope(
        from_address="b@buyer.example",
        from_name=name,
        to_address="s@supplier.example",
        to_name=name,
        reply_to="b@buyer.example",
        campaign=name,
        date=fixed_clock(),
        message_id="<FLG-B4-0123456789.instruction@buyer.example>",
    )
    message = build_message(letter, envelope, attachment=letter)
    parsed = parse(message.as_bytes(policy=policy.SMTP))
    assert set(parsed.keys()) == EXPECTED_HEADERS
    assert [a.addr_spec for a in parsed["To"].addresses] == ["s@supplier.example"]
    assert parsed[REFERENCE_HEADER] == "FLG-B4-0123456789"


def test_a_message_that_cannot_be_built_safely_fails_alone(
    tmp_path: Path, store: CampaignStore, company: Company, monkeypatch: pytest.MonkeyPatch
) -> None:
    import forced_labour_guard.instructions.campaign as module

    real = module.build_message

    def picky(letter: Any, envelope: Any, *, attachment: Any) -> EmailMessage:
        if envelope.to_address.startswith("supplier2@"):
            raise ValueError("refusing to build a message whose headers changed in transit")
        return real(letter, envelope, attachment=attachment)

    monkeypatch.setattr(module, "build_message", picky)
    campaign = Campaign(store, "c", company=company)
    results = campaign.issue([recipient(i) for i in (1, 2, 3)], EmlFolder(tmp_path), today=TODAY)
    assert [r.outcome for r in results] == ["sent", "failed", "sent"]
    draft = store.get(results[1].reference)
    assert draft is not None and draft.sent_at is None
    assert [e.kind for e in store.events(draft.reference)] == ["recorded", "send_failed"]


@pytest.mark.parametrize("timeout", [0.0, -1.0, float("nan")])
def test_a_timeout_the_socket_would_refuse_is_refused_up_front(timeout: float) -> None:
    with pytest.raises(ValueError, match="more than 0 seconds"):
        SmtpSettings(host="127.0.0.1", timeout=timeout)
