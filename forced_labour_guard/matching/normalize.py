"""Company-name normalisation: from a name as written, in Latin or Chinese script, to classified tokens.

What it does, in order, and why:

1. :func:`forced_labour_guard.text.clean_text` (Unicode NFKC, invisible characters out, Cyrillic
   and Greek look-alikes read as Latin, spaces between Chinese characters out, Traditional Chinese
   to Simplified *before* pinyin: pypinyin reads the traditional 長沙 as "zhang sha", the
   simplified 长沙 as "chang sha"), then case folding. A list entry passes through the same steps
   as a supplier's name, so the matcher reads both alike even when called directly.
2. Slips a reader sees through: dotted acronyms join ("T.B.E.A." -> "tbea"), digits posing as
   letters inside a word become letters ("Co1or" -> "color"), pieces of a split word that the
   tables know joined ("Xin Jiang", "He Tian", "Lt.d") join, and a word one or two letters away
   from a table word (a legal form, sector word, generic word or place) is read as that word
   ("Corporatiln", "Xinjaing"), with rapidfuzz's Damerau-Levenshtein distance. A lone letter
   ("B. LYSZD") is kept aside as an initial, which may stand for a listed leading place.
4. Chinese runs: legal forms (有限公司, 股份有限公司 ...) are dropped; generic company words become the
   English words that listed names use (化学 -> chemical, 有色金属 -> nonferrous metals, 集团 -> group),
   because English list entries are usually translations, not pinyin; what is left becomes pinyin,
   with place names split off and the rest of a run joined into one word ("中泰" -> "zhongtai"), as
   English renderings of Chinese trade names are written.
5. Latin words: abbreviations expand (CORP, GRP, INTL, MFG ...), known phrases merge, plurals and
   spelling variants take one form, legal forms and stop words drop, digits stay.
6. Every remaining token gets a kind: the company's own name words (distinctive), sector words
   (descriptive: chemical, cotton), generic words (trading, international), group words (group,
   holding), and place names, with a note of whether a place leads the name ("Xinjiang Zhongtai")
   or qualifies it ("Hoshine Silicon (Jiaxing)"). The scorer weighs them differently, so that a
   shared "Co., Ltd." or "Xinjiang" alone never makes two companies one.

Pure functions; the word tables come from :mod:`forced_labour_guard.matching.terms`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from enum import IntEnum
from functools import cache, cached_property, lru_cache

from pypinyin import lazy_pinyin
from pypinyin.pinyin_dict import pinyin_dict
from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from forced_labour_guard.matching.terms import (
    SLIP_CACHE_SIZE,
    SLIP_MIN_LENGTH,
    SLIP_TWO_EDITS_LENGTH,
    SPLIT_PIECE_MAX,
    Terms,
    default_terms,
)
from forced_labour_guard.text import clean_text

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAS_CJK = re.compile(f"[{_CJK}]")
_WORDS = re.compile(rf"[{_CJK}]+|[^\W_{_CJK}]+|[()\[\]{{}}]")
_APOSTROPHE = re.compile(r"(?<=\w)['’`´](?=\w)")
_DOTTED_ACRONYM = re.compile(r"(?<![^\W\d_])(?:[^\W\d_]\.){2,}(?:[^\W\d_](?![^\W\d_]))?")
_DIGIT_LOOKALIKES = str.maketrans({"0": "o", "1": "l", "3": "e", "5": "s", "8": "b"})
_OPEN = "([{"
_CLOSE = ")]}"


class Kind(IntEnum):
    """How much a token says about which company is meant (higher says more)."""

    GROUP = 0
    GENERIC = 1
    DESCRIPTIVE = 2
    DISTINCTIVE = 3


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    """Canonical comparison form, e.g. 'technology' for 'Tech.', 'zhongtai' for 中泰."""
    kind: Kind
    display: str
    """As a reader would recognise it: the word as written, or the pinyin/English for Chinese."""
    number: bool = False
    syllables: tuple[str, ...] = ()
    """Pinyin syllables when the token was read from Chinese characters."""
    bracketed: bool = False
    hanzi: str = ""
    """The Chinese characters the token was read from (a trade name written in Chinese), so that
    two names that only sound alike (纳思达, 纳斯达: both 'nasida') are not taken as one."""


@dataclass(frozen=True, slots=True)
class Place:
    canonical: str
    display: str
    prefix: bool
    """True when the place leads the name ("Xinjiang Zhongtai ..."), False when it qualifies it."""


@dataclass(frozen=True)
class NameForm:
    """A normalised company name."""

    original: str
    tokens: tuple[Token, ...]
    places: tuple[Place, ...]
    from_chinese: bool
    top: Kind | None
    """The highest kind among ``tokens`` (None when the name is nothing but places)."""
    key: str = field(compare=False)
    """Order-free exact key: the same key means the same words once forms and order are set aside."""
    legal_forms: tuple[str, ...] = ()
    """Latin legal-form words the name carried (dropped from ``tokens``): 'company', 'gmbh'."""
    initials: tuple[str, ...] = ()
    """Lone letters of the name ("B." in "B. LYSZD Trade"), kept out of ``tokens``."""

    @property
    def romanised(self) -> str:
        """The name as the matcher reads it, e.g. 'Xinjiang Zhongtai chemical'."""
        words = [place.display for place in self.places if place.prefix]
        words += [token.display for token in self.tokens]
        words += [place.display for place in self.places if not place.prefix]
        return " ".join(words)

    @cached_property
    def runs(self) -> dict[str, tuple[tuple[int, ...], ...]]:
        """Two or three adjacent tokens joined ("zhong" "tai" -> "zhongtai") -> where they are."""
        texts = [t.text for t in self.tokens]
        runs: dict[str, list[tuple[int, ...]]] = {}
        for span in (2, 3):
            for start in range(len(texts) - span + 1):
                joined = "".join(texts[start : start + span])
                runs.setdefault(joined, []).append(tuple(range(start, start + span)))
        return {joined: tuple(found) for joined, found in runs.items()}

    def core(self, min_kind: Kind = Kind.DESCRIPTIVE) -> str:
        """The name's own words (kinds at or above ``min_kind``), in written order."""
        words = [t.display for t in self.tokens if t.kind >= min(min_kind, self.top or min_kind)]
        return " ".join(words)


