"""Detectors: pure functions from a record to Findings, one function per kind of link.

The supplier graph is walked once into a flat list of :class:`Node` (each company with the path to
it and how it is linked to the business relationship being screened); each detector then reads
those nodes. Walking is cycle-safe (a company met again on its own path is not re-entered) and
depth-limited: companies beyond the limit are reported as not screened, never silently passed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, cast

from forced_labour_guard.denied_entry import DeniedEntryRegister
from forced_labour_guard.goods import place_in_goods, producer_names, trace_input
from forced_labour_guard.lists.base import Watchlist, WatchlistMatch
from forced_labour_guard.model import (
    EvidenceRef,
    Finding,
    FindingCode,
    OrderLine,
    PurchaseOrder,
    Supplier,
)
from forced_labour_guard.policy import Policy
from forced_labour_guard.region.locator import NameLocator, RegionHit, RegionLocator
from forced_labour_guard.reports import read_summary
from forced_labour_guard.sectors import SECTORS

Link = Literal["direct", "sub_supplier", "subsidiary", "parent", "operation", "producer", "named"]
"""How a company is tied to the screened relationship; ``named`` is a company named only in the
goods text of an order line (a material or a description), taken as that input's producer."""
_GROUP_LINKS: frozenset[Link] = frozenset({"subsidiary", "parent", "operation"})


@dataclass(frozen=True)
class Node:
    """A company met while walking a record, and how it is tied to the screened relationship."""

    supplier: Supplier
    path: str
    tier: int
    link: Link
    owner: str  # the supplier, sub-supplier or producer whose group this company belongs to
    parent: str  # the company whose relationship led here (the owner itself, or a group member)
    input_tier: bool  # reached through an order-line input's producer (A4 territory)

    def describe(self) -> str:
        """How the company reads in a sentence: 'Supplier Acme (S-1)', 'X, a subsidiary of Acme'."""
        label = self.supplier.label
        if self.link == "direct":
            return f"Supplier {label}"
        if self.link == "producer":
            return f"Input producer {label}"
        if self.link == "named":
            return f"The producer named in {self.path}"
        if self.link == "sub_supplier":
            return f"Sub-supplier {label} (tier {self.tier + 1}, supplying {self.parent})"
        return f"{label}, {'the parent' if self.link == 'parent' else 'a ' + self.link} of {self.parent}"

    def presence(self) -> str:
        """Whose presence in the region a group member's location shows."""
        return self.owner if self.parent == self.owner else f"the group of {self.owner}"


@dataclass(frozen=True)
class Walk:
    nodes: list[Node]
    not_screened: list[str]  # paths of relationships beyond the depth limit


def walk_supplier(
    root: Supplier,
    *,
    path: str = "supplier",
    max_depth: int,
    link: Link = "direct",
    input_tier: bool = False,
) -> Walk:
    """Every company reachable from ``root`` through relationships, depth-first, in record order.

    Records from JSON are trees, so walking them ends; only an object cycle built in Python could
    loop, and that is cut. The depth limit bounds the rest."""
    nodes: list[Node] = []
    not_screened: list[str] = []

    def visit(
        supplier: Supplier,
        here: str,
        tier: int,
        how: Link,
        owner: str,
        parent: str,
        on_path: frozenset[int],
    ) -> None:
        nodes.append(Node(supplier, here, tier, how, owner, parent, input_tier))
        on_path = on_path | {id(supplier)}
        for index, relation in enumerate(supplier.relationships):
            child = relation.supplier
            child_path = f"{here}.relationships[{index}].supplier"
            if id(child) in on_path:
                # A true cycle (the same object inside itself, built in code). A company repeated
                # by id in JSON is walked again: its copy may carry relationships the first lacks.
                continue
            if tier + 1 > max_depth:
                not_screened.append(child_path)
                continue
            child_link: Link = relation.kind
            owns_child = (
                how in ("direct", "sub_supplier", "producer") or child_link == "sub_supplier"
            )
            child_owner = supplier.label if owns_child else owner
            visit(child, child_path, tier + 1, child_link, child_owner, supplier.label, on_path)

    visit(root, path, 0, link, root.label, root.label, frozenset())
    return Walk(nodes, not_screened)


