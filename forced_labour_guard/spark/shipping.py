"""Getting one Guard to every executor once, not once per row.

The driver pickles its Guard (policy, watchlists with their indices, denied-entry register, clock)
into one broadcast variable; each executor's Python worker unpickles it the first time a task needs
it and keeps it for every later batch and task it runs (Spark reuses Python workers by default).
The bundled region locator is not shipped: every process builds it from the package's own data, so
it is sent as "call ``default_locator()``". A custom locator is shipped as it is and must pickle.
Lists travel as the versions the driver's Guard uses when the job starts; executors never reload.

A Guard that writes to a store (``AuditedGuard``) or reads B4 campaign state from one cannot be
shipped: executors cannot share the driver's store. Screen on Spark with a plain Guard and record
what needs recording from the results.
"""

from __future__ import annotations

import hashlib
import io
import pickle
from typing import Any, TypeAlias

from pyspark import cloudpickle
from pyspark.broadcast import Broadcast
from pyspark.sql import SparkSession

from forced_labour_guard.guard import Guard
from forced_labour_guard.lists.live import LiveLists
from forced_labour_guard.region.gazetteer import default_locator


class _GuardPickler(cloudpickle.CloudPickler):  # type: ignore[misc]
    """cloudpickle (lambdas as clocks are fine) that sends the bundled locator by name, and the
    lists the Guard uses now as fixed lists: an executor cannot reach the driver's lists folder,
    and one job must screen every row against the same versions."""

    def reducer_override(self, obj: Any) -> Any:
        if obj is default_locator():
            return (default_locator, ())
        if isinstance(obj, LiveLists):
            in_use = obj.in_use
            return (LiveLists.fixed, (in_use.watchlists, in_use.problems))
        return super().reducer_override(obj)


def pack_guard(guard: Guard) -> bytes:
    """The Guard as bytes for a broadcast; a clear error for what cannot travel."""
    if not isinstance(guard, Guard):
        raise TypeError(
            f"Spark screening takes a forced_labour_guard.Guard, got {type(guard).__name__}; "
            "an AuditedGuard's store cannot be shared by executors"
        )
    if guard.b4_status is not None:
        raise TypeError(
            "a Guard with a B4 status provider reads a store and cannot be shipped to Spark "
            "executors; build the Guard without b4_status"
        )
    buffer = io.BytesIO()
    try:
        _GuardPickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(guard)
    except Exception as error:
        raise TypeError(f"this Guard cannot be shipped to Spark executors: {error}") from error
    return buffer.getvalue()


Shipped: TypeAlias = Broadcast
"""A broadcast of (digest, pickled Guard): the digest names the Guard in each worker's cache."""


def broadcast_guard(spark: SparkSession, guard: Guard | None) -> Shipped:
    """One broadcast of the Guard (``Guard.default()`` when None) for a job's executors."""
    packed = pack_guard(guard or Guard.default())
    return spark.sparkContext.broadcast((hashlib.sha256(packed).hexdigest(), packed))


_GUARDS: dict[str, Guard] = {}
"""Per Python worker process: the Guards unpacked so far, by digest."""


def executor_guard(shipped: Shipped) -> Guard:
    """The shipped Guard, unpacked once per worker process."""
    key, packed = shipped.value
    guard = _GUARDS.get(key)
    if guard is None:
        guard = pickle.loads(packed)
        if not isinstance(guard, Guard):  # a corrupted broadcast must not screen with nothing
            raise TypeError("the shipped object is not a Guard")
        _GUARDS[key] = guard
    return guard