@dataclass(slots=True)
class _Word:
    text: str
    display: str
    bracketed: bool
    from_zh: bool = False
    syllables: tuple[str, ...] = ()
    place: str | None = None
    group: int = 0
    """Which bracket group the word is in (0: outside brackets)."""
    hanzi: str = ""


def _pinyin(fragment: str) -> list[str]:
    return [syllable for syllable in lazy_pinyin(fragment) if syllable.isalnum()]


def _split_syllables(
    syllables: list[str], characters: str, bracketed: bool, terms: Terms
) -> list[_Word]:
    """Split a pinyin run into place names and trade-name words (the rest of the run, joined).

    ``characters`` are the run's Chinese characters, one per syllable ("" when they do not pair up)."""
    words: list[_Word] = []
    pending: list[str] = []
    pending_start = 0

    def flush() -> None:
        if pending:
            joined = "".join(pending)
            hanzi = characters[pending_start : pending_start + len(pending)] if characters else ""
            words.append(
                _Word(
                    joined,
                    joined.capitalize(),
                    bracketed,
                    True,
                    syllables=tuple(pending),
                    hanzi=hanzi,
                )
            )
            pending.clear()

    i = 0
    while i < len(syllables):
        for span in (4, 3, 2):
            joined = "".join(syllables[i : i + span])
            if i + span <= len(syllables) and joined in terms.place_joined:
                flush()
                words.append(
                    _Word(
                        joined,
                        joined.capitalize(),
                        bracketed,
                        True,
                        place=terms.place_joined[joined],
                    )
                )
                i += span
                break
        else:
            if not pending:
                pending_start = i
            pending.append(syllables[i])
            i += 1
    flush()
    return words


