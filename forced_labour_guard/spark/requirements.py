"""A clear message, instead of a bare ImportError, when the ``[spark]`` extra is missing."""

from __future__ import annotations

import importlib.util

MISSING = [name for name in ("pyspark", "pyarrow") if importlib.util.find_spec(name) is None]
if MISSING:
    raise ImportError(
        f"forced_labour_guard.spark needs {' and '.join(MISSING)}: "
        "pip install 'forced_labour_guard[spark]'"
    )
