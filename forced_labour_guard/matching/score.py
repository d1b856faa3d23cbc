"""Scoring two normalised company names, 0..1, with the reasons behind the number.

The score is a weighted Dice coefficient over aligned tokens: each token weighs what it says about
which company is meant (a company's own name word 1.0, a sector word 0.5, a generic word 0.25, a
group word 0.1, a leading place 0.5, a qualifying place 0.15), and a pair of aligned tokens counts by
its similarity. Token similarity is rapidfuzz's Damerau-Levenshtein distance read through
``SLIP_SIMILARITY``: one slip (a wrong, missing, doubled or swapped letter) in a long word still
says "the same word", in a short word less so, because one letter separates different Chinese
trade names (Zijin, Zhijin); OCR's usual confusions (rn/m, cl/d, vv/w) count as one slip. A slip
never counts as much as the word itself, so a misspelt listed name reaches review but does not
block on its own. Two trade names read from different Chinese characters that sound alike (纳思达,
纳斯达) count as ``HOMOPHONE_SIMILARITY``, not as one name.

Rules on top, each pinned by a test:

* Token order never matters; "Zhong Tai" meets "Zhongtai" (adjacent words may join).
* Unless the listed name's most telling words (its own name words, or its sector words when it has
  none) are met, the score is 0: legal forms, generic words or places alone never match.
* Digits match only exactly ("No. 4" is not "No. 5").
* A listed name whose most telling word is met only with a slip scores at most ``SLIP_SCORE_CAP``.
* Two different leading places ("Shanghai Zhongtai Chemical", "Xinjiang Zhongtai Chemical") mean
  different companies: the score is multiplied by ``DIFFERENT_PLACE_FACTOR``.
* A listed word that the supplier's name carries only as a legal form ("Corps" in "Xinjiang
  Production and Construction Corps" against "... Corporation") counts as met: the word is part of
  the name there, not a legal form.
* A lone letter leading the supplier's name ("B. LYSZD Trade") counts half a place when a listed
  leading place starts with it ("Baoding").
* A name that holds every word of the listed name, exactly, and adds only a place or a branch word
  ("Hoshine Silicon (Jiaxing) Co., Ltd." against "Hoshine Silicon Industry (Shanshan) Co., Ltd")
  is taken as a branch or subsidiary of the listed company and scores at least ``BRANCH_SCORE``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from rapidfuzz.distance import DamerauLevenshtein

from forced_labour_guard.matching.normalize import Kind, NameForm, Place, Token

KIND_WEIGHTS: dict[Kind, float] = {
    Kind.GROUP: 0.1,
    Kind.GENERIC: 0.25,
    Kind.DESCRIPTIVE: 0.5,
    Kind.DISTINCTIVE: 1.0,
}
PREFIX_PLACE_WEIGHT = 0.5
QUALIFIER_PLACE_WEIGHT = 0.15
SLIP_SIMILARITY: dict[int, tuple[tuple[int, float], ...]] = {
    1: ((7, 0.75), (5, 0.7), (4, 0.7)),
    2: ((9, 0.7), (8, 0.6)),
}
"""Edits (Damerau-Levenshtein) -> (shortest length of the longer word, similarity), first fit wins.
Absent: different words. One edit in a word of four letters or more, two in one of eight or more."""
MAX_SLIPS = max(SLIP_SIMILARITY)
OCR_CUTOFF = MAX_SLIPS + 2
"""An OCR confusion (rn for m) can add up to two edits per word; farther words are different."""
_distance = DamerauLevenshtein.distance
OCR_CONFUSIONS = (("rn", "m"), ("cl", "d"), ("vv", "w"))
_OCR_PAIRS = re.compile("|".join(seen for seen, _ in OCR_CONFUSIONS))
HOMOPHONE_SIMILARITY = 0.75
SLIP_SCORE_CAP = 0.85
"""The most a name scores when one of the listed name's most telling words is met only with a
slip (or by a homophone): review, since one letter also separates two real companies."""
INITIAL_PLACE_CREDIT = 0.5
LEGAL_WORD_STEM = 4
DIFFERENT_PLACE_FACTOR = 0.6
BRANCH_SCORE = 0.92
BRANCH_WORDS = frozenset({"branch", "subsidiary", "factory", "plant", "office", "mill"})

Relation = Literal["same", "branch", "similar", "none"]


@dataclass(frozen=True)
class Comparison:
    """A score and what it rests on, for the explanation sentence."""

    score: float
    relation: Relation
    shared: tuple[str, ...] = ()
    """Listed-name words met by the supplier's name (as displayed)."""
    supplier_only: tuple[str, ...] = ()
    listed_only: tuple[str, ...] = ()
    fuzzy: tuple[tuple[str, str], ...] = ()
    """(supplier word, listed word) pairs that matched with a spelling difference."""
    place_conflict: tuple[str, str] | None = None
    added_places: tuple[str, ...] = ()


