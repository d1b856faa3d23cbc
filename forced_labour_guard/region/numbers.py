"""Postal codes and telephone numbers of the region: supporting signals, read with their country.

Six digits are not Chinese by themselves: 834001 is also Ranchi's Indian PIN code. So a postal
code counts only where the address is in China (country CN) or plausibly so (no country, but
Chinese script or the word China in the address), and only when nothing in the address names a
Chinese place outside the region. A telephone number counts where the country is CN or the number
is written with China's country code (+86 / 0086), which settles the country by itself: in national
format, 0991 1234567 could as well be a mobile number in the Philippines or India.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

_POSTAL_IN_TEXT = re.compile(r"(?<![\d\-+])(\d{6})(?![\d\-])")
_PHONE_JUNK = re.compile(r"[\s\-().\u3000/]")
# Where the number starts (a label such as "Tel:" or "电话：" comes before it) and where an
# extension begins ("ext. 12", "转 8001", "x12").
_PHONE_START = re.compile(r"[+\d(]")
_EXTENSION = re.compile(r"(?:ext\.?|extn|转|分机|x)\s*\d+\s*$", re.IGNORECASE)
# Xinjiang's area codes written after 86 with no + or 00 ("86-991-4567890"): 86, then 9, then a
# fixed line of 7 or 8 digits after the three-digit area code.
_BARE_COUNTRY_LENGTHS = (12, 13)


@dataclass(frozen=True)
class NumberPlans:
    postal_prefixes: tuple[str, ...]
    country_code: str
    area_codes: Mapping[str, str]

    @classmethod
    def from_data(cls, codes: Mapping[str, Any]) -> NumberPlans:
        return cls(
            postal_prefixes=tuple(codes["postal"]["prefixes"]),
            country_code=codes["phone"]["country_code"],
            area_codes=dict(codes["phone"]["area_codes"]),
        )

    def postal_field(self, value: str) -> str | None:
        """The postal_code field's value when it is a region code (spaces allowed)."""
        digits = value.replace(" ", "").replace("\u3000", "")
        if len(digits) == 6 and digits.isdigit() and digits.startswith(self.postal_prefixes):
            return digits
        return None

    def postal_in_text(self, text: str) -> str | None:
        """A stand-alone six-digit region code in free text (not part of a longer number)."""
        for match in _POSTAL_IN_TEXT.finditer(text):
            if match.group(1).startswith(self.postal_prefixes):
                return match.group(1)
        return None

    def phone_area(self, phone: str, country: str | None) -> tuple[str, str] | None:
        """(area code, area name) when ``phone`` is a Xinjiang fixed line, else None.

        Accepts the forms people type: +86, 0086, 86- without a plus, full-width digits, the
        area code in parentheses, (0) after the country code, a label before the number and an
        extension after it."""
        text = unicodedata.normalize("NFKC", phone)
        start = _PHONE_START.search(text)
        if start is None:
            return None
        text = _EXTENSION.sub("", text[start.start() :])
        digits = _PHONE_JUNK.sub("", text)
        international = False
        if digits.startswith("+"):
            if not digits.startswith("+" + self.country_code):
                return None  # another country's number
            digits, international = digits[1 + len(self.country_code) :], True
        elif digits.startswith("00" + self.country_code):
            digits, international = digits[2 + len(self.country_code) :], True
        elif digits.startswith("00"):
            return None
        elif (
            digits.startswith(self.country_code + "9")
            and len(digits) in _BARE_COUNTRY_LENGTHS
            and digits.isdigit()
        ):
            digits, international = digits[len(self.country_code) :], True
        if not digits.isdigit():
            return None
        if not international and country != "CN":
            return None
        national = digits if digits.startswith("0") else "0" + digits
        area = national[:4]
        # a Xinjiang fixed line is the area code plus 7 or 8 digits
        if area in self.area_codes and len(national) in (11, 12):
            return area, self.area_codes[area]
        return None
