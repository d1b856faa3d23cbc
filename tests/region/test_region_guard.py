"""The Guard's A1/A2/A4 detection runs on the gazetteer locator by default."""

from __future__ import annotations

import datetime as dt
from typing import Any

from forced_labour_guard import FindingCode, Guard, PurchaseOrder, Supplier
from forced_labour_guard.region import GazetteerLocator
from tests.region.region_uscc_check import with_check

NOW = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)


def guard() -> Guard:
    return Guard.default(clock=lambda: NOW)


def codes(supplier: dict[str, Any]) -> list[tuple[str, str]]:
    decision = guard().screen_supplier(Supplier.model_validate(supplier))
    return [(f.code.value, f.subject) for f in decision.findings]


def test_default_guard_uses_the_gazetteer_locator() -> None:
    assert isinstance(guard().locator, GazetteerLocator)


def test_a1_from_a_registration_code_names_the_signal() -> None:
    decision = guard().screen_supplier(
        Supplier(name="Cotton Co", registration_id=with_check("91652901MA776CPL1"), country="CN")
    )
    a1 = [f for f in decision.findings if f.code is FindingCode.A1]
    assert a1 and a1[0].subject == "supplier.registration_id"
    assert "registration_code" in a1[0].evidence[0].source
    assert "Aksu" in a1[0].detail


def test_traps_raise_no_location_finding() -> None:
    street = {"name": "Shanghai Trading", "addresses": [{"text": "上海市静安区乌鲁木齐北路459号"}]}
    namesake = {
        "name": "Pavlodar Steel",
        "country": "KZ",
        "addresses": [{"city": "Aksu", "country": "KZ"}],
    }
    product = {"name": "Fruit Co", "addresses": [{"text": "Hami Melon Import Co., Shanghai"}]}
    for supplier in (street, namesake, product):
        assert not [c for c in codes(supplier) if c[0] in ("A1", "A2", "A4")], supplier


def test_a2_and_a4_from_chinese_addresses() -> None:
    supplier = {
        "name": "Parent",
        "addresses": [{"city": "Shanghai", "country": "CN"}],
        "relationships": [
            {
                "kind": "subsidiary",
                "supplier": {"name": "Sub", "addresses": [{"text": "新疆喀什市"}]},
            }
        ],
    }
    assert ("A2", "supplier.relationships[0].supplier.addresses[0]") in codes(supplier)
    po = PurchaseOrder.model_validate(
        {
            "id": "PO-9",
            "supplier": {"name": "Mill", "addresses": [{"city": "Ningbo", "country": "CN"}]},
            "lines": [
                {
                    "line_id": "1",
                    "inputs": [{"material": "cotton", "origin_address": {"text": "阿克苏地区"}}],
                }
            ],
        }
    )
    decision = guard().check_purchase_order(po)
    assert FindingCode.A4 in {f.code for f in decision.findings}


def test_a_city_typed_into_the_postal_code_field_still_places_the_supplier() -> None:
    misplaced = {"name": "Acme", "addresses": [{"postal_code": "Urumqi", "country": "CN"}]}
    assert codes(misplaced) == [("A1", "supplier.addresses[0]")]


def test_a_postal_code_field_with_a_foreign_namesake_or_a_placeholder_stays_clean() -> None:
    turkey = {"name": "Acme", "addresses": [{"postal_code": "Aksu", "country": "TR"}]}
    placeholder = {"name": "Acme", "addresses": [{"postal_code": "N/A", "city": "Shanghai"}]}
    assert codes(turkey) == []
    assert codes(placeholder) == []


def test_the_official_yili_spelling_of_ili_prefecture_is_a_location() -> None:
    for city in ("Yili Kazak Autonomous Prefecture", "Yili Kazakh Autonomous Prefecture"):
        supplier = {"name": "Acme", "addresses": [{"city": city, "country": "CN"}]}
        assert codes(supplier) == [("A1", "supplier.addresses[0]")]


def test_yili_the_dairy_and_ili_in_kazakhstan_are_not_ili_prefecture() -> None:
    dairy = {
        "name": "Acme",
        "addresses": [{"text": "Yili Industrial Park, Hohhot", "country": "CN"}],
    }
    kazakhstan = {"name": "Acme", "addresses": [{"city": "Ili Prefecture", "country": "KZ"}]}
    assert codes(dairy) == []
    assert codes(kazakhstan) == []