def walk_purchase_order(po: PurchaseOrder, *, max_depth: int) -> Walk:
    """The PO's supplier graph plus every input producer's graph, one tier down from the supplier."""
    walks = [walk_supplier(po.supplier, max_depth=max_depth)]
    for line_index, line in enumerate(po.lines):
        for input_index, item in enumerate(line.inputs):
            if item.producer is not None:
                walks.append(
                    walk_supplier(
                        item.producer,
                        path=f"lines[{line_index}].inputs[{input_index}].producer",
                        max_depth=max_depth,
                        link="producer",
                        input_tier=True,
                    )
                )
    return Walk(
        nodes=[node for w in walks for node in w.nodes],
        not_screened=[p for w in walks for p in w.not_screened],
    )


# --------------------------------------------------------------------------------------------
# Location: A1, A2 and the producer half of A4
# --------------------------------------------------------------------------------------------


def _place_hits(node: Node, locator: RegionLocator) -> Iterator[tuple[str, str, RegionHit]]:
    """(subject path, what it is, hit) for each of the company's places the locator puts in the region."""
    supplier = node.supplier
    hit = locator.locate_identifiers(
        registration_id=supplier.registration_id, phone=supplier.phone, country=supplier.country
    )
    if hit is not None:
        yield f"{node.path}.{hit.field}", f"its {hit.field.replace('_', ' ')}", hit
    decisive = hit is not None and hit.strength == "decisive"
    for index, address in enumerate(supplier.addresses):
        # A company's own addresses are in its country unless they say otherwise, so a Kazakh
        # supplier in Aksu is not read as Aksu, Xinjiang. Facilities do not inherit it: a foreign
        # company's plant may well be in the region.
        if address.country is None and supplier.country is not None:
            address = address.model_copy(update={"country": supplier.country})
        hit = locator.locate(address)
        if hit is not None:
            decisive = decisive or hit.strength == "decisive"
            yield f"{node.path}.addresses[{index}]", "its address", hit
    for index, facility in enumerate(supplier.facilities):
        hit = locator.locate(facility.address)
        if hit is None and facility.name and isinstance(locator, NameLocator):
            # A mill named after a city of the region, its address silent: review, never more.
            hit = locator.locate_name(
                facility.name, country=facility.address.country, legal_name=False
            )
        if hit is not None:
            decisive = decisive or hit.strength == "decisive"
            name = f' "{facility.name}"' if facility.name else ""
            yield f"{node.path}.facilities[{index}]", f"its facility{name}", hit
    if not decisive:  # the name matters where nothing else already places the company
        yield from _name_hits(node, locator)


def _name_hits(node: Node, locator: RegionLocator) -> Iterator[tuple[str, str, RegionHit]]:
    """A Chinese company name leading with a division of the region: its registration place.
    Aliases (trade names) are read only when the legal name says nothing, as review signs."""
    if not isinstance(locator, NameLocator):
        return
    supplier = node.supplier
    hit = locator.locate_name(
        supplier.name, country=supplier.country, registration_id=supplier.registration_id
    )
    if hit is not None:
        yield f"{node.path}.name", "its registered name", hit
        return
    for index, alias in enumerate(supplier.aliases):
        hit = locator.locate_name(
            alias,
            country=supplier.country,
            registration_id=supplier.registration_id,
            legal_name=False,
        )
        if hit is not None:
            yield f"{node.path}.aliases[{index}]", "a name it is known by", hit
            return


def location_code(link: Link, input_tier: bool) -> tuple[FindingCode, list[str]]:
    """The paragraph and steps a company in the region implies, by how it was reached: a group
    member (subsidiary, parent, operation) is A2, an input's producer A4, the supplier or a
    sub-supplier A1. Graph screening on Spark uses the same rule for its exposure paths."""
    if link in _GROUP_LINKS:
        return FindingCode.A2, ["B2"]
    if input_tier:
        return FindingCode.A4, ["B4"]
    return FindingCode.A1, ["B1"]


