"""Reading SAP region keys of Chinese addresses as provinces, from configuration.

SAP keeps region keys in customizing (table T005S), and no public source says which key a given
system uses for Xinjiang: "XJ", "65" and "290" have all been seen. So nothing is assumed: a system
names a preset (``data/cn_region_presets.json``: ISO letters, GB/T 2260 numbers, SAP three-digit
keys) and/or its own keys, and a key that the configuration does not know becomes a warning on the
decision instead of passing silently. A known key is handed to the locator as its ISO 3166-2 code
(``CN-XJ``), which the locator reads as Xinjiang in any country and ``CN-SH`` as elsewhere in China.
An unknown key is passed on unchanged, so the locator still reads it if it is a form it knows.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from forced_labour_guard.adapters.sap.settings import RegionSettings

_PROVINCES = frozenset(
    [
        "AH",
        "BJ",
        "CQ",
        "FJ",
        "GD",
        "GS",
        "GX",
        "GZ",
        "HA",
        "HB",
        "HE",
        "HI",
        "HK",
        "HL",
        "HN",
        "JL",
        "JS",
        "JX",
        "LN",
        "MO",
        "NM",
        "NX",
        "QH",
        "SC",
        "SD",
        "SH",
        "SN",
        "SX",
        "TJ",
        "TW",
        "XJ",
        "XZ",
        "YN",
        "ZJ",
    ]
)


@cache
def presets() -> dict[str, Any]:
    text = (
        resources.files("forced_labour_guard.adapters.sap")
        .joinpath("data/cn_region_presets.json")
        .read_text(encoding="utf-8")
    )
    loaded: dict[str, Any] = json.loads(text)["presets"]
    return loaded


@dataclass(frozen=True)
class CnRegionMap:
    """SAP region key (country CN) -> ISO 3166-2:CN letters, as configured."""

    codes: dict[str, str] = field(default_factory=dict)
    scheme: str | None = None

    @classmethod
    def from_settings(cls, settings: RegionSettings) -> CnRegionMap:
        codes: dict[str, str] = {}
        if settings.scheme is not None:
            codes.update(presets()[settings.scheme]["codes"])
        for key, province in settings.codes.items():
            letters = province.strip().upper().removeprefix("CN-")
            if letters not in _PROVINCES:
                raise ValueError(
                    f"regions.codes.{key}: {province!r} is not an ISO 3166-2:CN province code "
                    "(XJ is Xinjiang)"
                )
            codes[_norm(key)] = letters
        return cls(codes={_norm(k): v for k, v in codes.items()}, scheme=settings.scheme)

    def province(self, key: str) -> str | None:
        """ISO letters of the province for a key, or None when the configuration does not know it."""
        return self.codes.get(_norm(key))

    def describe(self) -> str:
        own = "your own keys" if not self.scheme else f"the '{self.scheme}' preset"
        return f"{own} ({len(self.codes)} keys)"


def _norm(key: str) -> str:
    return key.strip().upper()
