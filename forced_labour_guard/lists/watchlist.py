"""The in-memory watchlist: entries, their name index, and ``match`` with a sentence for each hit.

It implements the :class:`forced_labour_guard.lists.base.Watchlist` protocol. Matching is pure: the
entries were loaded before, and the index is built once when the watchlist is made.

How a supplier meets an entry, strongest first:

* the same registration number (e.g. Unified Social Credit Code): score 1.0, whatever the names say;
* its name or one of its aliases against the entry's name, aliases (any script) and the subsidiaries
  named in the listing, scored by :mod:`forced_labour_guard.matching`.

Facts about the record and the entry beyond the two names then adjust a name score; they are
declared once, in ``RECORD_FEATURES`` (what each one looks at, what it does, and why), and every
one that applies adds a sentence to the explanation. Caps sit below the default block threshold:
the match goes to a reviewer instead of blocking.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from forced_labour_guard.lists.base import MatchBasis, WatchlistMatch
from forced_labour_guard.lists.entries import ListEntry, normalize_registration
from forced_labour_guard.matching import Hit, NameForm, NameIndex, normalize_cached
from forced_labour_guard.matching.terms import default_terms
from forced_labour_guard.model import ListVersion, Supplier
from forced_labour_guard.text import clean_text

NameRole = Literal["name", "alias", "subsidiary", "parent"]


@dataclass(frozen=True)
class RecordFeature:
    """One fact beyond the two names that changes a name score: a cap or a factor."""

    name: str
    cap: float | None
    factor: float | None
    when: str
    why: str


REGISTRATION_CONFLICT = RecordFeature(
    "registration_conflict",
    cap=0.85,
    factor=None,
    when="the supplier and the entry both give registration numbers and none is shared",
    why="two companies may share a name; their registers do not",
)
COUNTRY_CONFLICT = RecordFeature(
    "country_conflict",
    cap=None,
    factor=0.9,
    when="the supplier's country (its own or its addresses') differs from the entry's",
    why="a listed company trades under its name abroad too, so a country alone only lowers",
)
FOREIGN_COMPANY = RecordFeature(
    "foreign_company",
    cap=0.85,
    factor=None,
    when="the supplier's country, or a legal form of another country's company law in its name "
    "(GmbH, S.A., LLC ...), places it outside the entry's country, and its name carries neither "
    "a place nor a legal form of the listed name",
    why="a company abroad may share a listed Chinese company's own words; without its place or "
    "its legal form that is a question for a reviewer, not a block",
)
ALIAS_PLACE_CONFLICT = RecordFeature(
    "alias_place_conflict",
    cap=0.85,
    factor=None,
    when="the match is on a short alias without a place, and the supplier's name places it "
    "somewhere other than the listed name's place",
    why="a short trade name is shared by companies in different cities; the listed company's "
    "own branch there would read the same, so a reviewer decides",
)
PARENT_NAME = RecordFeature(
    "parent_name",
    cap=0.85,
    factor=None,
    when="the supplier's name is the legal name the list's sources give for the entry's parent "
    "company, written whole",
    why="the parent of a listed entity is not itself the listing",
)
RECORD_FEATURES: tuple[RecordFeature, ...] = (
    REGISTRATION_CONFLICT,
    COUNTRY_CONFLICT,
    FOREIGN_COMPANY,
    ALIAS_PLACE_CONFLICT,
    PARENT_NAME,
)
"""Every record feature, in the order they apply; docs/lists.md shows this table."""


def _apply(feature: RecordFeature, score: float) -> float:
    if feature.cap is not None:
        score = min(score, feature.cap)
    if feature.factor is not None:
        score *= feature.factor
    return score


def record_countries(supplier: Supplier) -> set[str]:
    """The countries a supplier record gives: its own, else those of its addresses."""
    if supplier.country:
        return {supplier.country}
    return {a.country for a in supplier.addresses if a.country}


def _foreign_legal_forms(form: NameForm) -> list[str]:
    foreign = default_terms().foreign_legal_forms
    return [word for word in form.legal_forms if word in foreign]


def _legal_name(name: str) -> str:
    """A legal name as compared whole: cleaned (Traditional to Simplified, widths, invisible
    characters), case and spaces set aside. A parent's legal name must be given whole: its bare
    trade name is shared with the listed subsidiaries ("合盛硅业" in "合盛硅业（鄯善）有限公司")."""
    return "".join(clean_text(name).text.casefold().split())


def _places(form: NameForm) -> set[str]:
    return {place.canonical for place in form.places}


def _quote(words: Sequence[str]) -> str:
    return ", ".join(f"'{word}'" for word in words)


def explain(supplier_name: str, hit: Hit[tuple[int, NameRole]], entry: ListEntry) -> str:
    """One or two sentences a buyer can follow: why this supplier name is taken for this entry."""
    comparison = hit.comparison
    role = hit.payload[1]
    what = {
        "name": f"the listed '{entry.name}'",
        "alias": f"a name the list gives for '{entry.name}'",
        "parent": f"the name of the parent company of the listed '{entry.name}'",
        "subsidiary": f"named on the list as a subsidiary of '{entry.name}'",
    }[role]
    source = entry.name_sources.get(hit.name)
    provenance = f" ({source})" if source else ""
    listed = (what if role == "name" else f"'{hit.name}', {what}") + provenance
    query = normalize_cached(supplier_name)
    reading = ""
    if query.from_chinese and not hit.form.from_chinese:
        reading = f" (read as '{query.romanised}' in pinyin and English)"
    if comparison.relation == "same":
        if role != "name" and hit.name == supplier_name:
            return f"'{supplier_name}' is {what}{provenance}."
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
        relation = {
            "alias": f"a name the list gives for '{entry.name}'",
            "parent": f"the name of the parent company of the listed '{entry.name}'",
        }.get(role, f"named on the list as a subsidiary of '{entry.name}'")
        return (
            f"'{supplier_name}'{reading} contains the distinctive name '{core}' of '{hit.name}' "
            f"plus {added}; '{hit.name}' is {relation}{provenance}."
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
            items.extend((parent, (position, "parent")) for parent in entry.parent_names)
            for registration in entry.registration_ids:
                registrations.setdefault(normalize_registration(registration), []).append(position)
        self._index: NameIndex[tuple[int, NameRole]] = NameIndex(items)
        self._name_forms = [normalize_cached(entry.name) for entry in self.entries]
        self._parent_names = [
            {_legal_name(parent) for parent in entry.parent_names} for entry in self.entries
        ]
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
                features = self._record_features(supplier, supplier_name, registration, hit)
                for feature, sentence in features:
                    score = _apply(feature, score)
                    explanation += " " + sentence
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

    def _record_features(
        self,
        supplier: Supplier,
        supplier_name: str,
        registration: str | None,
        hit: Hit[tuple[int, NameRole]],
    ) -> list[tuple[RecordFeature, str]]:
        """The ``RECORD_FEATURES`` that apply to this hit, each with its sentence."""
        position, role = hit.payload
        entry = self.entries[position]
        query = normalize_cached(supplier_name)
        listed_form = self._name_forms[position]
        found: list[tuple[RecordFeature, str]] = []
        if registration and entry.registration_ids:
            listed = {normalize_registration(r) for r in entry.registration_ids}
            if registration not in listed:
                found.append(
                    (
                        REGISTRATION_CONFLICT,
                        f"But the registration numbers differ ({supplier.registration_id} "
                        f"against {', '.join(entry.registration_ids)}), so a reviewer must decide.",
                    )
                )
        entry_country = entry.country.upper() if entry.country else None
        countries = record_countries(supplier)
        other_countries = sorted(c for c in countries if c != entry_country)
        if entry_country and countries and entry_country not in countries:
            found.append(
                (
                    COUNTRY_CONFLICT,
                    f"The countries differ (supplier {', '.join(other_countries)}, listed "
                    f"{entry_country}).",
                )
            )
        foreign_forms = _foreign_legal_forms(query) if entry_country == "CN" else []
        listed_places = _places(listed_form) | _places(hit.form)
        listed_legal = {*listed_form.legal_forms, *hit.form.legal_forms}
        if (
            entry_country
            and ((other_countries and entry_country not in countries) or foreign_forms)
            and not _places(query) & listed_places
            and not set(query.legal_forms) & listed_legal
        ):
            because = (
                f"its country is {', '.join(other_countries)}"
                if other_countries and entry_country not in countries
                else f"its legal form ({', '.join(foreign_forms)}) is not {entry_country}'s"
            )
            found.append(
                (
                    FOREIGN_COMPANY,
                    f"The supplier presents itself as a company outside {entry_country} ({because}) "
                    "and its name carries neither a place nor the legal form of the listed name, so a "
                    "reviewer must decide.",
                )
            )
        if role == "alias" and not _places(hit.form):
            listed_leading = {p.canonical for p in listed_form.places if p.prefix}
            supplier_places = _places(query)
            if listed_leading and supplier_places and not supplier_places & listed_leading:
                found.append(
                    (
                        ALIAS_PLACE_CONFLICT,
                        f"The alias '{hit.name}' names no place, and the supplier's name places it "
                        f"in {', '.join(p.display for p in query.places)}, the listed name in "
                        f"{', '.join(p.display for p in listed_form.places if p.prefix)}.",
                    )
                )
        if _legal_name(supplier_name) in self._parent_names[position]:
            found.append(
                (
                    PARENT_NAME,
                    "The parent of a listed company is not itself the listing, so a reviewer "
                    "must decide."
                    if role == "parent"
                    else f"'{supplier_name}' is the legal name the list's sources give for the "
                    f"parent of '{entry.name}', which is not itself the listing, so a reviewer "
                    "must decide.",
                )
            )
        return found

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
