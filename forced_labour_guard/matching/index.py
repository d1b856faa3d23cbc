"""An inverted index over listed names, so that screening scores a few candidates, not every entry.

Candidate generation uses keys built from each name's telling words (its own name words, its sector
words, digits), adjacent words joined ("Zhong Tai" -> "zhongtai", "Tian Hong Ji" -> "tianhongji"),
and for each of the company's own words its deletion neighbourhood: the word with any one letter
left out ("zhongtai" -> "hongtai", "zongtai", ... "zhongta"). Two words one slip apart (a wrong,
missing, doubled or swapped letter) always share one of those keys, however short the word and
however large the list, so a one-letter typo in a four-letter trade name still finds its entry
(the symmetric-deletion idea of SymSpell). Each word's first and last four letters add keys for
slips of two letters in long words.

A query gathers the entries that share its keys, weighs each key by how rare it is (an exact word
more than a deletion, a deletion more than a first or last four letters), and when more entries
gather than ``max_candidates``, ranks the best ``POOL_FACTOR`` times that many again by how alike
the whole names read (rapidfuzz on the normalised keys): entries that share a slip's key are many
in a large list, and the place and sector words tell the right one. Only the best
``max_candidates`` are scored with :func:`forced_labour_guard.matching.score.compare`.

Keys shared by a large part of the list (a "Xinjiang" or "Cotton" in an OpenSanctions-sized list)
are skipped while rarer keys exist; when a name has nothing but such keys, the candidates are the
entries that share all of them. The index is built once per list version and only read afterwards.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from rapidfuzz.fuzz import ratio

from forced_labour_guard.matching.normalize import Kind, NameForm, normalize_cached, normalize_name
from forced_labour_guard.matching.score import Comparison, compare

T = TypeVar("T")

DEFAULT_MAX_CANDIDATES = 32
COMMON_KEY_SHARE = 0.02
"""A key held by more than this share of names (and more than ``COMMON_KEY_MIN`` names) is common."""
COMMON_KEY_MIN = 200
AFFIX = 4
DELETION_MIN = 4
"""Words shorter than this get no deletion keys (a three-letter word one slip off is any word)."""
DELETION_MAX = 16
KEY_WEIGHTS = {"t": 1.0, "d": 0.5, "p": 0.25, "s": 0.25}
"""Exact word, deletion neighbour, first four letters, last four letters."""
LARGE_LIST = 1_000
"""From this many names on, deletion keys are asked for every word of a name's own."""
SLIP_LIKENESS = 70
"""A name met only through a slip's key is scored when its own words read at least this much like
the query's own words (rapidfuzz ratio, 0-100): place and sector words, shared by thousands of
names in a large list, do not count."""
POOL_FACTOR = 4
RERANK_WEIGHT = 1.0
"""How much the whole-name likeness (0..1) adds to a candidate's key weight when ranking a pool."""


def _deletions(word: str) -> set[str]:
    return {word} | {word[:i] + word[i + 1 :] for i in range(len(word))}


def _own_words(form: NameForm) -> list[str]:
    """The company's own words that get deletion and first/last-letter keys."""
    return [t.text for t in form.tokens if t.kind == Kind.DISTINCTIVE and not t.number]


def _deletion_keys(word: str) -> set[str]:
    if DELETION_MIN <= len(word) <= DELETION_MAX:
        return {f"d:{variant}" for variant in _deletions(word)}
    return set()


def _affix_keys(word: str) -> set[str]:
    return {f"p:{word[:AFFIX]}", f"s:{word[-AFFIX:]}"} if len(word) > AFFIX else set()


def exact_keys(form: NameForm) -> set[str]:
    """The whole-word keys of a normalised name: telling words and adjacent words joined."""
    if not form.tokens:
        return {f"t:{place.canonical}" for place in form.places}
    floor = min(Kind.DESCRIPTIVE, form.top or Kind.DESCRIPTIVE)
    keys = {f"t:{t.text}" for t in form.tokens if t.kind >= floor}
    top = form.top or Kind.DISTINCTIVE
    # Joined runs that hold one of the name's telling words: "Zhong Tai" -> "zhongtai"; a run
    # of sector and generic words alone ("food group") would only gather the whole sector.
    for joined, runs in form.runs.items():
        if any(form.tokens[k].kind >= top for run in runs for k in run):
            keys.add("t:" + joined)
    return keys


def name_keys(form: NameForm) -> set[str]:
    """Every index key of a normalised name (pure)."""
    keys = exact_keys(form)
    if form.tokens:
        for word in _own_words(form):
            keys |= _deletion_keys(word) | _affix_keys(word)
    return keys


@dataclass(frozen=True)
class Hit(Generic[T]):
    """One listed name that scored at or above the asked minimum."""

    comparison: Comparison
    name: str
    form: NameForm
    payload: T


