"""A whole address in the ``street`` field: a unit of the region together with a unit within it
is a location; a street named after a place of the region, anywhere, is not."""

from __future__ import annotations

import pytest

from forced_labour_guard.model import Address
from forced_labour_guard.region import default_locator

IN_REGION = [
    {"street": "新疆维吾尔自治区乌鲁木齐市新市区北京南路88号"},
    {"street": "乌鲁木齐市天山区解放南路5号", "country": "CN"},
    {"street": "No. 5 Jiefang Road, Tianshan District, Urumqi, Xinjiang"},
    {"street": "Aksu City, Aksu Prefecture, Xinjiang", "country": "CN"},
    {"street": "新疆喀什地区莎车县工业园区", "postal_code": "844700"},
    {"street": "新疆 石河子市 北四路", "country": "CN"},
    {"street": "Kashgar, Xinjiang, 844000", "country": "CN"},
]
STREETS_ELSEWHERE = [
    {"street": "新疆路88号", "city": "青岛"},
    {"street": "88 Xinjiang Road", "city": "Qingdao", "country": "CN"},
    {"street": "上海市静安区乌鲁木齐北路459号"},
    {"street": "乌鲁木齐北路459号", "city": "上海"},
    {"street": "Urumqi Road 5, Xinjiang Lane", "city": "Shanghai"},
    {"street": "新疆路乌鲁木齐路口", "country": "CN"},
    {"street": "Kashgar Rd, Urumqi St", "country": "CN"},
    {"street": "Urumqi, Xinjiang", "city": "Shanghai"},  # the other fields disagree
    {"street": "Urumqi, Xinjiang", "country": "KZ"},
    {"street": "Urumqi"},  # one name alone in a street field is a street name
    {"street": "新疆大厦, 北京市朝阳区"},
    {"street": "Hami Melon Road, Kashgar Restaurant Plaza"},
]


@pytest.mark.parametrize("fields", IN_REGION, ids=lambda f: f["street"])
def test_a_whole_region_address_in_the_street_field_is_a_location(fields: dict[str, str]) -> None:
    hit = default_locator().locate(Address.model_validate(fields))
    assert hit is not None and hit.strength == "decisive"


@pytest.mark.parametrize("fields", STREETS_ELSEWHERE, ids=lambda f: f["street"])
def test_streets_named_after_region_places_are_not(fields: dict[str, str]) -> None:
    assert default_locator().locate(Address.model_validate(fields)) is None
