"""Order lines: goods text that names the region (A4), and high-priority sectors traced input by input.

Regression tests for issue 9 ("Order lines and evidence") and issue 10 (one stated origin switched
the sector check off). Each positive sits beside the trap that must not fire.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from forced_labour_guard import Guard, PurchaseOrder
from forced_labour_guard.model import Action, Decision

NOW = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)


def check(*lines: dict[str, Any]) -> Decision:
    order = PurchaseOrder.model_validate(
        {"id": "PO-G", "supplier": {"id": "S-G", "name": "Dhaka Knit Ltd"}, "lines": list(lines)}
    )
    return Guard(clock=lambda: NOW).check_purchase_order(order)


def codes(decision: Decision) -> list[tuple[str, str]]:
    return [(f.code.value, f.subject) for f in decision.findings]


# --- A4 from a material or a description ---------------------------------------------------


@pytest.mark.parametrize(
    "material",
    [
        "100% Xinjiang cotton",
        "新疆长绒棉",
        "long staple cotton from Aksu",
        "新疆棉",
        "Xinjiang jujubes",
        "cotton yarn (Korla)",
        "新疆红枣",
        "Ｘｉｎｊｉａｎｇ cotton",  # full width, cleaned by the Guard before it is read
        "cotton: Xinjiang; spinning: Shanghai",  # two statements, each read on its own
    ],
)
def test_a_material_naming_the_region_is_an_input_produced_there_and_blocks(material: str) -> None:
    decision = check({"inputs": [{"material": material, "origin_country": "CN"}]})
    assert codes(decision) == [("A4", "lines[0].inputs[0].material")]
    assert decision.action is Action.BLOCK
    assert decision.steps == ["B4"]
    assert "Uyghur Region" in decision.findings[0].detail


def test_a_line_description_naming_the_region_is_a4_on_the_line() -> None:
    decision = check({"line_id": "1", "description": "T-shirts, 100% Xinjiang cotton"})
    assert codes(decision) == [("A4", "lines[0].description")]
    assert decision.action is Action.BLOCK


@pytest.mark.parametrize(
    "material",
    [
        "Egyptian cotton",
        "Pima cotton, USA",
        "yarn from Xinjiang Road, Shanghai",
        "cotton from Aksu, Kazakhstan",
        "Hami melon seed oil",
        "organic cotton",
        "新疆路棉花仓库",
        "cotton: Aksu; spinning: Almaty, Kazakhstan",  # a namesake, its context in the next statement
        "yarn; Xinjiang Road, Shanghai",
    ],
)
def test_goods_text_that_does_not_place_the_goods_in_the_region_raises_nothing(
    material: str,
) -> None:
    decision = check({"inputs": [{"material": material, "origin_country": "US"}]})
    assert decision.findings == []
    assert decision.action is Action.ALLOW


@pytest.mark.parametrize(
    "material",
    ["cotton, not from Xinjiang", "Xinjiang-free cotton", "不含新疆棉", "non-Xinjiang cotton"],
)
def test_a_negated_mention_is_a_claim_neither_blocking_nor_clearing(material: str) -> None:
    traced = check({"inputs": [{"material": material, "origin_country": "US"}]})
    assert traced.findings == []
    assert any("claim" in warning for warning in traced.warnings)
    # on a cotton line, the claim does not trace the input: the sector still needs review
    untraced = check({"hs_code": "5205.11", "inputs": [{"material": material}]})
    assert codes(untraced) == [("HIGH_RISK_SECTOR", "lines[0]")]
    assert untraced.action is Action.WARN


# --- High-priority sectors: every input traced, or review ------------------------------------


def test_a_cotton_line_whose_input_says_only_cn_is_not_traced() -> None:
    decision = check(
        {"hs_code": "5208.12", "inputs": [{"material": "cotton", "origin_country": "CN"}]}
    )
    assert codes(decision) == [("HIGH_RISK_SECTOR", "lines[0]")]
    assert decision.action is Action.WARN
    assert "only as China (CN)" in decision.findings[0].detail


def test_one_traced_minor_input_does_not_clear_an_untraced_main_one() -> None:
    decision = check(
        {
            "hs_code": "6109.10",
            "inputs": [
                {"material": "cotton jersey"},
                {"material": "polyester thread", "origin_country": "VN"},
            ],
        }
    )
    assert codes(decision) == [("HIGH_RISK_SECTOR", "lines[0]")]
    assert "input 1 (cotton jersey): it states no origin" in decision.findings[0].detail


@pytest.mark.parametrize(
    "origin",
    [
        {"origin_country": "US"},
        {"origin_country": "CN", "origin_address": {"region": "Shandong", "country": "CN"}},
        {"origin_address": {"text": "Dezhou, Shandong, China"}},
    ],
)
def test_a_line_whose_every_input_is_traced_outside_the_region_is_clear(
    origin: dict[str, Any],
) -> None:
    decision = check(
        {
            "hs_code": "5208.12",
            "inputs": [
                {"material": "cotton", **origin},
                {"material": "dye", "origin_country": "DE"},
            ],
        }
    )
    assert decision.findings == []


@pytest.mark.parametrize("address", [{"country": "CN"}, {"text": "China"}, {"text": "中国"}])
def test_a_chinese_origin_address_without_a_province_is_not_traced(address: dict[str, Any]) -> None:
    decision = check(
        {"hs_code": "7601.10", "inputs": [{"material": "aluminium", "origin_address": address}]}
    )
    assert codes(decision) == [("HIGH_RISK_SECTOR", "lines[0]")]


def test_an_input_placed_in_the_region_is_a4_not_also_a_sector_gap() -> None:
    decision = check(
        {
            "hs_code": "5208.12",
            "inputs": [{"material": "cotton", "origin_address": {"city": "Aksu", "country": "CN"}}],
        }
    )
    assert codes(decision) == [("A4", "lines[0].inputs[0].origin_address")]


@pytest.mark.parametrize("hs_code", ["8541.40", "8541.40.6020", "8541.43", "854142"])
def test_solar_cells_are_a_high_priority_sector_in_hs_2017_and_hs_2022_numbers(
    hs_code: str,
) -> None:
    decision = check(
        {"hs_code": hs_code, "inputs": [{"material": "cells", "origin_country": "CN"}]}
    )
    assert codes(decision) == [("HIGH_RISK_SECTOR", "lines[0]")]
    if hs_code.startswith("8541.40"):
        assert "HS 2017 854140" in decision.findings[0].detail
        assert any(
            "WCO" in ref.source or "World Customs" in ref.source
            for ref in decision.findings[0].evidence
        )


@pytest.mark.parametrize("hs_code", ["8541.41", "8541.49", "8541.50", "8471.30"])
def test_leds_and_other_semiconductors_are_not_the_solar_sector(hs_code: str) -> None:
    assert check({"hs_code": hs_code}).findings == []


# --- A listed producer named in goods text -------------------------------------------------


def bundled(*lines: dict[str, Any]) -> Decision:
    order = PurchaseOrder.model_validate(
        {
            "id": "PO-N",
            "supplier": {"name": "Hamburg Solar GmbH", "country": "DE"},
            "lines": list(lines),
        }
    )
    return Guard.default(clock=lambda: NOW).check_purchase_order(order)


@pytest.mark.parametrize(
    "material",
    [
        "polysilicon from Hoshine Silicon Industry (Shanshan) Co., Ltd.",
        "多晶硅（合盛硅业（鄯善）有限公司）",
        "PVC resin; supplier: Xinjiang Zhongtai Chemical",
    ],
)
def test_a_listed_producer_named_in_a_material_is_a_watchlist_hit_on_that_input(
    material: str,
) -> None:
    decision = bundled({"inputs": [{"material": material, "origin_country": "US"}]})
    hits = [f for f in decision.findings if f.code.value == "ENTITY_LIST"]
    assert [f.subject for f in hits] == ["lines[0].inputs[0].material"]
    assert hits[0].steps == ["B4"]
    assert decision.action is Action.BLOCK


def test_a_listed_producer_named_in_a_line_description_is_a_hit_on_the_line() -> None:
    decision = bundled({"description": "Solar-grade polysilicon by Hoshine Silicon Industry"})
    assert [(f.code.value, f.subject) for f in decision.findings] == [
        ("ENTITY_LIST", "lines[0].description")
    ]


@pytest.mark.parametrize(
    "material",
    [
        "cotton",
        "Egyptian cotton",
        "silicon metal 553",
        "tempered glass by Saint-Gobain",
        "East Hope Road aluminium",
    ],
)
def test_goods_words_and_unlisted_makers_in_a_material_are_no_watchlist_hit(material: str) -> None:
    decision = bundled({"inputs": [{"material": material, "origin_country": "US"}]})
    assert [f for f in decision.findings if f.code.value == "ENTITY_LIST"] == []


# --- The labelled corpus of goods text ------------------------------------------------------

CORPUS = Path(__file__).parent / "data" / "goods_text_corpus.jsonl"


def test_the_goods_text_corpus_reads_every_item_as_labelled() -> None:
    """Every labelled material: 'region' is A4 and blocks, 'clear' raises nothing, 'negated' raises
    nothing but a warning. All mismatches are reported at once, so the corpus reads as a score."""
    wrong = []
    items = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line]
    for item in items:
        decision = check({"inputs": [{"material": item["text"], "origin_country": "US"}]})
        got = (
            "region"
            if [f.code.value for f in decision.findings] == ["A4"]
            else "negated"
            if not decision.findings and any("claim" in w for w in decision.warnings)
            else "clear"
            if not decision.findings
            else "other"
        )
        if got != item["label"]:
            wrong.append(f"{item['text']!r}: labelled {item['label']}, read {got}")
    assert {item["label"] for item in items} == {"region", "clear", "negated"}
    assert wrong == []


def test_a_watchlist_or_locator_that_cannot_be_hashed_still_reads_goods_text() -> None:
    from forced_labour_guard.lists.uflpa import load_bundled_uflpa
    from forced_labour_guard.region import default_locator

    class OwnList:  # a user's own watchlist class with value equality, hence unhashable
        __hash__ = None  # type: ignore[assignment]

        def __init__(self) -> None:
            self.inner = load_bundled_uflpa()

        @property
        def version(self) -> Any:
            return self.inner.version

        def match(self, supplier: Any, *, min_score: float) -> Any:
            return self.inner.match(supplier, min_score=min_score)

    class OwnLocator:
        __hash__ = None  # type: ignore[assignment]
        name = "own"

        def locate(self, address: Any) -> Any:
            return default_locator().locate(address)

        def locate_identifiers(self, **kwargs: Any) -> Any:
            return default_locator().locate_identifiers(**kwargs)

    order = PurchaseOrder.model_validate(
        {
            "supplier": {"name": "Hamburg Solar GmbH", "country": "DE"},
            "lines": [
                {"inputs": [{"material": "polysilicon from Hoshine Silicon Industry"}]},
                {"inputs": [{"material": "100% Xinjiang cotton"}]},
            ],
        }
    )
    guard = Guard(watchlists=[OwnList()], locator=OwnLocator(), clock=lambda: NOW)
    decision = guard.check_purchase_order(order)
    assert [f.code.value for f in decision.findings] == ["ENTITY_LIST", "A4"]
