"""A shared ``flg serve`` for the tests that need no special configuration."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.service.service_helpers import (
    ServiceProcess,
    clean_environment,
    write_token_file,
)

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"


@pytest.fixture(scope="session")
def service_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("service")


@pytest.fixture(scope="session")
def service(service_folder: Path) -> Iterator[ServiceProcess]:
    """``flg serve`` with a token file, the C2 register of the examples, and no store."""
    tokens = write_token_file(service_folder)
    lists_dir = service_folder / "lists"
    lists_dir.mkdir()
    process = ServiceProcess(
        ["--token-file", str(tokens), "--denied-entry", str(EXAMPLES / "denied_entry.csv")],
        clean_environment(lists_dir),
        service_folder / "service.log",
    )
    yield process
    process.stop()
