"""Every setting of the decision service in one place, with its default and why.

``flg serve`` fills a :class:`ServiceSettings` and a :class:`GuardOptions` from its command line and
the environment, then hands both to each uvicorn worker through one environment variable
(``FLG_SERVICE_CONFIG``, JSON), so every worker builds the same Guard with the same builder as the
screening commands (``forced_labour_guard.cli.common.build_guard``).

Environment variables read here:

``FLG_SERVICE_TOKEN_HASHES``
    SHA-256 hashes (hex) of the accepted bearer tokens, separated by commas or spaces.
``FLG_SERVICE_TOKEN_FILE``
    A file of such hashes, one a line (``sha256sum`` output works as it is; ``#`` starts a comment).

The Guard's own variables (``FLG_STORE``, ``FLG_LISTS``, ``FLG_LISTS_DIR``) are read by the
builder, as for the commands. This module needs nothing from the ``[server]`` extra.
"""

from __future__ import annotations

import argparse
import json
import os
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Final

from forced_labour_guard.errors import InputError
from forced_labour_guard.lists.status import DEFAULT_MAX_AGE_DAYS

TOKEN_HASHES_ENV: Final = "FLG_SERVICE_TOKEN_HASHES"
TOKEN_FILE_ENV: Final = "FLG_SERVICE_TOKEN_FILE"
CONFIG_ENV: Final = "FLG_SERVICE_CONFIG"
"""How ``flg serve`` passes its settings to the worker processes uvicorn starts (internal)."""

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


@dataclass(frozen=True)
class GuardOptions:
    """The screening commands' Guard options (``add_guard_setup_options``), as plain data."""

    store: str | None = None
    policy: str | None = None
    denied_entry: str | None = None
    lists: list[str] = field(default_factory=list)
    lists_dir: str | None = None
    max_list_age: int = DEFAULT_MAX_AGE_DAYS

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> GuardOptions:
        return cls(
            store=getattr(args, "store", None),
            policy=getattr(args, "policy", None),
            denied_entry=getattr(args, "denied_entry", None),
            lists=list(getattr(args, "lists", None) or []),
            lists_dir=getattr(args, "lists_dir", None),
            max_list_age=getattr(args, "max_list_age", DEFAULT_MAX_AGE_DAYS),
        )

    def namespace(self) -> argparse.Namespace:
        """What ``build_guard`` expects, as if these had come from the command line."""
        return argparse.Namespace(**asdict(self))


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


def load_token_hashes(
    token_file: str | None = None, environ: Mapping[str, str] | None = None
) -> tuple[str, ...]:
    """Every accepted hash: from ``token_file`` (else ``$FLG_SERVICE_TOKEN_FILE``) and from
    ``$FLG_SERVICE_TOKEN_HASHES``. Several at once is how tokens are rotated."""
    env = os.environ if environ is None else environ
    hashes: list[str] = []
    path = token_file or env.get(TOKEN_FILE_ENV)
    if path:
        try:
            text = Path(path).read_text("utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise InputError(f"cannot read the token file ({error})", source=path) from None
        hashes += hashes_from_file(text, source=path)
    if env.get(TOKEN_HASHES_ENV):
        hashes += hashes_from_variable(env[TOKEN_HASHES_ENV])
    return tuple(dict.fromkeys(hashes))


def to_environment(settings: ServiceSettings, options: GuardOptions) -> str:
    """The JSON that :func:`from_environment` reads back in each worker."""
    return json.dumps({"settings": asdict(settings), "guard": asdict(options)})


def from_environment(
    environ: Mapping[str, str] | None = None,
) -> tuple[ServiceSettings, GuardOptions]:
    env = os.environ if environ is None else environ
    data: dict[str, Any] = json.loads(env[CONFIG_ENV])
    settings = dict(data["settings"])
    settings["token_hashes"] = tuple(settings.get("token_hashes", ()))
    return ServiceSettings(**settings), GuardOptions(**data["guard"])


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
