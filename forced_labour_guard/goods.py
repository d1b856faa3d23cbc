"""Reading an order line's goods: which of its inputs the record places in the Uyghur Region, and
whether every input's origin is traced outside it.

An ERP says where goods come from in three ways: an input's ``origin_address`` and
``origin_country``, and words in an input's ``material`` or a line's ``description`` ("100%
Xinjiang cotton", "新疆长绒棉", "yarn from Aksu"). The words are read by the Guard's own locator
(``forced_labour_guard.region``), after the goods words of the UFLPA high-priority sectors
(``data/goods_words.json``) are set apart from the place in front of them: in an address, "Xinjiang"
followed by a product word is a shop or a brand, but in a material it says where the goods were
grown. Street names ("Xinjiang Road"), the region's names abroad ("Aksu, Kazakhstan") and variety
names grown far from the region ("Hami melon") stay as the locator reads them: not the region.

A negated mention ("not from Xinjiang", "Xinjiang-free", "不含新疆棉") is a supplier's claim, not a
trace: it raises no A4, and it does not trace the input either; the decision says it was read that
way. Pure: no I/O, the word table is loaded once at import.
"""

from __future__ import annotations

import json
import re
from collections.abc import Hashable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Final, Literal, cast

from forced_labour_guard.model import Address, Input
from forced_labour_guard.region import RegionHit, RegionLocator


def _load_words() -> tuple[re.Pattern[str], re.Pattern[str]]:
    raw = json.loads(
        resources.files("forced_labour_guard").joinpath("data/goods_words.json").read_text("utf-8")
    )
    latin = "|".join(sorted(map(re.escape, raw["latin"]), key=len, reverse=True))
    han = "|".join(sorted(map(re.escape, raw["zh"]), key=len, reverse=True))
    return re.compile(rf"\b(?:{latin})\b", re.IGNORECASE), re.compile(han)


_LATIN_GOODS, _HAN_GOODS = _load_words()
_CLAUSE_BREAK: Final = re.compile(r"[,;:()\[\]/|，；：（）、]")
_STATEMENT_CONFIDENCE: Final = 0.9
_STATEMENT_BREAK: Final = re.compile(r"[;；|\n]")
_STRONG_BREAK: Final = re.compile(r"[;:|/；：、]")
_PRODUCER_CUE: Final = re.compile(
    r"\b(?:from|by|ex|supplied\s+by|made\s+by|produced\s+by|manufactured\s+by|spun\s+by|"
    r"woven\s+by|producer|manufacturer|supplier|vendor)\b|来自|产自|供应商|生产商|厂家|由",
    re.IGNORECASE,
)
_NAME_LETTERS: Final = re.compile(r"[^\W\d_]{2,}")
_NEGATION_BEFORE: Final = re.compile(
    r"\b(?:not|non|no(?!\.?\s*\d)|without|excluding|exclude[sd]?|except|never|outside|"
    r"free\s+of|other\s+than)\b|(?:不|非|无(?!纺)|除|禁止|排除)",
    re.IGNORECASE,
)
_NEGATION_AFTER: Final = re.compile(r"^\s*-?\s*(?:free|excluded)\b|^(?:以外|之外|除外)", re.I)
_WORDS_BEFORE: Final = 4
_HAN_BEFORE: Final = 4
_COUNTRY_ONLY: Final = frozenset(
    {
        "cn",
        "china",
        "prc",
        "mainland",
        "mainland china",
        "people s republic of china",
        "peoples republic of china",
        "the people s republic of china",
        "中国",
        "中国大陆",
        "中华人民共和国",
        "大陆",
    }
)
_NOT_LETTERS: Final = re.compile(r"[\W_]+")


@dataclass(frozen=True, slots=True)
class GoodsPlace:
    """A place of the region named in goods text, and whether the text denies it."""

    hit: RegionHit
    negated: bool

    def describe(self) -> str:
        """'"Aksu" names Aksu Prefecture': the locator's field is an artefact of reading goods text."""
        return f'"{self.hit.matched}" names {self.hit.place}'


def _detach_goods_words(text: str) -> str:
    return _HAN_GOODS.sub("，", _LATIN_GOODS.sub(", ", text))


def _is_negated(text: str, matched: str) -> bool:
    where = text.find(matched)
    if where < 0:
        return False
    before = _CLAUSE_BREAK.split(text[:where])[-1]
    after = text[where + len(matched) :]
    words = before.split()
    near = " ".join(words[-_WORDS_BEFORE:]) if before.isascii() else before[-_HAN_BEFORE:]
    return bool(_NEGATION_BEFORE.search(near) or _NEGATION_AFTER.search(after))


