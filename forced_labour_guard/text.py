"""One normaliser for every text field a detector reads: names, addresses, identifiers, materials,
evidence.

Supplier masters are messy and some suppliers hide on purpose. A zero-width space inside "Xin\u200bjiang",
a Cyrillic "а" inside "Aksu", "ＵＲＵＭＱＩ" typed in full width or "新 疆" with a space per character all
read as the same place to a person, and must read so to the detectors. :func:`clean_text` makes that
one form, once, and says what it had to change, because a change of the hiding kinds (invisible
characters, look-alike letters from another script) is itself worth telling the buyer.

What it does, in order:

1. Drops NUL and other control characters (a line break becomes ", ", as the part of an address
   it separates), format characters (zero-width
   space and joiners, soft hyphen, bidirectional controls, byte-order mark, word joiner), variation
   selectors and the Hangul and Braille blank fillers: characters that show as nothing.
2. Unicode NFKC: full-width letters, digits and signs, ligatures and other compatibility forms
   become their plain form.
3. Folds Cyrillic, Greek, Armenian and Cherokee letters that look like Latin ones (and Latin small
   capitals) into Latin, but only where the word is
   otherwise Latin (a mixed-script word), or where a word of look-alikes stands among Latin words and
   the text holds no real Cyrillic or Greek word. "ул. Ленина" and "Үрімші" are left as written. The
   table of look-alikes comes from Unicode's confusables data (package ``confusable-homoglyphs``).
4. Removes spaces between Chinese characters ("新 疆 乌 鲁 木 齐"); Korean keeps its word spaces.
5. Traditional Chinese characters become Simplified (OpenCC's tables, as the matcher already uses).
6. Collapses runs of spaces and trims.

Case is kept: the detectors fold case themselves, and an explanation quotes the text as it was read.
Pure and cached; never raises on any ``str``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from functools import cache, lru_cache

from confusable_homoglyphs import confusables
from opencc_purepy import OpenCC

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff"
_KANA = "\u3040-\u30ff"
_HAS_HAN = re.compile(f"[{_HAN}]")
_SPACE_BETWEEN_HAN = re.compile(f"(?<=[{_HAN}{_KANA}])[ ]+(?=[{_HAN}{_KANA}])")
_SPACES = re.compile(r"[^\S\n]+")
_LINE_BREAKS = re.compile(r"[\s,]*\n[\s,]*")
_WORD = re.compile(r"[^\W\d_]+")
# Characters that render as nothing but are not format characters (category Cf).
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800\u034f")
_VARIATION_SELECTORS = (range(0xFE00, 0xFE10), range(0xE0100, 0xE01F0))
_CLEAN_ASCII = re.compile(r"[\x20-\x7e]*")


class TextChange(StrEnum):
    """What :func:`clean_text` had to change; the first two are the ways a supplier hides."""

    INVISIBLE = "invisible"
    """Characters that show as nothing (zero-width, soft hyphen, NUL, direction marks) were removed."""
    LOOKALIKE = "lookalike"
    """Letters of another script (Cyrillic, Greek, Armenian, Cherokee) or Latin small capitals
    posing as plain Latin ones were read as Latin."""
    WIDTH = "width"
    """Full-width or other compatibility forms were read as their plain form."""
    CJK_SPACING = "cjk_spacing"
    """Spaces between Chinese characters were removed."""
    TRADITIONAL = "traditional"
    """Traditional Chinese characters were read as Simplified."""


HIDING = frozenset({TextChange.INVISIBLE, TextChange.LOOKALIKE})


@dataclass(frozen=True, slots=True)
class CleanText:
    """The text as the detectors read it, and what had to change to get there."""

    raw: str
    text: str
    changes: frozenset[TextChange]

    @property
    def hidden(self) -> bool:
        """Whether the raw text used a way of hiding (invisible characters, look-alike letters)."""
        return bool(self.changes & HIDING)


def _is_invisible(char: str) -> bool:
    code = ord(char)
    if char in "\t\n\r":
        return False
    category = unicodedata.category(char)
    if category in ("Cc", "Cf") or char in _BLANK_LETTERS:
        return True
    return any(code in selectors for selectors in _VARIATION_SELECTORS)


@cache
def _lookalikes() -> dict[str, str]:
    """Cyrillic, Greek, Armenian and Cherokee letters that Unicode lists as confusable with one
    Latin letter, and Latin small capitals ("ʜotan"), which read as their plain letter."""
    table: dict[str, str] = {}
    for code in (*range(0x0250, 0x02B0), *range(0x1D00, 0x1D80)):
        name = unicodedata.name(chr(code), "")
        if name.startswith("LATIN LETTER SMALL CAPITAL ") and len(name.split()[-1]) == 1:
            table[chr(code)] = name.split()[-1].lower()
    blocks = (
        range(0x0370, 0x0590),  # Greek, Cyrillic, Armenian
        range(0x13A0, 0x1400),  # Cherokee
        range(0xAB70, 0xABC0),  # Cherokee small letters
        range(0x1F00, 0x2000),  # Greek extended
    )
    for code in (c for block in blocks for c in block):
        char = chr(code)
        if not char.isalpha():
            continue
        for item in confusables.is_confusable(char, preferred_aliases=["latin"], greedy=True) or []:
            latin = next(
                (h["c"] for h in item["homoglyphs"] if len(h["c"]) == 1 and h["c"].isascii()),
                None,
            )
            if latin is not None and latin.isalpha():
                # Unicode's skeleton maps a capital I look-alike to "l"; a reader sees "I".
                table[char] = "I" if char.isupper() and latin == "l" else latin
    return table


def _script(char: str) -> str:
    """'latin', 'lookalike' (Cyrillic/Greek letter with a Latin twin), 'foreign' or 'other'."""
    if char.isascii():
        return "latin"
    name = unicodedata.name(char, "")
    if name.startswith("LATIN"):
        return "lookalike" if char in _lookalikes() else "latin"
    if name.startswith(("CYRILLIC", "GREEK", "ARMENIAN", "CHEROKEE")):
        return "lookalike" if char in _lookalikes() else "foreign"
    return "other"


def _fold_lookalikes(text: str) -> str:
    words = _WORD.findall(text)
    scripts = [{_script(c) for c in word} for word in words]
    has_latin_word = any(s == {"latin"} for s in scripts)
    has_foreign_word = any("foreign" in s for s in scripts)
    table = _lookalikes()

    def fold(match: re.Match[str]) -> str:
        word = match.group()
        kinds = {_script(c) for c in word}
        if "lookalike" not in kinds or "foreign" in kinds:
            return word
        mixed = "latin" in kinds
        posing = kinds == {"lookalike"} and has_latin_word and not has_foreign_word
        if not (mixed or posing):
            return word
        return "".join(table.get(c, c) for c in word)

    return _WORD.sub(fold, text)


@cache
def _t2s() -> OpenCC:
    return OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional to Simplified Chinese; text without Chinese characters comes back unchanged."""
    if not _HAS_HAN.search(text):
        return text
    converted: str = _t2s().convert(text)
    return converted


