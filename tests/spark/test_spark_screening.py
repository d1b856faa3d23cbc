"""Spark screening gives the in-process Guard's decisions, row for row, and loses no bad row."""

from __future__ import annotations

import datetime as dt
import json
import random
from typing import Any

import pytest

from forced_labour_guard import Guard, Supplier
from forced_labour_guard.errors import InputError
from forced_labour_guard.model import Action
from forced_labour_guard.policy import Policy

pytest.importorskip("pyspark", reason="the [spark] extra is not installed")

from forced_labour_guard.spark import screen_suppliers

NOW = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)

TEMPLATES: list[dict[str, Any]] = [
    {"name": "Tianshan Northern Textile", "country": "CN", "addresses": [{"city": "Urumqi"}]},
    {"name": "Porto Linen Mills S.A.", "country": "PT", "addresses": [{"city": "Porto"}]},
    {"name": "Hetian Haolin Hair Accessories Co. Ltd.", "country": "CN"},  # on the list
    {
        "name": "Jiangnan Solar",
        "country": "CN",
        "relationships": [
            {
                "kind": "operation",
                "supplier": {"name": "Hami plant", "addresses": [{"text": "Hami, Xinjiang"}]},
            }
        ],
    },
    {
        "name": "Acme",
        "facilities": [{"name": "Mill", "address": {"city": "Aksu", "country": "CN"}}],
    },
    {"name": "Hidden Co", "addresses": [{"city": "Uru\u200bmqi", "country": "CN"}]},
    {
        "name": "Xinjiang Road Trading",
        "addresses": [{"street": "Xinjiang Road 8", "city": "Shanghai"}],
    },
    {
        "name": "Reported Co",
        "evidence": [
            {
                "kind": "labour_transfer",
                "summary": "took part in a labour transfer programme",
                "source": "NGO report",
                "date": "2024-05-01",
            }
        ],
    },
    {"name": "Berlin GmbH", "aliases": ["Berlin Handel"], "country": "DE", "phone": "+49 30 1234"},
]


def records(count: int) -> list[dict[str, Any]]:
    rng = random.Random(7)
    return [{"id": f"S{i:05d}", **rng.choice(TEMPLATES)} for i in range(count)]


def guard() -> Guard:
    return Guard.default(clock=lambda: NOW)


def in_process(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    suppliers = [Supplier.model_validate(row) for row in rows]
    return {
        s.id or "": json.loads(d.model_dump_json())
        for s, d in zip(suppliers, guard().screen_suppliers(suppliers), strict=True)
    }


def collected(frame: Any) -> dict[str, dict[str, Any]]:
    return {row["id"]: row.asDict() for row in frame.collect()}


def test_records_as_json_text_get_the_same_decisions_as_the_in_process_guard(spark: Any) -> None:
    rows = records(300)
    frame = spark.createDataFrame([(json.dumps(r),) for r in rows], "record string")
    result = collected(screen_suppliers(frame.repartition(3), guard=guard()))
    expected = in_process(rows)
    assert len(result) == len(rows)
    for supplier_id, decision in expected.items():
        row = result[supplier_id]
        assert json.loads(row["decision"]) == decision
        assert row["action"] == decision["action"]
        assert row["finding_codes"] == [f["code"] for f in decision["findings"]]
        assert row["steps"] == decision["steps"]
        assert row["error"] is None
    actions = {row["action"] for row in result.values()}
    assert actions == {"block", "warn", "allow"}  # the generated set exercises every answer


def test_records_as_columns_and_structs_get_the_same_decisions(spark: Any) -> None:
    rows = records(120)
    frame = spark.read.json(spark.sparkContext.parallelize([json.dumps(r) for r in rows]))
    result = collected(screen_suppliers(frame, guard=guard()))
    expected = in_process(rows)
    assert {k: json.loads(v["decision"]) for k, v in result.items()} == expected


def test_nested_fields_may_be_json_strings(spark: Any) -> None:
    frame = spark.createDataFrame(
        [("S1", "Acme", json.dumps([{"city": "Kashgar", "country": "CN"}]), json.dumps(["A"]))],
        "id string, name string, addresses string, aliases string",
    )
    [row] = screen_suppliers(frame, guard=guard()).collect()
    assert row["action"] == "block"
    assert row["finding_codes"] == ["A1"]


def test_a_row_that_cannot_be_read_is_blocked_on_its_own_row_and_the_others_go_on(
    spark: Any,
) -> None:
    lines = [
        json.dumps({"id": "OK1", "name": "Porto Linen", "addresses": [{"city": "Porto"}]}),
        json.dumps({"id": "BAD1", "name": "Acme", "addresses": [{"adress": "Urumqi"}]}),
        "{not json",
        json.dumps({"id": "BAD2"}),
        json.dumps({"id": "OK2", "name": "Kashgar Co", "addresses": [{"city": "Kashgar"}]}),
    ]
    frame = spark.createDataFrame([(line,) for line in lines], "record string").coalesce(1)
    rows = screen_suppliers(frame, guard=guard()).collect()
    assert len(rows) == len(lines)  # nothing dropped
    by_id = {row["id"]: row for row in rows}
    assert by_id["OK1"]["action"] == "allow"
    assert by_id["OK2"]["action"] == "block"
    errors = [row for row in rows if row["error"] is not None]
    assert len(errors) == 3
    for row in errors:
        assert row["action"] == Action.BLOCK.value
        assert row["finding_codes"] == ["SCREENING_UNAVAILABLE"]
        assert row["decision"] is None
    messages = " | ".join(row["error"] for row in errors)
    assert "addresses[0].adress: unknown field" in messages
    assert "not valid JSON" in messages
    assert "name: required field is missing" in messages


def test_a_column_that_is_not_a_supplier_field_is_refused_before_any_work(spark: Any) -> None:
    frame = spark.createDataFrame(
        [("S1", "Acme", "Urumqi")], "id string, name string, adresses string"
    )
    with pytest.raises(InputError, match=r"unknown column.*'adresses'"):
        screen_suppliers(frame, guard=guard())


def test_the_shipped_guard_keeps_its_policy_and_clock(spark: Any) -> None:
    policy = Policy(version="test-policy-7")
    custom = Guard.default(policy=policy, clock=lambda: NOW)
    frame = spark.createDataFrame([(json.dumps({"id": "S1", "name": "Acme"}),)], "record string")
    [row] = screen_suppliers(frame, guard=custom).collect()
    assert row["policy_version"] == "test-policy-7"
    assert row["screened_at"].replace(tzinfo=dt.UTC) == NOW.replace(tzinfo=dt.UTC)


def test_a_guard_that_reads_a_store_cannot_be_shipped(spark: Any) -> None:
    frame = spark.createDataFrame([(json.dumps({"name": "Acme"}),)], "record string")
    with_store = Guard.default(b4_status=lambda supplier, today: [])
    with pytest.raises(TypeError, match="B4 status provider"):
        screen_suppliers(frame, guard=with_store)
