"""An inverted index over listed names, so that screening scores a few candidates, not every entry.

Candidate generation uses keys built from each name's telling words (its own name words, its sector
words, digits), each word's first and last four letters (so a spelling slip in the middle of a word
still finds it), and adjacent words joined ("Zhong Tai" -> "zhongtai"). A query gathers the entries
that share its keys, ranks them by how rare the shared keys are, and scores only the best
``max_candidates`` with :func:`forced_labour_guard.matching.score.compare`.

Keys shared by a large part of the list (a "Xinjiang" or "Cotton" in an OpenSanctions-sized list)
are skipped while rarer keys exist; when a name has nothing but such keys, the candidates are the
entries that share all of them. The index is built once per list version and only read afterwards.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Generic, TypeVar

from forced_labour_guard.matching.normalize import Kind, NameForm, normalize_cached, normalize_name
from forced_labour_guard.matching.score import Comparison, compare

T = TypeVar("T")

DEFAULT_MAX_CANDIDATES = 32
COMMON_KEY_SHARE = 0.02
"""A key held by more than this share of names (and more than ``COMMON_KEY_MIN`` names) is common."""
COMMON_KEY_MIN = 200
AFFIX = 4


def name_keys(form: NameForm) -> set[str]:
    """The index keys of a normalised name (pure)."""
    keys: set[str] = set()
    if not form.tokens:
        keys.update(f"t:{place.canonical}" for place in form.places)
        return keys
    floor = min(Kind.DESCRIPTIVE, form.top or Kind.DESCRIPTIVE)
    telling = [t for t in form.tokens if t.kind >= floor]
    for token in telling:
        keys.add(f"t:{token.text}")
        if token.kind == Kind.DISTINCTIVE and not token.number and len(token.text) > AFFIX:
            keys.add(f"p:{token.text[:AFFIX]}")
            keys.add(f"s:{token.text[-AFFIX:]}")
    texts = [t.text for t in form.tokens]
    for first, second in pairwise(texts):
        keys.add(f"t:{first}{second}")
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
        postings: dict[str, list[int]] = defaultdict(list)
        for name, payload in items:
            form = normalize_name(name)
            position = len(self._names)
            self._names.append(name)
            self._forms.append(form)
            self._payloads.append(payload)
            for key in name_keys(form):
                postings[key].append(position)
        self._postings: dict[str, Sequence[int]] = dict(postings)
        self._max_candidates = max_candidates
        self._common = max(COMMON_KEY_MIN, int(len(self._names) * COMMON_KEY_SHARE))
        self._common_affix = max(COMMON_KEY_MIN // 2, self._common // 4)

    def __len__(self) -> int:
        return len(self._names)

    def candidates(self, form: NameForm) -> list[int]:
        """Positions of the names worth scoring against ``form``, most promising first.

        Whole-word keys come first; the first/last-letters keys that catch spelling slips are used
        only when no whole word of the name's own kind was found, so a common four-letter start
        does not flood a large list's candidates."""
        keys = name_keys(form)
        exact = [(k, self._postings[k]) for k in keys if k[0] == "t" and k in self._postings]
        rare = [(k, p) for k, p in exact if len(p) <= self._common]
        if not rare:
            affix = [(k, self._postings[k]) for k in keys if k[0] != "t" and k in self._postings]
            rare = [(k, p) for k, p in affix if len(p) <= self._common_affix]
        if not rare:
            if not exact:
                return []
            shared = set(exact[0][1])
            for _, posting in exact[1:]:
                shared.intersection_update(posting)
            return sorted(shared)[: self._max_candidates]
        weights: dict[int, float] = defaultdict(float)
        for _key, posting in rare:
            weight = 1.0 / (1.0 + math.log(len(posting)))
            for position in posting:
                weights[position] += weight
        if len(weights) <= self._max_candidates:
            return list(weights)
        return heapq.nlargest(self._max_candidates, weights, key=weights.__getitem__)

    def search(self, name: str | NameForm, *, min_score: float) -> list[Hit[T]]:
        """Listed names scoring at least ``min_score`` against ``name``, best first."""
        form = normalize_cached(name) if isinstance(name, str) else name
        hits = []
        for position in self.candidates(form):
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
        hits.sort(key=lambda hit: hit.comparison.score, reverse=True)
        return hits
