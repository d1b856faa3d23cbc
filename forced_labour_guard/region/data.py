"""Reading the region's reference data: the gazetteer, the context words and the number plans.

This is the I/O edge of the locator: it reads three JSON files and the national division table
(``divisions.csv``) bundled in ``forced_labour_guard/data/region/`` (provenance in the README beside
them) into plain frozen records, once. Everything downstream is pure.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from forced_labour_guard.errors import InputError


@dataclass(frozen=True)
class Place:
    """One administrative unit of the region (or the region itself, or the XPCC)."""

    code: str | None
    level: str
    parent: str | None
    en: str
    zh: tuple[str, ...]
    zh_weak: tuple[str, ...]
    latin: tuple[str, ...]
    latin_weak: tuple[str, ...]
    uyghur: tuple[str, ...]
    namesakes: dict[str, tuple[str, ...]] = field(hash=False)
    postal_code: str | None = None
    area_code: str | None = None
    other_codes: tuple[str, ...] = ()
    other_scripts: tuple[str, ...] = ()  # Cyrillic (Russian, Kazakh), Japanese kana, Korean

    @property
    def key(self) -> str:
        """A stable identity: the division code, else the English name (new counties)."""
        return self.code or self.en


@dataclass(frozen=True, slots=True)
class Division:
    """One county- or prefecture-level (or provincial) division of mainland China, any province:
    what tells a namesake elsewhere from a unit of the region."""

    code: str
    name: str  # full Chinese name, 金塔县
    level: str  # province, prefecture or county
    province: str  # two-digit province code; 65 is the region
    base: str  # the name without its administrative suffix, 金塔
    pinyin: str  # pinyin of ``base``, a space per syllable

    @property
    def in_region(self) -> bool:
        return self.province == "65"


@dataclass(frozen=True)
class RegionData:
    """Everything the locator knows, as read from the bundled files."""

    places: tuple[Place, ...]
    as_of: str
    context: dict[str, Any] = field(hash=False)
    codes: dict[str, Any] = field(hash=False)
    divisions: tuple[Division, ...] = field(default=(), hash=False)


def _place(row: dict[str, Any]) -> Place:
    return Place(
        code=row["code"],
        level=row["level"],
        parent=row["parent"],
        en=row["en"],
        zh=tuple(row["zh"]),
        zh_weak=tuple(row["zh_weak"]),
        latin=tuple(row["latin"]),
        latin_weak=tuple(row["latin_weak"]),
        uyghur=tuple(row["uyghur"]),
        namesakes={name: tuple(countries) for name, countries in row["namesakes"].items()},
        postal_code=row.get("postal_code"),
        area_code=row.get("area_code"),
        other_codes=tuple(row.get("other_codes", ())),
        other_scripts=tuple(row.get("other_scripts", ())),
    )


def _read_text(directory: Path | None, name: str) -> str:
    if directory is None:
        return (
            resources.files("forced_labour_guard")
            .joinpath("data", "region", name)
            .read_text(encoding="utf-8")
        )
    return (directory / name).read_text(encoding="utf-8")


def _read_divisions(directory: Path | None) -> tuple[Division, ...]:
    """The national table; a directory without one (a test's own gazetteer) has none."""
    try:
        text = _read_text(directory, "divisions.csv")
    except FileNotFoundError:
        if directory is None:
            raise InputError(
                "the bundled divisions.csv is missing", source="divisions.csv"
            ) from None
        return ()
    except OSError as error:
        raise InputError(f"cannot read region data: {error}", source="divisions.csv") from error
    try:
        return tuple(
            Division(
                code=row["code"],
                name=row["name"],
                level=row["level"],
                province=row["province"],
                base=row["base"],
                pinyin=row["pinyin"],
            )
            for row in csv.DictReader(io.StringIO(text))
        )
    except (KeyError, csv.Error) as error:
        raise InputError(f"malformed division row: {error}", source="divisions.csv") from error


def _read_json(directory: Path | None, name: str) -> dict[str, Any]:
    try:
        text = _read_text(directory, name)
        loaded = json.loads(text)
    except (OSError, ValueError) as error:
        raise InputError(f"cannot read region data: {error}", source=name) from error
    if not isinstance(loaded, dict):
        raise InputError("region data must be a JSON object", source=name)
    return loaded


def load_region_data(directory: Path | None = None) -> RegionData:
    """Read gazetteer.json, context.json, codes.json and divisions.csv (bundled copies unless
    ``directory``)."""
    gazetteer = _read_json(directory, "gazetteer.json")
    try:
        places = tuple(_place(row) for row in gazetteer["places"])
    except (KeyError, TypeError) as error:
        raise InputError(f"malformed place record: {error}", source="gazetteer.json") from error
    return RegionData(
        places=places,
        as_of=str(gazetteer.get("as_of", "")),
        context=_read_json(directory, "context.json"),
        codes=_read_json(directory, "codes.json"),
        divisions=_read_divisions(directory),
    )


@lru_cache(maxsize=1)
def bundled_region_data() -> RegionData:
    """The bundled gazetteer, context words and number plans, read once per process."""
    return load_region_data()
