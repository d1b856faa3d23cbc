"""Pairwise scoring: the lessons from the best open matchers' issue trackers, one test each."""

from __future__ import annotations

import pytest

from forced_labour_guard.matching import compare, normalize_name
from forced_labour_guard.matching.score import BRANCH_SCORE

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
