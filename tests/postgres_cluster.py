"""A throwaway PostgreSQL cluster for the tests, made with the machine's own ``initdb``/``pg_ctl``.

``.ci/run`` starts one and exports its URL as ``FLG_TEST_POSTGRES_URL``; a developer's plain
``python -m pytest`` gets one from the session fixture instead, as long as the PostgreSQL server
programs are installed (Debian: ``postgresql-15``). Tests that need it skip, saying why, only where
those programs do not exist at all, and with ``CI=true`` that skip is a failure.

The cluster trusts local connections, listens on 127.0.0.1 on a free port and on a socket in its
own temporary folder, and runs without fsync (it is thrown away); as root it runs as the
``postgres`` system user, since PostgreSQL refuses to run as root.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

URL_ENV = "FLG_TEST_POSTGRES_URL"
SUPERUSER = "flg"


def server_programs() -> Path | None:
    """The folder holding ``initdb`` and ``pg_ctl``, or None where PostgreSQL is not installed."""
    found = shutil.which("pg_ctl")
    if found and shutil.which("initdb"):
        return Path(found).parent
    for folder in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (folder / "initdb").exists() and (folder / "pg_ctl").exists():
            return folder
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _as_server_user(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@contextmanager
def cluster(programs: Path, *, durable: bool = False) -> Iterator[str]:
    """Start a cluster, yield the URL of its ``postgres`` database, stop and remove it at the end.
    ``durable`` keeps fsync on (benchmarks); tests run without it."""
    folder = Path(tempfile.mkdtemp(prefix="flg-pg-"))
    data = folder / "data"
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    port = _free_port()
    log = folder / "server.log"
    try:
        subprocess.run(
            _as_server_user(
                [
                    str(programs / "initdb"),
                    "-D",
                    str(data),
                    "-U",
                    SUPERUSER,
                    "-A",
                    "trust",
                    "--no-sync",
                    "-E",
                    "UTF8",
                    "--locale=C",
                ]
            ),
            check=True,
            capture_output=True,
        )
        settings = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1"
        if not durable:
            settings += " -c fsync=off"
        subprocess.run(
            _as_server_user(
                [
                    str(programs / "pg_ctl"),
                    "-D",
                    str(data),
                    "-l",
                    str(log),
                    "-o",
                    settings,
                    "-w",
                    "start",
                ]
            ),
            check=True,
            capture_output=True,
        )
        yield f"postgresql://{SUPERUSER}@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            _as_server_user([str(programs / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
            capture_output=True,
        )
        shutil.rmtree(folder, ignore_errors=True)


def fresh_database(server_url: str) -> str:
    """A new, empty database on the server at ``server_url``; returns its URL."""
    import psycopg

    name = f"flg_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return server_url.rsplit("/", 1)[0] + f"/{name}"
