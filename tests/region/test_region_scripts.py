"""The region in other scripts and languages, variant characters of 疆, and the XPCC as it is
written on the ground (divisions and regiments in Chinese numerals), each with its traps."""

from __future__ import annotations

import pytest

from forced_labour_guard.model import Address
from forced_labour_guard.region import default_locator

IN_REGION = [
    "г. Урумчи, Синьцзян",  # Russian
    "УРУМЧИ",  # upper case Cyrillic
    "Үрімші, Шыңжаң",  # Kazakh
    "Кашгар",
    "Хотан",
    "新疆ウイグル自治区ウルムチ市",  # Japanese
    "カシュガル",
    "トルファン",
    "중국 신장위구르 자치구 우루무치",  # Korean
    "카슈가르",
    "ئۈرۈمچى",  # Uyghur, Arabic script
    "Ürümchi, Shinjang",  # Uyghur Latin
    "Qeshqer",
    "新彊烏魯木齊",  # 彊 for 疆, Traditional 烏魯木齊
    "新畺维吾尔自治区",
    "新壃",
    "农八师一四九团",  # XPCC: division and regiment in Chinese numerals
    "兵团一五〇团",
    "兵团第一师阿拉尔市",
    "新疆生产建设兵团第十四师",
    "第一五〇团, 新疆",
    "150团",
    "二十九团",
    "Regiment 150, XPCC",
    "XPCC 8th Division",
    "Baiyang City",  # the newest XPCC city (2023)
    "白杨市",
    "新星市",
    "胡杨河市",
]
TRAPS = [
    "Аксу, Павлодарская область",  # Aksu in Kazakhstan
    "Алтай, Россия",
    "카스 맥주",  # a Korean beer brand, not Kashgar
    "신장 이식",  # Korean for kidney transplant
    "集团公司",  # 团 in 集团, group
    "团结路150号",
    "150团购",  # group buying
    "第一师范学院",  # First Normal College
    "150th Regiment",  # a regiment number alone
    "白杨树下",  # poplar trees
    "新星电子",  # new star
    "ハミ",  # Japanese for a bit, and the melon
]


@pytest.mark.parametrize("text", IN_REGION)
def test_the_region_in_other_scripts_and_on_the_ground(text: str) -> None:
    hit = default_locator().locate(Address(text=text))
    assert hit is not None and hit.strength == "decisive", text


@pytest.mark.parametrize("text", TRAPS)
def test_lookalikes_in_other_scripts_are_not_the_region(text: str) -> None:
    assert default_locator().locate(Address(text=text)) is None, text
