"""The store's modules cannot be confused with the core's by name (issue 10, tidy-ups)."""

from __future__ import annotations

from pathlib import Path

import forced_labour_guard

PACKAGE = Path(forced_labour_guard.__file__).parent


def test_records_module_name_is_not_shared_with_the_store() -> None:
    """``forced_labour_guard/records.py`` is the only ``records.py``: an import of the wrong one
    must not be one typo away."""
    found = sorted(path.relative_to(PACKAGE.parent) for path in PACKAGE.rglob("records.py"))
    assert found == [Path("forced_labour_guard/records.py")]
