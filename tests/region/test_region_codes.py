"""ERP region keys (Odoo, ISO, SAP mapping), postal codes and telephone numbers."""

from __future__ import annotations

import pytest

from forced_labour_guard.model import Address
from forced_labour_guard.region import GazetteerLocator, RegionHit, default_locator


def locate(locator: GazetteerLocator | None = None, **fields: str) -> RegionHit | None:
    return (locator or default_locator()).locate(Address.model_validate(fields))


@pytest.mark.parametrize("value", ["base.state_cn_XJ", "新", "XJ", "xj", "65", "CN-XJ"])
def test_odoo_and_iso_region_values(value: str) -> None:
    hit = locate(region=value, country="CN")
    assert hit is not None and hit.signal == "erp_region_code" and hit.field == "region"


@pytest.mark.parametrize("value", ["新加坡", "XJ Trading", "base.state_cn_SH", "650", "新 疆路"])
def test_region_values_count_only_whole(value: str) -> None:
    assert locate(region=value, country="CN") is None


def test_numeric_region_key_needs_china() -> None:
    assert locate(region="65", country="FR") is None  # Hautes-Pyrénées
    assert locate(region="65") is None


def test_sap_region_key_mapping() -> None:
    sap = GazetteerLocator(region_codes={"31": "XJ", "020": "SH"})
    hit = locate(sap, region="31", country="CN")
    assert hit is not None and hit.signal == "erp_region_code"
    assert locate(default_locator(), region="31", country="CN") is None  # no built-in SAP keys
    # a key mapped to another province keeps a stray postal code from placing the address
    assert locate(sap, region="020", postal_code="830000", country="CN") is None
    assert locate(default_locator(), region="020", postal_code="830000", country="CN") is not None
    assert locate(sap, region="31", country="DE") is None  # SAP keys are China's keys


def test_postal_code_rules() -> None:
    hit = locate(postal_code="830000", country="CN")
    assert hit is not None and hit.signal == "postal_code" and hit.place == "Urumqi"
    assert locate(postal_code="834001", country="IN") is None
    assert locate(postal_code="834001") is None  # six digits alone do not say China
    assert locate(postal_code="834001", text="中国") is not None
    assert locate(postal_code="830000", city="Shanghai", country="CN") is None
    assert locate(postal_code="200031", country="CN") is None
    assert locate(text="Road 5, 8300001 China") is None  # seven digits


def test_phone_rules() -> None:
    locator = default_locator()

    def phone(number: str, country: str | None = None) -> RegionHit | None:
        return locator.locate_identifiers(registration_id=None, phone=number, country=country)

    hit = phone("+86 991 1234567")
    assert hit is not None and hit.signal == "phone" and "Urumqi" in hit.place
    assert phone("0086 998 12345678") is not None
    assert phone("0991-1234567", "CN") is not None
    assert phone("0991-1234567") is None  # national format, country unknown
    assert phone("0991 234 5678", "PH") is None
    assert phone("+86 139 9123 4567") is None  # mobile: no area
    assert phone("+86 931 8123456") is None  # Lanzhou
    assert phone("+7 727 2991234", "KZ") is None
    assert phone("0991-12345", "CN") is None  # too short for a fixed line


def test_identifiers_prefer_the_registration_code() -> None:
    hit = default_locator().locate_identifiers(
        registration_id="91350100M000100Y43", phone="+86 991 1234567", country="CN"
    )
    assert hit is not None and hit.signal == "phone"  # the Fujian code is not evidence


@pytest.mark.parametrize(
    "number",
    [
        "+86 991 4567890",
        "+86-991-4567890",
        "+86 (0)991 4567890",
        "0086 991 4567890",
        "0086-0991-4567890",
        "86-991-4567890",
        "86 991 45678901",
        "+86 (991) 4567890",
        "(0991) 4567890",
        "＋８６　９９１　４５６７８９０",
        "（０９９１）４５６７８９０",
        "Tel: +86 991 4567890",
        "电话：0991-4567890",
        "+86 991 4567890 ext. 12",
        "0991-4567890转8001",
    ],
)
def test_phone_numbers_in_every_common_form(number: str) -> None:
    hit = default_locator().locate_identifiers(registration_id=None, phone=number, country="CN")
    assert hit is not None and hit.signal == "phone" and "0991" in hit.place, number


@pytest.mark.parametrize(
    "number",
    [
        "86-139-9123-4567",  # a mobile after 86: no area
        "86-21-6123-4567",  # Shanghai after 86
        "886 912 345 678",  # Taiwan mobile
        "Tel: +7 727 299 1234",  # Almaty
        "ext. 0991",  # only an extension
        "Fax",
    ],
)
def test_phone_forms_that_are_not_region_lines(number: str) -> None:
    assert (
        default_locator().locate_identifiers(registration_id=None, phone=number, country=None)
        is None
    ), number
