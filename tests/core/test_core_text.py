"""The one text normaliser: what a hiding supplier and a tired clerk write, read as a person reads it.

Every positive (text that must be cleaned) has a negative beside it (text that must stay as written).
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forced_labour_guard import Guard, PurchaseOrder, Supplier
from forced_labour_guard.model import Action, FindingCode
from forced_labour_guard.text import HIDING, TextChange, clean_text

NOW = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("raw", "expected", "change"),
    [
        ("Xin\u200bjiang", "Xinjiang", TextChange.INVISIBLE),  # zero-width space
        ("Uru\u00admqi", "Urumqi", TextChange.INVISIBLE),  # soft hyphen
        ("Ak\u200dsu", "Aksu", TextChange.INVISIBLE),  # zero-width joiner
        ("\ufeffKashgar", "Kashgar", TextChange.INVISIBLE),  # byte-order mark
        ("Ho\u2060tan", "Hotan", TextChange.INVISIBLE),  # word joiner
        ("Hami\u202e", "Hami", TextChange.INVISIBLE),  # right-to-left override
        ("Tur\x00pan", "Turpan", TextChange.INVISIBLE),  # NUL
        ("新\u200b疆", "新疆", TextChange.INVISIBLE),
        ("\u0410ksu", "Aksu", TextChange.LOOKALIKE),  # Cyrillic A
        ("Kor\u0430", "Kora", TextChange.LOOKALIKE),  # Cyrillic a
        ("\u0425\u0406NJIANG", "XINJIANG", TextChange.LOOKALIKE),  # Cyrillic Kha and I
        ("Xinjiang \u03a4\u0392\u0395\u0391 Co", "Xinjiang TBEA Co", TextChange.LOOKALIKE),  # Greek
        ("ＵＲＵＭＱＩ", "URUMQI", TextChange.WIDTH),
        ("９１６５０１００", "91650100", TextChange.WIDTH),
        ("新 疆 乌 鲁 木 齐", "新疆乌鲁木齐", TextChange.CJK_SPACING),
        ("烏魯木齊", "乌鲁木齐", TextChange.TRADITIONAL),
        ("新疆維吾爾自治區", "新疆维吾尔自治区", TextChange.TRADITIONAL),
    ],
)
def test_hidden_and_messy_text_reads_as_written_for_a_person(
    raw: str, expected: str, change: TextChange
) -> None:
    cleaned = clean_text(raw)
    assert cleaned.text == expected
    assert change in cleaned.changes
    assert cleaned.raw == raw
    assert cleaned.hidden == (change in HIDING)


@pytest.mark.parametrize(
    "raw",
    [
        "ул. Ленина, 5, Москва",  # real Russian: its look-alike letters stay Cyrillic
        "Үрімші",  # Kazakh Cyrillic for Urumqi: a real word, not a disguise
        "Ακσού",  # Greek text
        "АКСУ",  # a Cyrillic word alone is Russian, not a disguised Latin word
        "신장 위구르 자치구",  # Korean keeps its word spaces
        "Ürümqi",  # Latin with diacritics is Latin
        "Xinjiang Road 88, Shanghai",
        "Co., Ltd.",
        "Հայաստան",  # Armenian for Armenia: a real Armenian word stays Armenian
        "ᏣᎳᎩ",  # Cherokee written in Cherokee
    ],
)
def test_real_text_in_other_scripts_is_left_as_written(raw: str) -> None:
    cleaned = clean_text(raw)
    assert cleaned.text == raw
    assert not cleaned.hidden


def test_line_breaks_keep_the_address_parts_apart() -> None:
    assert clean_text("Xinjiang Road 8\nShanghai\n").text == "Xinjiang Road 8, Shanghai"
    assert clean_text("Room 5,\r\n  Urumqi").text == "Room 5, Urumqi"


def test_spaces_collapse_and_trim_without_reporting_a_change() -> None:
    cleaned = clean_text("  Acme \t  Trading  ")
    assert cleaned.text == "Acme Trading"
    assert not cleaned.changes


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_cleans_without_error_and_cleaning_is_idempotent(raw: str) -> None:
    once = clean_text(raw).text
    assert clean_text(once).text == once
    assert not any(ch in once for ch in "\x00\u200b\u200d\ufeff\u00ad")


# --------------------------------------------------------------------------------------------
# Through the Guard: hiding does not hide, and the finding says it was hidden
# --------------------------------------------------------------------------------------------


def guard() -> Guard:
    return Guard(clock=lambda: NOW)


def test_a_zero_width_space_in_the_city_does_not_hide_the_region() -> None:
    supplier = Supplier(name="Acme", addresses=[{"city": "Uru\u200bmqi", "country": "CN"}])
    decision = guard().screen_supplier(supplier)
    assert decision.action is Action.BLOCK
    [finding] = decision.findings
    assert finding.code is FindingCode.A1
    assert "invisible characters" in finding.detail
    assert "'Uru\\u200bmqi'" in finding.detail  # the raw text, with the hidden character shown
    assert any("hides text from screening" in w for w in decision.warnings)


def test_a_cyrillic_letter_in_the_city_does_not_hide_the_region() -> None:
    supplier = Supplier(name="Acme", addresses=[{"text": "Kor\u0430 city, Xinjiang, China"}])
    decision = guard().screen_supplier(supplier)
    assert decision.action is Action.BLOCK
    assert "posing as Latin" in decision.findings[0].detail


@pytest.mark.parametrize(
    ("city", "read_as"),
    [
        ("H\u0585tan", "Hotan"),  # Armenian small oh
        ("\u0570otan", "hotan"),  # Armenian small ho
        ("\u13aaksu", "Aksu"),  # Cherokee letter go, a capital A to the eye
        ("\u029cotan", "hotan"),  # Latin letter small capital H
    ],
)
def test_armenian_cherokee_and_small_capital_look_alikes_do_not_hide_the_region(
    city: str, read_as: str
) -> None:
    assert clean_text(city).text == read_as
    supplier = Supplier(name="Acme", addresses=[{"city": city, "country": "CN"}])
    decision = guard().screen_supplier(supplier)
    assert decision.action is Action.BLOCK
    assert "posing as Latin" in decision.findings[0].detail


def test_a_hidden_character_in_a_clean_record_is_a_warning_but_no_block() -> None:
    supplier = Supplier(name="Ac\u200bme GmbH", addresses=[{"city": "Berlin", "country": "DE"}])
    decision = guard().screen_supplier(supplier)
    assert decision.action is Action.ALLOW
    assert any("supplier.name" in w for w in decision.warnings)


def test_clean_record_keeps_the_callers_record_and_its_ids() -> None:
    po = PurchaseOrder.model_validate(
        {
            "id": "PO\u200b-1",
            "supplier": {"id": "S\u200b1", "name": "Acme", "addresses": [{"city": "Hami\u200b"}]},
            "lines": [{"line_id": "L\u200b1", "description": "cotton"}],
        }
    )
    decision = guard().check_purchase_order(po)
    assert po.supplier.addresses[0].city == "Hami\u200b"  # the caller's record is untouched
    assert decision.findings[0].supplier_id == "S\u200b1"  # keys stay as sent
    assert decision.subject == "PO\u200b-1"


def test_traditional_and_full_width_text_is_not_reported_as_hiding() -> None:
    supplier = Supplier(name="甲公司", addresses=[{"text": "新疆維吾爾自治區烏魯木齊市"}])
    decision = guard().screen_supplier(supplier)
    assert decision.action is Action.BLOCK
    assert not any("hides text" in w for w in decision.warnings)
    assert "hides text" not in decision.findings[0].detail


def test_a_listed_name_in_pinyin_with_tone_marks_is_still_the_listed_entity() -> None:
    supplier = Supplier(name="Sìchuān Jīngwěidá Technology Group", country="CN")
    decision = Guard.default(clock=lambda: NOW).screen_supplier(supplier)
    assert decision.action is Action.BLOCK
    assert [f.code for f in decision.findings] == [FindingCode.ENTITY_LIST]
