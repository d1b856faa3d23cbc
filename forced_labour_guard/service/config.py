"""Everything the decision service can be configured with, its defaults and why.

``flg serve`` fills a :class:`ServiceSettings` from its command line and the environment, and a
:class:`~forced_labour_guard.cli.common.GuardOptions` from the screening commands' options, then
hands both to each uvicorn worker as JSON in ``FLG_SERVICE_CONFIG``, so every worker builds the
same Guard with the same builder as the screening commands. The environment itself is read and
written only through ``forced_labour_guard.settings`` (``FLG_SERVICE_TOKEN_FILE``,
``FLG_SERVICE_TOKEN_HASHES``, ``FLG_SERVICE_CONFIG``). This module needs nothing from the
``[server]`` extra.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Final

from forced_labour_guard import settings as environment
from forced_labour_guard.cli.common import GuardOptions
from forced_labour_guard.errors import InputError

TOKEN_HASHES_ENV: Final = environment.SERVICE_TOKEN_HASHES.name
TOKEN_FILE_ENV: Final = environment.SERVICE_TOKEN_FILE.name

MIB: Final = 1024 * 1024
DEFAULT_HOST: Final = "127.0.0.1"
"""Loopback unless told otherwise: exposing the service is a decision, not a default."""
DEFAULT_PORT: Final = 8080
DEFAULT_MAX_BODY: Final = 1 * MIB
"""A 20-line purchase order is a few kilobytes; a megabyte leaves room for deep supplier graphs."""
DEFAULT_MAX_BATCH_BODY: Final = 64 * MIB
"""The batch endpoint reads the whole body before it streams answers; this bounds its memory."""
DEFAULT_TIMEOUT: Final = 5.0
"""Seconds a decision may take before the service answers a fail-closed block: a buyer is waiting,
and an ERP that times out first would have to guess."""
DEFAULT_SHUTDOWN_GRACE: Final = 30.0
"""Seconds requests in flight get to finish after SIGTERM before the worker stops anyway."""
DEFAULT_FORWARDED_ALLOW_IPS: Final = "127.0.0.1"
"""Only a proxy on the same host is trusted to set X-Forwarded-For / X-Forwarded-Proto."""

_SHA256_HEX = re.compile(r"^[0-9a-fA-F]{64}$")
EMPTY_TOKEN_HASH: Final = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
"""SHA-256 of nothing: what ``printf %s "$TOKEN" | sha256sum`` writes when $TOKEN is unset."""


@dataclass(frozen=True)
class ServiceSettings:
    """How the service listens, whom it lets in, and the limits it keeps."""

    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    workers: int = 1
    token_hashes: tuple[str, ...] = ()
    max_body_bytes: int = DEFAULT_MAX_BODY
    max_batch_body_bytes: int = DEFAULT_MAX_BATCH_BODY
    request_timeout: float = DEFAULT_TIMEOUT
    unavailable_status: int = 200
    """200: a SCREENING_UNAVAILABLE block is an ordinary answer; 503: the same body with status 503,
    for ERPs whose HTTP clients branch on the status alone."""
    forwarded_allow_ips: str = DEFAULT_FORWARDED_ALLOW_IPS
    shutdown_grace: float = DEFAULT_SHUTDOWN_GRACE
    log_level: str = "info"


def hashes_from_file(text: str, *, source: str) -> list[str]:
    """Hashes in a token file: the first word of each line, so ``sha256sum`` output (hash, then
    ``-`` or a file name) works as it is; blank lines and ``#`` comments are ignored."""
    hashes = []
    for number, line in enumerate(text.splitlines(), start=1):
        words = line.split("#", 1)[0].split()
        if words:
            hashes.append(_checked_hash(words[0], f"{source} line {number}"))
    return hashes


def hashes_from_variable(value: str) -> list[str]:
    """Hashes in ``$FLG_SERVICE_TOKEN_HASHES``, separated by commas or white space."""
    return [_checked_hash(item, TOKEN_HASHES_ENV) for item in value.replace(",", " ").split()]


def _checked_hash(item: str, where: str) -> str:
    if not _SHA256_HEX.match(item):
        raise InputError(
            "expected the SHA-256 hash of a token (64 hexadecimal characters), not the token "
            'itself; make one with: printf %s "$TOKEN" | sha256sum',
            source=where,
        )
    if item.lower() == EMPTY_TOKEN_HASH:
        raise InputError(
            "this is the hash of an empty token (was $TOKEN unset when it was made?)", source=where
        )
    return item.lower()


def load_token_hashes(token_file: str | None = None) -> tuple[str, ...]:
    """Every accepted hash: from ``token_file`` (else ``$FLG_SERVICE_TOKEN_FILE``) and from
    ``$FLG_SERVICE_TOKEN_HASHES``. Several at once is how tokens are rotated."""
    hashes: list[str] = []
    path = token_file or environment.SERVICE_TOKEN_FILE.get()
    if path:
        try:
            text = Path(path).read_text("utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise InputError(f"cannot read the token file ({error})", source=path) from None
        hashes += hashes_from_file(text, source=path)
    more = environment.SERVICE_TOKEN_HASHES.get()
    if more:
        hashes += hashes_from_variable(more)
    return tuple(dict.fromkeys(hashes))


def to_json(settings: ServiceSettings, options: GuardOptions) -> str:
    """What a worker needs to build its application, as :func:`from_json` reads it back."""
    return json.dumps({"settings": asdict(settings), "guard": asdict(options)})


def from_json(text: str) -> tuple[ServiceSettings, GuardOptions]:
    data: dict[str, Any] = json.loads(text)
    settings = dict(data["settings"])
    settings["token_hashes"] = tuple(settings.get("token_hashes", ()))
    return ServiceSettings(**settings), GuardOptions(**data["guard"])


def hand_to_workers(settings: ServiceSettings, options: GuardOptions) -> None:
    """Put the configuration where the workers uvicorn starts will find it."""
    environment.hand_to_workers(environment.SERVICE_CONFIG, to_json(settings, options))


def from_workers_environment() -> tuple[ServiceSettings, GuardOptions]:
    """The configuration ``flg serve`` handed down (in a worker)."""
    text = environment.SERVICE_CONFIG.get()
    if text is None:
        raise RuntimeError(f"${environment.SERVICE_CONFIG.name} is not set: start with flg serve")
    return from_json(text)


def check_settings(settings: ServiceSettings) -> list[str]:
    """What is wrong with ``settings``, in words; empty when the service may start."""
    problems = []
    if not settings.token_hashes:
        problems.append(
            f"no bearer token configured: give --token-file FILE or set {TOKEN_HASHES_ENV} "
            "(SHA-256 hashes of the tokens the ERP will send)"
        )
    if settings.workers < 1:
        problems.append("--workers must be at least 1")
    if not 0 < settings.request_timeout <= 300:
        problems.append("--timeout must be more than 0 and at most 300 seconds")
    if settings.max_body_bytes < 1024 or settings.max_batch_body_bytes < 1024:
        problems.append("body limits must be at least 1024 bytes")
    if settings.unavailable_status not in (200, 503):
        problems.append("--unavailable-status must be 200 or 503")
    return problems
