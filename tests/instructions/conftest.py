"""Fixtures for the instruction campaign tests: a company, awkward suppliers, a real SMTP server."""

from __future__ import annotations

import ssl
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session
from instructions_helpers import RecordingHandler, SmtpServer, free_port

from forced_labour_guard.instructions.campaign_store import CampaignStore
from forced_labour_guard.instructions.model import Company


@pytest.fixture
def company() -> Company:
    return Company(
        name="Nordwind Outdoor GmbH",
        contact_name="Jana Keller",
        contact_email="sourcing@nordwind.example",
        contact_phone="+49 40 1234 5678",
        letterhead=["Hafenstraße 12", "20457 Hamburg, Germany"],
    )


@pytest.fixture
def store(tmp_path: Path) -> Iterator[CampaignStore]:
    with CampaignStore(tmp_path / "flg.sqlite") as opened:
        yield opened


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    yield from _serve(RecordingHandler())


@pytest.fixture
def flaky_smtp_server() -> Iterator[SmtpServer]:
    yield from _serve(RecordingHandler(fail_first=2))


def _serve(handler: RecordingHandler, **kwargs: Any) -> Iterator[SmtpServer]:
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port, **kwargs)
    controller.start()
    try:
        yield SmtpServer(handler, port)
    finally:
        controller.stop()


@pytest.fixture(scope="session")
def tls_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A throw-away self-signed certificate for 127.0.0.1, made with the openssl command."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    try:
        subprocess.run(
            [
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
                "-nodes",
                "-keyout",
                str(key),
                "-out",
                str(cert),
                "-days",
                "1",
                "-subj",
                "/CN=127.0.0.1",
                "-addext",
                "subjectAltName=IP:127.0.0.1",
            ],
            check=True,
            capture_output=True,
            timeout=60,
        )
    except (OSError, subprocess.CalledProcessError) as error:  # pragma: no cover - env specific
        pytest.skip(f"openssl cannot make a test certificate: {error}")
    return cert, key


USERS = {"campaign": "s3cret-pass"}


def _authenticate(
    server: SMTP, session: Session, envelope: Envelope, mechanism: str, auth_data: Any
) -> AuthResult:
    if isinstance(auth_data, LoginPassword):
        user = auth_data.login.decode()
        if USERS.get(user) == auth_data.password.decode():
            return AuthResult(success=True)
    return AuthResult(success=False, handled=False)


@pytest.fixture
def tls_smtp_server(tls_files: tuple[Path, Path]) -> Iterator[SmtpServer]:
    cert, key = tls_files
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_context.load_cert_chain(cert, key)
    yield from _serve(
        RecordingHandler(),
        tls_context=server_context,
        require_starttls=True,
        authenticator=_authenticate,
        auth_require_tls=True,
    )


@pytest.fixture
def client_tls_context(tls_files: tuple[Path, Path]) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(tls_files[0]))
