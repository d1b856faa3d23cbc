"""The in-memory watchlist: entries, their name index, and ``match`` with a sentence for each hit.

It implements the :class:`forced_labour_guard.lists.base.Watchlist` protocol. Matching is pure: the
entries were loaded before, and the index is built once when the watchlist is made.

How a supplier meets an entry, strongest first:

* the same registration number (e.g. Unified Social Credit Code): score 1.0, whatever the names say;
* its name or one of its aliases against the entry's name, aliases (any script) and the subsidiaries
  named in the listing, scored by :mod:`forced_labour_guard.matching`.

Two facts lower a name score: both sides give registration numbers and they differ (capped at
``REGISTRATION_CONFLICT_CAP``, below the default block threshold: a reviewer decides), and both give
countries and they differ (multiplied by ``COUNTRY_CONFLICT_FACTOR``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Literal

from forced_labour_guard.lists.base import MatchBasis, WatchlistMatch
from forced_labour_guard.lists.entries import ListEntry, normalize_registration
from forced_labour_guard.matching import Hit, NameIndex, normalize_cached
from forced_labour_guard.model import ListVersion, Supplier

REGISTRATION_CONFLICT_CAP = 0.85
COUNTRY_CONFLICT_FACTOR = 0.9

NameRole = Literal["name", "alias", "subsidiary"]


def _quote(words: Sequence[str]) -> str:
    return ", ".join(f"'{word}'" for word in words)


def explain(supplier_name: str, hit: Hit[tuple[int, NameRole]], entry: ListEntry) -> str:
    """One or two sentences a buyer can follow: why this supplier name is taken for this entry."""
    comparison = hit.comparison
    role = hit.payload[1]
    if role == "name":
        listed = f"the listed '{entry.name}'"
    elif role == "alias":
        listed = f"'{hit.name}', a name the list gives for '{entry.name}'"
    else:
        listed = f"'{hit.name}', named on the list as a subsidiary of '{entry.name}'"
    query = normalize_cached(supplier_name)
    reading = ""
    if query.from_chinese and not hit.form.from_chinese:
        reading = f" (read as '{query.romanised}' in pinyin and English)"
    if comparison.relation == "same":
        return (
            f"'{supplier_name}'{reading} is {listed}, once case, punctuation, word order and "
            "legal forms such as 'Co., Ltd.' are set aside."
        )
    if comparison.relation == "branch":
        core = hit.form.core()
        added = (
            f"a place suffix ({', '.join(comparison.added_places)})"
            if comparison.added_places
            else "a branch word"
        )
        if role == "name":
            return (
                f"'{supplier_name}'{reading} contains the distinctive name '{core}' of {listed} "
                f"plus {added}."
            )
        relation = (
            f"a name the list gives for '{entry.name}'"
            if role == "alias"
            else f"named on the list as a subsidiary of '{entry.name}'"
        )
        return (
            f"'{supplier_name}'{reading} contains the distinctive name '{core}' of '{hit.name}' "
            f"plus {added}; '{hit.name}' is {relation}."
        )
    parts = [
        f"'{supplier_name}'{reading} is similar to {listed} (name score {comparison.score:.2f})"
    ]
    details = []
    if comparison.shared:
        details.append(f"shared words {_quote(comparison.shared)}")
    if comparison.fuzzy:
        pairs = ", ".join(f"'{a}' for '{b}'" for a, b in comparison.fuzzy)
        details.append(f"spelled differently: {pairs}")
    if comparison.supplier_only:
        details.append(f"only in the supplier's name: {_quote(comparison.supplier_only)}")
    if comparison.listed_only:
        details.append(f"only in the listed name: {_quote(comparison.listed_only)}")
    sentence = parts[0] + (": " + "; ".join(details) if details else "") + "."
    if comparison.place_conflict:
        a, b = comparison.place_conflict
        sentence += f" The names lead with different places ({a}, {b}), which usually means a different company."
    return sentence


class EntityWatchlist:
    """A loaded list of entities; see the module docstring."""

    def __init__(
        self,
        version: ListVersion,
        entries: Sequence[ListEntry],
        *,
        checked_on: dt.date | None = None,
        problems: Sequence[str] = (),
    ) -> None:
        self._version = version
        self.entries: tuple[ListEntry, ...] = tuple(entries)
        self.checked_on = checked_on
        """Last day the source confirmed this copy; staleness is measured from it (else as_of)."""
        self.problems = tuple(problems)
        items: list[tuple[str, tuple[int, NameRole]]] = []
        registrations: dict[str, list[int]] = {}
        for position, entry in enumerate(self.entries):
            items.append((entry.name, (position, "name")))
            items.extend((alias, (position, "alias")) for alias in entry.aliases)
            items.extend((sub, (position, "subsidiary")) for sub in entry.subsidiaries)
            for registration in entry.registration_ids:
                registrations.setdefault(normalize_registration(registration), []).append(position)
        self._index: NameIndex[tuple[int, NameRole]] = NameIndex(items)
        self._registrations = registrations

    @property
    def version(self) -> ListVersion:
        return self._version

    @property
    def name(self) -> str:
        return self._version.name

    def __len__(self) -> int:
        return len(self.entries)

    def match(self, supplier: Supplier, *, min_score: float) -> list[WatchlistMatch]:
        """Entries this supplier may be, best first, one match per entry, scores >= ``min_score``."""
        best: dict[int, WatchlistMatch] = {}
        registration = (
            normalize_registration(supplier.registration_id) if supplier.registration_id else None
        )
        if registration:
            for position in self._registrations.get(registration, []):
                entry = self.entries[position]
                best[position] = self._match(
                    entry,
                    supplier_name=supplier.name,
                    matched_name=entry.name,
                    basis="registration_id",
                    score=1.0,
                    explanation=(
                        f"'{supplier.name}' has registration number {supplier.registration_id}, "
                        f"the number the list gives for '{entry.name}'."
                    ),
                )
        for supplier_name in [supplier.name, *supplier.aliases]:
            for hit in self._index.search(supplier_name, min_score=min_score):
                position, role = hit.payload
                entry = self.entries[position]
                score = hit.comparison.score
                explanation = explain(supplier_name, hit, entry)
                if registration and entry.registration_ids:
                    listed = {normalize_registration(r) for r in entry.registration_ids}
                    if registration not in listed:
                        score = min(score, REGISTRATION_CONFLICT_CAP)
                        explanation += (
                            f" But the registration numbers differ ({supplier.registration_id} "
                            f"against {', '.join(entry.registration_ids)}), so a reviewer must "
                            "decide."
                        )
                if supplier.country and entry.country and supplier.country != entry.country.upper():
                    score *= COUNTRY_CONFLICT_FACTOR
                    explanation += (
                        f" The countries differ (supplier {supplier.country}, listed "
                        f"{entry.country.upper()})."
                    )
                score = round(score, 4)
                if score < min_score:
                    continue
                current = best.get(position)
                if current is not None and current.score >= score:
                    continue
                basis: MatchBasis = role
                best[position] = self._match(
                    entry,
                    supplier_name=supplier_name,
                    matched_name=hit.name,
                    basis=basis,
                    score=score,
                    explanation=explanation,
                )
        return sorted(best.values(), key=lambda match: match.score, reverse=True)

    def _match(
        self,
        entry: ListEntry,
        *,
        supplier_name: str,
        matched_name: str,
        basis: MatchBasis,
        score: float,
        explanation: str,
    ) -> WatchlistMatch:
        return WatchlistMatch(
            list_name=self._version.name,
            entry_id=entry.id,
            entry_name=entry.name,
            matched_name=matched_name,
            supplier_name=supplier_name,
            basis=basis,
            score=score,
            explanation=explanation,
            source=entry.source or self._version.source or self._version.name,
            url=entry.url,
            date=entry.date,
            reason=entry.reason,
        )
