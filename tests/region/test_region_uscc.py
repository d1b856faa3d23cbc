"""Unified Social Credit Code decoding (GB 32100-2015)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from forced_labour_guard.region import decode_uscc, default_locator
from tests.region.region_uscc_check import ALPHABET, with_check


def test_the_standards_worked_example_is_valid() -> None:
    info = decode_uscc("91350100M000100Y43")  # the example printed in GB 32100-2015
    assert info.valid and info.division_code == "350100" and info.province == "Fujian"
    assert not info.is_xinjiang


def test_xinjiang_and_xpcc_division_codes() -> None:
    urumqi = decode_uscc(with_check("91650100MA775GH2X"))
    assert urumqi.valid and urumqi.is_xinjiang and not urumqi.is_xpcc
    shihezi = decode_uscc(with_check("916590012286001" + "2C"))
    assert shihezi.is_xinjiang and shihezi.is_xpcc
    corps = decode_uscc(with_check("9166000022859510" + "4"))
    assert corps.is_xinjiang and corps.is_xpcc


def test_invalid_codes_say_why_and_are_not_proof_of_location() -> None:
    good = with_check("91650100MA775GH2X")
    typo = good[:-1] + ("1" if good[-1] != "1" else "2")
    info = decode_uscc(typo)
    assert not info.valid and not info.is_xinjiang
    assert "check character" in (info.reason or "")
    assert info.division_code == "650100"
    assert "not 18" in (decode_uscc("91650100MA775GH2").reason or "")
    assert "not allowed" in (decode_uscc("91650100MA775OH2X1").reason or "")
    assert "names no Chinese province" in (
        decode_uscc(with_check("91990100MA775GH2X")).reason or ""
    )


def test_spacing_case_and_full_width_are_tolerated() -> None:
    code = with_check("91653100MA77ABCD1")
    assert decode_uscc(f" {code[:6]}-{code[6:12]} {code[12:]}".lower()).valid
    full_width = "".join(chr(ord(ch) + 0xFEE0) for ch in code)
    assert decode_uscc(full_width).is_xinjiang
    # full-width separators as a Chinese input method types them
    assert decode_uscc(f"{full_width[:6]}\uff0d{full_width[6:12]}\u3000{code[12:]}").is_xinjiang


@given(st.text(alphabet=ALPHABET, min_size=17, max_size=17))
def test_any_body_with_its_check_character_is_valid_unless_the_province_is_unknown(
    body: str,
) -> None:
    info = decode_uscc(with_check(body))
    if not body[2:8].isdigit():
        assert not info.valid
    elif info.valid:
        assert info.is_xinjiang == (body[2:4] in ("65", "66"))
    else:
        assert "province" in (info.reason or "")


@given(st.text(alphabet=ALPHABET, min_size=17, max_size=17), st.sampled_from(ALPHABET))
def test_a_wrong_check_character_is_always_caught(body: str, check: str) -> None:
    code = with_check(body)
    if check != code[-1]:
        assert not decode_uscc(body + check).valid


def test_a_region_code_with_a_wrong_check_character_is_a_review_sign_naming_the_division() -> None:
    """Issue 10: a made-up or mistyped code of the region was ignored; it must at least warn."""
    good = with_check("91650100MA775GH2X")
    typo = good[:-1] + ("1" if good[-1] != "1" else "2")
    hit = default_locator().locate_identifiers(registration_id=typo, phone=None, country="CN")
    assert hit is not None and hit.strength == "review" and hit.confidence < 0.7
    assert "650100" in hit.place and "Urumqi" in hit.place
    assert "check character" in (hit.problem or "") and "check character" in hit.describe()


def test_a_valid_region_code_stays_decisive() -> None:
    code = with_check("91650100MA775GH2X")
    hit = default_locator().locate_identifiers(registration_id=code, phone=None, country="CN")
    assert hit is not None and hit.strength == "decisive" and hit.confidence == 1.0


def test_an_invalid_code_of_another_province_is_nothing() -> None:
    good = with_check("91350100M000100Y4")
    typo = good[:-1] + ("1" if good[-1] != "1" else "2")
    assert (
        default_locator().locate_identifiers(registration_id=typo, phone=None, country="CN") is None
    )


def test_a_decisive_phone_outranks_a_review_level_code() -> None:
    good = with_check("91650100MA775GH2X")
    typo = good[:-1] + ("1" if good[-1] != "1" else "2")
    hit = default_locator().locate_identifiers(
        registration_id=typo,
        phone="+86 991 4567890",
        country="CN",
    )
    assert hit is not None and hit.signal == "phone" and hit.strength == "decisive"


@pytest.mark.parametrize(
    "label",
    [
        "USCC: ",
        "USCC ",
        "U.S.C.C.: ",
        "统一社会信用代码：",
        "统一社会信用代码 ",
        "Credit code ",
        "Unified Social Credit Code: ",
        "Reg. No. ",
        "注册号:",
        "信用代码#",
    ],
)
def test_a_credit_code_after_a_label_is_read(label: str) -> None:
    code = with_check("91653100MA77ABCD1")
    spaced = f"{code[:4]} {code[4:8]}-{code[8:13]} {code[13:]}"
    for written in (code, spaced):
        info = decode_uscc(label + written)
        assert info.valid and info.is_xinjiang, (label, written, info.reason)


def test_a_label_does_not_make_a_short_code_valid() -> None:
    assert not decode_uscc("USCC: 91653100MA77ABCD").valid
