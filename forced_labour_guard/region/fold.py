"""Folding text so that one spelling of a place matches all the ways an ERP may hold it.

Suppliers type "Ürümqi", "ＵＲＵＭＱＩ" (full-width), "烏魯木齊" (traditional characters) or
"Bayin'gholin". :func:`fold` maps every character to exactly one character (so a match can be cut
back out of the original text): full-width forms to ASCII, Latin letters with diacritics to their
base letter, traditional Chinese characters that occur in the gazetteer to their simplified form,
and upper to lower case. Apostrophes and hyphens stay; the tokenizer treats them as separators,
and the matcher may join tokens back across them (see ``region.place_index``).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping


def build_fold_table(traditional_to_simplified: Mapping[str, str]) -> dict[int, str]:
    """A ``str.translate`` table: full-width ASCII, diacritics, traditional characters, case."""
    table: dict[int, str] = {}
    for code in range(0xFF01, 0xFF5F):  # full-width ASCII block
        table[code] = chr(code - 0xFEE0).lower()
    table[0x3000] = " "  # ideographic space
    for code in range(0x00C0, 0x0250):  # Latin-1 Supplement, Latin Extended-A and -B
        char = chr(code)
        base = unicodedata.normalize("NFD", char)[0]
        if base != char and base.isascii():
            table[code] = base.lower()
    # Letters with no decomposition: German sharp s, Turkish dotless i, Uyghur Latin schwa.
    for char, base in {"ß": "s", "ı": "i", "ə": "e", "ǝ": "e", "Ə": "e"}.items():
        table[ord(char)] = base
    for code in range(ord("A"), ord("Z") + 1):
        table[code] = chr(code).lower()
    for traditional, simplified in traditional_to_simplified.items():
        table[ord(traditional)] = simplified
    return table


def fold(text: str, table: Mapping[int, str]) -> tuple[str, str]:
    """(source, folded): folded has the same length as source, so a span cut from one fits the
    other. ``source`` is ``text`` itself unless it held decomposed letters ("u" + combining
    diaeresis), which are composed first so the table knows them."""
    if text.isascii():
        return text, text.lower()
    source = unicodedata.normalize("NFC", text)
    return source, source.translate(table)
