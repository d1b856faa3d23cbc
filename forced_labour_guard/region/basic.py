"""A first, deliberately small locator: the region's own names and its capital, in English and Chinese.

It knows "Xinjiang", "XUAR", "Uyghur/Uygur Autonomous Region", "East Turkistan", "Urumqi" (also
"Urumchi", "Wulumuqi") and their Chinese forms, matched as whole words in the city, region and free
text fields. Street names are never read as a place: "Urumqi Road" in Shanghai is not Urumqi. It does
not decode registration codes or phone numbers; the full locator in ``region.gazetteer`` does.
"""

from __future__ import annotations

import re
import unicodedata

from forced_labour_guard.model import Address
from forced_labour_guard.region.locator import RegionHit

_LATIN_NAMES: dict[str, str] = {
    "xinjiang": "Xinjiang",
    "xuar": "Xinjiang",
    "uyghur autonomous region": "Xinjiang",
    "uygur autonomous region": "Xinjiang",
    "uighur autonomous region": "Xinjiang",
    "east turkistan": "Xinjiang",
    "east turkestan": "Xinjiang",
    "urumqi": "Urumqi",
    "urumchi": "Urumqi",
    "wulumuqi": "Urumqi",
}
_CHINESE_NAMES: dict[str, str] = {"新疆": "Xinjiang", "乌鲁木齐": "Urumqi"}

# A Latin name followed by a street word is a street named after the place, not the place.
_STREET_WORDS = r"(?:road|rd|street|st|avenue|ave|lu|jie|dadao|lane|alley|boulevard|blvd)\b"
# A Chinese name followed by 路/街/道/巷 is likewise a street (上海乌鲁木齐中路 is in Shanghai).
_CHINESE_STREET = re.compile(r"^(?:中|北|南|东|西)?(?:路|街|道|巷|大道)")

_LATIN_PATTERN = re.compile(
    r"\b(" + "|".join(sorted(map(re.escape, _LATIN_NAMES), key=len, reverse=True)) + r")\b"
    r"(?!\s+" + _STREET_WORDS + r")"
)


def _fold(text: str) -> str:
    """NFKC (full-width to ASCII), drop diacritics, lower-case, collapse hyphens and apostrophes."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(
        ch for ch in unicodedata.normalize("NFD", text) if unicodedata.category(ch) != "Mn"
    )
    text = re.sub(r"['’`\-_]+", " ", text.casefold())
    return re.sub(r"\s+", " ", text)


class BasicLocator:
    """Region and capital names only; see the module docstring for what it does not cover."""

    name = "basic"

    def locate(self, address: Address) -> RegionHit | None:
        for field, value in address.fields():
            if field in ("street", "postal_code"):
                continue  # street-level words never decide the city
            hit = self._find(field, value)
            if hit:
                return hit
        return None

    def locate_identifiers(
        self, *, registration_id: str | None, phone: str | None, country: str | None
    ) -> RegionHit | None:
        return None

    @staticmethod
    def _find(field: str, value: str) -> RegionHit | None:
        folded = _fold(value)
        match = _LATIN_PATTERN.search(folded)
        if match:
            return RegionHit(
                signal="gazetteer_name",
                matched=value,
                field=field,
                place=_LATIN_NAMES[match.group(1)],
                confidence=1.0,
            )
        for name, place in _CHINESE_NAMES.items():
            start = folded.find(name)
            while start != -1:
                if not _CHINESE_STREET.match(folded[start + len(name) :]):
                    return RegionHit(
                        signal="gazetteer_name",
                        matched=value,
                        field=field,
                        place=place,
                        confidence=1.0,
                    )
                start = folded.find(name, start + 1)
        return None
