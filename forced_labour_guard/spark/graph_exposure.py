"""Tier-n exposure on a graph too large for one machine, by iterative joins.

The rule is :mod:`forced_labour_guard.spark.graph`'s (read its docstring); this module runs it as
Spark jobs: seeds come from screening every company on its own with the shipped Guard; then, tier
by tier, the edges pointing at the last tier's companies are joined with it, companies already
reached are cut (an anti-join, so cycles end), and each new company keeps its smallest
(seed, path, kinds). Each tier is checkpointed so the plan does not grow with depth. The paragraph
and code of each path come from the same Python function as in-process, applied once at the end.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pyarrow as pa
from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from forced_labour_guard.errors import InputError
from forced_labour_guard.guard import Guard
from forced_labour_guard.model import FindingCode
from forced_labour_guard.spark.graph import EDGE_KINDS, paragraph_of, seed_code
from forced_labour_guard.spark.rows import SUPPLIER_COLUMNS, check_columns, supplier_from_row
from forced_labour_guard.spark.screening import spread
from forced_labour_guard.spark.shipping import Shipped, broadcast_guard, executor_guard

COMPANY_COLUMNS = tuple(c for c in SUPPLIER_COLUMNS if c != "relationships")
EDGE_COLUMNS = ("from_id", "to_id", "kind")
_SEED_SCHEMA = "company_id string, seed_reasons array<string>, error string"
EXPOSURE_SCHEMA = (
    "company_id string, tier int, seed_id string, code string, paragraph string, "
    "steps array<string>, seed_reasons array<string>, path array<string>, kinds array<string>, "
    "error string"
)
"""One row per company that reaches a seed within ``max_depth`` edges (seeds themselves at tier 0).
``error`` is set on the row of a company whose record could not be read."""

_SEED_CODES = {FindingCode.A1.value, FindingCode.ENTITY_LIST.value}
_SEED_ARROW = pa.schema(
    [
        ("company_id", pa.string()),
        ("seed_reasons", pa.list_(pa.string())),
        ("error", pa.string()),
    ]
)
_EXPOSURE_ARROW = pa.schema(
    [
        ("company_id", pa.string()),
        ("tier", pa.int32()),
        ("seed_id", pa.string()),
        ("code", pa.string()),
        ("paragraph", pa.string()),
        ("steps", pa.list_(pa.string())),
        ("seed_reasons", pa.list_(pa.string())),
        ("path", pa.list_(pa.string())),
        ("kinds", pa.list_(pa.string())),
        ("error", pa.string()),
    ]
)


def seed_row(row: dict[str, Any], position: int, guard: Guard) -> dict[str, Any] | None:
    """Why a company is a seed (its own A1 / ENTITY_LIST findings), or None when it is not one.
    A record that cannot be read is a seed with SCREENING_UNAVAILABLE (fail closed)."""
    company_id = row.get("id") if isinstance(row.get("id"), str) else None
    try:
        supplier = supplier_from_row(row, position)
    except InputError as error:
        unavailable = [FindingCode.SCREENING_UNAVAILABLE.value]
        return {"company_id": company_id, "seed_reasons": unavailable, "error": str(error)}
    if not supplier.id:
        return {
            "company_id": None,
            "seed_reasons": [FindingCode.SCREENING_UNAVAILABLE.value],
            "error": f"{supplier.name!r}: a company without an id cannot be linked by edges",
        }
    decision = guard.screen_supplier(supplier)
    codes = {f.code.value for f in decision.findings}
    reasons = sorted(codes & (_SEED_CODES | {FindingCode.SCREENING_UNAVAILABLE.value}))
    if not reasons:
        return None
    problems = [f.detail for f in decision.findings if f.code is FindingCode.SCREENING_UNAVAILABLE]
    return {
        "company_id": supplier.id,
        "seed_reasons": reasons,
        "error": "; ".join(problems) or None,
    }


def _seeds_arrow(shipped: Shipped) -> Any:
    def seeds(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        guard = executor_guard(shipped)
        for batch in batches:
            rows = [seed_row(row, i, guard) for i, row in enumerate(batch.to_pylist())]
            found = [row for row in rows if row is not None]
            yield pa.RecordBatch.from_pylist(found, schema=_SEED_ARROW)

    return seeds


def _explain(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    for batch in batches:
        rows = []
        for row in batch.to_pylist():
            paragraph, steps = paragraph_of(row["kinds"])
            rows.append(
                {
                    **row,
                    "code": seed_code(row["seed_reasons"], paragraph),
                    "paragraph": paragraph,
                    "steps": list(steps),
                }
            )
        yield pa.RecordBatch.from_pylist(rows, schema=_EXPOSURE_ARROW)


def _check_edges(edges: DataFrame) -> None:
    if sorted(edges.columns) != sorted(EDGE_COLUMNS):
        raise InputError(
            f"the edges must have exactly the columns {', '.join(EDGE_COLUMNS)}; "
            f"got {', '.join(edges.columns)}"
        )
    bad = (
        edges.filter(
            F.col("from_id").isNull() | F.col("to_id").isNull() | ~F.col("kind").isin(*EDGE_KINDS)
        )
        .limit(3)
        .collect()
    )
    if bad:
        shown = "; ".join(f"({r.from_id!r}, {r.to_id!r}, {r.kind!r})" for r in bad)
        raise InputError(
            f"edges with a missing id or an unknown kind (expected one of "
            f"{', '.join(EDGE_KINDS)}): {shown}"
        )


def exposure(
    companies: DataFrame,
    edges: DataFrame,
    *,
    max_depth: int = 10,
    guard: Guard | None = None,
) -> DataFrame:
    """Each company reaching a seed within ``max_depth`` edges, with its shortest path and the
    code and paragraph that path implies (see :data:`EXPOSURE_SCHEMA` and ``spark.graph``).

    ``companies`` holds canonical company records (Supplier fields without ``relationships``,
    ``id`` required); ``edges`` holds ``from_id, to_id, kind``. Runs one Spark job per tier."""
    if max_depth < 0:
        raise InputError("max_depth must be 0 or more")
    check_columns(companies.columns, allowed=COMPANY_COLUMNS, required=("id", "name"))
    _check_edges(edges)
    shipped = broadcast_guard(companies.sparkSession, guard)
    screened = spread(companies).mapInArrow(_seeds_arrow(shipped), _SEED_SCHEMA).localCheckpoint()
    # A company listed twice (merged supplier masters) is one seed with the reasons of both rows.
    seeds = (
        screened.filter(F.col("company_id").isNotNull())
        .groupBy("company_id")
        .agg(
            F.sort_array(F.array_distinct(F.flatten(F.collect_list("seed_reasons")))).alias(
                "seed_reasons"
            ),
            F.concat_ws("; ", F.collect_list("error")).alias("error"),
        )
        .withColumn("error", F.when(F.col("error") != "", F.col("error")))
    )
    reasons = seeds.select(F.col("company_id").alias("seed_id"), "seed_reasons", "error")
    frontier = seeds.select(
        "company_id",
        F.col("company_id").alias("seed_id"),
        F.array("company_id").alias("path"),
        F.array().cast("array<string>").alias("kinds"),
    )
    unlinked = screened.filter(F.col("company_id").isNull()).select(
        "company_id",
        F.lit(0).alias("tier"),
        F.lit(None).cast("string").alias("seed_id"),
        F.array().cast("array<string>").alias("path"),
        F.array().cast("array<string>").alias("kinds"),
        "seed_reasons",
        "error",
    )
    levels = [frontier.withColumn("tier", F.lit(0))]
    reached = frontier.select("company_id")
    edge = edges.select("from_id", "to_id", "kind")
    for tier in range(1, max_depth + 1):
        candidates = (
            edge.join(frontier, edge.to_id == frontier.company_id)
            .select(
                F.col("from_id").alias("company_id"),
                "seed_id",
                F.concat(F.array("from_id"), "path").alias("path"),
                F.concat(F.array("kind"), "kinds").alias("kinds"),
            )
            .join(reached, "company_id", "left_anti")
        )
        frontier = (
            candidates.groupBy("company_id")
            .agg(F.min(F.struct("seed_id", "path", "kinds")).alias("best"))
            .select("company_id", "best.seed_id", "best.path", "best.kinds")
            .localCheckpoint()
        )
        if frontier.isEmpty():
            break
        levels.append(frontier.withColumn("tier", F.lit(tier)))
        reached = reached.unionByName(frontier.select("company_id")).localCheckpoint()
    found = levels[0]
    for level in levels[1:]:
        found = found.unionByName(level)
    explained = found.join(reasons, "seed_id").select(
        "company_id",
        F.col("tier").cast("int").alias("tier"),
        "seed_id",
        "path",
        "kinds",
        "seed_reasons",
        F.when(F.col("tier") == 0, F.col("error")).alias("error"),
    )
    explained = explained.unionByName(unlinked.withColumn("tier", F.col("tier").cast("int")))
    return explained.mapInArrow(_explain, EXPOSURE_SCHEMA)
