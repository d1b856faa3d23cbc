"""``flg serve``: the HTTP decision service (needs the ``[server]`` extra); see docs/service.md."""

from __future__ import annotations

import argparse
from typing import Any

from forced_labour_guard.cli.common import GuardOptions, add_guard_setup_options
from forced_labour_guard.errors import UsageError
from forced_labour_guard.service.config import (
    DEFAULT_FORWARDED_ALLOW_IPS,
    DEFAULT_HOST,
    DEFAULT_MAX_BATCH_BODY,
    DEFAULT_MAX_BODY,
    DEFAULT_PORT,
    DEFAULT_SHUTDOWN_GRACE,
    DEFAULT_TIMEOUT,
    TOKEN_FILE_ENV,
    TOKEN_HASHES_ENV,
    ServiceSettings,
    check_settings,
    load_token_hashes,
)

EXTRA_HINT = "flg serve needs the [server] extra: pip install 'forced_labour_guard[server]'"


def register(subparsers: Any) -> None:
    serve = subparsers.add_parser(
        "serve", help="run the HTTP decision service (extra [server]; see docs/service.md)"
    )
    serve.add_argument(
        "--host", default=DEFAULT_HOST, help=f"address to bind (default {DEFAULT_HOST})"
    )
    serve.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"default {DEFAULT_PORT}")
    serve.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
    serve.add_argument(
        "--token-file",
        metavar="FILE",
        help=f"SHA-256 hashes of accepted bearer tokens, one a line (also ${TOKEN_FILE_ENV}; "
        f"${TOKEN_HASHES_ENV} adds more)",
    )
    serve.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=f"time limit per decision; past it the answer is a fail-closed block (default {DEFAULT_TIMEOUT:g})",
    )
    serve.add_argument(
        "--max-body",
        type=int,
        default=DEFAULT_MAX_BODY,
        metavar="BYTES",
        help="largest body of a single-record request (default 1 MiB); larger answers 413",
    )
    serve.add_argument(
        "--max-batch-body",
        type=int,
        default=DEFAULT_MAX_BATCH_BODY,
        metavar="BYTES",
        help="largest body of a screen-batch request (default 64 MiB)",
    )
    serve.add_argument(
        "--unavailable-status",
        type=int,
        choices=[200, 503],
        default=200,
        help="HTTP status of a SCREENING_UNAVAILABLE block (default 200; the body is the same)",
    )
    serve.add_argument(
        "--forwarded-allow-ips",
        default=DEFAULT_FORWARDED_ALLOW_IPS,
        metavar="IPS",
        help="proxies trusted to set X-Forwarded-For/-Proto (default 127.0.0.1)",
    )
    serve.add_argument(
        "--shutdown-grace",
        type=float,
        default=DEFAULT_SHUTDOWN_GRACE,
        metavar="SECONDS",
        help="on SIGTERM, how long requests in flight may finish (default 30)",
    )
    serve.add_argument("--log-level", default="info", choices=["debug", "info", "warning", "error"])
    add_guard_setup_options(serve)
    serve.set_defaults(func=_serve)


def settings_from_args(args: argparse.Namespace) -> ServiceSettings:
    settings = ServiceSettings(
        host=args.host,
        port=args.port,
        workers=args.workers,
        token_hashes=load_token_hashes(args.token_file),
        max_body_bytes=args.max_body,
        max_batch_body_bytes=args.max_batch_body,
        request_timeout=args.timeout,
        unavailable_status=args.unavailable_status,
        forwarded_allow_ips=args.forwarded_allow_ips,
        shutdown_grace=args.shutdown_grace,
        log_level=args.log_level,
    )
    problems = check_settings(settings)
    if problems:
        raise UsageError("; ".join(problems))
    return settings


def _serve(args: argparse.Namespace) -> int:
    try:
        from forced_labour_guard.service import server
    except ImportError as error:
        raise UsageError(f"{EXTRA_HINT} ({error})") from None
    settings = settings_from_args(args)
    options = GuardOptions.from_args(args)
    server.check_guard_options(options)
    server.serve(settings, options)
    return 0