def _chinese_words(run: str, bracketed: bool, terms: Terms) -> list[_Word]:
    """Legal forms out, generic words translated, the rest to pinyin.

    Matching runs from the right, longest word first (backward maximum matching): Chinese company
    names end in their generic words, and a forward scan would cut 紫金矿业 as 紫 / 金矿 / 业."""
    pieces: list[tuple[str, str | None]] = []  # (text, English or "" for a legal form, None: keep)
    end = len(run)
    while end > 0:
        for length in range(min(terms.zh_max_len, end), 0, -1):
            piece = run[end - length : end]
            if piece in terms.zh_legal_forms:
                pieces.append((piece, ""))
                end -= length
                break
            english = terms.zh_terms.get(piece)
            if english is not None:
                pieces.append((piece, english))
                end -= length
                break
        else:
            pieces.append((run[end - 1], None))
            end -= 1
    pieces.reverse()
    words: list[_Word] = []
    fragment: list[str] = []

    def flush() -> None:
        if fragment:
            text = "".join(fragment)
            syllables = _pinyin(text)
            characters = text if len(syllables) == len(text) else ""
            words.extend(_split_syllables(syllables, characters, bracketed, terms))
            fragment.clear()

    for text, english in pieces:
        if english is None:
            fragment.append(text)
            continue
        flush()
        words.extend(_Word(w, w, bracketed, True) for w in english.split())
    flush()
    return words


def _raw_words(text: str, terms: Terms) -> list[_Word]:
    words: list[_Word] = []
    depth = 0
    groups = 0
    for match in _WORDS.finditer(text):
        piece = match.group()
        if piece in _OPEN:
            depth += 1
            groups += 1
        elif piece in _CLOSE:
            depth = max(0, depth - 1)
        else:
            if _HAS_CJK.match(piece):
                new = _chinese_words(piece, depth > 0, terms)
            else:
                plain = _without_latin_marks(piece).casefold()
                new = [_Word(_letters_for_digits(plain, terms), piece, depth > 0)]
            for word in new:
                word.group = groups if depth > 0 else 0
            words.extend(new)
    return words


def _without_latin_marks(word: str) -> str:
    """A Latin word without its accents and tone marks: pinyin written with tones ("Jīngwěidá")
    and a clerk's stray accent ("Camél") read as the plain letters the list gives. A word of
    another script keeps its marks (they may tell two letters apart)."""
    if word.isascii():
        return word
    bare = "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))
    return bare if bare.isascii() else word


def _letters_for_digits(word: str, terms: Terms) -> str:
    """A word of letters with a digit or two posing as letters ("co1or", "zh0ngtai") read as
    letters; a code or a number ("3m", "no5", "2024") is left as written."""
    if word.isalpha() or word.isdigit():
        return word
    letters = sum(1 for c in word if c.isalpha())
    digits = len(word) - letters
    if not digits or letters < 3 or digits * 2 > letters:
        return word
    as_l = word.translate(_DIGIT_LOOKALIKES)
    if not as_l.isalpha():
        return word
    as_i = "".join("i" if c == "1" else a for c, a in zip(word, as_l, strict=True))
    for candidate in (as_l, as_i):
        if terms.knows(candidate) or _slip_of(candidate, terms):
            return candidate
    return as_i if _PINYIN.fullmatch(as_i) else as_l


@cache
def _pinyin_syllables() -> frozenset[str]:
    """Every toneless pinyin syllable pypinyin knows (about 420), from its own dictionary."""
    syllables = set()
    for readings in pinyin_dict.values():
        for reading in readings.split(","):
            plain = unicodedata.normalize("NFKD", reading).encode("ascii", "ignore").decode()
            if plain.isalpha():
                syllables.add(plain)
    return frozenset(syllables)


@lru_cache(maxsize=65536)
def reads_as_pinyin(word: str) -> bool:
    """Whether ``word`` splits into pinyin syllables ("mingming", "zhongtai"): such a word may be
    a Chinese trade name, so it is never read as a slip of an English table word."""
    syllables = _pinyin_syllables()
    reachable = [True] + [False] * len(word)
    for end in range(1, len(word) + 1):
        reachable[end] = any(
            reachable[start] and word[start:end] in syllables
            for start in range(max(0, end - 6), end)
        )
    return reachable[-1]


