"""The bundled UFLPA snapshot: every entity is found, and its partial coverage is never hidden."""

from __future__ import annotations

import re

import pytest

from forced_labour_guard.lists import ListEntry, load_bundled_uflpa
from forced_labour_guard.matching import normalize_name
from forced_labour_guard.model import Supplier

BLOCK = 0.90
WATCHLIST = load_bundled_uflpa()
ENTRIES = WATCHLIST.entries
_CJK = re.compile(r"[\u4e00-\u9fff]")
_LEGAL_TAIL = re.compile(
    r"[,\s]*(co\.?,?\s*ltd\.?|company limited|co\.|ltd\.?|limited|corporation|corp\.?)\s*$",
    re.IGNORECASE,
)


def hits(name: str) -> list[str]:
    return [m.entry_id for m in WATCHLIST.match(Supplier(name=name), min_score=BLOCK)]


def test_version_says_the_snapshot_is_partial() -> None:
    version = WATCHLIST.version
    assert version.name == "UFLPA Entity List"
    assert version.as_of is not None and version.as_of.isoformat() == "2026-08-03"
    assert version.complete is False
    listings = sum(entry.listings for entry in ENTRIES)
    assert version.entries == listings
    assert version.note is not None
    assert version.note.startswith(
        f"partial: {listings} of 187 listings; refresh from the official"
    )


def test_loader_is_cached() -> None:
    assert load_bundled_uflpa() is WATCHLIST


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.id)
def test_found_by_exact_name(entry: ListEntry) -> None:
    assert entry.id in hits(entry.name)


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.id)
def test_found_by_lower_case_name_without_legal_form(entry: ListEntry) -> None:
    bare = _LEGAL_TAIL.sub("", entry.name).lower()
    assert bare != entry.name
    assert entry.id in hits(bare)


ALIASES = [(e, a) for e in ENTRIES for a in e.aliases if not _CJK.search(a)]


@pytest.mark.parametrize(("entry", "alias"), ALIASES, ids=lambda v: getattr(v, "id", str(v)))
def test_found_by_each_alias(entry: ListEntry, alias: str) -> None:
    assert entry.id in hits(alias)


CHINESE = [(e, a) for e in ENTRIES for a in e.aliases if _CJK.search(a)]


def test_the_snapshot_has_a_chinese_name() -> None:
    assert CHINESE


@pytest.mark.parametrize(("entry", "name"), CHINESE, ids=lambda v: getattr(v, "id", str(v)))
def test_found_by_chinese_script_name(entry: ListEntry, name: str) -> None:
    assert entry.id in hits(name)


def test_a_chinese_name_read_in_pinyin_meets_the_english_listing() -> None:
    # No alias needed where the English listing is the pinyin and the usual translations.
    assert (
        normalize_name("新疆生产建设兵团").key
        == normalize_name("Xinjiang Production and Construction Corps").key
    )


SUBSIDIARIES = [(e, s) for e in ENTRIES for s in e.subsidiaries]


@pytest.mark.parametrize(("entry", "sub"), SUBSIDIARIES, ids=lambda v: getattr(v, "id", str(v)))
def test_named_subsidiaries_are_matched_and_explained(entry: ListEntry, sub: str) -> None:
    matches = WATCHLIST.match(Supplier(name=sub), min_score=BLOCK)
    match = next(m for m in matches if m.entry_id == entry.id)
    assert match.basis == "subsidiary"
    assert f"named on the list as a subsidiary of '{entry.name}'" in match.explanation


def test_branch_suffix_is_matched_and_explained() -> None:
    [match] = WATCHLIST.match(Supplier(name="Hoshine Silicon (Jiaxing) Co., Ltd."), min_score=0.7)
    assert match.score >= BLOCK
    assert match.explanation == (
        "'Hoshine Silicon (Jiaxing) Co., Ltd.' contains the distinctive name 'Hoshine Silicon' of "
        "the listed 'Hoshine Silicon Industry (Shanshan) Co., Ltd' plus a place suffix (Jiaxing)."
    )


def test_every_match_cites_its_listing() -> None:
    [match] = WATCHLIST.match(
        Supplier(name="Xinjiang Zhongtai Chemical Co., Ltd."), min_score=BLOCK
    )
    assert match.list_name == "UFLPA Entity List"
    assert match.source.startswith("Federal Register notice 2023-12481, 88 FR 38080")
    assert match.url is not None and "2023-12481" in match.url
    assert match.date is not None and match.date.isoformat() == "2023-06-12"
    assert match.reason is not None and "2(d)(2)(B)(ii)" in match.reason


def test_supplier_alias_in_chinese_hits() -> None:
    supplier = Supplier(name="XPCC Trading Partner", aliases=["新疆生产建设兵团"])
    matches = WATCHLIST.match(supplier, min_score=BLOCK)
    assert [m.supplier_name for m in matches] == ["新疆生产建设兵团"]
    assert "read as 'Xinjiang production construction corps'" in matches[0].explanation


def test_an_unrelated_supplier_matches_nothing() -> None:
    assert WATCHLIST.match(Supplier(name="Robert Bosch GmbH", country="DE"), min_score=0.5) == []