@lru_cache(maxsize=65536)
def clean_text(raw: str) -> CleanText:
    """The one form detectors read; see the module docstring for the steps."""
    if _CLEAN_ASCII.fullmatch(raw) and "  " not in raw and raw == raw.strip():
        return CleanText(raw, raw, frozenset())  # the common case: plain, tidy ASCII
    changes: set[TextChange] = set()
    text = raw
    visible = "".join(c for c in text if not _is_invisible(c))
    if visible != text:
        changes.add(TextChange.INVISIBLE)
        text = visible
    text = text.replace("\r", "\n").replace("\t", " ")
    composed = unicodedata.normalize("NFKC", text)
    if composed != unicodedata.normalize("NFC", text):
        changes.add(TextChange.WIDTH)
    text = composed
    folded = _fold_lookalikes(text)
    if folded != text:
        changes.add(TextChange.LOOKALIKE)
        text = folded
    text = _LINE_BREAKS.sub(", ", _SPACES.sub(" ", text).strip())
    joined = _SPACE_BETWEEN_HAN.sub("", text)
    if joined != text:
        changes.add(TextChange.CJK_SPACING)
        text = joined
    simplified = to_simplified(text)
    if simplified != text:
        changes.add(TextChange.TRADITIONAL)
        text = simplified
    return CleanText(raw, text, frozenset(changes))


def describe_changes(changes: frozenset[TextChange]) -> str:
    """A phrase for an explanation: 'invisible characters and look-alike letters from another script'."""
    phrases = {
        TextChange.INVISIBLE: "invisible characters",
        TextChange.LOOKALIKE: "letters of another script posing as Latin ones",
        TextChange.WIDTH: "full-width characters",
        TextChange.CJK_SPACING: "spaces between Chinese characters",
        TextChange.TRADITIONAL: "Traditional Chinese characters",
    }
    parts = [phrases[change] for change in TextChange if change in changes]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