NO_MATCH = Comparison(0.0, "none")


def _ocr_read(text: str) -> str:
    for seen, meant in OCR_CONFUSIONS:
        text = text.replace(seen, meant)
    return text


@lru_cache(maxsize=1 << 16)
def slip_similarity(a: str, b: str) -> float:
    """How much two different spellings still say "the same word" (see ``SLIP_SIMILARITY``)."""
    edits = _distance(a, b, score_cutoff=OCR_CUTOFF)
    if edits > MAX_SLIPS + 2:
        return 0.0
    if edits > 1 and _OCR_PAIRS.search(a + " " + b):
        edits = min(edits, _distance(_ocr_read(a), _ocr_read(b)) or 1)
    longest = len(a) if len(a) > len(b) else len(b)
    for min_length, similarity in SLIP_SIMILARITY.get(edits, ()):
        if longest >= min_length:
            return similarity
    return 0.0


def token_similarity(a: Token, b: Token) -> float:
    """1.0 for the same word; less for a slip or for Chinese homophones; else 0."""
    if a.text == b.text:
        if a.hanzi and b.hanzi and a.hanzi != b.hanzi:
            return HOMOPHONE_SIMILARITY
        return 1.0
    if a.number or b.number:
        return 0.0
    return slip_similarity(a.text, b.text)


def _weight(token: Token, form: NameForm) -> float:
    """A name's most telling kind weighs 1.0 even when it is only sector or generic words."""
    return 1.0 if token.kind == form.top else KIND_WEIGHTS[token.kind]


def _place_weight(place: Place) -> float:
    return PREFIX_PLACE_WEIGHT if place.prefix else QUALIFIER_PLACE_WEIGHT


def _alike_pairs(query: NameForm, entry: NameForm) -> list[tuple[float, int, int, float]]:
    """Every pair of alike tokens as (weighted similarity, query position, entry position,
    similarity), best first."""
    candidates: list[tuple[float, int, int, float]] = []
    for i, q in enumerate(query.tokens):
        for j, e in enumerate(entry.tokens):
            similarity = token_similarity(q, e)
            if similarity > 0:
                weight = _weight(q, query) + _weight(e, entry)
                candidates.append((similarity * weight, i, j, similarity))
    candidates.sort(reverse=True)
    return candidates


def _align(
    candidates: list[tuple[float, int, int, float]],
    query: NameForm,
    entry: NameForm,
    taken_q: set[int],
    taken_e: set[int],
    *,
    exact: bool,
) -> list[tuple[int, int, float]]:
    """Greedy one-to-one alignment of the tokens not yet taken, best pairs first: the same words
    only (``exact``), or any words alike enough."""
    pairs = []
    for _, i, j, similarity in candidates:
        if i in taken_q or j in taken_e:
            continue
        if exact and query.tokens[i].text != entry.tokens[j].text:
            continue
        taken_q.add(i)
        taken_e.add(j)
        pairs.append((i, j, similarity))
    return pairs


def _pair_weight(query: NameForm, entry: NameForm, pairs: list[tuple[int, int, float]]) -> float:
    return sum(
        similarity * (_weight(query.tokens[i], query) + _weight(entry.tokens[j], entry))
        for i, j, similarity in pairs
    )


def _joins(
    one: NameForm, free_one: list[int], other: NameForm, free_other: list[int]
) -> list[tuple[int, list[int]]]:
    """Single unmatched words of ``one`` that equal 2-3 adjacent unmatched words of ``other``."""
    if not free_one or len(free_other) < 2:
        return []
    runs = other.runs
    free = set(free_other)
    found = []
    taken: set[int] = set()
    for i in free_one:
        for run in runs.get(one.tokens[i].text, ()):
            if free.issuperset(run) and not taken.intersection(run):
                found.append((i, list(run)))
                taken.update(run)
                break
    return found


