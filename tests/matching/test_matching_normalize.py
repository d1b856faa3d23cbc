"""Name normalisation: scripts, legal forms, places, abbreviations (each rule pinned by a test)."""

from __future__ import annotations

from pypinyin import lazy_pinyin

from forced_labour_guard.matching import Kind, normalize_name, to_simplified


def words(name: str) -> list[str]:
    return [t.text for t in normalize_name(name).tokens]


def test_legal_forms_case_and_punctuation_drop_out() -> None:
    assert normalize_name("XINJIANG ZHONGTAI CHEMICAL COMPANY LIMITED").key == (
        normalize_name("Xinjiang Zhongtai Chemical Co., Ltd.").key
    )


def test_traditional_chinese_is_simplified_before_pinyin() -> None:
    # The trap: pypinyin reads the traditional 長沙 as "zhang sha".
    assert lazy_pinyin("長沙") == ["zhang", "sha"]
    assert to_simplified("長沙") == "长沙"
    form = normalize_name("長沙金草生物科技有限公司")
    assert [p.canonical for p in form.places] == ["changsha"]
    assert words("長沙金草生物科技有限公司") == ["jincao", "biotechnology"]


def test_chinese_generic_words_become_the_english_that_lists_use() -> None:
    assert words("新疆中泰化学股份有限公司") == ["zhongtai", "chemical"]
    assert words("合盛硅业(鄯善)有限公司") == ["hesheng", "silicon", "industry"]
    assert words("新疆东方希望有色金属有限公司")[-2:] == ["nonferrous", "metals"]
    assert words("中泰集团") == ["zhongtai", "group"]


def test_chinese_words_are_cut_from_the_right() -> None:
    # A forward scan would find 金矿 (gold mine) inside 紫金矿业 (Zijin Mining).
    assert words("紫金矿业集团股份有限公司") == ["zijin", "mining", "group"]


def test_leading_and_qualifying_places_are_told_apart() -> None:
    form = normalize_name("Xinjiang Zhongtai Chemical Co. Ltd.")
    assert [(p.canonical, p.prefix) for p in form.places] == [("xinjiang", True)]
    form = normalize_name("Hoshine Silicon (Jiaxing) Co., Ltd.")
    assert [(p.canonical, p.prefix) for p in form.places] == [("jiaxing", False)]


def test_place_spelling_variants_share_one_form() -> None:
    assert normalize_name("Hotan Haolin").key == normalize_name("Hetian Haolin").key
    assert normalize_name("Kashgar Construction").key == normalize_name("Kashi Construction").key
    assert normalize_name("Inner Mongolia Xuanda Food").places[0].canonical == "neimenggu"
    assert normalize_name("内蒙古宣达食品有限公司").places[0].canonical == "neimenggu"


def test_an_unknown_place_in_brackets_or_before_branch_is_a_qualifier() -> None:
    assert [p.canonical for p in normalize_name("Esquel Group (Guilin)").places] == ["guilin"]
    camel = normalize_name("Camel Group Co., Ltd. Xiangyang Branch")
    assert [p.canonical for p in camel.places] == ["xiangyang"]
    # An acronym in brackets is not a place.
    assert "vsetc" in words("No. 4 Vocation Skills Education Training Center (VSETC)")


def test_abbreviations_expand() -> None:
    assert words("ACME INTL TRADING GRP CORP") == ["acme", "international", "trade", "group"]
    assert words("Foo Tech Mfg Srvces Comm") == [
        "foo",
        "technology",
        "manufacturing",
        "services",
        "communications",
    ]


def test_digits_and_short_tokens_are_kept() -> None:
    assert words("No. 4 VSETC") == ["4", "vsetc"]
    assert words("841 Cotton Transfer Warehouse")[0] == "841"
    assert "ja" in words("Donghai JA Solar Technology Co., Ltd.")
    assert "hy" in words("HY Solar")


def test_kinds_separate_own_name_from_sector_and_generic_words() -> None:
    kinds = {t.text: t.kind for t in normalize_name("Tianye Trading Chemical Group GmbH").tokens}
    assert kinds == {
        "tianye": Kind.DISTINCTIVE,
        "trade": Kind.GENERIC,
        "chemical": Kind.DESCRIPTIVE,
        "group": Kind.GROUP,
    }


