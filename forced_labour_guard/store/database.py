"""The store's one database, SQLite or PostgreSQL, behind one small SQL spelling and a connection
per thread.

Everything the store keeps (the audit chain, overrides, first-seen dates, the campaign tables and
the pending B4 queue) is written through a :class:`Database`. It hides the few ways the two engines
differ so the queries are written once:

* placeholders are written ``?`` and become ``%s`` for psycopg;
* a write transaction is ``BEGIN IMMEDIATE`` on SQLite (one writer per file) and, on PostgreSQL,
  ``BEGIN`` followed by a transaction-level advisory lock on one fixed key, so "read the head hash,
  append the next entry" is one atomic step across processes and hosts on both;
* a read snapshot is a deferred transaction on SQLite and ``REPEATABLE READ READ ONLY`` on
  PostgreSQL;
* every error of either driver becomes a :class:`StoreError` naming the file or the host (never a
  password).

Threads: each thread gets its own connection on first use, so a server's worker threads can share
one store object (a SQLite connection must not be used by two threads at once, and a psycopg
connection runs one transaction at a time). ``close`` closes them all. Transactions nest: an inner
``transaction()`` on the same thread joins the outer one.
"""

from __future__ import annotations

import os
import re
import sqlite3
import threading
import time
import uuid
import weakref
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, Literal, Protocol
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

from forced_labour_guard.store.base import StoreError

Dialect = Literal["sqlite", "postgresql"]
Synchronous = Literal["NORMAL", "FULL"]

CHAIN_LOCK_KEY = 0x464C47_0001
"""The PostgreSQL advisory lock every writer holds for its transaction ("FLG" + 1)."""

POSTGRES_SCHEMES = ("postgresql", "postgres", "postgresql+psycopg")


class Cursor(Protocol):
    """What the store uses of a DB-API cursor; sqlite3's and psycopg's both fit."""

    @property
    def rowcount(self) -> int: ...

    @property
    def description(self) -> Any: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def __iter__(self) -> Iterator[Any]: ...


@dataclass(frozen=True)
class Location:
    """Where a store lives: a SQLite file or a PostgreSQL URL, and how to name it in messages."""

    dialect: Dialect
    target: str = field(repr=False)
    """The file path (SQLite) or the connection URL with its password (PostgreSQL)."""
    display: str
    """The path, or the URL without its password: what error messages and logs may show."""
    password: str | None = field(default=None, repr=False)
    settings: tuple[tuple[str, float], ...] = ()
    """``flg_*`` options taken from a PostgreSQL URL's query (see ``URL_SETTINGS``)."""


URL_SETTINGS: Final = ("connect_retry", "connect_timeout", "statement_timeout")
"""Seconds that a PostgreSQL URL may set as ``?flg_connect_retry=5&flg_statement_timeout=10``
(removed from the URL before it reaches libpq, which would refuse them)."""


def parse_location(location: str | Path) -> Location:
    """Read a store location: a file path or ``sqlite:///path`` for the embedded store, or
    ``postgresql://user[:password]@host[:port]/database[?options]`` for a server.

    Any other scheme is refused with a message, so a typo never opens a file named after a URL."""
    text = str(location).strip()
    if not text:
        raise StoreError("the store location is empty: give a file path or a postgresql:// URL")
    scheme = text.split("://", 1)[0].lower() if "://" in text else ""
    if scheme in POSTGRES_SCHEMES:
        return _postgres_location(text)
    if scheme == "sqlite":
        path = text[len("sqlite://") :]
        if not path:
            raise StoreError(f"{text}: give the file after sqlite://, e.g. sqlite:///var/flg.db")
        return Location("sqlite", path, path)
    if scheme:
        raise StoreError(
            f"{scheme}:// is not a store this release knows; give a file path, sqlite:///PATH "
            "or postgresql://USER@HOST/DATABASE"
        )
    return Location("sqlite", text, text)


