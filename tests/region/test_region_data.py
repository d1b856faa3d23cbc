"""The bundled gazetteer is complete enough and consistent: codes, parents, spellings."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import pytest

from forced_labour_guard.errors import InputError
from forced_labour_guard.model import Address
from forced_labour_guard.region import GazetteerLocator
from forced_labour_guard.region.data import load_region_data
from forced_labour_guard.region.place_index import NameIndex

DATA = Path(__file__).resolve().parents[2] / "forced_labour_guard" / "data" / "region"


def test_every_prefecture_level_unit_and_xpcc_city_is_there() -> None:
    data = load_region_data()
    codes = {place.code for place in data.places}
    prefectures = {"650100", "650200", "650400", "650500", "652300", "652700", "652800"}
    prefectures |= {"652900", "653000", "653100", "653200", "654000", "654200", "654300"}
    assert prefectures <= codes
    assert {f"6590{n:02d}" for n in range(1, 13)} <= codes


def test_codes_parents_and_levels_are_consistent() -> None:
    data = load_region_data()
    keys = {place.key for place in data.places}
    codes = [c for place in data.places for c in (place.code, *place.other_codes) if c]
    assert not [c for c, n in Counter(codes).items() if n > 1]
    for place in data.places:
        assert place.parent is None or place.parent in keys, place.en
        assert place.code is None or place.code.startswith("65"), place.en
        for form in place.namesakes:
            assert form in (*place.latin, *place.latin_weak, *place.zh, *place.zh_weak), form
        assert place.zh or place.zh_weak, place.en
    assert sum(1 for place in data.places if place.level == "region") == 1


def test_no_spelling_names_two_places(tmp_path: Path) -> None:
    data = load_region_data()
    index = NameIndex(data)
    for place in data.places:
        for form in place.zh:
            assert index.script[form].place == place, form
    # The check that keeps the bundled data clean: one spelling given to two places is refused.
    for name in ("gazetteer.json", "context.json", "codes.json"):
        shutil.copy(DATA / name, tmp_path / name)
    gazetteer = json.loads((tmp_path / "gazetteer.json").read_text(encoding="utf-8"))
    hami = next(p for p in gazetteer["places"] if p["code"] == "650500")
    turpan = next(p for p in gazetteer["places"] if p["code"] == "650400")
    turpan["zh"].append(hami["zh"][0])
    (tmp_path / "gazetteer.json").write_text(json.dumps(gazetteer), encoding="utf-8")
    with pytest.raises(ValueError, match="names two places"):
        NameIndex(load_region_data(tmp_path))


def test_provenance_is_written_down() -> None:
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    for name in ("gazetteer.json", "context.json", "codes.json"):
        assert (DATA / name).exists() and name in readme


def test_a_reviewed_copy_of_the_data_can_replace_the_bundled_one(tmp_path: Path) -> None:
    for name in ("gazetteer.json", "context.json", "codes.json"):
        shutil.copy(DATA / name, tmp_path / name)
    gazetteer = json.loads((tmp_path / "gazetteer.json").read_text(encoding="utf-8"))
    for place in gazetteer["places"]:
        if place["code"] == "654000":
            place["latin_weak"].remove("yi li")
            place["latin"].append("yi li")  # a reviewer decides "Yili" alone is enough
    (tmp_path / "gazetteer.json").write_text(json.dumps(gazetteer), encoding="utf-8")
    custom = GazetteerLocator(load_region_data(tmp_path))
    assert custom.locate(Address(city="Yili", country="CN")) is not None
    assert GazetteerLocator().locate(Address(city="Yili", country="CN")) is None


def test_unreadable_data_is_an_input_error(tmp_path: Path) -> None:
    (tmp_path / "gazetteer.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match=r"gazetteer\.json"):
        load_region_data(tmp_path)