class NameIndex(Generic[T]):
    """Listed names with a payload each (e.g. which entry and which alias), searchable by name."""

    def __init__(
        self, items: Iterable[tuple[str, T]], *, max_candidates: int = DEFAULT_MAX_CANDIDATES
    ) -> None:
        self._names: list[str] = []
        self._forms: list[NameForm] = []
        self._payloads: list[T] = []
        self._own_keys: list[str] = []
        postings: dict[str, list[int]] = defaultdict(list)
        for name, payload in items:
            form = normalize_name(name)  # clean_text first, as for a supplier's name
            position = len(self._names)
            self._names.append(name)
            self._forms.append(form)
            self._own_keys.append(" ".join(_own_words(form)))
            self._payloads.append(payload)
            for key in name_keys(form):
                postings[key].append(position)
        self._postings: dict[str, Sequence[int]] = dict(postings)
        self._max_candidates = max_candidates
        self._common = max(COMMON_KEY_MIN, int(len(self._names) * COMMON_KEY_SHARE))
        self._common_affix = max(COMMON_KEY_MIN // 2, self._common // 4)
        self._large = len(self._names) >= LARGE_LIST
        self._common_slip = max(COMMON_KEY_MIN // 4, self._common // 32)

    def __len__(self) -> int:
        return len(self._names)

    def candidates(self, form: NameForm) -> list[int]:
        """Positions of the names worth scoring against ``form``, most promising first.

        Whole-word keys first; deletion keys for each word of the name's own that the list does
        not hold as it is (a name met only through them is kept when its own words read like the
        query's, ``SLIP_LIKENESS``); first/last-letter keys only when nothing else was found."""
        postings = self._postings
        weights: dict[int, float] = defaultdict(float)
        exact = [(k, postings[k]) for k in exact_keys(form) if k in postings]
        for _key, posting in exact:
            if len(posting) <= self._common:
                weight = KEY_WEIGHTS["t"] / (1.0 + math.log(len(posting)))
                for position in posting:
                    weights[position] += weight
        own = _own_words(form) if form.tokens else []
        unknown = [word for word in own if f"t:{word}" not in postings]
        for position, weight in self._slip_neighbours(own, unknown, ()).items():
            weights[position] += weight
        if not weights and own:
            affixes = set().union(*(_affix_keys(word) for word in own))
            for key in affixes:
                sharing = postings.get(key, ())
                if 0 < len(sharing) <= self._common_affix:
                    weight = KEY_WEIGHTS[key[0]] / (1.0 + math.log(len(sharing)))
                    for position in sharing:
                        weights[position] += weight
        if not weights:
            if not exact:
                return []
            shared = set(exact[0][1])
            for _key, posting in exact[1:]:
                shared.intersection_update(posting)
            return sorted(shared)[: self._max_candidates]
        return self._best(form, weights)

    def slip_candidates(self, form: NameForm, seen: Collection[int]) -> list[int]:
        """Names one slip away from a word of ``form``'s own that the list does hold as it is
        (in a large list a slip often turns one listed trade name into another), not in ``seen``."""
        own = _own_words(form) if form.tokens else []
        known = [word for word in own if f"t:{word}" in self._postings]
        found = self._slip_neighbours(own, known, seen)
        return self._best(form, found) if found else []

    def _slip_neighbours(
        self, own: list[str], words: list[str], seen: Collection[int]
    ) -> dict[int, float]:
        """Names that share a deletion key with one of ``words``, not in ``seen``, whose own
        words read like ``own``: position -> key weight plus likeness."""
        slips: dict[int, float] = defaultdict(float)
        for word in words:
            for key in _deletion_keys(word):
                neighbours = self._postings.get(key, ())
                if neighbours and len(neighbours) <= self._common_slip:
                    weight = KEY_WEIGHTS["d"] / (1.0 + math.log(len(neighbours)))
                    for position in neighbours:
                        slips[position] += weight
        fresh = [position for position in slips if position not in seen]
        if len(fresh) > self._max_candidates:
            fresh = heapq.nlargest(self._max_candidates, fresh, key=slips.__getitem__)
        own_key = " ".join(own)
        alike: dict[int, float] = {}
        for position in fresh:
            likeness = ratio(own_key, self._own_keys[position], score_cutoff=SLIP_LIKENESS)
            if likeness:
                alike[position] = slips[position] + RERANK_WEIGHT * likeness / 100
        return alike

    def _best(self, form: NameForm, weights: dict[int, float]) -> list[int]:
        """The best ``max_candidates`` by weight, a larger pool re-ranked by whole-name likeness."""
        if len(weights) <= self._max_candidates:
            return sorted(weights, key=weights.__getitem__, reverse=True)
        pool = heapq.nlargest(self._max_candidates * POOL_FACTOR, weights, key=weights.__getitem__)
        forms = self._forms
        ranked = {
            position: weights[position] + RERANK_WEIGHT * ratio(form.key, forms[position].key) / 100
            for position in pool
        }
        return heapq.nlargest(self._max_candidates, ranked, key=ranked.__getitem__)

    def search(self, name: str | NameForm, *, min_score: float) -> list[Hit[T]]:
        """Listed names scoring at least ``min_score`` against ``name``, best first."""
        form = normalize_cached(name) if isinstance(name, str) else name
        hits: list[Hit[T]] = []
        scored: set[int] = set()
        self._score(form, self.candidates(form), min_score, hits, scored)
        if self._large and not any(h.comparison.relation in ("same", "branch") for h in hits):
            # In a large list a slip often turns one listed trade name into another: unless the
            # name is a listed one (or its branch) as it stands, look one slip away too.
            self._score(form, self.slip_candidates(form, scored), min_score, hits, scored)
        hits.sort(key=lambda hit: hit.comparison.score, reverse=True)
        return hits

    def _score(
        self,
        form: NameForm,
        positions: Iterable[int],
        min_score: float,
        hits: list[Hit[T]],
        scored: set[int],
    ) -> None:
        for position in positions:
            if position in scored:
                continue
            scored.add(position)
            comparison = compare(form, self._forms[position])
            if comparison.score >= min_score and comparison.score > 0:
                hits.append(
                    Hit(
                        comparison,
                        self._names[position],
                        self._forms[position],
                        self._payloads[position],
                    )
                )
