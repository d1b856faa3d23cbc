"""Pairwise scoring: the lessons from the best open matchers' issue trackers, one test each."""

from __future__ import annotations

import pytest

from forced_labour_guard.matching import compare, normalize_name
from forced_labour_guard.matching.score import BRANCH_SCORE, slip_similarity

BLOCK = 0.90
REVIEW = 0.70


def score(a: str, b: str) -> float:
    return compare(normalize_name(a), normalize_name(b)).score


def test_same_name_in_another_form_scores_one() -> None:
    assert score("xinjiang zhongtai chemical", "Xinjiang Zhongtai Chemical Co. Ltd.") == 1.0


def test_token_order_does_not_matter() -> None:
    assert score("Zhongtai Chemical, Xinjiang", "Xinjiang Zhongtai Chemical Co. Ltd.") == 1.0


def test_words_written_apart_meet_words_written_together() -> None:
    assert score("Xinjiang Zhong Tai Chemical", "Xinjiang Zhongtai Chemical Co. Ltd.") == 1.0


def test_a_different_place_prefix_is_not_ignored() -> None:
    # OpenSanctions logic-v2 scores this pair 0.75, above its own 0.70 match threshold.
    comparison = compare(
        normalize_name("Shanghai Zhongtai Chemical"),
        normalize_name("Xinjiang Zhongtai Chemical Co. Ltd."),
    )
    assert comparison.score < REVIEW
    assert comparison.place_conflict == ("Shanghai", "Xinjiang")


def test_distinctive_tokens_are_kept() -> None:
    # "Xinjiang Tianye" and "Tianye Trading GmbH" must not be the same company.
    assert score("Tianye Trading GmbH", "Xinjiang Tianye") < BLOCK


def test_legal_forms_or_generic_words_alone_never_score() -> None:
    assert score("Trading Group Co., Ltd.", "Xinjiang Zhongtai Group Co. Ltd.") == 0.0
    assert score("International Trade Co", "Gansu Yasheng International Trading Co., Ltd.") == 0.0
    assert score("Xinjiang Trading Co", "Xinjiang Energy (Group) Co., Ltd.") == 0.0


def test_digits_must_match_exactly() -> None:
    assert score("No. 5 VSETC", "No. 4 Vocation Skills Education Training Center (VSETC)") < REVIEW


def test_a_one_letter_difference_in_a_trade_name_is_review_not_block() -> None:
    assert REVIEW <= score("Zhijin Mining Group", "Zijin Mining Group Co., Ltd.") < BLOCK
    assert (
        score("Xinjiang Tianshun Wool Textile", "Xinjiang Tianshan Wool Textile Co. Ltd.") < BLOCK
    )


def test_chinese_script_meets_the_english_listing() -> None:
    assert score("新疆中泰化学股份有限公司", "Xinjiang Zhongtai Chemical Co. Ltd.") == 1.0
    assert score("新疆中泰化學股份有限公司", "Xinjiang Zhongtai Chemical Co. Ltd.") == 1.0
    assert score("新疆生产建设兵团", "Xinjiang Production and Construction Corps") == 1.0


@pytest.mark.parametrize(
    ("supplier", "listed"),
    [
        ("Hoshine Silicon (Jiaxing) Co., Ltd.", "Hoshine Silicon Industry (Shanshan) Co., Ltd"),
        ("Hoshine Silicon Industry Co Ltd - Luzhou Branch", "Hoshine Silicon Industry Co., Ltd."),
        ("Ninestar Corporation (Zhuhai) Branch", "Ninestar Corporation"),
        ("合盛硅业(泸州)有限公司", "Hesheng Silicon Industry (Shanshan) Co."),
    ],
)
def test_a_listed_name_plus_a_place_or_branch_suffix_is_a_branch(
    supplier: str, listed: str
) -> None:
    comparison = compare(normalize_name(supplier), normalize_name(listed))
    assert comparison.relation == "branch"
    assert comparison.score >= BRANCH_SCORE


def test_a_place_added_in_front_is_not_a_branch() -> None:
    comparison = compare(
        normalize_name("Shanghai Camel Group"), normalize_name("Camel Group Co., Ltd.")
    )
    assert comparison.relation != "branch"
    assert comparison.score < BLOCK


def test_extra_own_name_word_in_supplier_keeps_it_below_block() -> None:
    assert score("Blue Camel Trading Co.", "Camel Group Co., Ltd.") < BLOCK


def test_scores_are_symmetric_enough_for_exact_pairs() -> None:
    a, b = "Hebei Tomato Industry Co., Ltd.", "HEBEI TOMATO INDUSTRY CO LTD"
    assert score(a, b) == score(b, a) == 1.0


def test_a_slip_in_the_trade_name_reaches_review_but_does_not_block() -> None:
    score = compare(normalize_name("Ninestra Corporation"), normalize_name("Ninestar Corporation"))
    assert 0.70 <= score.score < 0.90
    assert score.fuzzy == (("Ninestra", "Ninestar"),)


def test_one_letter_apart_in_a_short_trade_name_stays_below_block() -> None:
    score = compare(
        normalize_name("Xinjiang Tianshun Wool Textile Co., Ltd."),
        normalize_name("Xinjiang Tianshan Wool Textile Co. Ltd."),
    )
    assert score.score < 0.90


def test_ocr_confusions_count_as_one_slip() -> None:
    # "rn" read for "m" is two edits; as an OCR confusion it counts as one.
    assert slip_similarity("rnining", "mining") > 0
    assert slip_similarity("xyining", "mining") == 0.0


def test_split_syllables_join_before_a_slip_is_considered() -> None:
    score = compare(
        normalize_name("Xinjiang Tianhong Ji Technology Co., Ltd."),
        normalize_name("Xinjiang Tianhongji Technology Co., Ltd."),
    )
    assert score.score == 1.0


def test_chinese_homophones_written_differently_are_not_one_name() -> None:
    score = compare(normalize_name("纳斯达股份有限公司"), normalize_name("纳思达股份有限公司"))
    assert 0.70 <= score.score < 0.90


def test_corps_in_a_name_meets_corporation_written_as_a_legal_form() -> None:
    score = compare(
        normalize_name("Xinjiang Production and Construction Corporation"),
        normalize_name("Xinjiang Production and Construction Corps"),
    )
    assert score.score == 1.0


def test_an_initial_counts_half_a_leading_place() -> None:
    score = compare(
        normalize_name("B. LYSZD Trade and Business Co., Ltd."),
        normalize_name("Baoding LYSZD Trade and Business Co., Ltd."),
    )
    assert 0.70 <= score.score < 0.90
    other = compare(
        normalize_name("C. LYSZD Trade and Business Co., Ltd."),
        normalize_name("Baoding LYSZD Trade and Business Co., Ltd."),
    )
    assert other.score < score.score
