"""Starting uvicorn for ``flg serve``: workers, logging with request ids, proxy headers, shutdown.

Each worker is a process that imports ``app_from_environment`` and builds its own Guard; the
settings reach it in ``FLG_SERVICE_CONFIG``. With several workers, ``PROMETHEUS_MULTIPROC_DIR``
points at a fresh folder (removed at exit) so ``/metrics`` adds up every worker's values.

Behind a TLS-terminating proxy, uvicorn trusts ``X-Forwarded-For`` and ``X-Forwarded-Proto`` only
from the addresses in ``forwarded_allow_ips`` (default 127.0.0.1, a proxy on the same host), and
ignores them from anyone else. On SIGTERM or SIGINT it stops accepting connections, lets requests
in flight finish for up to ``shutdown_grace`` seconds, then each worker closes its stores.
"""

from __future__ import annotations

import asyncio
import shutil
import signal
import socket
import tempfile
from typing import Any

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from forced_labour_guard import settings as environment
from forced_labour_guard.cli.common import GuardOptions
from forced_labour_guard.service.config import ServiceSettings, hand_to_workers
from forced_labour_guard.service.runner import close_stores

FACTORY = "forced_labour_guard.service.app:app_from_environment"


class NoDelayH11Protocol(H11Protocol):
    """uvicorn's HTTP/1.1 protocol with Nagle's algorithm off on every connection.

    With one worker, asyncio turns Nagle off itself. With several, uvicorn binds the listening
    socket in the parent without naming the protocol (``proto`` 0), asyncio then does not
    recognise it as TCP, and every answer written in two parts (headers, body) waits for the
    client's delayed acknowledgement: some 40 ms per request. Measured with
    ``bench/service_bench.py``: p50 at one client fell from about 45 ms to a few ms."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(transport)


def log_config(level: str) -> dict[str, Any]:
    """Every log line with its time, level, process, request id and logger."""
    handler = {
        "class": "logging.StreamHandler",
        "stream": "ext://sys.stderr",
        "formatter": "default",
        "filters": ["request_id"],
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "request_id": {"()": "forced_labour_guard.service.request_context.RequestIdFilter"}
        },
        "formatters": {
            "default": {
                "format": "%(asctime)s %(levelname)s pid=%(process)d "
                "request_id=%(request_id)s %(name)s: %(message)s"
            }
        },
        "handlers": {"default": handler},
        "loggers": {
            "": {"handlers": ["default"], "level": level.upper()},
            "uvicorn": {"level": level.upper()},
            "uvicorn.access": {"level": "WARNING"},
        },
    }


def check_guard_options(options: GuardOptions) -> None:
    """Build the Guard once, as a screening command would, so that a bad policy file, register,
    store location or $FLG_LIST_CHECK_SECONDS stops ``flg serve`` with exit status 2 before any
    worker starts."""
    close_stores(options.build(list_check_seconds=environment.list_check_seconds()))


def _stopped(signum: int, frame: object) -> None:
    """Nothing left to do: uvicorn has already finished the requests and closed the stores."""


def serve(settings: ServiceSettings, options: GuardOptions) -> None:
    """Run the service until it is told to stop."""
    hand_to_workers(settings, options)
    metrics_dir = None
    if settings.workers > 1:
        metrics_dir = tempfile.mkdtemp(prefix="flg-metrics-")
        environment.hand_to_workers(environment.PROMETHEUS_MULTIPROC_DIR, metrics_dir)
    # uvicorn stops gracefully on SIGTERM/SIGINT, then raises the signal again for the handler
    # that was there before it; this one lets ``flg serve`` then exit 0 after a clean stop.
    for stop_signal in (signal.SIGTERM, signal.SIGINT):
        signal.signal(stop_signal, _stopped)
    try:
        uvicorn.run(
            FACTORY,
            factory=True,
            host=settings.host,
            port=settings.port,
            workers=settings.workers,
            http=NoDelayH11Protocol,
            log_config=log_config(settings.log_level),
            access_log=False,
            proxy_headers=True,
            forwarded_allow_ips=settings.forwarded_allow_ips,
            server_header=False,
            timeout_graceful_shutdown=int(settings.shutdown_grace),
        )
    finally:
        if metrics_dir is not None:
            shutil.rmtree(metrics_dir, ignore_errors=True)