def detect_locations(
    nodes: Sequence[Node], locator: RegionLocator, supplier_id: str
) -> list[Finding]:
    findings = []
    for node in nodes:
        code, steps = location_code(node.link, node.input_tier)
        for subject, what, hit in _place_hits(node, locator):
            if hit.strength == "review":
                findings.append(
                    _review_location(code, node, subject, what, hit, locator.name, supplier_id)
                )
                continue
            if code is FindingCode.A2:
                detail = (
                    f"{node.describe()} is in the Uyghur Region ({what}: {hit.describe()}), so "
                    f"{node.presence()} has a presence in the region whatever it makes for us."
                )
            elif code is FindingCode.A4:
                detail = (
                    f"{node.describe()} is in the Uyghur Region ({what}: {hit.describe()}), so "
                    "the goods contain inputs produced there."
                )
            else:
                detail = (
                    f"{node.describe()} is located in the Uyghur Region ({what}: {hit.describe()})."
                )
            findings.append(
                Finding(
                    code=code,
                    subject=subject,
                    detail=detail,
                    evidence=[
                        EvidenceRef(
                            source=f"record field {subject} (located by the '{locator.name}' locator, "
                            f"signal {hit.signal}, confidence {hit.confidence:.2f})",
                            summary=hit.describe(),
                        )
                    ],
                    score=hit.confidence,
                    steps=steps,
                    supplier_id=supplier_id,
                )
            )
    return findings


def _review_location(
    code: FindingCode,
    node: Node,
    subject: str,
    what: str,
    hit: RegionHit,
    locator: str,
    supplier_id: str,
) -> Finding:
    """A location sign too weak to act on (a mill named after a city of the region, a credit code
    of the region with a wrong check character): the policy warns and asks for step A."""
    return Finding(
        code=code,
        subject=subject,
        detail=(
            f"{node.describe()} may be in the Uyghur Region ({what}: {hit.describe()}); map the "
            "company and verify where it is before buying."
        ),
        evidence=[
            EvidenceRef(
                source=f"record field {subject} (located by the '{locator}' locator, signal "
                f"{hit.signal}, confidence {hit.confidence:.2f}, review only)",
                summary=hit.describe(),
            )
        ],
        score=hit.confidence,
        steps=["A"],
        supplier_id=supplier_id,
    )


# --------------------------------------------------------------------------------------------
# Third-party evidence: A3 (labour transfer) and sourcing reports (A4)
# --------------------------------------------------------------------------------------------


def detect_evidence(
    nodes: Sequence[Node], supplier_id: str, locator: RegionLocator
) -> list[Finding]:
    """A3 and A4 from third-party evidence: by the kind a record was filed under, and by what its
    summary says (``forced_labour_guard.reports``), so a report of labour transfer filed as
    ``other`` still counts. One finding per code per record."""
    findings: list[Finding] = []
    for node in nodes:
        for index, item in enumerate(node.supplier.evidence):
            when = f", {item.date.isoformat()}" if item.date else ""
            cited = f"{item.summary} ({item.source}{when})"
            reading = read_summary(item.summary, locator)
            found: list[tuple[FindingCode, list[str], str]] = []
            if item.kind == "labour_transfer" or reading.labour_transfer:
                why = (
                    ""
                    if item.kind == "labour_transfer"
                    else f" (filed as '{item.kind}', but its summary speaks of "
                    f"'{reading.labour_transfer}')"
                )
                found.append(
                    (
                        FindingCode.A3,
                        ["B3"],
                        f"{node.describe()} is credibly reported to have taken part in "
                        f"state-sponsored labour transfer of Uyghur or other Turkic workers{why}: "
                        f"{cited}.",
                    )
                )
            if item.kind == "sourcing" or reading.sourcing:
                why = (
                    ""
                    if item.kind == "sourcing"
                    else f" (filed as '{item.kind}', but its summary says '{reading.sourcing}' "
                    f"with {reading.place})"
                )
                found.append(
                    (
                        FindingCode.A4,
                        ["B4"],
                        f"{node.describe()} is reported to source inputs from the Uyghur Region"
                        f"{why}: {cited}.",
                    )
                )
            findings.extend(
                Finding(
                    code=code,
                    subject=f"{node.path}.evidence[{index}]",
                    detail=detail,
                    evidence=[
                        EvidenceRef(
                            source=item.source, summary=item.summary, url=item.url, date=item.date
                        )
                    ],
                    steps=steps,
                    supplier_id=supplier_id,
                )
                for code, steps, detail in found
            )
    return findings


