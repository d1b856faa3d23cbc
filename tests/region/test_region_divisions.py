"""Every division of mainland China, as ERP records write it: in Chinese, in Traditional
characters, in pinyin with and without an English suffix, with and without its province. Nothing
outside the region may be placed in it, and every unit of the region is found where its name (with
its suffix) belongs to no other division (the national table in ``data/region/divisions.csv``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from opencc_purepy import OpenCC

from forced_labour_guard.model import Address
from forced_labour_guard.region import default_locator
from forced_labour_guard.region.data import Division, bundled_region_data
from forced_labour_guard.region.place_index import division_class

ENGLISH = {
    "county": "County",
    "city": "City",
    "district": "District",
    "prefecture": "Prefecture",
    "province": "Province",
}
DIVISIONS = bundled_region_data().divisions
BY_CODE = {division.code: division for division in DIVISIONS}
OUTSIDE = [d for d in DIVISIONS if not d.in_region]
INSIDE = [d for d in DIVISIONS if d.in_region and d.level != "province"]
PROVINCES = {d.province for d in DIVISIONS}


def _traditional_names() -> dict[str, str]:
    """Every name in Traditional characters, in one conversion (OpenCC is slow per call)."""
    names = sorted({d.name for d in DIVISIONS} | {BY_CODE[p + "0000"].name for p in PROVINCES})
    joined = "\n".join(names)
    converted = str(OpenCC("s2t").convert(joined)).split("\n")
    return dict(zip(names, converted, strict=True))


def traditional(text: str) -> str:
    return TRADITIONAL[text]


def province_of(division: Division) -> Division:
    return BY_CODE[division.province + "0000"]


REGION_PINYIN = "xinjiang"
"""新绛县 in Shanxi romanises as the region does. "Xinjiang" alone is read as the region, on
purpose (a record that writes only that word means the region); with the county's suffix or its
province it is Shanxi's county (see ``test_xinjiang_county_in_shanxi``)."""
WEAK_ALONE = {f for p in bundled_region_data().places for f in p.zh_weak}
"""Names of the region's units that are also common words (新市区 'new urban district'): alone
they need company, with their province or prefecture they are found."""


def spellings(division: Division) -> Iterator[str]:
    """How a record may write the division, alone and after or before its province."""
    province = province_of(division)
    syllables = division.pinyin.split()
    joined = "".join(syllables).title()
    spaced = " ".join(s.title() for s in syllables)
    kind = division_class(division.name)
    suffix = f" {ENGLISH[kind]}" if kind else ""
    province_en = "".join(province.pinyin.split()).title()
    yield division.name
    yield traditional(division.name)
    yield province.name + division.name
    yield traditional(province.name) + traditional(division.name)
    if "".join(syllables) != REGION_PINYIN:
        yield joined
        yield spaced
    yield joined + suffix
    yield f"{joined}{suffix}, {province_en}"
    yield f"{province_en} {joined}{suffix}"


TRADITIONAL = _traditional_names()


def test_the_table_covers_mainland_china() -> None:
    provinces = {d.province for d in DIVISIONS}
    assert len(provinces) == 31  # mainland provinces, autonomous regions, municipalities
    assert len([d for d in DIVISIONS if d.level == "county"]) > 2800
    assert {"659012", "653100", "650100"} <= set(BY_CODE)  # Baiyang (2023), Kashgar, Urumqi


def test_the_regions_pinyin_matches_the_gazetteers_hand_written_readings() -> None:
    assert BY_CODE["654300"].pinyin == "a le tai"  # 勒 is le in place names, not lei
    assert BY_CODE["653125"].pinyin == "sha che"  # 莎车


@pytest.mark.parametrize("country", ["CN", None])
def test_no_division_elsewhere_is_placed_in_the_region(country: str | None) -> None:
    locator = default_locator()
    wrong = []
    for division in OUTSIDE:
        for text in spellings(division):
            hit = locator.locate(Address(text=text, country=country))
            if hit is not None:
                wrong.append((division.code, text, hit.describe()))
    assert wrong == []


def unique_to_region(division: Division) -> bool:
    kind = division_class(division.name)
    key = division.pinyin.replace(" ", "")
    return not any(
        d.pinyin.replace(" ", "") == key and division_class(d.name) == kind for d in OUTSIDE
    )


