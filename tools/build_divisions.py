"""Build ``forced_labour_guard/data/region/divisions.csv`` from a checked-out copy of the npm
package ``china-division`` (the county-level and higher part of the National Bureau of Statistics'
division codes; see the README beside the CSV for the version and date).

Usage: ``python tools/build_divisions.py DIST_DIR`` where DIST_DIR holds the package's
``provinces.csv``, ``cities.csv`` and ``areas.csv``. The pinyin columns are written with pypinyin
(the project's dependency); the region's own units are checked against the gazetteer's
hand-written pinyin by ``tests/region/test_region_divisions.py``. Run by a maintainer when the list
changes; the library only ever reads the CSV it writes.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

from pypinyin import Style, lazy_pinyin

DATA = Path(__file__).resolve().parent.parent / "forced_labour_guard/data/region"
OUT = DATA / "divisions.csv"
PSEUDO = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
ETHNIC = [
    "蒙古",
    "回",
    "藏",
    "维吾尔",
    "苗",
    "彝",
    "壮",
    "布依",
    "朝鲜",
    "满",
    "侗",
    "瑶",
    "白",
    "土家",
    "哈尼",
    "哈萨克",
    "傣",
    "黎",
    "傈僳",
    "佤",
    "畲",
    "拉祜",
    "水",
    "东乡",
    "纳西",
    "景颇",
    "柯尔克孜",
    "土",
    "达斡尔",
    "仫佬",
    "羌",
    "布朗",
    "撒拉",
    "毛南",
    "仡佬",
    "锡伯",
    "阿昌",
    "普米",
    "塔吉克",
    "怒",
    "乌孜别克",
    "俄罗斯",
    "鄂温克",
    "德昂",
    "保安",
    "裕固",
    "京",
    "塔塔尔",
    "独龙",
    "鄂伦春",
    "赫哲",
    "门巴",
    "珞巴",
    "基诺",
    "各",
]
WITHOUT_ZU = {"蒙古", "哈萨克", "柯尔克孜", "锡伯", "塔吉克", "维吾尔", "土家", "达斡尔"}
SUFFIXES = (
    "特别行政区",
    "自治区",
    "地区",
    "林区",
    "矿区",
    "新区",
    "省",
    "盟",
    "市",
    "县",
    "区",
    "旗",
    "州",
)


def base_name(name: str) -> str:
    """The name without its administrative suffix and the peoples of an autonomous unit."""
    for unit in ("自治州", "自治县", "自治旗", "自治区"):
        if name.endswith(unit) and len(name) > len(unit) + 1:
            name = name[: -len(unit)]
            stripped = True
            while stripped:
                stripped = False
                for people in sorted(ETHNIC, key=len, reverse=True):
                    for form in (people + "族", people if people in WITHOUT_ZU else None):
                        if form and name.endswith(form) and len(name) > len(form) + 1:
                            name, stripped = name[: -len(form)], True
                            break
                    if stripped:
                        break
            return name
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def region_pinyin() -> dict[str, list[str]]:
    """The gazetteer's hand-written pinyin (lower case, a space per syllable) by division code:
    place-name readings that converters get wrong (勒 le in 阿勒泰, 莎 sha in 莎车)."""
    places = json.loads((DATA / "gazetteer.json").read_text(encoding="utf-8"))["places"]
    found: dict[str, list[str]] = {}
    for place in places:
        forms = [f for f in place["latin"] + place["latin_weak"] if " " in f and f.islower()]
        for code in [place["code"], *place.get("other_codes", [])]:
            if code:
                found[code] = forms
    return found


def main(dist: Path) -> None:
    checked = region_pinyin()
    rows = []
    for row in read(dist / "provinces.csv"):
        rows.append((row["code"] + "0000", row["name"], "province", "", row["code"]))
    for row in read(dist / "cities.csv"):
        if row["name"] not in PSEUDO:
            rows.append(
                (
                    row["code"] + "00",
                    row["name"],
                    "prefecture",
                    row["provinceCode"] + "0000",
                    row["provinceCode"],
                )
            )
    for row in read(dist / "areas.csv"):
        if row["name"] not in PSEUDO:
            parent = row["cityCode"] + "00"
            rows.append((row["code"], row["name"], "county", parent, row["provinceCode"]))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["code", "name", "level", "parent", "province", "base", "pinyin"])
        for code, name, level, parent, province in rows:
            base = base_name(name)
            pinyin = " ".join(lazy_pinyin(base, style=Style.NORMAL))
            by_hand = [f for f in checked.get(code, []) if len(f.split()) == len(base)]
            if by_hand:
                pinyin = by_hand[0]
            writer.writerow([code, name, level, parent, province, base, pinyin])
    print(f"wrote {len(rows)} divisions to {OUT}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
