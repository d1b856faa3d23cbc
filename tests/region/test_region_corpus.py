"""The labelled corpus: real-looking ERP addresses and supplier identifiers, in and outside the
region, with every trap family the locator must not fall for. Precision and recall must be 1.0.

``expected`` is ``in_region`` (a decisive hit: the Guard acts on it), ``review`` (a review-level
hit: the Guard warns and asks for step A) or ``outside`` (no hit). A review hit is never a block."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from forced_labour_guard.model import Address
from forced_labour_guard.region import RegionHit, default_locator

CORPUS = Path(__file__).parent / "data" / "region_corpus.jsonl"
ROWS: list[dict[str, Any]] = [
    json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()
]
TRAP_FAMILIES = {
    "street_named_after_place",
    "namesake_abroad",
    "company_named_after_place",
    "product_word",
    "pinyin_collision",
    "postal_abroad",
    "registration_invalid",
    "phone_abroad",
    "erp_region_other",
}


def run(row: dict[str, Any]) -> RegionHit | None:
    locator = default_locator()
    if "address" in row:
        return locator.locate(Address.model_validate(row["address"]))
    return locator.locate_identifiers(**row["identifiers"])


def test_corpus_size_and_balance() -> None:
    assert len(ROWS) >= 300
    negatives = [row for row in ROWS if row["expected"] != "in_region"]
    assert len(negatives) / len(ROWS) >= 0.40
    families = Counter(row["family"] for row in negatives)
    assert not TRAP_FAMILIES - set(families), TRAP_FAMILIES - set(families)
    assert len({row["id"] for row in ROWS}) == len(ROWS)


def test_precision_and_recall_are_one() -> None:
    true_pos = false_pos = false_neg = 0
    wrong = []
    for row in ROWS:
        found = run(row)
        hit = found if found is not None and found.strength == "decisive" else None
        expected = row["expected"] == "in_region"
        if hit is not None and expected:
            true_pos += 1
        elif hit is not None:
            false_pos += 1
            wrong.append((row["id"], row["note"], hit.describe()))
        elif expected:
            false_neg += 1
            wrong.append((row["id"], row["note"], None))
    precision = true_pos / (true_pos + false_pos)
    recall = true_pos / (true_pos + false_neg)
    assert (precision, recall) == (1.0, 1.0), wrong


@pytest.mark.parametrize("row", ROWS, ids=[row["id"] for row in ROWS])
def test_row(row: dict[str, Any]) -> None:
    hit = run(row)
    if row["expected"] == "outside":
        assert hit is None, f"{row['note']}: {hit.describe() if hit else ''}"
    elif row["expected"] == "review":
        assert hit is not None and hit.strength == "review", row["note"]
        assert hit.confidence < 0.7  # below the policy's review level, so it warns
    else:
        assert hit is not None and hit.strength == "decisive", row["note"]
        assert hit is not None, row["note"]
        assert hit.signal == row["signal"], row["note"]
        assert hit.matched  # the Finding can quote what fired
        assert 0 < hit.confidence <= 1
