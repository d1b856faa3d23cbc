"""The labelled corpus of name variants (tests/matching/data/name_variants.csv) against the
bundled list, and a seeded sweep of one-slip typos over every listed name.

Each row says what the listed entry must do for that supplier name: ``block`` (score at least the
block threshold), ``review`` (in the review band), ``not_block`` (below block: review at most) or
``none`` (below review). Every family of positives sits beside negatives that must not block.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

import pytest

from forced_labour_guard.lists import load_bundled_uflpa
from forced_labour_guard.matching import Kind, normalize_name
from forced_labour_guard.model import Supplier

BLOCK = 0.90
REVIEW = 0.70
WATCHLIST = load_bundled_uflpa()
ROWS = list(
    csv.DictReader((Path(__file__).parent / "data" / "name_variants.csv").open(encoding="utf-8"))
)


def score_for(name: str, entry_id: str, country: str | None = None) -> float:
    matches = WATCHLIST.match(Supplier(name=name, country=country), min_score=0.5)
    return max((m.score for m in matches if m.entry_id == entry_id), default=0.0)


def test_the_corpus_holds_positives_and_negatives() -> None:
    expected = {row["expect"] for row in ROWS}
    assert expected == {"block", "review", "not_block", "none"}
    assert sum(row["expect"] in ("not_block", "none") for row in ROWS) >= 20


@pytest.mark.parametrize("row", ROWS, ids=lambda r: f"{r['family']}:{r['supplier_name']}")
def test_name_variant(row: dict[str, str]) -> None:
    score = score_for(row["supplier_name"], row["entry_id"], row["country"] or None)
    expect = row["expect"]
    if expect == "block":
        assert score >= BLOCK
    elif expect == "review":
        assert REVIEW <= score < BLOCK
    elif expect == "not_block":
        assert score < BLOCK
    else:
        assert score < REVIEW


def _slips(word: str, rng: random.Random) -> list[str]:
    """Four slips of a word: two letters swapped, one doubled, one dropped, one misread."""
    at = rng.randrange(1, len(word) - 1)
    misread = {"i": "l", "l": "1", "o": "0", "n": "m", "m": "rn", "e": "c", "a": "o", "u": "v"}
    swapped = word[: at - 1] + word[at] + word[at - 1] + word[at + 1 :]
    doubled = word[:at] + word[at] + word[at:]
    dropped = word[:at] + word[at + 1 :]
    replaced = word[:at] + misread.get(word[at], "x") + word[at + 1 :]
    return [v for v in (swapped, doubled, dropped, replaced) if v != word]


def test_one_slip_in_a_listed_trade_name_is_still_detected() -> None:
    rng = random.Random(20261201)
    outcomes: list[bool] = []
    for entry in WATCHLIST.entries:
        form = normalize_name(entry.name)
        own = [t.display for t in form.tokens if t.kind == Kind.DISTINCTIVE and len(t.text) >= 5]
        for word in own:
            for slipped in _slips(word, rng):
                variant = entry.name.replace(word, slipped, 1)
                outcomes.append(score_for(variant, entry.id) >= REVIEW)
    assert len(outcomes) >= 150
    assert sum(outcomes) / len(outcomes) >= 0.99