def _join_words(
    one: NameForm, matched_one: set[int], other: NameForm, matched_other: set[int]
) -> list[tuple[int, int, float, float]]:
    """Unmatched words of ``one`` that are 2-3 adjacent unmatched words of ``other`` joined, each
    as (word in ``one``, first word of the run in ``other``, numerator gain, surplus weight).

    The run counts once, at its heaviest word; the rest of its weight (the surplus) leaves the
    denominator. Marks the words as matched in ``matched_one`` and ``matched_other``."""
    free_one = [i for i in range(len(one.tokens)) if i not in matched_one]
    free_other = [k for k in range(len(other.tokens)) if k not in matched_other]
    found = []
    for i, run in _joins(one, free_one, other, free_other):
        matched_one.add(i)
        matched_other.update(run)
        weights = [_weight(other.tokens[k], other) for k in run]
        gain = _weight(one.tokens[i], one) + max(weights)
        found.append((i, run[0], gain, sum(weights) - max(weights)))
    return found


def compare(query: NameForm, entry: NameForm) -> Comparison:
    """Score the supplier's name ``query`` against the listed name ``entry`` (pure)."""
    if not query.tokens or not entry.tokens:
        if query.key and query.key == entry.key:
            return Comparison(1.0, "same", shared=(entry.romanised,))
        return NO_MATCH
    if query.key == entry.key and _same_characters(query, entry):
        return Comparison(1.0, "same", shared=tuple(t.display for t in entry.tokens))

    alike = _alike_pairs(query, entry)
    matched_q: set[int] = set()
    matched_e: set[int] = set()
    pairs = _align(alike, query, entry, matched_q, matched_e, exact=True)
    numerator = _pair_weight(query, entry, pairs)
    free_q = len(query.tokens) - len(matched_q)
    free_e = len(entry.tokens) - len(matched_e)

    # Words written apart on one side and together on the other ("Zhong Tai", "Zhongtai") count
    # as one word on both sides: first a supplier word against listed words, then the reverse.
    # Joins come before slips, so that "Tianhong Ji" is "Tianhongji", not a slip of it.
    joined_surplus = 0.0
    if free_q and free_e and free_q + free_e >= 3:
        for i, j, gain, surplus in _join_words(query, matched_q, entry, matched_e):
            numerator += gain
            joined_surplus += surplus
            pairs.append((i, j, 1.0))
        for j, i, gain, surplus in _join_words(entry, matched_e, query, matched_q):
            numerator += gain
            joined_surplus += surplus
            pairs.append((i, j, 1.0))
    if len(alike) > len(pairs):
        slipped = _align(alike, query, entry, matched_q, matched_e, exact=False)
        numerator += _pair_weight(query, entry, slipped)
        pairs += slipped

    # A word one side carries as a legal form and the other as part of its name ("Corps").
    rescued = 0.0
    if len(matched_e) < len(entry.tokens) and query.legal_forms:
        for j in _words_in_legal_forms(entry, matched_e, query.legal_forms):
            matched_e.add(j)
            rescued += _weight(entry.tokens[j], entry)
            pairs.append((-1, j, 1.0))
    if len(matched_q) < len(query.tokens) and entry.legal_forms:
        for i in _words_in_legal_forms(query, matched_q, entry.legal_forms):
            matched_q.add(i)
            rescued += _weight(query.tokens[i], query)

    if not any(t.kind == entry.top and j in matched_e for j, t in enumerate(entry.tokens)):
        return NO_MATCH

    query_places = {p.canonical for p in query.places}
    entry_places = {p.canonical for p in entry.places}
    numerator += 2 * rescued
    denominator = sum(_weight(t, query) for t in query.tokens)
    denominator += sum(_weight(t, entry) for t in entry.tokens) - joined_surplus + rescued
    for place in query.places:
        denominator += _place_weight(place)
        if place.canonical in entry_places:
            numerator += _place_weight(place)
    initials = set(query.initials)
    for place in entry.places:
        weight = _place_weight(place)
        denominator += weight
        if place.canonical in query_places:
            numerator += weight
        elif place.prefix and place.display[:1].casefold() in initials:
            initials.discard(place.display[:1].casefold())
            numerator += 2 * weight * INITIAL_PLACE_CREDIT
            denominator += weight
    score = numerator / denominator if denominator else 0.0

    conflict = _place_conflict(query, entry)
    if conflict:
        score *= DIFFERENT_PLACE_FACTOR

    exact = {j for i, j, similarity in pairs if similarity == 1.0}
    fuzzy = tuple(
        (query.tokens[i].display, entry.tokens[j].display) for i, j, s in pairs if s < 1.0
    )
    pairs = [(i, j, s) for i, j, s in pairs if i >= 0]
    added_places = tuple(p.display for p in query.places if p.canonical not in entry_places)
    if any(entry.tokens[j].kind == entry.top for i, j, s in pairs if s < 1.0):
        score = min(score, SLIP_SCORE_CAP)
    relation: Relation = "same" if score >= 1.0 and not fuzzy else "similar"
    if conflict is None and _is_branch(query, entry, matched_q, exact, added_places):
        score = max(score, BRANCH_SCORE)
        relation = "branch"
    return Comparison(
        score=round(min(score, 1.0), 4),
        relation=relation,
        shared=tuple(entry.tokens[j].display for j in sorted(matched_e)),
        supplier_only=tuple(t.display for i, t in enumerate(query.tokens) if i not in matched_q),
        listed_only=tuple(t.display for j, t in enumerate(entry.tokens) if j not in matched_e),
        fuzzy=fuzzy,
        place_conflict=conflict,
        added_places=added_places,
    )


