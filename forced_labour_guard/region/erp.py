"""Region keys that ERPs store in ``Address.region``: Odoo state records, ISO codes, SAP keys.

Odoo's ``res.country.state`` record for Xinjiang has the xmlid ``base.state_cn_XJ``, the name
新疆维吾尔自治区 and the code 新 (the one-character abbreviation Chinese provinces use). ISO 3166-2
writes CN-XJ (formerly CN-65); GB/T 2260 writes 65 / 650000. These are read only as the whole value
of the region field, never as a substring: "XJ" inside "XJ Trading" or 新 inside 新加坡 is nothing.

SAP's region key for Chinese provinces (table T005S) is configuration each customer maintains, so
no key is built in: pass a mapping from the customer's keys to province codes (``{"31": "XJ"}``)
and otherwise the region's text (Xinjiang, 新疆) is matched by the gazetteer like any other field.
Keys that map to another province (``{"020": "SH"}``) tell the locator the address is elsewhere
in China, which keeps a lone postal code or a shop name from placing it in the region.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

RegionKey = Literal["xinjiang", "other_china"]

_XINJIANG_NAMES = frozenset({"XJ", "65", "650000", "新", "XINJIANG", "新疆"})


@dataclass(frozen=True)
class RegionCodes:
    """The ERP region values the locator recognises, plus a customer's SAP mapping."""

    any_country: frozenset[str]
    china_or_unknown: frozenset[str]
    china_only: frozenset[str]
    other_abbreviations: frozenset[str]
    other_codes: frozenset[str]
    odoo_prefix: str
    iso_prefix: str
    custom: Mapping[str, str]

    @classmethod
    def from_data(
        cls, codes: Mapping[str, Any], custom: Mapping[str, str] | None = None
    ) -> RegionCodes:
        erp = codes["erp_region_values"]
        return cls(
            any_country=frozenset(v.upper() for v in erp["xinjiang_any_country"]),
            china_or_unknown=frozenset(v.upper() for v in erp["xinjiang_china_or_unknown"]),
            china_only=frozenset(v.upper() for v in erp["xinjiang_china_only"]),
            other_abbreviations=frozenset(erp["other_province_abbreviations"].split()),
            other_codes=frozenset(erp["other_province_codes"].split()),
            odoo_prefix=erp["odoo_prefix"].upper(),
            iso_prefix=erp["iso_prefix"].upper(),
            custom={key.strip().upper(): value.strip() for key, value in (custom or {}).items()},
        )

    def classify(self, value: str, country: str | None) -> RegionKey | None:
        """Whether the whole region value is Xinjiang's key, another province's, or neither."""
        key = value.strip().upper()
        china = country == "CN"
        if key in self.any_country:
            return "xinjiang"
        if (china or country is None) and key in self.custom:
            return "xinjiang" if self.custom[key].upper() in _XINJIANG_NAMES else "other_china"
        if key in self.china_or_unknown and (china or country is None):
            return "xinjiang"
        if key in self.china_only and china:
            return "xinjiang"
        for prefix in (self.odoo_prefix, self.iso_prefix):
            if key.startswith(prefix) and key[len(prefix) :] in self.other_codes:
                return "other_china"
        if (china or country is None) and key in self.other_abbreviations:
            return "other_china"
        if china and key in self.other_codes:
            return "other_china"
        return None
