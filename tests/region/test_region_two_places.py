"""Two places in one line: a head office in one province and a production site in the region.
Each is read; a site said to be in the region is a location (A1), a trade name is not."""

from __future__ import annotations

import pytest

from forced_labour_guard import Action, FindingCode, Guard, Supplier
from forced_labour_guard.model import Address
from forced_labour_guard.region import default_locator

SITES_IN_REGION = [
    "Head office in Jiangsu, production base in Aksu",
    "Headquartered in Shanghai, factory in Kashgar",
    "Registered in Nanjing; spinning mill at Korla",
    "总部位于江苏，生产基地位于阿克苏",
    "总部在上海，工厂在喀什",
    "江苏南通总部；厂址：新疆阿拉尔市",
]
NOT_SITES = [
    "Shanghai Kashgar Trading Co., Nanjing Road, Shanghai",
    "Kashgar Restaurant in Shanghai",
    "Office in Urumqi Road, Shanghai",
    "Production base in Aksu, Pavlodar, Kazakhstan",
    "总部位于上海市乌鲁木齐北路",
    "Head office in Jiangsu, Hami melon shop in Nanjing",
]


@pytest.mark.parametrize("text", SITES_IN_REGION)
def test_a_site_in_the_region_beside_a_head_office_elsewhere_is_found(text: str) -> None:
    hit = default_locator().locate(Address(text=text))
    assert hit is not None and hit.strength == "decisive", text


@pytest.mark.parametrize("text", NOT_SITES)
def test_names_and_streets_beside_somewhere_else_are_not_sites(text: str) -> None:
    assert default_locator().locate(Address(text=text)) is None, text


def test_the_guard_blocks_a_supplier_whose_production_base_is_in_the_region() -> None:
    supplier = Supplier(
        name="Jiangsu Yarn Co., Ltd.",
        country="CN",
        addresses=[Address(text="Head office in Nanjing, Jiangsu; production base in Aksu")],
    )
    decision = Guard.default().screen_supplier(supplier)
    assert decision.action is Action.BLOCK
    assert [f.code for f in decision.findings if f.code is FindingCode.A1]