def place_in_goods(text: str | None, locator: RegionLocator) -> GoodsPlace | None:
    """The region place a material or line description names, if the locator finds one."""
    if not text:
        return None
    if isinstance(locator, Hashable):
        return _place_in_goods(text, locator)
    return _read_goods(text, locator)


@lru_cache(maxsize=8192)
def _place_in_goods(text: str, locator: Hashable) -> GoodsPlace | None:
    """Memoised per locator object: materials repeat on every order, and locators are read-only."""
    return _read_goods(text, cast(RegionLocator, locator))


def _read_goods(text: str, read: RegionLocator) -> GoodsPlace | None:
    prepared = _detach_goods_words(text)
    hit = read.locate(Address(text=prepared))
    if hit is None:
        # "cotton: Xinjiang; spinning: Shanghai" states two origins: each statement on its own.
        # Only semicolons and line breaks separate statements; a comma may separate a place from
        # its country ("Aksu, Kazakhstan"). Taken out of the whole text a statement loses context,
        # so a spelling shared with a place abroad or elsewhere in China (a hit below
        # _STATEMENT_CONFIDENCE) does not count there: "cotton: Aksu; spinning: Almaty" stays unread.
        statements = [part for part in _STATEMENT_BREAK.split(prepared) if part.strip()]
        if len(statements) > 1:
            for statement in statements:
                found = read.locate(Address(text=statement))
                if found is not None and found.confidence >= _STATEMENT_CONFIDENCE:
                    hit, prepared = found, statement
                    break
    if hit is None:
        return None
    return GoodsPlace(hit=hit, negated=_is_negated(prepared, hit.matched))


@lru_cache(maxsize=8192)
def producer_names(text: str | None) -> tuple[str, ...]:
    """Parts of goods text that may name a company ("polysilicon from Hoshine Silicon Industry",
    "cotton yarn (Huafu)"): the text cut at punctuation and at producer cues (from, by, 由, 供应商),
    keeping parts that still hold a word once the goods words are set aside."""
    if not text:
        return ()
    names: list[str] = []
    # Cut at cues and strong breaks first, so "Hoshine Silicon Industry (Shanshan) Co., Ltd." stays
    # whole; then also at every comma and bracket, for "PVC resin, Zhongtai" and "yarn (Huafu)".
    for breaks in (_STRONG_BREAK, _CLAUSE_BREAK):
        for clause in breaks.split(text):
            for part in _PRODUCER_CUE.split(clause):
                candidate = part.strip(" -.,()（）")
                rest = _HAN_GOODS.sub(" ", _LATIN_GOODS.sub(" ", candidate))
                if _NAME_LETTERS.search(rest) and candidate not in names:
                    names.append(candidate)
    return tuple(names)


def _says_more_than_a_country(address: Address) -> bool:
    if address.city or address.region or address.street or address.postal_code:
        return True
    text = _NOT_LETTERS.sub(" ", (address.text or "").casefold()).strip()
    return bool(text) and text not in _COUNTRY_ONLY


@dataclass(frozen=True, slots=True)
class Trace:
    """How far an input's origin is traced: outside the region, into it (A4), or not at all."""

    status: Literal["outside", "in_region", "untraced"]
    why: str = ""


def trace_input(item: Input, locator: RegionLocator) -> Trace:
    """Whether an input's origin places it outside the region.

    Traced outside means: an origin address the locator does not place in the region and that names
    more than China (a province, a city, a street or a postal code), or an origin country other than
    China. An input the record places in the region (material or origin address) is ``in_region``."""
    place = place_in_goods(item.material, locator)
    if place is not None and not place.negated:
        return Trace("in_region", f"its material names {place.hit.place}")
    address = item.origin_address
    if address is not None:
        if locator.locate(address) is not None:
            return Trace("in_region", "its origin address is in the region")
        country = address.country or item.origin_country
        if (country is not None and country != "CN") or _says_more_than_a_country(address):
            return Trace("outside")
        return Trace(
            "untraced", "its origin address says only China, without a province or address"
        )
    if item.origin_country is None:
        return Trace("untraced", "it states no origin")
    if item.origin_country == "CN":
        return Trace(
            "untraced", "its origin is given only as China (CN), without a province or address"
        )
    return Trace("outside")
