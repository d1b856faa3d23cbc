"""Decoding the Chinese Unified Social Credit Code (统一社会信用代码, GB 32100-2015).

Every legal person registered in mainland China carries one 18-character code:

====== ============================================================
1      registration authority (9 = market regulation, 5 = civil affairs, ...)
2      kind of entity (1 = enterprise, 2 = sole trader, ...)
3-8    administrative division code of the registering authority (GB/T 2260)
9-17   organisation identifier (GB 11714)
18     check character over the first 17 (ISO 7064 style, modulus 31)
====== ============================================================

A division code starting 65 was issued in Xinjiang; 6590xx are the cities run by the Xinjiang
Production and Construction Corps (XPCC); 66xxxx, outside GB/T 2260, is read as XPCC registration
authorities (no other authority uses it, so the reading cannot misplace a code from elsewhere). A
code whose check character is wrong is reported as invalid, but keeps its division code: the
locator reads an invalid code that names a division of the region as a sign to review (a typo, or
a made-up code hiding a real one), never as proof of a location.

ERP fields hold codes with labels ("USCC: …", "统一社会信用代码：…", "Credit code 9165…"); a label
is read off before the code is cleaned.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from forced_labour_guard.region.data import bundled_region_data


class UsccInfo(BaseModel):
    """What an identifier says once read as a Unified Social Credit Code."""

    model_config = ConfigDict(frozen=True)

    code: str = Field(description="The code as read: upper case, spaces and hyphens removed.")
    valid: bool
    reason: str | None = Field(default=None, description="Why the code is invalid.")
    division_code: str | None = Field(default=None, description="Characters 3-8 (GB/T 2260).")
    province: str | None = Field(default=None, description="Province of the division code.")
    is_xinjiang: bool = False
    is_xpcc: bool = False


@dataclass(frozen=True)
class UsccRules:
    """The alphabet, weights and division prefixes, read from ``data/region/codes.json``."""

    alphabet: str
    weights: tuple[int, ...]
    provinces: Mapping[str, str]
    xinjiang: str
    xpcc_cities: str
    xpcc_registration: str

    @classmethod
    def from_data(cls, codes: Mapping[str, Any]) -> UsccRules:
        uscc, divisions = codes["uscc"], codes["division_codes"]
        return cls(
            alphabet=uscc["alphabet"],
            weights=tuple(uscc["weights"]),
            provinces=dict(divisions["provinces"]),
            xinjiang=divisions["xinjiang"],
            xpcc_cities=divisions["xpcc_cities"],
            xpcc_registration=divisions["xpcc_registration"],
        )


_IDENTIFIER_NOISE = re.compile(r"[\s\-./]")
# A label before the code: anything up to a colon, or a known label word followed by a space.
_LABEL = re.compile(
    r"^.*[:：#]|^\s*(?:uscc|u\.?s\.?c\.?c\.?|credit\s+code|social\s+credit\s+code|"
    r"unified\s+social\s+credit\s+code|reg(?:istration)?\.?\s*(?:no|number|code)\.?|"
    r"统一社会信用代码|社会信用代码|信用代码|注册号)\s*",
    re.IGNORECASE,
)


def clean_identifier(value: str) -> str:
    """Upper case, full-width forms folded (NFKC), without the spaces, hyphens, dots and slashes
    people type into codes. Registration numbers on watchlists compare in this form too."""
    return _IDENTIFIER_NOISE.sub("", unicodedata.normalize("NFKC", value)).upper()


def check_character(body: str, alphabet: str, weights: Sequence[int]) -> str:
    """GB 32100-2015 check character for the first 17 characters."""
    total = sum(alphabet.index(ch) * weight for ch, weight in zip(body, weights, strict=True))
    return alphabet[(31 - total % 31) % 31]


def strip_label(value: str) -> str:
    """``value`` without a label before the code ("USCC: ", "统一社会信用代码：", "Reg. No. ")."""
    text = unicodedata.normalize("NFKC", value)
    return _LABEL.sub("", text, count=1)


def names_region_division(info: UsccInfo, rules: UsccRules) -> bool:
    """Whether the code's division digits (valid or not) name the region or the XPCC."""
    division = info.division_code or ""
    return division.startswith((rules.xinjiang, rules.xpcc_cities, rules.xpcc_registration))


def decode_with(value: str, rules: UsccRules) -> UsccInfo:
    """Decode ``value`` with explicit rules (pure; see :func:`decode_uscc`)."""
    code = clean_identifier(strip_label(value))
    if len(code) != 18:
        return UsccInfo(code=code, valid=False, reason=f"has {len(code)} characters, not 18")
    division = code[2:8]
    bad = sorted({ch for ch in code if ch not in rules.alphabet})
    if bad:
        return UsccInfo(
            code=code,
            valid=False,
            division_code=division if division.isdigit() else None,
            reason=f"contains {', '.join(bad)}, not allowed in a credit code (no I, O, S, V, Z)",
        )
    if not division.isdigit():
        return UsccInfo(code=code, valid=False, reason="characters 3-8 are not a division code")
    expected = check_character(code[:17], rules.alphabet, rules.weights)
    if code[17] != expected:
        return UsccInfo(
            code=code,
            valid=False,
            division_code=division,
            reason=f"check character is {code[17]}, expected {expected} (GB 32100-2015)",
        )
    province = rules.provinces.get(division[:2])
    if province is None:
        return UsccInfo(
            code=code,
            valid=False,
            division_code=division,
            reason=f"division code {division} names no Chinese province",
        )
    xpcc = division.startswith((rules.xpcc_cities, rules.xpcc_registration))
    return UsccInfo(
        code=code,
        valid=True,
        division_code=division,
        province=province,
        is_xinjiang=division.startswith(rules.xinjiang) or xpcc,
        is_xpcc=xpcc,
    )


@lru_cache(maxsize=1)
def _bundled_rules() -> UsccRules:
    return UsccRules.from_data(bundled_region_data().codes)


def decode_uscc(code: str) -> UsccInfo:
    """Read ``code`` as a Unified Social Credit Code: validity, division code, Xinjiang / XPCC.

    Uses the bundled rules, read on the first call (the same copy ``default_locator()`` reads). ``UsccInfo.valid`` is False, with a ``reason``, for a code
    of the wrong length, with letters the standard excludes, or with a wrong check character."""
    return decode_with(code, _bundled_rules())