def test_final_only_legal_forms_are_dropped_only_at_the_end() -> None:
    assert words("Siemens AG") == ["siemens"]
    assert words("AG Barr Trading") == ["ag", "barr", "trade"]


def test_full_width_forms_are_folded() -> None:
    assert (
        normalize_name("ＣＡＭＥＬ　ＧＲＯＵＰ（Ｘｉａｍｅｎ）").key
        == normalize_name("Camel Group (Xiamen)").key
    )


def test_a_misspelt_legal_form_is_still_a_legal_form() -> None:
    assert words("Xinjiang Zhongtai Chemical Corporatiln") == ["zhongtai", "chemical"]
    assert words("Hetian Taida Apparel Compnay Limted") == ["taida", "apparel"]


def test_a_split_legal_form_joins_back() -> None:
    assert normalize_name("Aksu Huafu Co. Lt.d").legal_forms == ("company", "ltd")


def test_a_misspelt_sector_word_is_still_a_sector_word() -> None:
    tokens = normalize_name("Xinjiang Tianshan Wool Textille").tokens
    assert [(t.text, t.kind) for t in tokens][-1] == ("textile", Kind.DESCRIPTIVE)


def test_a_pinyin_trade_name_is_never_read_as_a_slip_of_a_table_word() -> None:
    # "Mingming" is two edits from "mining", but it reads as pinyin: a trade name.
    assert words("Mingming Chemical") == ["mingming", "chemical"]


def test_a_place_slip_is_read_only_for_swapped_dropped_or_added_letters() -> None:
    assert [p.canonical for p in normalize_name("Xinjiagn Zhongtai").places] == ["xinjiang"]
    # One changed letter makes another Chinese place: Xiangyang is not Xianggang (Hong Kong).
    assert normalize_name("Xiangyang Zhongtai").places == ()


def test_digits_posing_as_letters_inside_a_word_are_letters() -> None:
    assert words("Aksu Huafu Co1or Spinning") == ["huafu", "colorspinning"]
    assert words("Xinjiang Zh0ngtai Chemical") == ["zhongtai", "chemical"]
    assert words("No. 5 Cotton Mill")[0] == "5"
    assert words("3M Co") == ["3m"]


def test_split_pinyin_places_join_back() -> None:
    assert [p.canonical for p in normalize_name("Xin Jiang Zhongtai").places] == ["xinjiang"]
    assert [p.canonical for p in normalize_name("He Tian Taida").places] == ["hetian"]


def test_dotted_acronyms_are_one_word() -> None:
    assert words("T.B.E.A. Co., Ltd.") == ["tbea"]


def test_a_lone_letter_is_an_initial_not_a_word() -> None:
    form = normalize_name("B. LYSZD Trade and Business Co., Ltd.")
    assert form.initials == ("b",)
    assert "b" not in [t.text for t in form.tokens]


def test_a_trade_name_read_from_chinese_keeps_its_characters() -> None:
    [token] = normalize_name("納思達股份有限公司").tokens
    assert (token.text, token.hanzi) == ("nasida", "纳思达")


def test_chinese_branch_and_office_words_are_branch_words() -> None:
    assert words("纳思达股份有限公司珠海分公司") == ["nasida", "branch"]
    assert words("特变电工股份有限公司北京办事处")[-1] == "office"


def test_invisible_characters_and_lookalike_letters_are_cleaned_first() -> None:
    assert words("Zhong\u200btai Chеmical") == ["zhongtai", "chemical"]


def test_pinyin_tone_marks_and_accents_fold_to_the_plain_letters() -> None:
    toned = normalize_name("Sìchuān Jīngwěidá Technology Group Co., Ltd.")
    assert toned.key == normalize_name("Sichuan Jingweida Technology Group Co., Ltd.").key
    # A word of another script keeps its marks: Russian й is not и.
    assert normalize_name("Май").key != normalize_name("Маи").key
