"""The one clock: timezone-aware UTC now, and the type of a clock that can be given instead.

Everything that stamps a time (decisions, audit entries, campaigns, list refreshes) takes a
``Clock`` so that tests and long-running processes can say what "now" is; the default is
:func:`utc_now`. Dates derived from it are UTC dates, the same in every process.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

Clock = Callable[[], dt.datetime]


def utc_now() -> dt.datetime:
    """Now, timezone-aware, in UTC."""
    return dt.datetime.now(dt.UTC)