# --------------------------------------------------------------------------------------------
# Watchlists: ENTITY_LIST and POSSIBLE_MATCH
# --------------------------------------------------------------------------------------------


def _list_steps(node: Node) -> list[str]:
    if node.link in _GROUP_LINKS:
        return ["B2"]
    if node.input_tier:
        return ["B4"]
    return ["B1"]


def _match_evidence(match: WatchlistMatch) -> EvidenceRef:
    return EvidenceRef(
        source=f"{match.list_name}: {match.source}",
        summary=f"listed as '{match.entry_name}' (entry {match.entry_id})"
        + (f"; {match.reason}" if match.reason else ""),
        url=match.url,
        date=match.date,
    )


Matcher = Callable[[Watchlist, Supplier, float], Sequence[WatchlistMatch]]


def match_directly(
    watchlist: Watchlist, supplier: Supplier, min_score: float
) -> list[WatchlistMatch]:
    return watchlist.match(supplier, min_score=min_score)


@lru_cache(maxsize=4096)
def _match_names(
    watchlist: Hashable, names: tuple[str, ...], min_score: float
) -> tuple[WatchlistMatch, ...]:
    listed = cast(Watchlist, watchlist)
    return tuple(listed.match(_named_company(names), min_score=min_score))


def match_goods_text(
    watchlist: Watchlist, supplier: Supplier, min_score: float
) -> tuple[WatchlistMatch, ...]:
    """Matches for a company named in goods text, remembered per watchlist object: a material
    master repeats the same few thousand strings on every order, and a reloaded list is a new
    object, so it is never answered from an older list's matches. A watchlist that cannot be
    hashed (a user's own class) is asked every time."""
    if not isinstance(watchlist, Hashable):
        return tuple(watchlist.match(supplier, min_score=min_score))
    return _match_names(watchlist, (supplier.name, *supplier.aliases), min_score)


def detect_watchlist_matches(
    nodes: Sequence[Node],
    watchlists: Sequence[Watchlist],
    policy: Policy,
    supplier_id: str,
    *,
    matcher: Matcher = match_directly,
) -> list[Finding]:
    thresholds = policy.matching
    findings = []
    for node in nodes:
        for watchlist in watchlists:
            for match in matcher(watchlist, node.supplier, thresholds.review_threshold):
                listed = f"'{match.entry_name}' on the {match.list_name}"
                if match.date:
                    listed += f" (listed {match.date.isoformat()})"
                if match.score >= thresholds.block_threshold:
                    code, steps = FindingCode.ENTITY_LIST, _list_steps(node)
                    detail = f"{node.describe()} is {listed}. {match.explanation}"
                else:
                    code, steps = FindingCode.POSSIBLE_MATCH, ["A"]
                    detail = (
                        f"{node.describe()} may be {listed} (match score {match.score:.2f}, below "
                        f"the {thresholds.block_threshold:.2f} needed to block). "
                        f"{match.explanation} A reviewer must confirm or rule out the match."
                    )
                findings.append(
                    Finding(
                        code=code,
                        subject=node.path,
                        detail=detail,
                        evidence=[_match_evidence(match)],
                        score=match.score,
                        steps=steps,
                        supplier_id=supplier_id,
                    )
                )
    return findings


# --------------------------------------------------------------------------------------------
# Order lines: input origins (A4), high-priority sectors, goods denied US entry (C2)
# --------------------------------------------------------------------------------------------


def _line_label(index: int, line: OrderLine) -> str:
    name = line.line_id or str(index + 1)
    what = line.description or line.sku
    return f"Line {name}" + (f" ({what})" if what else "")


