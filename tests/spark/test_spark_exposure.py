"""Tier-n exposure on Spark: the shortest path to the region or a listed entity, the code the path
implies, and the same answer as in plain Python and as the Guard's own walk."""

from __future__ import annotations

import datetime as dt
import json
import random
from typing import Any

import pytest

from forced_labour_guard import Guard, Supplier
from forced_labour_guard.errors import InputError
from forced_labour_guard.model import FindingCode
from forced_labour_guard.spark.graph import EDGE_KINDS, local_exposure

pytest.importorskip("pyspark", reason="the [spark] extra is not installed")

from forced_labour_guard.spark import exposure

NOW = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)
# A listed company whose name places it nowhere: a name leading with a place of the region
# (Hetian ...) would also be A1 by its registration place (docs/region.md rule 14).
LISTED = "Ninestar Corporation"

COMPANIES: list[dict[str, Any]] = [
    {"id": "R1", "name": "Region Cotton", "addresses": [{"city": "Urumqi", "country": "CN"}]},
    {"id": "L1", "name": LISTED},
    {"id": "U", "name": "Unreadable", "country": "Chinaa"},
    *({"id": cid, "name": f"Company {cid}", "country": "DE"} for cid in "ABCDEFGHTVXZ"),
    {"id": "Z2", "name": "Company Z2"},
    {"id": "Z3", "name": "Company Z3"},
]
EDGES = [
    ("A", "B", "sub_supplier"),
    ("B", "R1", "sub_supplier"),
    ("C", "R1", "subsidiary"),
    ("D", "E", "producer"),
    ("E", "R1", "sub_supplier"),
    ("F", "L1", "operation"),
    ("G", "H", "sub_supplier"),
    ("H", "G", "sub_supplier"),
    ("H", "R1", "parent"),
    ("T", "R1", "sub_supplier"),
    ("T", "L1", "sub_supplier"),
    ("Z", "Z2", "sub_supplier"),
    ("Z2", "Z3", "sub_supplier"),
    ("Z3", "R1", "sub_supplier"),
    ("V", "U", "sub_supplier"),
]


def guard() -> Guard:
    return Guard.default(clock=lambda: NOW)


def frames(spark: Any, companies: list[dict[str, Any]], edges: list[tuple[str, str, str]]) -> Any:
    company_frame = spark.read.json(
        spark.sparkContext.parallelize([json.dumps(c) for c in companies])
    )
    edge_frame = spark.createDataFrame(edges, "from_id string, to_id string, kind string")
    return company_frame, edge_frame


def run(spark: Any, companies: Any, edges: Any, max_depth: int = 10) -> dict[str, dict[str, Any]]:
    company_frame, edge_frame = frames(spark, companies, edges)
    rows = exposure(company_frame, edge_frame, max_depth=max_depth, guard=guard()).collect()
    return {row["company_id"]: row.asDict() for row in rows}


@pytest.fixture(scope="module")
def answer(spark: Any) -> dict[str, dict[str, Any]]:
    return run(spark, COMPANIES, EDGES)


def test_seeds_are_the_companies_in_the_region_listed_or_unreadable(answer: Any) -> None:
    seeds = {cid: row["seed_reasons"] for cid, row in answer.items() if row["tier"] == 0}
    assert seeds == {"R1": ["A1"], "L1": ["ENTITY_LIST"], "U": ["SCREENING_UNAVAILABLE"]}
    assert "country: 'Chinaa'" in answer["U"]["error"] or "Chinaa" in answer["U"]["error"]


@pytest.mark.parametrize(
    ("company", "tier", "seed", "code", "paragraph", "path", "kinds"),
    [
        ("A", 2, "R1", "A1", "A1", ["A", "B", "R1"], ["sub_supplier", "sub_supplier"]),
        ("C", 1, "R1", "A2", "A2", ["C", "R1"], ["subsidiary"]),
        ("D", 2, "R1", "A4", "A4", ["D", "E", "R1"], ["producer", "sub_supplier"]),
        ("F", 1, "L1", "ENTITY_LIST", "A2", ["F", "L1"], ["operation"]),
        ("H", 1, "R1", "A2", "A2", ["H", "R1"], ["parent"]),
        ("G", 2, "R1", "A2", "A2", ["G", "H", "R1"], ["sub_supplier", "parent"]),
        ("T", 1, "L1", "ENTITY_LIST", "A1", ["T", "L1"], ["sub_supplier"]),  # tie: smaller seed id
        ("Z", 3, "R1", "A1", "A1", ["Z", "Z2", "Z3", "R1"], ["sub_supplier"] * 3),
        ("V", 1, "U", "SCREENING_UNAVAILABLE", "A1", ["V", "U"], ["sub_supplier"]),
    ],
)
def test_each_company_gets_its_shortest_path_and_the_code_it_implies(
    answer: Any,
    company: str,
    tier: int,
    seed: str,
    code: str,
    paragraph: str,
    path: list[str],
    kinds: list[str],
) -> None:
    row = answer[company]
    assert (row["tier"], row["seed_id"], row["code"], row["paragraph"]) == (
        tier,
        seed,
        code,
        paragraph,
    )
    assert (row["path"], row["kinds"]) == (path, kinds)


