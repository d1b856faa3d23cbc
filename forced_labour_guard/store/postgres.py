"""Connecting to PostgreSQL (extra ``[postgres]``): psycopg 3, retried on start-up, with timeouts.

Only the connection is PostgreSQL-specific here; the SQL is shared with SQLite (see ``database``)
and the schema comes from the one migration list (``migrations``). Each connection:

* is retried on start-up with back-off by tenacity while the server is starting or briefly
  unreachable, for ``connect_retry`` seconds in all, then fails with a StoreError naming the host
  (never the password), which a screening turns into SCREENING_UNAVAILABLE (fail closed); later
  connections are tried once;
* waits at most ``connect_timeout`` seconds for one attempt;
* runs every statement under ``statement_timeout`` (lock waits included), so a stuck server or a
  writer that never commits blocks a screening for a bounded time, then fails closed;
* runs in autocommit mode; ``Database.transaction`` issues BEGIN/COMMIT itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tenacity import Retrying, retry_if_exception_type, stop_after_delay, wait_exponential

from forced_labour_guard.store.base import StoreError

if TYPE_CHECKING:
    from forced_labour_guard.store.database import Database

INSTALL_HINT = "pip install 'forced_labour_guard[postgres]'"


def connect(db: Database, *, retry: bool) -> Any:
    """A new autocommit connection for ``db``. ``retry`` (the store's first connection, at
    start-up) keeps trying with back-off for ``db.connect_retry`` seconds while the server cannot
    be reached; later connections (a new thread, a reconnect after the server went away) try once,
    so a decision during an outage fails closed at once instead of waiting."""
    try:
        import psycopg
    except ImportError:
        raise StoreError(
            f"{db.display}: a PostgreSQL store needs the psycopg driver: {INSTALL_HINT}"
        ) from None
    options = (
        f"-c statement_timeout={int(db.statement_timeout * 1000)} "
        f"-c idle_in_transaction_session_timeout={int(max(db.statement_timeout, 1) * 2000)} "
        "-c application_name=forced_labour_guard"
    )

    def attempt() -> Any:
        return psycopg.connect(
            db.location.target,
            autocommit=True,
            connect_timeout=max(1, int(db.connect_timeout)),
            options=options,
        )

    retrying = Retrying(
        retry=retry_if_exception_type(psycopg.OperationalError),
        stop=stop_after_delay(db.connect_retry if retry else 0),
        wait=wait_exponential(multiplier=0.2, max=2.0),
        reraise=True,
    )
    try:
        return retrying(attempt)
    except psycopg.Error as error:
        raise db.error(error, "cannot reach the PostgreSQL store") from None