def _same_characters(query: NameForm, entry: NameForm) -> bool:
    """No word read from Chinese characters on both sides was read from different characters."""
    written = {t.text: t.hanzi for t in entry.tokens if t.hanzi}
    return all(written.get(t.text, t.hanzi) == t.hanzi for t in query.tokens if t.hanzi)


def _words_in_legal_forms(
    form: NameForm, matched: set[int], legal_forms: tuple[str, ...]
) -> list[int]:
    """Unmatched words of ``form`` that the other name carries only as a legal form: 'corps'
    against 'corporation' or 'corp' (the same first four letters, the shorter word at most one
    letter longer than those)."""
    stems = {legal[:LEGAL_WORD_STEM] for legal in legal_forms}
    found = []
    remaining = list(legal_forms)
    for position, token in enumerate(form.tokens):
        if position in matched or token.text[:LEGAL_WORD_STEM] not in stems:
            continue
        for legal in remaining:
            shorter = min(len(legal), len(token.text))
            if (
                legal[:LEGAL_WORD_STEM] == token.text[:LEGAL_WORD_STEM]
                and len(legal) >= LEGAL_WORD_STEM
                and shorter <= LEGAL_WORD_STEM + 1
            ):
                found.append(position)
                remaining.remove(legal)
                break
    return found


def _place_conflict(query: NameForm, entry: NameForm) -> tuple[str, str] | None:
    q = [p for p in query.places if p.prefix]
    e = [p for p in entry.places if p.prefix]
    if q and e and not {p.canonical for p in q} & {p.canonical for p in e}:
        return (q[0].display, e[0].display)
    return None


def _is_branch(
    query: NameForm,
    entry: NameForm,
    matched_q: set[int],
    exact_e: set[int],
    added_places: tuple[str, ...],
) -> bool:
    """Every telling listed word met exactly, listed leading places kept, and only places or
    generic words added, among them a place suffix or a branch word. A place added in front
    ("Shanghai Camel") is not a branch suffix: it may as well be another company."""
    floor = min(Kind.DESCRIPTIVE, entry.top or Kind.DESCRIPTIVE)
    if any(t.kind >= floor and j not in exact_e for j, t in enumerate(entry.tokens)):
        return False
    query_places = {p.canonical for p in query.places}
    if any(p.prefix and p.canonical not in query_places for p in entry.places):
        return False
    extra = [t for i, t in enumerate(query.tokens) if i not in matched_q]
    if any(t.kind > Kind.GENERIC for t in extra):
        return False
    suffix_places = [p for p in query.places if not p.prefix and p.display in added_places]
    return bool(suffix_places) or any(t.text in BRANCH_WORDS for t in extra)