def _slip_of(word: str, terms: Terms) -> str | None:
    """The table word that ``word`` is a slip of (one edit in a word of five to seven letters, two
    in a longer one, a swap of two letters counting as one), or None."""
    cache = terms.slip_cache
    if word in cache:
        return cache[word]
    found = None
    if (
        len(word) >= SLIP_MIN_LENGTH
        and word.isalpha()
        and not terms.knows(word)
        and not reads_as_pinyin(word)
    ):
        limit = 1 if len(word) < SLIP_TWO_EDITS_LENGTH else 2
        best = process.extractOne(
            word, terms.slip_targets, scorer=DamerauLevenshtein.distance, score_cutoff=limit
        )
        if best is not None:
            target = best[0]
            if target not in terms.place_joined or _dropped_doubled_or_swapped(word, target):
                found = target
    if len(cache) < SLIP_CACHE_SIZE:
        cache[word] = found
    return found


def _dropped_doubled_or_swapped(word: str, place: str) -> bool:
    """One letter dropped, added or two swapped: the only slips a place name is read through, since
    one changed letter makes another Chinese place (Xiangyang, Xianggang)."""
    if abs(len(word) - len(place)) == 1:
        return True
    return sorted(word) == sorted(place) and DamerauLevenshtein.distance(word, place) == 1


def _repair_words(words: list[_Word], terms: Terms) -> list[_Word]:
    """Join the pieces of a split table word ("Xin Jiang", "He Tian", "Lt d") and read a slip of a
    table word as that word ("Corporatiln"); a word of the company's own is left as written."""
    knows = terms.vocabulary.__contains__
    # A Latin word that may take part in a repair (0: no; else its bracket group + 1).
    latin = [0 if w.from_zh or not w.text.isalpha() else w.group + 1 for w in words]
    piece = [bool(g) and len(w.text) <= SPLIT_PIECE_MAX for g, w in zip(latin, words, strict=True)]
    known = [bool(latin[k]) and knows(w.text) for k, w in enumerate(words)]
    repaired: list[_Word] = []
    i = 0
    count = len(words)
    while i < count:
        word = words[i]
        if not latin[i]:
            repaired.append(word)
            i += 1
            continue
        if known[i] and (i + 1 == count or known[i + 1]):
            repaired.append(word)  # the common case: a known word before a known word
            i += 1
            continue
        starts = piece[i] and word.text in terms.split_starts
        for span in (4, 3, 2) if starts else ():
            end = i + span
            if end > count or any(latin[k] != latin[i] or not piece[k] for k in range(i + 1, end)):
                continue
            if all(known[i:end]):
                continue
            joined = "".join(w.text for w in words[i:end])
            if knows(joined):
                display = " ".join(w.display for w in words[i:end])
                repaired.append(_Word(joined, display, word.bracketed, group=word.group))
                i = end
                break
        else:
            if not known[i]:
                slip = _slip_of(word.text, terms)
                if slip is not None:
                    word.text = slip
            repaired.append(word)
            i += 1
    return repaired