def _a4_on_goods(
    subject: str,
    detail: str,
    hit: RegionHit,
    summary: str,
    locator: RegionLocator,
    supplier_id: str,
) -> Finding:
    return Finding(
        code=FindingCode.A4,
        subject=subject,
        detail=detail,
        evidence=[
            EvidenceRef(
                source=f"record field {subject} (located by the '{locator.name}' locator, "
                f"signal {hit.signal}, confidence {hit.confidence:.2f})",
                summary=summary,
            )
        ],
        score=hit.confidence,
        steps=["A"] if hit.strength == "review" else ["B4"],
        supplier_id=supplier_id,
    )


def detect_input_origins(
    po: PurchaseOrder, locator: RegionLocator, supplier_id: str
) -> list[Finding]:
    """A4 for each input the record places in the region: by its origin address, its material
    ("100% Xinjiang cotton") or its line's description (``forced_labour_guard.goods``)."""
    findings = []
    for line_index, line in enumerate(po.lines):
        label = _line_label(line_index, line)
        described = place_in_goods(line.description, locator)
        if described is not None and not described.negated:
            findings.append(
                _a4_on_goods(
                    f"lines[{line_index}].description",
                    f"{label} is described as goods from the Uyghur Region "
                    f"({described.describe()}).",
                    described.hit,
                    described.describe(),
                    locator,
                    supplier_id,
                )
            )
        for input_index, item in enumerate(line.inputs):
            where = f"lines[{line_index}].inputs[{input_index}]"
            named = place_in_goods(item.material, locator)
            if named is not None and not named.negated:
                findings.append(
                    _a4_on_goods(
                        f"{where}.material",
                        f"{label} uses {item.material}, which its material names as produced in "
                        f"the Uyghur Region ({named.describe()}).",
                        named.hit,
                        named.describe(),
                        locator,
                        supplier_id,
                    )
                )
            hit = locator.locate(item.origin_address) if item.origin_address else None
            if hit is not None:
                findings.append(
                    _a4_on_goods(
                        f"{where}.origin_address",
                        f"{label} uses {item.material} produced in the Uyghur Region "
                        f"({hit.describe()}).",
                        hit,
                        hit.describe(),
                        locator,
                        supplier_id,
                    )
                )
    return findings


def goods_claim_warnings(po: PurchaseOrder, locator: RegionLocator) -> list[str]:
    """Caveats for goods text that denies the region ("not from Xinjiang"): read as a claim."""
    warnings = []
    for line_index, line in enumerate(po.lines):
        texts = [(f"lines[{line_index}].description", line.description)]
        texts += [
            (f"lines[{line_index}].inputs[{i}].material", item.material)
            for i, item in enumerate(line.inputs)
        ]
        for path, text in texts:
            place = place_in_goods(text, locator)
            if place is not None and place.negated:
                warnings.append(
                    f'{path} "{text}" says the goods are not from {place.hit.place}: that is the '
                    "supplier's claim, not a trace of the origin, so it neither blocks nor "
                    "clears the line; ask for the origin of each input."
                )
    return warnings


_sector_of = lru_cache(maxsize=4096)(SECTORS.classify)
"""The sector of an HS code, remembered: an ERP's catalogue repeats a few thousand codes."""


def detect_high_risk_sectors(
    po: PurchaseOrder, locator: RegionLocator, supplier_id: str
) -> list[Finding]:
    """HIGH_RISK_SECTOR for a line in a UFLPA high-priority sector unless EVERY input's origin
    places it outside the region (``goods.trace_input``): one traced minor input does not
    clear an untraced main one. Inputs placed in the region are A4 already, not repeated here."""
    findings = []
    for index, line in enumerate(po.lines):
        digits = line.hs_digits
        sector = _sector_of(digits) if digits else None
        if sector is None:
            continue
        traces = [trace_input(item, locator) for item in line.inputs]
        untraced = [
            f"input {number} ({item.material}): {trace.why}"
            for number, (item, trace) in enumerate(zip(line.inputs, traces, strict=True), start=1)
            if trace.status == "untraced"
        ]
        if line.inputs and not untraced:
            continue  # every input traced outside the region, or placed in it (A4 already)
        gap = (
            "it lists no inputs, so nothing says where they were produced"
            if not line.inputs
            else "not every input is traced outside the region (" + "; ".join(untraced) + ")"
        )
        entry = sector.entry
        findings.append(
            Finding(
                code=FindingCode.HIGH_RISK_SECTOR,
                subject=f"lines[{index}]",
                detail=(
                    f"{_line_label(index, line)} has HS code {line.hs_code}, which falls in the UFLPA "
                    f"high-priority sector '{entry.sector}' ({entry.priority_year}), and {gap}. "
                    "Trace every input before buying. (CBP publishes no HS codes per sector; this "
                    f"mapping is forced_labour_guard's own.){sector.explain(SECTORS.editions)}"
                ),
                evidence=[
                    EvidenceRef(
                        source=f"forced_labour_guard HS-to-sector table ({SECTORS.hs_version}), "
                        f"prefix {entry.prefix}",
                        summary=entry.why,
                    ),
                    *(
                        [EvidenceRef(source=SECTORS.editions.source, summary=sector.via.why)]
                        if sector.via
                        else []
                    ),
                ],
                steps=["A", "A4"],
                supplier_id=supplier_id,
            )
        )
    return findings


