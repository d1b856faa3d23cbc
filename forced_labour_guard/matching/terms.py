"""The word tables that name normalisation reads, compiled once from ``data/name_terms.json``.

The tables are data with provenance (see ``data/name_terms.README.md``): legal forms to drop, generic
and descriptive words that weigh less than a company's own name, abbreviations to expand, Chinese
legal forms and generic words with their usual English renderings, and Chinese place names with their
spelling variants. This module only turns them into lookup structures; it does no matching.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

TERMS_RESOURCE = "data/name_terms.json"
SLIP_MIN_LENGTH = 5
"""Table words shorter than this are not looked for behind a slip: 'co' or 'ltd' one letter off
is as likely another word."""
SPLIT_PIECE_MAX = 6
"""The longest piece of a split word that is joined back (a pinyin syllable has at most six)."""
SLIP_TWO_EDITS_LENGTH = 8
"""From this length on, a word two edits away from a table word is read as that word."""
SLIP_CACHE_SIZE = 100_000
SLIP_MIN_PLACE_LENGTH = 7
"""Place names shorter than this are not looked for behind a slip: 'Hetan' or 'Jinan' one letter
off is as likely a trade name as a misspelt place."""


@dataclass(frozen=True)
class Terms:
    """Lookup tables; every key is already case-folded."""

    legal_forms: frozenset[str]
    legal_forms_final_only: frozenset[str]
    stopwords: frozenset[str]
    number_markers: frozenset[str]
    abbreviations: dict[str, str]
    phrases: dict[tuple[str, ...], str]
    canonical: dict[str, str]
    group_words: frozenset[str]
    generic_words: frozenset[str]
    descriptive_words: frozenset[str]
    zh_legal_forms: frozenset[str]
    zh_terms: dict[str, str]
    zh_max_len: int
    place_variants: dict[tuple[str, ...], str]
    """Place spelling (as a token tuple, e.g. ("inner", "mongolia")) -> canonical place name."""
    place_joined: dict[str, str]
    """Place spelling with spaces removed ("innermongolia", "xinjiang") -> canonical place name."""
    place_max_tokens: int
    foreign_legal_forms: frozenset[str]
    """Legal forms of company law outside China (gmbh, sa, llc, inc ...): a name that carries one
    presents itself as a company of another country."""
    vocabulary: frozenset[str]
    """Every Latin word the tables know (to tell a known word from a slip)."""
    split_starts: frozenset[str]
    """Beginnings (at most ``SPLIT_PIECE_MAX`` letters) of known words: where a split word may start."""
    slip_targets: tuple[str, ...]
    """Known words long enough that a one- or two-letter slip in them can be recognised."""

    slip_cache: dict[str, str | None] = field(default_factory=dict, compare=False, repr=False)
    """Words already looked up for a slip (see ``normalize._slip_of``); filled as names are read."""

    def knows(self, word: str) -> bool:
        return word in self.vocabulary


def compile_terms(raw: dict[str, Any]) -> Terms:
    """Build the lookup tables from the JSON document (pure; used by tests with small tables)."""
    phrases = {tuple(key.split()): value for key, value in raw["phrases"].items()}
    place_variants: dict[tuple[str, ...], str] = {}
    place_joined: dict[str, str] = {}
    for canonical, variants in raw["places"].items():
        for variant in [canonical, *variants]:
            words = tuple(variant.casefold().split())
            place_variants[words] = canonical
            place_joined["".join(words)] = canonical
    zh_terms = dict(raw["zh_terms"])
    latin = {
        *raw["legal_forms"],
        *raw["legal_forms_final_only"],
        *raw["stopwords"],
        *raw["number_markers"],
        *raw["abbreviations"],
        *raw["abbreviations"].values(),
        *raw["canonical"],
        *raw["canonical"].values(),
        *raw["group_words"],
        *raw["generic_words"],
        *raw["descriptive_words"],
        *(word for key in raw["phrases"] for word in key.split()),
    }
    vocabulary = frozenset(
        latin | {w for words in place_variants for w in words} | set(place_joined)
    )
    slip_targets = tuple(
        sorted(
            {w for w in latin if len(w) >= SLIP_MIN_LENGTH}
            | {p for p in place_joined if len(p) >= SLIP_MIN_PLACE_LENGTH}
        )
    )
    zh_legal = frozenset(raw["zh_legal_forms"])
    return Terms(
        legal_forms=frozenset(raw["legal_forms"]),
        legal_forms_final_only=frozenset(raw["legal_forms_final_only"]),
        stopwords=frozenset(raw["stopwords"]),
        number_markers=frozenset(raw["number_markers"]),
        abbreviations=dict(raw["abbreviations"]),
        phrases=phrases,
        canonical=dict(raw["canonical"]),
        group_words=frozenset(raw["group_words"]),
        generic_words=frozenset(raw["generic_words"]),
        descriptive_words=frozenset(raw["descriptive_words"]),
        zh_legal_forms=zh_legal,
        zh_terms=zh_terms,
        zh_max_len=max(len(word) for word in [*zh_terms, *zh_legal]),
        place_variants=place_variants,
        place_joined=place_joined,
        place_max_tokens=max(len(words) for words in place_variants),
        foreign_legal_forms=frozenset(raw["foreign_legal_forms"]),
        vocabulary=vocabulary,
        split_starts=frozenset(
            word[:length]
            for word in vocabulary
            for length in range(1, min(len(word), SPLIT_PIECE_MAX + 1))
        ),
        slip_targets=slip_targets,
    )


@cache
def default_terms() -> Terms:
    """The packaged tables, read once per process."""
    text = resources.files("forced_labour_guard").joinpath(TERMS_RESOURCE).read_text("utf-8")
    raw: dict[str, Any] = json.loads(text)
    return compile_terms(raw)
