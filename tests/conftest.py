"""Shared fixtures: paths to the bundled examples and small record builders."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.postgres_cluster import URL_ENV, cluster, fresh_database, server_programs

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.fixture
def examples() -> Path:
    return EXAMPLES


def load_example(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXAMPLES / name).read_text(encoding="utf-8"))
    return data


@pytest.fixture(autouse=True)
def _isolated_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Tests never see a developer's own store, list folder or extra lists: each run starts as CI does."""
    monkeypatch.delenv("FLG_STORE", raising=False)
    monkeypatch.delenv("FLG_LISTS", raising=False)
    monkeypatch.setenv("FLG_LISTS_DIR", str(tmp_path_factory.mktemp("flg-lists")))


def _no_postgres(reason: str) -> None:
    """Skip, saying why; in CI (CI=true) a missing PostgreSQL is a failure, never a silent skip."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"PostgreSQL tests cannot run in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """The URL of a PostgreSQL server for the tests: ``$FLG_TEST_POSTGRES_URL`` (``.ci/run`` sets
    it), else a throwaway cluster started for this test session."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        _no_postgres("psycopg is not installed: pip install -e '.[dev,postgres]'")
    given = os.environ.get(URL_ENV)
    if given:
        yield given
        return
    programs = server_programs()
    if programs is None:
        _no_postgres("no PostgreSQL server programs (initdb, pg_ctl) on this machine")
        return
    with cluster(programs) as url:
        yield url


@pytest.fixture
def postgres_url(postgres_server: str) -> str:
    """A new empty database for one test."""
    return fresh_database(postgres_server)


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where a contract test keeps its store: a new SQLite file, then a new PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "flg.sqlite")
    url: str = request.getfixturevalue("postgres_url")
    return url
