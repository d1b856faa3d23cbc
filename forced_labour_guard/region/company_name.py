"""Reading a Chinese company name's leading division: where the company was registered.

A Chinese enterprise name is built as *division + trade name + industry + legal form*
(新疆利华棉业股份有限公司, "Xinjiang Lihua Cotton Co., Ltd."), and the division is the one whose
authority registered it. So a legal name that *begins* with a division of the region places the
company's registration there, even when the address given is elsewhere; a branch or representative
office (分公司, 办事处, "… Branch", 新疆…驻北京办事处) is the same legal person. A division that does
not lead the name (北京新疆大厦, "Shanghai Kashgar Trading") says nothing of the kind: it is the name
of a hotel, a restaurant or a trade name in another city.

:func:`read_leading_division` only reads the name; :class:`~forced_labour_guard.region.gazetteer.
GazetteerLocator.locate_name` weighs what it read against the record (country, registration code).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from forced_labour_guard.region.data import Place
from forced_labour_guard.region.place_index import Mention, NameIndex

# Legal forms and unit words that end a registered name (Chinese) or stand in its English form.
_ZH_LEGAL = re.compile(r"(?:公司|集团|厂|合作社|办事处|代表处|经营部|商行|门市部|分社|农场|牧场)")
_ZH_OFFICE = re.compile(r"驻.{1,12}(?:办事处|代表处|联络处)")
_LATIN_LEGAL = frozenset(
    [
        "co",
        "ltd",
        "limited",
        "corp",
        "corporation",
        "company",
        "group",
        "inc",
        "llc",
        "plc",
        "branch",
        "factory",
        "mill",
        "mills",
        "plant",
        "enterprise",
        "enterprises",
        "office",
        "cooperative",
    ]
)
# Legal forms of other countries: a name with one is not a Chinese enterprise name, whatever
# place it begins with ("Lop Nur Hair Salon GmbH", "Kashgar Carpets B.V.").
_FOREIGN_LEGAL = frozenset(
    [
        "gmbh",
        "ag",
        "kg",
        "ug",
        "sarl",
        "sas",
        "srl",
        "spa",
        "bv",
        "nv",
        "oy",
        "pty",
        "plc",
        "llp",
        "kft",
        "ooo",
        "tov",
        "zao",
        "oao",
        "doo",
        "ltda",
        "bhd",
        "sdn",
        "tbk",
        "pvt",
        "aps",
        "asa",
        "sro",
        "sro",
        "ehf",
    ]
)
_LATIN_TOKEN = re.compile(r"[a-z]+")
_LEADING_NOISE = " \t\"'“”‘’«»「」『』()（）[]【】-–—.,:;"
_JAPANESE = re.compile(r"[\u3040-\u30ff]|株式会社|有限会社")


@dataclass(frozen=True, slots=True)
class LeadingDivision:
    """A division of the region that leads a company name, and how the name reads."""

    place: Place
    matched: str  # as written in the name
    legal_form: bool  # the name ends like a registered legal name (有限公司, Co., Ltd., Branch)
    thing: bool  # a product or hospitality word follows the division (新疆饭店, Hami Melon ...)
    foreign_form: bool  # a legal form of another country (GmbH, B.V., S.à r.l.)
    namesake: bool  # the spelling is also a place abroad (Aksu, 和田 in Japan)
    japanese: bool  # kana or a Japanese legal form: 和田 is then the surname Wada


def read_leading_division(index: NameIndex, name: str) -> LeadingDivision | None:
    """The region's division at the start of ``name``, or None.

    Only strong spellings lead: a weak one is shared with something else (和硕 is Pegatron's
    Chinese name, 天山 a mountain range, Yili a dairy group in Inner Mongolia). A street word
    after the division (Xinjiang Road Trading) makes it a street, not a registration place."""
    stripped = name.lstrip(_LEADING_NOISE)
    if not stripped:
        return None
    found, _, _ = index.mentions("name", stripped)
    leading = _leading(found, stripped)
    if leading is None or leading.entry.place is None or leading.entry.weak:
        return None
    if leading.suppressed == "street":
        return None
    source, folded = index.fold(stripped)
    office = _ZH_OFFICE.search(folded) is not None
    rest = folded[len(leading.matched) :]
    words = set(_LATIN_TOKEN.findall(rest.replace(".", "")))
    legal = (
        office
        or _ZH_LEGAL.search(rest) is not None
        or any(token in _LATIN_LEGAL for token in _LATIN_TOKEN.findall(rest))
    )
    thing = leading.suppressed == "thing" and not office
    return LeadingDivision(
        place=leading.entry.place,
        matched=leading.matched,
        legal_form=legal,
        thing=thing,
        foreign_form=bool(words & _FOREIGN_LEGAL),
        namesake=bool(leading.entry.namesake),
        japanese=_JAPANESE.search(source) is not None,
    )


def _leading(found: tuple[Mention, ...], name: str) -> Mention | None:
    for mention in found:
        if mention.matched and name.startswith(mention.matched):
            return mention
    return None
