"""Properties of normalisation and scoring (hypothesis), and the index on a larger list."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from forced_labour_guard.lists.base import Watchlist
from forced_labour_guard.lists.entries import ListEntry
from forced_labour_guard.lists.uflpa import load_bundled_uflpa
from forced_labour_guard.lists.watchlist import EntityWatchlist
from forced_labour_guard.matching import NameIndex, compare, normalize_name
from forced_labour_guard.model import ListVersion, Supplier

SYLLABLES = [
    "an",
    "bao",
    "chang",
    "da",
    "fu",
    "guang",
    "hai",
    "hong",
    "hua",
    "jin",
    "kang",
    "li",
    "long",
    "ming",
    "qi",
    "rui",
    "sheng",
    "tai",
    "tian",
    "wei",
    "xin",
    "ya",
    "yuan",
    "zhong",
]
WORDS = st.lists(st.sampled_from(SYLLABLES), min_size=2, max_size=3).map(
    lambda s: "".join(s).capitalize()
)
LEGAL = st.sampled_from(["Co., Ltd.", "Co. Ltd", "Company Limited", "Corp.", "LIMITED", ""])
SECTOR = st.sampled_from(["Chemical", "Textile", "Mining", "Trading", "Biotechnology", ""])


@settings(max_examples=150, deadline=None)
@given(trade=WORDS, other=WORDS, sector=SECTOR, legal=LEGAL, legal2=LEGAL)
def test_word_order_case_and_legal_form_never_change_the_score(
    trade: str, other: str, sector: str, legal: str, legal2: str
) -> None:
    name = f"{trade} {other} {sector} {legal}"
    variant = f"{sector} {other} {trade} {legal2}".upper()
    assert compare(normalize_name(variant), normalize_name(name)).score == 1.0


@settings(max_examples=150, deadline=None)
@given(a=WORDS, b=WORDS, sector=SECTOR, legal=LEGAL)
def test_scores_stay_between_zero_and_one(a: str, b: str, sector: str, legal: str) -> None:
    score = compare(
        normalize_name(f"Xinjiang {a} {sector} {legal}"), normalize_name(f"{b} {legal}")
    ).score
    assert 0.0 <= score <= 1.0


@settings(max_examples=100, deadline=None)
@given(trade=WORDS, sector=SECTOR, legal=LEGAL)
def test_sharing_only_legal_form_and_sector_never_scores(
    trade: str, sector: str, legal: str
) -> None:
    listed = normalize_name(f"Xinjiang {trade} {sector} {legal}")
    assert compare(normalize_name(f"Xinjiang {sector} {legal}"), listed).score == 0.0


def test_the_watchlist_satisfies_the_protocol() -> None:
    watchlist: Watchlist = load_bundled_uflpa()
    assert watchlist.version.name == "UFLPA Entity List"


def test_index_finds_every_listed_name_in_a_larger_list() -> None:
    rng = random.Random(3)
    places = ["Xinjiang", "Shanghai", "Jiangsu", "Hotan", "Aksu", "Shandong"]
    sectors = ["Chemical", "Textile", "Cotton", "Mining", "Trading", "Food"]
    names = {
        f"{rng.choice(places)} {''.join(rng.sample(SYLLABLES, 3)).capitalize()} "
        f"{rng.choice(sectors)} Co., Ltd."
        for _ in range(4000)
    }
    entries = [ListEntry(id=f"g{i}", name=n) for i, n in enumerate(sorted(names))]
    watchlist = EntityWatchlist(ListVersion(name="generated"), entries)
    for entry in rng.sample(entries, 200):
        lowered = entry.name.replace(" Co., Ltd.", "").lower()
        ids = [m.entry_id for m in watchlist.match(Supplier(name=lowered), min_score=0.9)]
        assert entry.id in ids


def test_index_candidates_are_bounded() -> None:
    index = NameIndex([(f"Xinjiang Cotton {i} Co", i) for i in range(3000)], max_candidates=16)
    assert len(index.candidates(normalize_name("Xinjiang Cotton Co"))) <= 16