@pytest.mark.parametrize("country", ["CN", None])
def test_every_unit_of_the_region_is_found(country: str | None) -> None:
    locator = default_locator()
    missed = []
    for division in INSIDE:
        kind = division_class(division.name)
        joined = division.pinyin.replace(" ", "").title()
        alone = [] if division.name in WEAK_ALONE else [division.name, traditional(division.name)]
        texts = [
            *alone,
            "新疆" + division.name,
            f"{joined} {ENGLISH[kind or 'county']}, Xinjiang",
        ]
        if unique_to_region(division) and kind is not None:
            texts.append(f"{joined} {ENGLISH[kind]}")
        for text in texts:
            if locator.locate(Address(text=text, country=country)) is None:
                missed.append((division.code, text))
    assert missed == []


@pytest.mark.parametrize(
    "text",
    [
        "Xinjiang County, Yuncheng",  # 新绛县, Shanxi
        "Xinjiang County",
        "Qi Tai He",  # 七台河, Heilongjiang
        "Qitaihe City",
        "金塔县",  # Gansu: holds 塔县, Taxkorgan's short form
        "甘肃省酒泉市金塔县",
        "Yiwu City, Zhejiang",  # 义乌市; Yiwu County (伊吾县) is in the region
        "Yiwu City",
        "Baicheng City",  # 白城市, Jilin; Baicheng County (拜城县) is in the region
        "Xinhe County, Hebei",  # shared: 新河县 in Hebei, 新和县 in the region
        "Xinhe County",
        "Qinghe County",  # 清河县 in Hebei, 青河县 in the region
        "Yutian County",  # 玉田县 in Hebei, 于田县 in the region
    ],
)
def test_homonyms_elsewhere_are_not_the_region(text: str) -> None:
    assert default_locator().locate(Address(text=text, country="CN")) is None


@pytest.mark.parametrize(
    "text",
    [
        "Shule County",  # romanisation and suffix belong to the region alone
        "Xinyuan County",
        "Yiwu County",  # 伊吾县: the region's; Yiwu City is Zhejiang's
        "Baicheng County",
        "Xinhe County, Xinjiang",  # shared: the province decides
        "Xinhe County, Aksu",
        "Qinghe County, Altay",
        "Tianshan District",
        "Luopuxian",
    ],
)
def test_region_units_by_romanisation_and_suffix(text: str) -> None:
    hit = default_locator().locate(Address(text=text, country="CN"))
    assert hit is not None and hit.strength == "decisive", text


def test_xinjiang_county_in_shanxi() -> None:
    locator = default_locator()
    for text in ("Xinjiang County", "Xinjiang County, Shanxi", "Xinjiang, Shanxi", "山西省新绛县"):
        assert locator.locate(Address(text=text, country="CN")) is None, text
    assert locator.locate(Address(text="Xinjiang", country="CN")) is not None


def test_common_word_names_are_found_with_their_prefecture() -> None:
    hit = default_locator().locate(Address(text="乌鲁木齐市新市区北京南路", country="CN"))
    assert hit is not None and hit.strength == "decisive"


@pytest.mark.parametrize(
    ("fields", "placed"),
    [
        ({"text": "Xinhe County", "postal_code": "842100"}, True),  # 新和县, Aksu
        ({"text": "Xinhe County 842100, China"}, True),
        ({"text": "Qinghe County", "postal_code": "836200", "country": "CN"}, True),  # 青河县
        ({"text": "Xinhe County", "postal_code": "055650"}, False),  # 新河县, Hebei
        ({"text": "Xinhe County, Hebei", "postal_code": "842100"}, False),  # the record disagrees
        ({"text": "Xinhe County", "postal_code": "842100", "country": "IN"}, False),
        ({"text": "新河县", "postal_code": "055650"}, False),  # the characters decide
        ({"text": "新和县"}, True),
    ],
)
def test_a_shared_romanisation_is_decided_by_the_postal_code_or_the_characters(
    fields: dict[str, str], placed: bool
) -> None:
    hit = default_locator().locate(Address.model_validate(fields))
    assert (hit is not None) is placed, fields
