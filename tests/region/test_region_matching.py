"""How names are found: folding, spacing, suffixes, and the context that makes a name a place."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forced_labour_guard.model import Address
from forced_labour_guard.region import GazetteerLocator, RegionHit, default_locator


def locate(**fields: str) -> RegionHit | None:
    return default_locator().locate(Address.model_validate(fields))


@pytest.mark.parametrize(
    "text",
    [
        "Urumqi",
        "URUMQI",
        "Ürümqi",
        "U\u0308ru\u0308mqi",  # decomposed diaeresis
        "ＵＲＵＭＱＩ",
        "Wu Lu Mu Qi",
        "Wu-Lu-Mu-Qi",
        "Wulumuqi Shi",
        "Wulumuqishi",
        "乌鲁木齐",
        "乌鲁木齐市",
        "烏魯木齊",
        "ئۈرۈمچى",
    ],
)
def test_spellings_of_urumqi(text: str) -> None:
    hit = locate(city=text)
    assert hit is not None and hit.place == "Urumqi", text


@pytest.mark.parametrize(
    "text", ["man as", "Ko Rla", "Kash Gar", "Xinjianglu", "Kashiwa", "Hamilton", "Aksum", "ak su"]
)
def test_tokens_are_only_joined_on_syllable_boundaries(text: str) -> None:
    assert locate(city=text, country="CN") is None


def test_apostrophes_and_hyphens_split_syllables() -> None:
    assert locate(text="Bayin'gholin") is not None
    assert locate(text="Bo'ertala Zhou") is not None
    assert locate(text="A-la-er") is not None


def test_matched_text_is_quoted_as_written() -> None:
    hit = locate(text="Factory 3, ＫＡＳＨＧＡＲ Prefecture")
    assert hit is not None and hit.matched == "ＫＡＳＨＧＡＲ"
    hit = locate(text="新疆維吾爾自治區")
    assert hit is not None and hit.matched == "新疆維吾爾自治區"


def test_street_field_never_decides() -> None:
    assert locate(street="Kashgar Road 5") is None
    assert locate(street="No. 5, Urumqi", city="Shanghai") is None


def test_most_specific_place_wins() -> None:
    hit = locate(text="新疆维吾尔自治区喀什地区莎车县")
    assert hit is not None and hit.place.startswith("Yarkant")
    hit = locate(city="Shihezi", region="Xinjiang", country="CN")
    assert hit is not None and "XPCC" in hit.place


def test_weak_name_needs_corroboration() -> None:
    assert locate(city="Yiwu", country="CN") is None  # 义乌 in Zhejiang
    hit = locate(city="Yiwu", region="Hami", country="CN")
    assert hit is not None


def test_namesake_depends_on_country() -> None:
    assert locate(city="Aksu", country="KZ") is None
    assert locate(city="Aksu", country="DE") is None  # any country but China
    assert locate(city="Aksu", country="CN") is not None
    unknown = locate(city="Aksu")
    assert unknown is not None and unknown.confidence < 1
    assert locate(city="Aksu", region="Antalya") is None


def test_unique_name_with_foreign_country_still_fires_in_city_field() -> None:
    hit = locate(city="Urumqi", country="DE")
    assert hit is not None and hit.confidence < 1
    assert locate(text="Urumqi Teppich GmbH, Berlin", country="DE") is None


def test_lone_mention_next_to_another_chinese_city_is_a_name() -> None:
    assert locate(text="Kashgar Trading Co., Shanghai") is None
    assert locate(text="Kashgar Trading Co., Kashgar, Xinjiang") is not None
    assert locate(text="Kashgar Prefecture office, Shanghai") is not None  # suffix: a place


def test_locator_instances_share_the_compiled_index() -> None:
    assert GazetteerLocator()._index is GazetteerLocator()._index
    assert default_locator() is default_locator()


@settings(max_examples=300, deadline=None)
@given(
    st.text(max_size=80),
    st.text(max_size=20),
    st.sampled_from([None, "CN", "KZ", "DE"]),
)
def test_any_text_is_answered_without_error(text: str, region: str, country: str | None) -> None:
    hit = default_locator().locate(
        Address.model_construct(text=text or None, region=region or None, country=country)
    )
    assert hit is None or (hit.matched and 0 < hit.confidence <= 1)
