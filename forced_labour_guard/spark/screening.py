"""Screening a DataFrame of suppliers: one decision row per record, in Arrow batches.

Each executor screens its partitions with the Guard shipped once (:mod:`.shipping`); rows travel as
Arrow record batches (``mapInArrow``), so no row is turned into a Python object twice. A row that
cannot be read is answered on its own row: action ``block`` with SCREENING_UNAVAILABLE and the
error naming the field, never dropped and never ``allow``. A filter on ``action != 'allow'`` keeps it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pyarrow as pa
from pyspark.sql import DataFrame

from forced_labour_guard.errors import InputError
from forced_labour_guard.guard import Guard
from forced_labour_guard.model import Action, Decision, FindingCode
from forced_labour_guard.spark.rows import SUPPLIER_COLUMNS, check_columns, supplier_from_row
from forced_labour_guard.spark.shipping import Shipped, broadcast_guard, executor_guard

SCREENING_SCHEMA = (
    "id string, name string, action string, finding_codes array<string>, steps array<string>, "
    "reasons array<string>, warnings array<string>, list_versions string, "
    "policy_version string, screened_at timestamp, decision string, error string"
)
"""One row per supplier. ``decision`` is the whole Decision as JSON (findings, evidence, overrides);
``error`` is set, and ``decision`` null, for a row that could not be read."""

_ARROW_SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("name", pa.string()),
        ("action", pa.string()),
        ("finding_codes", pa.list_(pa.string())),
        ("steps", pa.list_(pa.string())),
        ("reasons", pa.list_(pa.string())),
        ("warnings", pa.list_(pa.string())),
        ("list_versions", pa.string()),
        ("policy_version", pa.string()),
        ("screened_at", pa.timestamp("us", tz="UTC")),
        ("decision", pa.string()),
        ("error", pa.string()),
    ]
)


def decision_row(supplier_id: str | None, name: str | None, decision: Decision) -> dict[str, Any]:
    """The output row for a screened supplier."""
    return {
        "id": supplier_id,
        "name": name,
        "action": decision.action.value,
        "finding_codes": [f.code.value for f in decision.findings],
        "steps": list(decision.steps),
        "reasons": list(decision.reasons),
        "warnings": list(decision.warnings),
        "list_versions": json.dumps(
            [v.model_dump(mode="json") for v in decision.list_versions], ensure_ascii=False
        ),
        "policy_version": decision.policy_version,
        "screened_at": decision.screened_at,
        "decision": decision.model_dump_json(),
        "error": None,
    }


def error_row(row: dict[str, Any], guard: Guard, error: InputError) -> dict[str, Any]:
    """The output row for a record that could not be read: blocked, with the reason."""
    supplier_id, name = row.get("id"), row.get("name")
    return {
        "id": supplier_id if isinstance(supplier_id, str) else None,
        "name": name if isinstance(name, str) else None,
        "action": Action.BLOCK.value,
        "finding_codes": [FindingCode.SCREENING_UNAVAILABLE.value],
        "steps": [],
        "reasons": [
            f"This record could not be read ({error}), so it was not screened and must not be "
            "treated as cleared."
        ],
        "warnings": [],
        "list_versions": json.dumps(
            [v.model_dump(mode="json") for v in guard.list_versions], ensure_ascii=False
        ),
        "policy_version": guard.policy.version,
        "screened_at": guard.clock(),
        "decision": None,
        "error": str(error),
    }


def screen_batch(rows: list[dict[str, Any]], guard: Guard) -> list[dict[str, Any]]:
    """Screen one batch of rows (plain dicts) with ``guard``: the pure part, Spark-free."""
    out = []
    for position, row in enumerate(rows):
        try:
            supplier = supplier_from_row(row, position)
        except InputError as error:
            out.append(error_row(row, guard, error))
            continue
        out.append(decision_row(supplier.id, supplier.name, guard.screen_supplier(supplier)))
    return out


def _screen_arrow(shipped: Shipped) -> Any:
    def screen(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        guard = executor_guard(shipped)
        for batch in batches:
            rows = screen_batch(batch.to_pylist(), guard)
            yield pa.RecordBatch.from_pylist(rows, schema=_ARROW_SCHEMA)

    return screen


def screen_suppliers(df: DataFrame, *, guard: Guard | None = None) -> DataFrame:
    """Screen every supplier record of ``df``; one row per record (see :data:`SCREENING_SCHEMA`).

    ``guard`` (default ``Guard.default()``) is built on the driver and shipped to the executors
    once. The result is lazy, like any DataFrame: nothing is screened until it is written or
    collected. Columns that are not Supplier fields are refused (InputError) before any work."""
    check_columns(df.columns, allowed=SUPPLIER_COLUMNS, required=("name",))
    shipped = broadcast_guard(df.sparkSession, guard)
    return spread(df).mapInArrow(_screen_arrow(shipped), SCREENING_SCHEMA)


def spread(df: DataFrame) -> DataFrame:
    """At least one partition per core: one Parquet file or one JSON file is read as one
    partition, which would screen a whole supplier master on one core."""
    cores = df.sparkSession.sparkContext.defaultParallelism
    return df.repartition(cores) if df.rdd.getNumPartitions() < cores else df