def test_companies_that_reach_no_seed_are_not_in_the_answer(answer: Any) -> None:
    assert "X" not in answer
    assert "E" in answer and "B" in answer


def test_max_depth_bounds_the_tiers(spark: Any) -> None:
    shallow = run(spark, COMPANIES, EDGES, max_depth=2)
    assert "Z" not in shallow
    assert shallow["Z2"]["tier"] == 2
    assert max(row["tier"] for row in shallow.values()) == 2


def test_an_edge_of_an_unknown_kind_is_refused(spark: Any) -> None:
    company_frame, edge_frame = frames(spark, COMPANIES, [("A", "B", "supplier_of")])
    with pytest.raises(InputError, match=r"unknown kind.*supplier_of"):
        exposure(company_frame, edge_frame, guard=guard())


def test_a_company_column_outside_the_model_is_refused(spark: Any) -> None:
    company_frame, edge_frame = frames(spark, [{"id": "A", "name": "A", "tier": 1}], [])
    with pytest.raises(InputError, match="unknown column"):
        exposure(company_frame, edge_frame, guard=guard())


# --------------------------------------------------------------------------------------------
# The same answer as plain Python, and as the Guard's own walk
# --------------------------------------------------------------------------------------------


def generated(seed: int, companies: int, edges: int, *, acyclic: bool) -> Any:
    rng = random.Random(seed)
    records = []
    for i in range(companies):
        roll = rng.random()
        if roll < 0.06:
            record = {"id": f"C{i:04d}", "name": f"Mill {i}", "addresses": [{"city": "Kashgar"}]}
        elif roll < 0.09:
            record = {"id": f"C{i:04d}", "name": LISTED}
        else:
            record = {"id": f"C{i:04d}", "name": f"Trading {i}", "country": "DE"}
        records.append(record)
    links = set()
    while len(links) < edges:
        a, b = rng.randrange(companies), rng.randrange(companies)
        if a == b or (acyclic and a > b):
            continue
        kinds = [k for k in EDGE_KINDS if not acyclic or k != "producer"]
        links.add((f"C{a:04d}", f"C{b:04d}", rng.choice(kinds)))
    return records, sorted(links)


def seeds_in_process(records: list[dict[str, Any]]) -> dict[str, list[str]]:
    found = {}
    for record in records:
        decision = guard().screen_supplier(Supplier.model_validate(record))
        codes = sorted({f.code.value for f in decision.findings} & {"A1", "ENTITY_LIST"})
        if codes:
            found[record["id"]] = codes
    return found


def test_spark_and_plain_python_give_the_same_exposure_on_a_cyclic_graph(spark: Any) -> None:
    records, links = generated(11, companies=400, edges=1200, acyclic=False)
    spark_answer = run(spark, records, links, max_depth=6)
    python_answer = local_exposure(seeds_in_process(records), links, max_depth=6)
    assert set(spark_answer) == set(python_answer)
    for company, expected in python_answer.items():
        row = spark_answer[company]
        got = (
            row["tier"],
            row["seed_id"],
            row["code"],
            row["paragraph"],
            row["path"],
            row["kinds"],
        )
        assert got == (
            expected.tier,
            expected.seed_id,
            expected.code,
            expected.paragraph,
            list(expected.path),
            list(expected.kinds),
        )


def nested(company: str, by_id: dict[str, Any], out: dict[str, list[Any]], depth: int) -> Any:
    record = dict(by_id[company])
    if depth > 0:
        record["relationships"] = [
            {"kind": kind, "supplier": nested(to_id, by_id, out, depth - 1)}
            for to_id, kind in out.get(company, [])
        ]
    return record


def test_exposure_agrees_with_the_guards_own_walk_of_the_same_relationships(spark: Any) -> None:
    records, links = generated(7, companies=40, edges=70, acyclic=True)
    depth = 4
    spark_answer = run(spark, records, links, max_depth=depth)
    by_id = {r["id"]: r for r in records}
    out: dict[str, list[Any]] = {}
    for from_id, to_id, kind in links:
        out.setdefault(from_id, []).append((to_id, kind))
    seed_codes = {"A1", "A2", "A4", "ENTITY_LIST"}
    for company in by_id:
        supplier = Supplier.model_validate(nested(company, by_id, out, depth))
        findings = [
            f for f in guard().screen_supplier(supplier).findings if f.code.value in seed_codes
        ]
        if not findings:
            assert company not in spark_answer
            continue
        tiers = {f.subject.count("relationships[") for f in findings}
        nearest = min(tiers)
        codes = {f.code.value for f in findings if f.subject.count("relationships[") == nearest}
        row = spark_answer[company]
        assert row["tier"] == nearest, company
        assert row["code"] in codes, company
    # The generated graph exercises depth and every kind of answer, so the comparison means something.
    assert max(row["tier"] for row in spark_answer.values()) >= 3
    assert {row["code"] for row in spark_answer.values()} >= {
        FindingCode.A1.value,
        FindingCode.A2.value,
        FindingCode.ENTITY_LIST.value,
    }
