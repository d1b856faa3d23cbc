"""The Uyghur Region locator: place names in every script, ERP region keys, registration codes,
postal codes and telephone numbers, each weighed against what else the record says.

How an address is read (the rules are also in ``docs/region.md``):

1. ``region`` is first read as an ERP key, as a whole value only (``base.state_cn_XJ``, ``XJ``, 新,
   ``65`` with country CN, or a customer's SAP key given in ``region_codes``).
2. ``city``, ``region`` and ``text`` are searched for names (see ``region.place_index``). The ``street``
   field is never searched: street-level words never decide the city. A name followed by a street
   word (Urumqi Road, 新疆路) or a product or business word (Hami melon, 哈密瓜, Kashgar Restaurant)
   is not a place.
3. A *weak* spelling, one another place or word shares (Yiwu is also 义乌, Yili also Inner
   Mongolia's dairy, 和硕 also Pegatron), counts only next to a strong mention of the region or a
   weak mention of its parent or child unit.
4. A spelling with a *namesake* abroad (Aksu in Kazakhstan and Turkey, Altay in Russia) does not
   count when the address's country is set to anything but CN, or, with no country, when the
   address names a country or place abroad or is written in Cyrillic, kana or Hangul.
5. A *lone* mention, one place named once, in free text, without an administrative suffix, does
   not count when the address also names somewhere else (a Chinese province or city outside the
   region, or a country abroad, or the country field is not CN). That is how a company or shop
   named after a place reads ("Shanghai Kashgar Trading Co., Nanjing Road, Shanghai"). A name in
   the ``city`` or ``region`` field is always read as the place, whatever the country field says,
   with lower confidence when the country disagrees: "Urumqi" as the city of a German supplier's
   branch is a branch in Urumqi with a wrong country code, more likely than a German Urumqi.
6. Only when no name placed it, a postal code of the region (83xxxx, 84xxxx) counts, if the country
   is CN, or is unknown and the address is written in Chinese or says China, and nothing in the
   address names a Chinese place outside the region.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from forced_labour_guard.model import Address
from forced_labour_guard.region.company_name import read_leading_division
from forced_labour_guard.region.data import Place, RegionData, bundled_region_data
from forced_labour_guard.region.erp import RegionCodes
from forced_labour_guard.region.locator import RegionHit
from forced_labour_guard.region.numbers import NumberPlans
from forced_labour_guard.region.place_index import Mention, NameIndex
from forced_labour_guard.region.uscc import UsccRules, decode_with, names_region_division

_SPECIFICITY = {
    "district": 4,
    "county": 4,
    "county_city": 4,
    "xpcc_city": 4,
    "prefecture": 3,
    "corps": 2,
    "region": 1,
}
_INVALID_CODE_CONFIDENCE = 0.5  # a region division in a code that fails its check: review only
_NAME_CONFIDENCE = 0.9  # a registered name leading with a division of the region
_NAME_REVIEW_CONFIDENCE = 0.6  # the same without a legal form, or contradicted: review only
_FIELD_ORDER = {"city": 3, "region": 2, "text": 1, "postal_code": 1, "street": 0}
_NAME_FIELDS = ("city", "region", "text")


def _name_values(address: Address) -> list[tuple[str, str | None]]:
    """The fields read for place names: city, region, text, and a postal-code field that holds
    no digit at all, which a clerk filled with the city ("Urumqi") instead of the code."""
    values: list[tuple[str, str | None]] = [(f, getattr(address, f)) for f in _NAME_FIELDS]
    code = address.postal_code
    if code and not any(c.isdigit() for c in code):
        values.append(("postal_code", code))
    return values


def _is_weak(mention: Mention) -> bool:
    """Weak unless the national table says the romanisation with its suffix is the region's alone
    (Shule County); shared ones (Xinhe County: 新和 here, 新河 in Hebei) need the province."""
    return mention.entry.weak if mention.weak is None else mention.weak


@lru_cache(maxsize=4)
def _index_for(data: RegionData) -> NameIndex:
    return NameIndex(data)


class GazetteerLocator:
    """Implements :class:`~forced_labour_guard.region.locator.RegionLocator`.

    ``region_codes`` maps a customer's SAP region keys (table T005S, country CN) to province codes,
    e.g. ``{"31": "XJ", "020": "SH"}``; Xinjiang is ``XJ`` (``65`` and ``Xinjiang`` also work).
    ``data`` replaces the bundled reference data (tests, or a reviewed newer gazetteer).
    """

    name = "gazetteer"

    def __init__(
        self, data: RegionData | None = None, *, region_codes: Mapping[str, str] | None = None
    ) -> None:
        data = data or bundled_region_data()
        self.data = data
        self._index = _index_for(data)
        self._codes = RegionCodes.from_data(data.codes, region_codes)
        self._numbers = NumberPlans.from_data(data.codes)
        self._uscc = UsccRules.from_data(data.codes)
        self._by_key = {place.key: place for place in data.places}
        self._by_code: dict[str, Place] = {}
        for place in data.places:
            for code in (place.code, *place.other_codes):
                if code:
                    self._by_code.setdefault(code, place)
        self._region = next(p for p in data.places if p.level == "region")
        self._by_postal: dict[str, Place] = {}
        for place in data.places:
            if place.postal_code:
                self._by_postal.setdefault(place.postal_code[:3], place)

    def clear_cache(self) -> None:
        """Forget memoised field values (benchmarks use it to time cold lookups)."""
        self._index.clear_cache()

    # -- descriptions ---------------------------------------------------------------------

    def describe_place(self, place: Place) -> str:
        """'Shache (Yarkant) County, Kashgar' style: the unit and the prefecture it lies in."""
        parent = self._by_key.get(place.parent or "")
        if place.level in ("county", "county_city", "district") and parent is not None:
            return f"{place.en}, {parent.en}"
        if place.level == "xpcc_city":
            return f"{place.en} (a city run by the XPCC)"
        return place.en

    def _place_for_division(self, division: str) -> Place:
        for code in (division, division[:4] + "00"):
            if code in self._by_code:
                return self._by_code[code]
        return (
            self._by_code.get("659000", self._region) if division.startswith("66") else self._region
        )

    def _related(self, one: Place, other: Place) -> bool:
        return one.key != other.key and (self._is_within(one, other) or self._is_within(other, one))

    def _is_within(self, inner: Place, outer: Place) -> bool:
        seen = 0
        current: Place | None = inner
        while current is not None and current.parent and seen < 6:
            if current.parent == outer.key:
                return True
            current = self._by_key.get(current.parent)
            seen += 1
        return False

    # -- addresses ------------------------------------------------------------------------

    def locate(self, address: Address) -> RegionHit | None:
        country = address.country
        abroad = country is not None and country != "CN"
        candidates: list[tuple[float, int, int, RegionHit]] = []
        other_china = False
        if address.region:
            kind = self._codes.classify(address.region, country)
            if kind == "xinjiang":
                hit = RegionHit(
                    signal="erp_region_code",
                    matched=address.region,
                    field="region",
                    place=self._region.en,
                    confidence=0.8 if abroad else 1.0,
                )
                candidates.append((hit.confidence, 1, 2, hit))
            elif kind == "other_china":
                other_china = True

        mentions: list[Mention] = []
        has_cjk = foreign_script = False
        for field, value in _name_values(address):
            if value:
                found, cjk, script = self._index.mentions(field, value)
                mentions.extend(found)
                has_cjk, foreign_script = has_cjk or cjk, foreign_script or script
        if address.street and not abroad:
            mentions.extend(self._whole_address_in_street(address.street, mentions, other_china))
        said_china = False
        foreign = foreign_script
        for mention in mentions:
            if mention.suppressed == "elsewhere":
                other_china = True  # the same romanisation names a division in another province
            if mention.suppressed is not None:
                continue
            entry = mention.entry
            other_china = other_china or entry.other_china
            foreign = foreign or entry.foreign
            said_china = said_china or entry.china

        # A region postal code in an address that names nowhere else tells a shared romanisation
        # which of its namesakes it is ("Xinhe County 842100": 新和, not Hebei's 新河).
        postal = not abroad and not other_china and self._postal_code(address) is not None
        for mention in self._placing_mentions(
            mentions, country, foreign, other_china, bool(candidates), postal
        ):
            place = mention.entry.place
            assert place is not None
            confidence = 1.0 if mention.field in ("city", "region") else 0.95
            if _is_weak(mention):
                confidence = min(confidence, 0.9)
            if mention.entry.namesake and country is None:
                confidence = min(confidence, 0.85)
            if abroad or other_china:
                confidence = min(confidence, 0.8)
            hit = RegionHit(
                signal="gazetteer_name",
                matched=mention.matched,
                field=mention.field,
                place=self.describe_place(place),
                confidence=confidence,
            )
            candidates.append(
                (confidence, _SPECIFICITY.get(place.level, 0), _FIELD_ORDER[mention.field], hit)
            )
        if candidates:
            return max(candidates, key=lambda item: item[:3])[3]
        chinese = country == "CN" or (country is None and (has_cjk or said_china) and not foreign)
        if chinese and not other_china:
            return self._postal_hit(address, country)
        return None

    def _whole_address_in_street(
        self, street: str, others: list[Mention], other_china: bool
    ) -> list[Mention]:
        """Mentions from a ``street`` field that holds a whole address (ERP imports do this).

        The street field names streets after places of the region everywhere in China, so it
        counts only when it spells out a unit of the region *and* a unit within it (新疆…乌鲁木齐市,
        乌鲁木齐市天山区, "Urumqi, Xinjiang"), neither of them a street or a product, and nothing
        in the street or the other fields names a place elsewhere ("Xinjiang Road" in a street
        field with city Qingdao stays a street)."""
        if other_china or any(m.suppressed is None and m.entry.other_china for m in others):
            return []
        found, _, _ = self._index.mentions("street", street)
        if any(
            m.suppressed == "elsewhere"
            or (m.suppressed is None and (m.entry.other_china or m.entry.foreign))
            for m in found
        ):
            return []
        places = [m for m in found if m.suppressed is None and m.entry.place is not None]
        for one in places:
            for other in places:
                assert one.entry.place is not None and other.entry.place is not None
                if self._is_within(other.entry.place, one.entry.place):
                    return places
        return []

    def _placing_mentions(
        self,
        mentions: list[Mention],
        country: str | None,
        foreign: bool,
        other_china: bool,
        coded: bool,
        postal: bool = False,
    ) -> list[Mention]:
        """The mentions of region places that survive rules 2-5 of the module docstring."""
        abroad = country is not None and country != "CN"
        places = [
            m
            for m in mentions
            if m.entry.place is not None
            and m.suppressed is None
            and not (m.entry.namesake and (abroad or (country is None and foreign)))
        ]
        strong = [m for m in places if not _is_weak(m)]
        kept = list(strong)
        for mention in places:
            if not _is_weak(mention):
                continue
            place = mention.entry.place
            assert place is not None
            if (
                strong
                or coded
                or postal
                or any(
                    other.entry.weak
                    and other.entry.place is not None
                    and self._related(place, other.entry.place)
                    for other in places
                )
            ):
                kept.append(mention)
        if not kept:
            return kept
        lone = len(kept) == 1 and kept[0].field == "text" and not kept[0].suffixed
        if lone and not coded and (other_china or foreign or abroad):
            return []
        return kept

    def _postal_code(self, address: Address) -> tuple[str, str] | None:
        """(field, code) of a region postal code in the address, if any."""
        if address.postal_code:
            code = self._numbers.postal_field(address.postal_code)
            if code is not None:
                return "postal_code", code
        if address.text:
            code = self._numbers.postal_in_text(address.text)
            if code is not None:
                return "text", code
        return None

    def _postal_hit(self, address: Address, country: str | None) -> RegionHit | None:
        found = self._postal_code(address)
        if found is None:
            return None
        field, code = found
        place = self._by_postal.get(code[:3], self._region)
        return RegionHit(
            signal="postal_code",
            matched=code,
            field=field,
            place=place.en,
            confidence=0.8 if country == "CN" else 0.7,
        )

    # -- identifiers ----------------------------------------------------------------------

    def locate_identifiers(
        self, *, registration_id: str | None, phone: str | None, country: str | None
    ) -> RegionHit | None:
        review: RegionHit | None = None
        if registration_id:
            info = decode_with(registration_id, self._uscc)
            if info.division_code and names_region_division(info, self._uscc):
                place = self.describe_place(self._place_for_division(info.division_code))
                if info.valid:
                    return RegionHit(
                        signal="registration_code",
                        matched=registration_id,
                        field="registration_id",
                        place=place,
                        confidence=0.9 if info.division_code.startswith("66") else 1.0,
                    )
                # A typo or a made-up code: it still names the division; a person must check.
                review = RegionHit(
                    signal="registration_code",
                    matched=registration_id,
                    field="registration_id",
                    place=f"{place} (division {info.division_code})",
                    confidence=_INVALID_CODE_CONFIDENCE,
                    strength="review",
                    problem=f"not a valid credit code: {info.reason}",
                )
        if phone:
            area = self._numbers.phone_area(phone, country)
            if area is not None:
                return RegionHit(
                    signal="phone",
                    matched=phone,
                    field="phone",
                    place=f"{area[1]} (area code {area[0]})",
                    confidence=0.85 if country == "CN" else 0.8,
                )
        return review

    # -- company names ---------------------------------------------------------------------

    def locate_name(
        self,
        name: str,
        *,
        country: str | None,
        registration_id: str | None = None,
        legal_name: bool = True,
    ) -> RegionHit | None:
        """A hit when ``name`` begins with a division of the region (its registration place).

        Decisive (A1) only for the registered legal name (``legal_name``) that reads as one
        (ending in a legal form or a branch word), with country CN or none, a spelling with no
        namesake abroad, no product or hospitality word after the division, and no valid credit
        code of another province. Otherwise a review sign, or nothing where the country places a
        Latin-script name abroad (a "Xinjiang Restaurant" in London is a restaurant)."""
        leading = read_leading_division(self._index, name)
        if leading is None or leading.japanese or leading.foreign_form:
            return None
        abroad = country is not None and country != "CN"
        latin = leading.matched.isascii()
        if abroad and (latin or leading.namesake):
            return None
        contradicted = False
        if registration_id:
            info = decode_with(registration_id, self._uscc)
            contradicted = info.valid and not info.is_xinjiang
        decisive = (
            legal_name
            and leading.legal_form
            and not leading.thing
            and not abroad
            and not contradicted
            and not (leading.namesake and country != "CN")
        )
        return RegionHit(
            signal="company_name",
            matched=leading.matched,
            field="name" if legal_name else "aliases",
            place=self.describe_place(leading.place),
            confidence=_NAME_CONFIDENCE if decisive else _NAME_REVIEW_CONFIDENCE,
            strength="decisive" if decisive else "review",
        )


@lru_cache(maxsize=1)
def default_locator() -> GazetteerLocator:
    """A ready locator over the bundled data, built once per process and shared (it is read-only)."""
    return GazetteerLocator()
