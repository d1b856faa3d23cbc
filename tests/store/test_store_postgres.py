"""What a server store can get wrong: unreachable servers, start-up retries, statement timeouts,
passwords kept out of every message, and connections left open by the commands."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

import psycopg
import pytest
from store_helpers import decision, finding, run_sql

from forced_labour_guard.cli import main
from forced_labour_guard.guard import Guard
from forced_labour_guard.model import Action, FindingCode, Supplier
from forced_labour_guard.recording import recording_guard
from forced_labour_guard.store import StoreError, open_store, parse_location
from forced_labour_guard.store.database import CHAIN_LOCK_KEY, Database

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
PASSWORD = "s3cret-Pa55"


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _with_password(url: str) -> str:
    return url.replace("postgresql://flg@", f"postgresql://flg:{PASSWORD}@", 1)


def test_location_shows_the_host_and_hides_the_password() -> None:
    location = parse_location(f"postgresql://flg:{PASSWORD}@db.internal:5433/audit")
    assert location.display == "postgresql://flg@db.internal:5433/audit"
    assert PASSWORD not in repr(location)


def test_unreachable_server_makes_screening_block_naming_the_host_not_the_password(
    capsys: pytest.CaptureFixture[str],
) -> None:
    port = _closed_port()
    url = f"postgresql://flg:{PASSWORD}@127.0.0.1:{port}/flg?flg_connect_retry=0"
    code = main(
        [
            "check-po",
            str(EXAMPLES / "po_clean.json"),
            "--store",
            url,
            "--json",
            "--fail-on",
            "block",
        ]
    )
    out, err = capsys.readouterr()
    assert code == 1
    result = json.loads(out)
    assert result["action"] == "block"
    [unavailable] = [f for f in result["findings"] if f["code"] == "SCREENING_UNAVAILABLE"]
    assert f"127.0.0.1:{port}" in unavailable["detail"]
    assert PASSWORD not in out + err


def test_server_gone_after_start_fails_each_decision_closed(postgres_url: str) -> None:
    url = _with_password(postgres_url)  # start-up retries only: the outage later fails at once
    database = postgres_url.rsplit("/", 1)[1]
    with recording_guard(url, lambda provider: Guard.default(b4_status=provider)) as guard:
        first = guard.screen_supplier(Supplier(id="S-1", name="Harbour Tools GmbH"))
        assert first.action is Action.ALLOW
        server = postgres_url.rsplit("/", 1)[0] + "/postgres"
        run_sql(
            server,
            f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS false',
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            f"WHERE datname = '{database}' AND pid <> pg_backend_pid()",
        )
        later = guard.screen_supplier(Supplier(id="S-2", name="Harbour Tools GmbH"))
    assert later.action is Action.BLOCK
    details = [f.detail for f in later.findings if f.code is FindingCode.SCREENING_UNAVAILABLE]
    assert any("audit store" in detail for detail in details)
    assert all("127.0.0.1" in detail and PASSWORD not in detail for detail in details)


def test_a_server_not_ready_at_start_is_retried(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_connect = psycopg.connect
    attempts: list[int] = []

    def flaky(*args: Any, **kwargs: Any) -> Any:
        attempts.append(1)
        if len(attempts) < 3:
            raise psycopg.OperationalError("the database system is starting up")
        return real_connect(*args, **kwargs)

    monkeypatch.setattr(psycopg, "connect", flaky)
    with open_store(postgres_url) as store:
        assert store.verify().ok
    assert len(attempts) >= 3


def test_every_statement_has_a_timeout(postgres_url: str) -> None:
    """A writer stuck holding the store's lock blocks others for the statement timeout, then the
    append fails (and screening fails closed) instead of hanging."""
    open_store(postgres_url).close()
    with psycopg.connect(postgres_url, autocommit=True) as holder:
        holder.execute(f"SELECT pg_advisory_lock({CHAIN_LOCK_KEY})")
        with (
            open_store(postgres_url + "?flg_statement_timeout=0.5") as store,
            pytest.raises(StoreError, match="statement timeout"),
        ):
            store.append_decision(
                decision(finding()),
                record_kind="supplier",
                record_hash="a" * 64,
                record_id=None,
                supplier_id="S-1",
            )
        holder.execute(f"SELECT pg_advisory_unlock({CHAIN_LOCK_KEY})")


def test_an_unknown_store_option_in_the_url_is_refused() -> None:
    with pytest.raises(StoreError, match="flg_retries=3 is not a store option"):
        parse_location("postgresql://flg@db/flg?flg_retries=3")


@pytest.mark.parametrize("command", ["check-po", "screen-supplier", "screen-suppliers"])
def test_screening_commands_close_the_store_they_open(
    store_url: str,
    command: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    opened: list[Database] = []
    closed: list[Database] = []
    real_init, real_close = Database.__init__, Database.close

    def spy_init(self: Database, *args: Any, **kwargs: Any) -> None:
        real_init(self, *args, **kwargs)
        opened.append(self)

    def spy_close(self: Database) -> None:
        closed.append(self)
        real_close(self)

    monkeypatch.setattr(Database, "__init__", spy_init)
    monkeypatch.setattr(Database, "close", spy_close)
    record = {
        "check-po": "po_clean.json",
        "screen-supplier": "supplier_clean.json",
        "screen-suppliers": "suppliers.jsonl",
    }[command]
    quiet = ["--quiet"] if command == "screen-suppliers" else []
    main([command, str(EXAMPLES / record), "--store", store_url, *quiet])
    capsys.readouterr()
    assert opened and all(db in closed for db in opened)