def _postgres_location(url: str) -> Location:
    parts = urlsplit(url)
    kept, settings = [], []
    for name, value in parse_qsl(parts.query, keep_blank_values=True):
        if not name.startswith("flg_"):
            kept.append((name, value))
            continue
        setting = name.removeprefix("flg_")
        try:
            seconds = float(value)
        except ValueError:
            seconds = -1.0
        if setting not in URL_SETTINGS or not 0 <= seconds <= 3600:
            raise StoreError(
                f"{_without_password(url)}: {name}={value} is not a store option; use "
                + ", ".join(f"flg_{known}=SECONDS" for known in URL_SETTINGS)
            )
        settings.append((setting, seconds))
    url = urlunsplit(parts._replace(query=urlencode(kept)))
    try:
        port = parts.port
    except ValueError:
        raise StoreError(f"{_without_password(url)}: the port is not a number") from None
    host = parts.hostname or "localhost (socket)"
    where = f"{host}:{port}" if port else host
    database = parts.path.lstrip("/") or "(default database)"
    display = f"postgresql://{where}/{database}"
    if parts.username:
        display = f"postgresql://{unquote(parts.username)}@{where}/{database}"
    target = url.replace("postgresql+psycopg://", "postgresql://", 1)
    password = unquote(parts.password) if parts.password else None
    return Location("postgresql", target, display, password, tuple(settings))


def _without_password(url: str) -> str:
    return re.sub(r"(://[^:/@]*):[^@]*@", r"\1@", url)


