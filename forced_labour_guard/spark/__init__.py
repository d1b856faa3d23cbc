"""Screening on Apache Spark, for supplier masters and supply-chain graphs past one machine.

Install the extra first: ``pip install 'forced_labour_guard[spark]'`` (PySpark 4 with PyArrow; Spark
needs Java 17 or newer). Two entry points:

- :func:`screen_suppliers`: a DataFrame of canonical Supplier records in, one decision row per
  record out, the same decisions as :meth:`forced_labour_guard.Guard.screen_suppliers`.
- :func:`exposure`: which companies of a large graph reach a company in the Uyghur Region or a
  listed entity within N tiers, by which shortest path, and what that path means under the Call to
  Action.

Both are imported on first use, so :mod:`forced_labour_guard.spark.graph` (the same exposure rule
in plain Python, for graphs that fit in memory) works without PySpark. The core never imports this
package.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from forced_labour_guard.spark.graph_exposure import EXPOSURE_SCHEMA, exposure
    from forced_labour_guard.spark.screening import SCREENING_SCHEMA, screen_suppliers

_HOMES = {
    "exposure": "graph_exposure",
    "EXPOSURE_SCHEMA": "graph_exposure",
    "screen_suppliers": "screening",
    "SCREENING_SCHEMA": "screening",
}

__all__ = ["EXPOSURE_SCHEMA", "SCREENING_SCHEMA", "exposure", "screen_suppliers"]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    importlib.import_module(f"{__name__}.requirements")  # a clear message without the extra
    return getattr(importlib.import_module(f"{__name__}.{home}"), name)
