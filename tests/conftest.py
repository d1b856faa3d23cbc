"""Shared fixtures: paths to the bundled examples and small record builders."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

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
