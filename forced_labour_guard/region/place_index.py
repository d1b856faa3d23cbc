"""Finding place names in one folded address field, in one pass, without looping over names.

Latin text is cut into tokens; a name is found by joining consecutive tokens and looking the join
up in a dict (``Wu Lu Mu Qi`` and ``Wulumuqi`` are the same key, ``wulumuqi``). A join is only
accepted where each cut falls on a boundary the name allows: a pinyin syllable boundary, or a space
in the listed spelling. So "Wu Lu Mu Qi" matches but "man as" never becomes "Manas", and
"Xinjianglu" (a street written as one word) is not "Xinjiang". Chinese and Uyghur-script names are
found with one compiled alternation, longest first.

Each mention also records what surrounds it, because that decides whether it names a place:
an administrative suffix after it (市, County) makes it a place; a street word (路, Road) makes it
a street; a product or business word (瓜, melon, restaurant) makes it a thing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any, Literal, NamedTuple

from opencc_purepy import OpenCC

from forced_labour_guard.region.data import Place, RegionData
from forced_labour_guard.region.fold import build_fold_table, fold

_LATIN_TOKEN = re.compile(r"[a-z0-9]+")
_CJK = re.compile(r"[\u3400-\u9fff]")
_FOREIGN_SCRIPT = re.compile(r"[\u0400-\u04ff\u3040-\u30ff\uac00-\ud7af]")  # Cyrillic, kana, Hangul
_ARABIC = "\u0600-\u06ff"
_ARABIC_SCRIPT = re.compile(f"[{_ARABIC}]")
_MAX_JOIN = 6
# A site, office or plant said to be in a place: the place is then a location, even beside a
# second place in the same line (the rule for a lone name beside somewhere else does not apply).
_IN = frozenset({"in", "at"})
_SITE_WORDS = frozenset(
    [
        "base",
        "plant",
        "plants",
        "factory",
        "factories",
        "mill",
        "mills",
        "facility",
        "facilities",
        "site",
        "workshop",
        "farm",
        "farms",
        "warehouse",
        "office",
        "offices",
        "branch",
        "subsidiary",
        "operations",
        "production",
        "located",
        "registered",
        "headquartered",
        "headquarters",
        "hq",
    ]
)
_ZH_SITE_BEFORE = re.compile(r"(?:位于|设在|坐落于|地处|基地在|工厂在|厂址[:：]?|基地[:：])$")
_CACHE_SIZE = 8192  # distinct field values remembered per index

Suppression = Literal["street", "thing", "elsewhere"]
"""Why a spelling of a region place names something else: a street, a product or business, or a
division elsewhere in China with the same romanisation (Xinjiang County is 新绛县 in Shanxi)."""

# The class of division an administrative word names, in Latin script and in Chinese.
_LATIN_SUFFIX_CLASS = {
    "county": "county",
    "xian": "county",
    "zizhixian": "county",
    "nahiyisi": "county",
    "city": "city",
    "shi": "city",
    "municipality": "city",
    "shehiri": "city",
    "district": "district",
    "qu": "district",
    "prefecture": "prefecture",
    "diqu": "prefecture",
    "zhou": "prefecture",
    "zizhizhou": "prefecture",
    "wilayiti": "prefecture",
    "province": "province",
    "region": "province",
    "zizhiqu": "province",
}
_ZH_SUFFIX_CLASS = (
    ("自治区", "province"),
    ("省", "province"),
    ("地区", "prefecture"),
    ("州", "prefecture"),
    ("盟", "prefecture"),
    ("县", "county"),
    ("旗", "county"),
    ("市", "city"),
    ("区", "district"),
)


def division_class(name: str) -> str | None:
    """'county', 'city', 'district', 'prefecture' or 'province' from a Chinese full name."""
    for suffix, kind in _ZH_SUFFIX_CLASS:
        if name.endswith(suffix):
            return kind
    return None


@dataclass(frozen=True, slots=True)
class Entry:
    """What a spelling stands for; one spelling can be a Xinjiang place and a word of context."""

    place: Place | None = None  # the Xinjiang place it names, if any
    weak: bool = False  # collides with a place or word elsewhere; needs corroboration
    namesake: tuple[str, ...] = ()  # countries with a place of the same name
    other_china: bool = False  # a Chinese province or city outside the region
    foreign: bool = False  # a country or place abroad
    china: bool = False  # "China", "PRC", 中国
    bounds: frozenset[int] = frozenset()  # where a Latin key may be cut into tokens


class Mention(NamedTuple):
    """One spelling found in a field, with what surrounds it (a tuple: made per match, cheaply)."""

    entry: Entry
    field: str
    matched: str  # as written in the record
    suffixed: bool  # followed by an administrative suffix (市, County, ...)
    suppressed: Suppression | None  # a street, or a product / business named after the place
    weak: bool | None = None  # the national table's verdict on romanisation + suffix, if any


def _merge(old: Entry | None, new: Entry, spelling: str) -> Entry:
    if old is None:
        return new
    if old.place is not None and new.place is not None and old.place.key != new.place.key:
        raise ValueError(f"spelling {spelling!r} names two places: {old.place.en}, {new.place.en}")
    return Entry(
        place=old.place or new.place,
        weak=(old.weak or new.weak) if (old.place or new.place) else False,
        namesake=tuple(sorted({*old.namesake, *new.namesake})),
        other_china=old.other_china or new.other_china,
        foreign=old.foreign or new.foreign,
        china=old.china or new.china,
        bounds=old.bounds | new.bounds,
    )


def _words(value: str) -> list[str]:
    return [word for word in re.split(r"[|\s]+", value) if word]


class NameIndex:
    """The compiled lookup structures; built once from :class:`RegionData`, then read-only."""

    def __init__(self, data: RegionData) -> None:
        context: Mapping[str, Any] = data.context
        pairs = context["traditional_to_simplified"].split()
        self.fold_table = build_fold_table({pair[0]: pair[1] for pair in pairs})
        self.latin: dict[str, Entry] = {}
        self.prefixes: set[str] = set()
        self.script: dict[str, Entry] = {}
        self.other_script: dict[str, Entry] = {}  # Cyrillic, kana, Hangul names, lower case
        self._cached = lru_cache(maxsize=_CACHE_SIZE)(self._mentions)

        for place in data.places:
            for form in place.latin:
                self._add_latin(form, Entry(place=place, namesake=place.namesakes.get(form, ())))
            for form in place.latin_weak:
                self._add_latin(
                    form, Entry(place=place, weak=True, namesake=place.namesakes.get(form, ()))
                )
            for form in (*place.zh, *place.uyghur):
                self._add_script(form, Entry(place=place, namesake=place.namesakes.get(form, ())))
            for form in place.other_scripts:
                self.other_script[form.lower()] = Entry(place=place)
            for form in place.zh_weak:
                self._add_script(
                    form, Entry(place=place, weak=True, namesake=place.namesakes.get(form, ()))
                )
        other, foreign = context["other_china"], context["foreign"]
        latin_words, zh_words = context["latin_words"], context["zh_words"]
        for form in other["latin"].split("|"):
            self._add_latin(form, Entry(other_china=True))
        for form in _words(other["zh"]):
            self._add_script(form, Entry(other_china=True))
        for form in foreign["latin"].split("|"):
            self._add_latin(form, Entry(foreign=True))
        for form in _words(zh_words["foreign"]):
            self._add_script(form, Entry(foreign=True))
        for form in latin_words["china"].split("|"):
            self._add_latin(form, Entry(china=True))
        for form in _words(zh_words["china"]):
            self._add_script(form, Entry(china=True))

        self._add_traditional_forms()
        self._build_national(data)

        def token_set(name: str) -> frozenset[str]:
            return frozenset(_words(latin_words[name]))

        self.admin = token_set("admin_suffix")
        self.attached = tuple(sorted(_words(latin_words["attached_suffix"]), key=len, reverse=True))
        self.street_after = token_set("street_after")
        self.direction = token_set("direction")
        self.street_before = token_set("street_before")
        self.modifier = token_set("modifier")
        self.thing_after = token_set("thing_after")
        self.place_after: dict[str, list[tuple[str, ...]]] = {}
        for phrase in latin_words["place_after"].split("|"):
            words = tuple(_LATIN_TOKEN.findall(phrase))
            self.place_after.setdefault(words[0], []).append(words)

        def alternation(words: Iterable[str]) -> str:
            return "|".join(sorted(map(re.escape, words), key=len, reverse=True))

        arabic = [form for form in self.script if _ARABIC_SCRIPT.search(form)]
        han = [form for form in self.script if form not in arabic]
        # Two patterns, so the Han one keeps the regex engine's first-character fast path.
        self.han_pattern = re.compile(alternation(han))
        self.arabic_pattern = re.compile(f"(?<![{_ARABIC}])(?:{alternation(arabic)})")
        self.other_script_pattern = re.compile(alternation(self.other_script))
        self.zh_admin = re.compile(alternation(_words(zh_words["admin_suffix"])))
        streets = alternation(w for w in _words(zh_words["street"]) if w != "街")
        directions = "".join(_words(zh_words["direction"]))
        self.zh_street = re.compile(f"[{directions}]{{0,2}}(?:街(?!道)|{streets})")
        self.zh_thing = re.compile(alternation(_words(zh_words["after"])))
        self.zh_office = re.compile(alternation(_words(zh_words["office"])))
        self.zh_place_after = re.compile(alternation(_words(zh_words["place_after"])))

    # -- building -------------------------------------------------------------------------

    def _add_traditional_forms(self) -> None:
        """Fold every Traditional character of the names and words the index knows (OpenCC's
        table, as ``text.clean_text`` uses), so a record that reaches the locator without the
        Guard's cleaning (瑪納斯縣, 雙河市) still matches. Characters stay one for one."""
        forms = [form for form in self.script if _CJK.search(form)]
        simplified = {char for form in forms for char in form}
        joined = "\n".join(forms)  # one conversion: OpenCC is slow per call, fast per character
        written = str(OpenCC("s2t").convert(joined))
        if len(written) != len(joined):
            return  # OpenCC changed a length; the Guard's cleaning still folds the text
        for old, new in zip(written, joined, strict=True):
            if old != new and old not in simplified:
                self.fold_table.setdefault(ord(old), new)

    def _build_national(self, data: RegionData) -> None:
        """From the national division table: which romanisation + suffix class belongs to the
        region, elsewhere, or both; and which names elsewhere hide a short form of the region
        inside them (金塔县 holds 塔县, the short form of Taxkorgan)."""
        classes: dict[str, tuple[set[str], set[str]]] = {}
        for division in data.divisions:
            kind = division_class(division.name)
            key = division.pinyin.replace(" ", "")
            if kind is None or not key:
                continue
            inside, outside = classes.setdefault(key, (set(), set()))
            (inside if division.in_region else outside).add(kind)
        self.pinyin_classes = {
            key: (frozenset(inside), frozenset(outside))
            for key, (inside, outside) in classes.items()
        }
        region_forms = [
            form for form, entry in self.script.items() if entry.place and _CJK.search(form)
        ]
        hiding: set[str] = set()
        for division in data.divisions:
            if division.in_region:
                continue
            for name in {division.name, division.base}:
                if len(name) < 2:
                    continue
                if any(form in name and not name.startswith(form) for form in region_forms):
                    hiding.add(name)
        self.hiding_pattern = (
            re.compile("|".join(sorted(map(re.escape, hiding), key=len, reverse=True)))
            if hiding
            else None
        )

    def national_strength(self, key: str, kind: str) -> tuple[bool | None, bool]:
        """(weak, elsewhere) for a romanisation ``key`` followed by a suffix of class ``kind``:
        unique to the region is strong (False, False); shared needs the province (True, False);
        only elsewhere names that division, not the region (None, True); unknown (None, False)."""
        found = self.pinyin_classes.get(key)
        if found is None:
            return None, False
        inside, outside = found
        if kind in inside:
            return kind in outside, False
        if kind in outside:
            return None, True
        return None, False

    def _add_latin(self, form: str, entry: Entry) -> None:
        _, folded = fold(form, self.fold_table)
        tokens = _LATIN_TOKEN.findall(folded)
        if not tokens:
            raise ValueError(f"spelling {form!r} has no Latin letters")
        key = "".join(tokens)
        bounds, offset = set(), 0
        for token in tokens[:-1]:
            offset += len(token)
            bounds.add(offset)
        entry = replace(entry, bounds=frozenset(bounds))
        self.latin[key] = _merge(self.latin.get(key), entry, form)
        self.prefixes.update(key[:end] for end in range(1, len(key) + 1))

    def _add_script(self, form: str, entry: Entry) -> None:
        _, folded = fold(form, self.fold_table)
        self.script[folded] = _merge(self.script.get(folded), entry, form)

    # -- matching -------------------------------------------------------------------------

    def fold(self, text: str) -> tuple[str, str]:
        return fold(text, self.fold_table)

    def mentions(self, field: str, text: str) -> tuple[tuple[Mention, ...], bool, bool]:
        """(mentions, has Chinese script, has a script that is not used in China's addresses).

        Memoised: ERP records repeat the same city and region values endlessly, and the answer
        depends on nothing but the text."""
        return self._cached(field, text)

    def clear_cache(self) -> None:
        self._cached.cache_clear()

    def _mentions(self, field: str, text: str) -> tuple[tuple[Mention, ...], bool, bool]:
        """(mentions, has Chinese script, has a script that is not used in China's addresses)."""
        source, folded = self.fold(text)
        found = self._latin_mentions(field, source, folded)
        has_cjk = foreign_script = False
        if not folded.isascii():
            has_cjk = _CJK.search(folded) is not None
            foreign_script = _FOREIGN_SCRIPT.search(folded) is not None
            if has_cjk:
                found.extend(self._script_mentions(self.han_pattern, field, source, folded))
            if _ARABIC_SCRIPT.search(folded):
                found.extend(self._script_mentions(self.arabic_pattern, field, source, folded))
            if foreign_script:
                named = self._other_script_mentions(field, source, folded)
                found.extend(named)
                # A record that names the region in Russian, Kazakh, Japanese or Korean is
                # written in that language; the script says nothing of a place abroad.
                foreign_script = not named
        return tuple(found), has_cjk, foreign_script

    def _other_script_mentions(self, field: str, source: str, folded: str) -> list[Mention]:
        lowered = folded.lower()
        if len(lowered) != len(folded):
            return []
        return [
            Mention(
                entry=self.other_script[match.group()],
                field=field,
                matched=source[match.start() : match.end()],
                suffixed=False,
                suppressed=None,
            )
            for match in self.other_script_pattern.finditer(lowered)
        ]

    def _hidden_spans(self, folded: str) -> list[tuple[int, int]]:
        if self.hiding_pattern is None:
            return []
        return [match.span() for match in self.hiding_pattern.finditer(folded)]

    def _latin_mentions(self, field: str, source: str, folded: str) -> list[Mention]:
        tokens = _LATIN_TOKEN.findall(folded)
        count = len(tokens)
        found: list[Mention] = []
        latin, prefixes, attached = self.latin, self.prefixes, self.attached
        spans: list[tuple[int, int]] = []
        resume = 0  # tokens before this belong to the previous mention
        for i in range(count):
            if i < resume:
                continue
            token = tokens[i]
            best: tuple[int, Entry, bool] | None = None
            if token in prefixes:
                joined = token
                cuts: list[int] = []
                entry = latin.get(joined)
                if entry is not None:
                    best = (i, entry, False)
                for j in range(i + 1, min(count, i + _MAX_JOIN)):
                    cuts.append(len(joined))
                    joined += tokens[j]
                    if joined not in prefixes:
                        break
                    entry = latin.get(joined)
                    if entry is not None and entry.bounds.issuperset(cuts):
                        best = (j, entry, False)
            if best is None and token.endswith(attached):
                best = self._attached_suffix(token, i)
            if best is None:
                continue
            if not spans:  # positions are only needed to quote a match: found lazily
                spans = [m.span() for m in _LATIN_TOKEN.finditer(folded)]
            last, entry, is_attached = best
            found.append(
                self._latin_mention(field, source, spans, tokens, i, last, entry, is_attached)
            )
            resume = last + 1
        return found

    def _attached_suffix(self, token: str, index: int) -> tuple[int, Entry, bool] | None:
        """'Wulumuqishi', 'Hetianxian': a name with its administrative suffix written on."""
        for suffix in self.attached:
            if len(token) > len(suffix) and token.endswith(suffix):
                entry = self.latin.get(token[: -len(suffix)])
                if entry is not None and entry.place is not None:
                    return index, entry, True
        return None

    def _latin_mention(
        self,
        field: str,
        source: str,
        spans: list[tuple[int, int]],
        tokens: list[str],
        first: int,
        last: int,
        entry: Entry,
        attached: bool,
    ) -> Mention:
        count = len(tokens)
        after = last + 1
        suffixed = attached
        kind = _LATIN_SUFFIX_CLASS.get(self._attached_word(tokens[last])) if attached else None
        while after < count and tokens[after] in self.admin:
            suffixed = True
            kind = _LATIN_SUFFIX_CLASS.get(tokens[after], kind)
            after += 1
        # "head office in Jiangsu, production base in Aksu": a site in the place
        sited = first >= 2 and tokens[first - 1] in _IN and tokens[first - 2] in _SITE_WORDS
        if not suffixed and after < count and tokens[after] in self.place_after:
            following = tuple(tokens[after : after + 6])
            suffixed = any(
                following[: len(phrase)] == phrase for phrase in self.place_after[tokens[after]]
            )
        suppressed: Suppression | None = None
        street = after + 1 if after < count and tokens[after] in self.direction else after
        thing = after + 1 if after < count and tokens[after] in self.modifier else after
        street_before = first > 0 and tokens[first - 1] in self.street_before
        street_after = not suffixed and street < count and tokens[street] in self.street_after
        if street_before or street_after:
            suppressed = "street"
        elif not suffixed and thing < count and tokens[thing] in self.thing_after:
            suppressed = "thing"
        suffixed = suffixed or (sited and suppressed is None)
        weak: bool | None = None
        if kind is not None and entry.place is not None:
            key = "".join(tokens[first : last + 1])
            if attached:
                key = key[: -len(self._attached_word(tokens[last]))]
            weak, elsewhere = self.national_strength(key, kind)
            if elsewhere and suppressed is None:
                suppressed = "elsewhere"
        if (
            suppressed is None
            and entry.place is not None
            and self._longer_name_elsewhere(tokens, first, last)
        ):
            suppressed = "elsewhere"  # Qi Tai He is 七台河 in Heilongjiang, not Qitai
        return Mention(
            entry=entry,
            field=field,
            matched=source[spans[first][0] : spans[last][1]],
            suffixed=suffixed,
            suppressed=suppressed,
            weak=weak,
        )

    def _attached_word(self, token: str) -> str:
        """The administrative suffix written onto ``token`` ('Hetianxian' -> 'xian')."""
        for suffix in self.attached:
            if len(token) > len(suffix) and token.endswith(suffix):
                return suffix
        return ""

    def _longer_name_elsewhere(self, tokens: list[str], first: int, last: int) -> bool:
        """Whether the mention and the tokens after it spell a division elsewhere in China."""
        joined = "".join(tokens[first : last + 1])
        for end in range(last + 1, min(len(tokens), last + 3)):
            joined += tokens[end]
            found = self.pinyin_classes.get(joined)
            if found is not None and found[1] and not found[0]:
                return True
        return False

    def _script_mentions(
        self, pattern: re.Pattern[str], field: str, source: str, folded: str
    ) -> list[Mention]:
        found = []
        hidden = self._hidden_spans(folded)
        for match in pattern.finditer(folded):
            entry = self.script[match.group()]
            end = match.end()
            if any(start < match.start() and match.end() <= stop for start, stop in hidden):
                continue  # 塔县 inside 金塔县 (Gansu): a short form inside a longer name
            admin = self.zh_admin.match(folded, end)
            suffixed = admin is not None or self.zh_admin.fullmatch(match.group()[-1]) is not None
            after = admin.end() if admin else end
            suffixed = suffixed or self.zh_place_after.match(folded, after) is not None
            # "生产基地位于阿克苏": a site said to be *in* the place (a second place in the line)
            sited = _ZH_SITE_BEFORE.search(folded, 0, match.start()) is not None
            suppressed: Suppression | None = None
            if self.zh_office.match(folded, after):
                suppressed = "thing"  # a representative office of the place, elsewhere
            elif suffixed:
                pass  # 沙雅县棉纺厂 is a cotton mill in Shaya County, not a product name
            elif self.zh_street.match(folded, after):
                suppressed = "street"
            elif self.zh_thing.match(folded, after):
                suppressed = "thing"
            suffixed = suffixed or (sited and suppressed is None)
            found.append(
                Mention(
                    entry=entry,
                    field=field,
                    matched=source[match.start() : after],
                    suffixed=suffixed,
                    suppressed=suppressed,
                )
            )
        return found
