"""Record features beyond the two names (RECORD_FEATURES): country, foreign legal form, an alias
without a place, a parent's name; and the provenance of the Chinese names in the bundled list."""

from __future__ import annotations

from forced_labour_guard.lists import ListEntry, load_bundled_uflpa
from forced_labour_guard.lists.watchlist import RECORD_FEATURES, EntityWatchlist
from forced_labour_guard.model import Address, ListVersion, Supplier
from forced_labour_guard.policy import MatchingSettings

BLOCK = MatchingSettings().block_threshold
REVIEW = MatchingSettings().review_threshold
WATCHLIST = load_bundled_uflpa()


def best(supplier: Supplier, entry_id: str) -> tuple[float, str]:
    matches = [m for m in WATCHLIST.match(supplier, min_score=0.5) if m.entry_id == entry_id]
    return (matches[0].score, matches[0].explanation) if matches else (0.0, "")


def test_every_cap_sends_a_match_to_review_under_the_default_thresholds() -> None:
    for feature in RECORD_FEATURES:
        assert feature.cap is None or REVIEW <= feature.cap < BLOCK, feature.name
        assert feature.factor is None or 0 < feature.factor < 1, feature.name
        assert feature.when and feature.why


def test_bundled_entries_are_chinese_companies() -> None:
    assert {entry.country for entry in WATCHLIST.entries} == {"CN"}


def test_a_company_abroad_with_the_listed_words_goes_to_review() -> None:
    score, explanation = best(Supplier(name="Huafu Fashion GmbH", country="DE"), "uflpa-080")
    assert REVIEW <= score < BLOCK
    assert "outside CN (its country is DE)" in explanation


def test_a_foreign_legal_form_alone_places_the_company_abroad() -> None:
    score, explanation = best(Supplier(name="Huafu Fashion GmbH"), "uflpa-080")
    assert REVIEW <= score < BLOCK
    assert "its legal form (gmbh) is not CN's" in explanation


def test_the_country_of_the_addresses_counts_when_the_record_gives_none() -> None:
    supplier = Supplier(name="Huafu Fashion GmbH", addresses=[Address(country="AT")])
    score, explanation = best(supplier, "uflpa-080")
    assert REVIEW <= score < BLOCK
    assert "supplier AT" in explanation


def test_a_company_abroad_whose_name_places_it_in_the_region_still_blocks() -> None:
    supplier = Supplier(name="Xinjiang Zhongtai Chemical GmbH", country="DE")
    assert best(supplier, "uflpa-012")[0] >= BLOCK


def test_a_chinese_supplier_with_the_listed_name_blocks() -> None:
    assert best(Supplier(name="Huafu Fashion Co., Ltd.", country="CN"), "uflpa-080")[0] == 1.0


def test_a_short_alias_behind_another_place_goes_to_review() -> None:
    score, explanation = best(Supplier(name="Junggar Cotton Shanghai Co., Ltd."), "uflpa-089")
    assert REVIEW <= score < BLOCK
    assert "The alias 'Junggar Cotton' names no place" in explanation


def test_a_short_alias_behind_the_listed_place_still_blocks() -> None:
    assert best(Supplier(name="Junggar Cotton Xinjiang Co., Ltd."), "uflpa-089")[0] >= BLOCK


def test_a_parents_chinese_name_goes_to_review_not_block() -> None:
    score, explanation = best(Supplier(name="合盛硅业股份有限公司"), "uflpa-003")
    assert REVIEW <= score < BLOCK
    assert "parent" in explanation and "not itself the listing" in explanation


def test_the_parents_name_is_not_an_alias_of_the_listed_subsidiary() -> None:
    [hoshine] = [e for e in WATCHLIST.entries if e.id == "uflpa-003"]
    assert "合盛硅业股份有限公司" in hoshine.parent_names
    assert "合盛硅业股份有限公司" not in hoshine.aliases


def test_a_chinese_legal_name_match_quotes_its_source() -> None:
    [match] = WATCHLIST.match(Supplier(name="纳思达股份有限公司"), min_score=BLOCK)
    assert match.entry_id == "uflpa-011" and match.basis == "alias"
    assert "Chinese legal name; source: 上海证券报 2017-12-20" in match.explanation
    assert "https://paper.cnstock.com/html/2017-12/20/content_924008.htm" in match.explanation


def test_every_chinese_name_in_the_bundled_list_has_a_source() -> None:
    chinese = [
        name
        for entry in WATCHLIST.entries
        for name in [*entry.aliases, *entry.parent_names]
        if any("\u4e00" <= c <= "\u9fff" for c in name) and name != "新疆生产建设兵团"
    ]
    assert len(chinese) == 10
    for entry in WATCHLIST.entries:
        for name in chinese:
            if name in entry.aliases or name in entry.parent_names:
                assert "source: " in entry.name_sources[name]


def test_list_entries_are_read_through_the_same_cleaning_as_suppliers() -> None:
    # A list entry typed with a zero-width space and a Cyrillic letter is read as written plainly.
    entry = ListEntry(id="x", name="Zhong\u200btai Chеmical Co., Ltd.", country="CN")
    watchlist = EntityWatchlist(ListVersion(name="ours"), [entry])
    [match] = watchlist.match(Supplier(name="Zhongtai Chemical Co., Ltd."), min_score=BLOCK)
    assert match.score == 1.0


def test_a_listed_alias_written_as_it_stands_is_explained_in_one_clause() -> None:
    [match] = WATCHLIST.match(Supplier(name="Hefei Meiling Co., Ltd."), min_score=BLOCK)
    assert match.explanation == (
        "'Hefei Meiling Co., Ltd.' is a name the list gives for 'Changhong Meiling Co., Ltd.'."
    )
