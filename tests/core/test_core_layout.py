"""Traps removed by keeping one home for each thing: settings, argument parsing, shared helpers."""

from __future__ import annotations

import re
from pathlib import Path

from forced_labour_guard import settings

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "forced_labour_guard"


def sources(*roots: Path) -> dict[str, str]:
    return {
        str(path.relative_to(ROOT)): path.read_text(encoding="utf-8")
        for root in roots
        for path in sorted(root.rglob("*.py"))
    }


def test_only_the_settings_module_reads_the_environment() -> None:
    readers = [
        name
        for name, text in sources(PACKAGE, ROOT / "adapters").items()
        if re.search(r"os\.environ|os\.getenv|getenv\(", text)
    ]
    assert readers == ["forced_labour_guard/settings.py"]


def test_argument_parsing_stays_inside_the_cli() -> None:
    outside = [
        name
        for name, text in sources(PACKAGE, ROOT / "adapters").items()
        if re.search(r"^\s*(import argparse|from argparse )", text, re.MULTILINE)
        and not name.startswith("forced_labour_guard/cli/")
    ]
    assert outside == []


def test_one_supplier_key_and_one_utc_now() -> None:
    texts = sources(PACKAGE)
    for function, home in (
        ("supplier_key", "forced_labour_guard/model.py"),
        ("utc_now", "forced_labour_guard/clock.py"),
    ):
        defined = [n for n, t in texts.items() if re.search(rf"^def _?{function}\(", t, re.M)]
        assert defined == [home], function


def test_the_readme_table_lists_every_environment_variable_with_its_default() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = {
        match.group(1): match.group(2).strip()
        for match in re.finditer(r"^\| `([A-Z_]+)` \| ([^|]*) \|", readme, re.MULTILINE)
    }
    for variable in settings.VARIABLES:
        assert variable.name in rows, variable.name
        shown = rows[variable.name].strip("`")
        assert shown == (variable.default or "unset"), variable.name