class Database:
    """A connection per thread to one store database; see the module docstring."""

    def __init__(
        self,
        location: str | Path | Location,
        *,
        busy_timeout: float = 60.0,
        synchronous: Synchronous = "NORMAL",
        statement_timeout: float = 30.0,
        connect_timeout: float = 10.0,
        connect_retry: float = 20.0,
    ) -> None:
        self.location = location if isinstance(location, Location) else parse_location(location)
        self.dialect: Dialect = self.location.dialect
        self.busy_timeout = busy_timeout
        self.synchronous = synchronous
        given = dict(self.location.settings)
        self.statement_timeout = given.get("statement_timeout", statement_timeout)
        self.connect_timeout = given.get("connect_timeout", connect_timeout)
        self.connect_retry = given.get("connect_retry", connect_retry)
        self._local = threading.local()
        self._all: weakref.WeakSet[_ThreadConnection] = weakref.WeakSet()
        self._all_lock = threading.Lock()
        self._closed = False
        self._memory_anchor: sqlite3.Connection | None = None
        self._sqlite_target = self.location.target
        if self.dialect == "sqlite":
            self._check_sqlite_path()
        # The first connection is made now, so a wrong path or an unreachable server is reported
        # at start-up (PostgreSQL: retried with back-off for ``connect_retry`` seconds).
        self._connection(first=True)
        self._identity = self._file_identity() if self.dialect == "sqlite" else None

    # ------------------------------------------------------------------ naming and errors

    @property
    def display(self) -> str:
        return self.location.display

    def error(self, error: BaseException, doing: str = "") -> StoreError:
        """A StoreError for ``error`` naming the file or host, with any password removed."""
        message = str(error).strip() or type(error).__name__
        if self.location.password:
            message = message.replace(self.location.password, "***")
        message = _without_password(message)
        return StoreError(
            f"{self.display}: {doing + ' (' if doing else ''}{message}{')' if doing else ''}"
        )

    def driver_errors(self) -> tuple[type[BaseException], ...]:
        if self.dialect == "sqlite":
            return (sqlite3.Error,)
        import psycopg

        return (psycopg.Error,)

    # ------------------------------------------------------------------ connections

    def _check_sqlite_path(self) -> None:
        if self.location.target == ":memory:":
            # One private in-memory database shared by this object's connections (dry runs).
            self._sqlite_target = f"file:flg-{uuid.uuid4().hex}?mode=memory&cache=shared"
            self._memory_anchor = sqlite3.connect(
                self._sqlite_target, uri=True, check_same_thread=False
            )
            return
        path = Path(self.location.target)
        if not path.parent.is_dir():
            raise StoreError(f"{path}: directory {path.parent} does not exist")
        if path.is_dir():
            raise StoreError(f"{path}: is a directory; give the path of the store file")

    def _file_identity(self) -> tuple[int, int] | None:
        try:
            stat = os.stat(self.location.target)
        except OSError:
            return None
        return (stat.st_dev, stat.st_ino)

    def _check_same_file(self, doing: str) -> None:
        """Refuse to go on with a SQLite file removed or replaced since it was opened: an open
        connection would keep reading and writing the unlinked old file, and nobody would see it."""
        if self.dialect != "sqlite" or self._memory_anchor is not None:
            return
        if self._file_identity() != self._identity:
            raise StoreError(
                f"{self.display}: {doing} (the file was removed or replaced since it was opened)"
            )

    def _connection(self, *, first: bool = False) -> Any:
        held: _ThreadConnection | None = getattr(self._local, "held", None)
        if held is not None:
            return held.conn
        if self._closed:
            raise StoreError(f"{self.display}: the store was closed")
        conn = (
            self._connect_sqlite(first)
            if self.dialect == "sqlite"
            else self._connect_postgres(first)
        )
        held = _ThreadConnection(conn)
        self._local.held = held
        self._local.depth = 0
        with self._all_lock:
            self._all.add(held)
        return conn

    def _connect_sqlite(self, first: bool) -> sqlite3.Connection:
        memory = self._memory_anchor is not None
        try:
            conn = sqlite3.connect(
                self._sqlite_target,
                isolation_level=None,
                timeout=self.busy_timeout,
                check_same_thread=False,
                uri=memory,
            )
        except sqlite3.Error as error:
            raise self.error(error, "cannot open the store") from None
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout * 1000)}")
            conn.execute("PRAGMA foreign_keys = ON")
            if first and not memory:
                self._enable_wal(conn)
            conn.execute(f"PRAGMA synchronous = {self.synchronous}")
        except StoreError:
            conn.close()
            raise
        except sqlite3.Error as error:
            conn.close()
            raise self.error(error, "cannot open the store") from None
        return conn

    def _enable_wal(self, conn: sqlite3.Connection) -> None:
        """WAL lets readers run beside a writer; switching needs a moment alone with the file."""
        deadline = time.monotonic() + self.busy_timeout
        while True:
            try:
                mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
                break
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or time.monotonic() > deadline:
                    raise
                time.sleep(0.01)
        if str(mode).lower() != "wal":
            raise StoreError(f"{self.display}: the file system does not support SQLite WAL mode")

    def _connect_postgres(self, first: bool) -> Any:
        from forced_labour_guard.store.postgres import connect

        return connect(self, retry=first)

    @property
    def open_connections(self) -> int:
        """How many threads hold a connection now (those of finished threads are closed)."""
        with self._all_lock:
            return len(self._all)

    def close(self) -> None:
        """Close every thread's connection; the store cannot be used afterwards."""
        self._closed = True
        with self._all_lock:
            connections = list(self._all)
            self._all = weakref.WeakSet()
        for held in connections:
            held.close()
        if self._memory_anchor is not None:
            self._memory_anchor.close()
        self._local = threading.local()

    # ------------------------------------------------------------------ statements

    def sql(self, statement: str) -> str:
        """``statement`` in this driver's placeholder style."""
        return statement.replace("?", "%s") if self.dialect == "postgresql" else statement

    def execute(self, statement: str, params: Sequence[Any] = ()) -> Cursor:
        conn = self._connection()
        try:
            cursor: Cursor = conn.execute(self.sql(statement), tuple(params))
        except self.driver_errors() as error:
            self._drop_if_broken(conn)
            raise self.error(error) from None
        return cursor

    def _drop_if_broken(self, conn: Any) -> None:
        """A server connection that died (restart, network) is replaced on the next use."""
        if self.dialect == "postgresql" and (conn.closed or conn.broken):
            self._forget(conn)

    def executemany(self, statement: str, rows: Sequence[Sequence[Any]]) -> None:
        conn = self._connection()
        try:
            if self.dialect == "sqlite":
                conn.executemany(statement, rows)
            else:
                with conn.cursor() as cursor:
                    cursor.executemany(self.sql(statement), rows)
        except self.driver_errors() as error:
            self._drop_if_broken(conn)
            raise self.error(error) from None

    def fetch_dicts(self, statement: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """Rows as dicts keyed by column name (the same on both drivers)."""
        cursor = self.execute(statement, params)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def script(self, text: str) -> None:
        """Run DDL (several statements, no parameters) inside the current transaction."""
        conn = self._connection()
        try:
            if self.dialect == "postgresql":
                conn.execute(text)
                return
            statement = ""
            for line in text.splitlines(keepends=True):
                statement += line
                if sqlite3.complete_statement(statement):
                    conn.execute(statement)
                    statement = ""
        except self.driver_errors() as error:
            raise self.error(error) from None

    # ------------------------------------------------------------------ transactions

    def transaction(self) -> AbstractContextManager[Database]:
        """One atomic write, holding the store's single write lock: all of it commits, or none.

        Nested calls on one thread join the outermost transaction."""
        begin = (
            ["BEGIN IMMEDIATE"]
            if self.dialect == "sqlite"
            else ["BEGIN", f"SELECT pg_advisory_xact_lock({CHAIN_LOCK_KEY})"]
        )
        return self._transaction(begin, "cannot write the store")

    def snapshot(self) -> AbstractContextManager[Database]:
        """A consistent read-only view for a long read (verify, export) that never blocks writers."""
        begin = (
            ["BEGIN"]
            if self.dialect == "sqlite"
            else ["BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"]
        )
        return self._transaction(begin, "cannot read the store")

    @contextmanager
    def _transaction(self, begin: list[str], doing: str) -> Iterator[Database]:
        conn = self._connection()
        if self._local.depth:
            self._local.depth += 1
            try:
                yield self
            finally:
                self._local.depth -= 1
            return
        self._check_same_file(doing)
        self._run_transaction_body(conn, begin)
        try:
            self._local.depth = 1
            yield self
            self._finish(conn, "COMMIT")
        except BaseException:
            self._rollback(conn)
            raise
        finally:
            self._local.depth = 0

    def _run_transaction_body(self, conn: Any, statements: list[str]) -> None:
        try:
            for statement in statements:
                conn.execute(statement)
        except self.driver_errors() as error:
            self._rollback(conn)
            self._drop_if_broken(conn)
            raise self.error(error) from None

    def _finish(self, conn: Any, statement: str) -> None:
        try:
            conn.execute(statement)
        except self.driver_errors() as error:
            raise self.error(error) from None

    def _rollback(self, conn: Any) -> None:
        try:
            if self.dialect == "sqlite":
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
            else:
                conn.execute("ROLLBACK")
        except Exception:  # the connection is broken: drop it, the next use opens a new one
            self._forget(conn)

    def _forget(self, conn: Any) -> None:
        held: _ThreadConnection | None = getattr(self._local, "held", None)
        if held is not None and held.conn is conn:
            with self._all_lock:
                self._all.discard(held)
            held.close()
            self._local.held = None
        else:
            with suppress(Exception):
                conn.close()


class _ThreadConnection:
    """One thread's connection. When the thread ends, its thread-local copy of this goes away and
    the connection is closed with it, so a server whose worker threads come and go does not
    collect open connections; ``Database.close`` closes those of live threads."""

    __slots__ = ("__weakref__", "conn")

    def __init__(self, conn: Any) -> None:
        self.conn = conn

    def close(self) -> None:
        with suppress(Exception):  # best effort: a dead server connection is gone anyway
            self.conn.close()

    def __del__(self) -> None:
        self.close()