_PINYIN = re.compile(
    r"(?:(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    r"(?:iang|iong|uang|ang|eng|ing|ong|uai|uan|ian|iao|ai|ei|ao|ou|an|en|er|in|un|ia|ie|iu|ua"
    r"|uo|ue|ui|ve|a|o|e|i|u|v))+"
)


def _looks_like_place(words: list[_Word], index: int, terms: Terms) -> bool:
    """A place name the tables do not know: a pinyin word alone in brackets ("(Guilin)") or just
    before "Branch" ("Xiangyang Branch"), as Chinese company names write their locations."""
    word = words[index]
    if word.from_zh and not word.syllables:
        return False
    if not _PINYIN.fullmatch(word.text) or len(word.text) < 4:
        return False
    if word.group:
        return sum(1 for w in words if w.group == word.group) == 1
    following = words[index + 1].text if index + 1 < len(words) else ""
    return following == "branch"


def _merge_multiword(words: list[_Word], terms: Terms) -> list[_Word]:
    """Expand abbreviations, then merge multi-word places and phrases ('inner mongolia')."""
    for word in words:
        if not word.from_zh and word.text in terms.abbreviations:
            word.text = terms.abbreviations[word.text]
    merged: list[_Word] = []
    i = 0
    while i < len(words):
        word = words[i]
        if word.place is not None:
            merged.append(word)
            i += 1
            continue
        for span in range(min(terms.place_max_tokens, len(words) - i), 0, -1):
            run = words[i : i + span]
            key = tuple(w.text for w in run)
            canonical = terms.place_variants.get(key)
            if canonical is not None and all(w.place is None for w in run):
                text, place = canonical, canonical
            elif span >= 2 and key in terms.phrases:
                text, place = terms.phrases[key], None
            else:
                continue
            display = " ".join(w.display for w in run)
            merged.append(_Word(text, display, word.bracketed, word.from_zh, place=place))
            i += span
            break
        else:
            merged.append(word)
            i += 1
    return merged


def _kind(text: str, terms: Terms) -> Kind:
    if text in terms.group_words:
        return Kind.GROUP
    if text in terms.generic_words:
        return Kind.GENERIC
    if text in terms.descriptive_words:
        return Kind.DESCRIPTIVE
    return Kind.DISTINCTIVE


def normalize_name(text: str, terms: Terms | None = None) -> NameForm:
    """Normalise one company name (pure; see the module docstring for the steps)."""
    terms = terms or default_terms()
    cleaned = _APOSTROPHE.sub("", clean_text(text).text)
    if "." in cleaned:
        cleaned = _DOTTED_ACRONYM.sub(lambda found: found.group().replace(".", ""), cleaned)
    from_chinese = bool(_HAS_CJK.search(cleaned))
    words = _merge_multiword(_repair_words(_raw_words(cleaned, terms), terms), terms)

    tokens: list[Token] = []
    places: list[Place] = []
    legal_forms: list[str] = []
    initials: list[str] = []
    last = len(words) - 1
    for index, word in enumerate(words):
        if word.place is not None:
            prefix = not word.bracketed and not tokens
            places.append(Place(word.place, word.display, prefix))
            continue
        value = terms.canonical.get(word.text, word.text)
        if value in terms.legal_forms:
            legal_forms.append(value)
            continue
        if value in terms.stopwords:
            continue
        if len(value) == 1 and value.isalpha() and not word.from_zh:
            initials.append(value)
            continue
        if (
            tokens
            and _kind(value, terms) == Kind.DISTINCTIVE
            and _looks_like_place(words, index, terms)
        ):
            places.append(Place(value, word.display, False))
            continue
        if value in terms.legal_forms_final_only and index == last:
            legal_forms.append(value)
            continue
        if value in terms.number_markers and index < last and words[index + 1].text.isdigit():
            continue
        tokens.append(
            Token(
                text=value,
                kind=_kind(value, terms),
                display=word.display,
                number=value.isdigit(),
                syllables=word.syllables,
                bracketed=word.bracketed,
                hanzi=word.hanzi,
            )
        )
    leading = [p for p in places if p.prefix]
    if len(leading) >= 2 and not any(t.kind == Kind.DISTINCTIVE for t in tokens):
        # "Xinjiang Jinan Chemical": with no word of its own, a second leading place is more
        # likely the trade name than a place, and treating it as a place would leave the name
        # nothing but "Xinjiang ... Chemical" to be matched on.
        trade = leading[-1]
        places.remove(trade)
        tokens.insert(0, Token(trade.canonical, Kind.DISTINCTIVE, trade.display))
    top = max((t.kind for t in tokens), default=None)
    key = " ".join(sorted([t.text for t in tokens] + [p.canonical for p in places]))
    return NameForm(
        original=text,
        tokens=tuple(tokens),
        places=tuple(places),
        from_chinese=from_chinese,
        top=top,
        key=key,
        legal_forms=tuple(legal_forms),
        initials=tuple(initials),
    )


@lru_cache(maxsize=65536)
def normalize_cached(text: str) -> NameForm:
    """``normalize_name`` with the packaged tables, memoised: suppliers recur in batch screening."""
    return normalize_name(text)