@lru_cache(maxsize=8192)
def _named_company(names: tuple[str, ...]) -> Supplier:
    return Supplier(name=names[0], aliases=list(names[1:]))


def goods_text_nodes(po: PurchaseOrder, supplier_id: str) -> list[Node]:
    """Companies named in a line's description or an input's material, as input-tier nodes for the
    watchlist detector: a listed producer named there is a watchlist hit on that input (B4)."""
    nodes: list[Node] = []
    for line_index, line in enumerate(po.lines):
        texts = [(f"lines[{line_index}].description", line.description)]
        texts += [
            (f"lines[{line_index}].inputs[{i}].material", item.material)
            for i, item in enumerate(line.inputs)
        ]
        for path, text in texts:
            names = producer_names(text)
            if names:  # one company per field: the watchlist keeps the best match per entry
                nodes.append(
                    Node(
                        supplier=_named_company(names),
                        path=path,
                        tier=0,
                        link="named",
                        owner=supplier_id,
                        parent=supplier_id,
                        input_tier=True,
                    )
                )
    return nodes


def detect_denied_entry(
    po: PurchaseOrder, register: DeniedEntryRegister | None, supplier_id: str
) -> list[Finding]:
    if register is None:
        return []
    findings = []
    for index, line in enumerate(po.lines):
        for field in ("sku", "lot"):
            code = getattr(line, field)
            entry = register.find(code)
            if entry is None:
                continue
            when = f" on {entry.denied_on.isoformat()}" if entry.denied_on else ""
            ref = f" (entry {entry.entry_number})" if entry.entry_number else ""
            listed = ", ".join(
                f"{name.upper()} {value}"
                for name, value in (("sku", entry.sku), ("lot", entry.lot))
                if value
            )
            findings.append(
                Finding(
                    code=FindingCode.DENIED_ENTRY,
                    subject=f"lines[{index}].{field}",
                    detail=(
                        f"{_line_label(index, line)}: goods with {field.upper()} {code} (register "
                        f"entry: {listed}) were denied entry to the United States under the UFLPA{when}"
                        f"{ref}; they must not be sold or shipped to any other market instead."
                    ),
                    evidence=[
                        EvidenceRef(source=entry.source, summary=entry.reason, date=entry.denied_on)
                    ],
                    steps=["C2"],
                    supplier_id=supplier_id,
                )
            )
            break  # one finding per line: its SKU, else its lot
    return findings


def detect_not_screened(paths: Sequence[str], max_depth: int, supplier_id: str) -> list[Finding]:
    return [
        Finding(
            code=FindingCode.SCREENING_UNAVAILABLE,
            subject=path,
            detail=(
                f"The relationship at {path} is more than {max_depth} tiers deep and was not "
                "screened; raise max_relationship_depth in the policy or shorten the record."
            ),
            supplier_id=supplier_id,
        )
        for path in paths
    ]


def today_of(moment: dt.datetime) -> dt.date:
    """The calendar day a screening happened on, in UTC, which the exit windows count from."""
    return moment.astimezone(dt.UTC).date()
