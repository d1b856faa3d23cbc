"""Detectors: pure functions from a record to Findings, one function per kind of link.

The supplier graph is walked once into a flat list of :class:`Node` (each company with the path to
it and how it is linked to the business relationship being screened); each detector then reads
those nodes. Walking is cycle-safe (a company met again on its own path is not re-entered) and
depth-limited: companies beyond the limit are reported as not screened, never silently passed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from forced_labour_guard.denied_entry import DeniedEntryRegister
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
from forced_labour_guard.sectors import SECTORS

Link = Literal["direct", "sub_supplier", "subsidiary", "parent", "operation", "producer"]
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


def _location_code(node: Node) -> tuple[FindingCode, list[str]]:
    if node.link in _GROUP_LINKS:
        return FindingCode.A2, ["B2"]
    if node.input_tier:
        return FindingCode.A4, ["B4"]
    return FindingCode.A1, ["B1"]


def detect_locations(
    nodes: Sequence[Node], locator: RegionLocator, supplier_id: str
) -> list[Finding]:
    findings = []
    for node in nodes:
        code, steps = _location_code(node)
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


def detect_evidence(nodes: Sequence[Node], supplier_id: str) -> list[Finding]:
    findings = []
    for node in nodes:
        for index, item in enumerate(node.supplier.evidence):
            when = f", {item.date.isoformat()}" if item.date else ""
            cited = f"{item.summary} ({item.source}{when})"
            if item.kind == "labour_transfer":
                code, steps = FindingCode.A3, ["B3"]
                detail = (
                    f"{node.describe()} is credibly reported to have taken part in state-sponsored "
                    f"labour transfer of Uyghur or other Turkic workers: {cited}."
                )
            elif item.kind == "sourcing":
                code, steps = FindingCode.A4, ["B4"]
                detail = f"{node.describe()} is reported to source inputs from the Uyghur Region: {cited}."
            else:
                continue  # "other" evidence is kept on the record for reviewers but decides nothing
            findings.append(
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


def detect_watchlist_matches(
    nodes: Sequence[Node],
    watchlists: Sequence[Watchlist],
    policy: Policy,
    supplier_id: str,
) -> list[Finding]:
    thresholds = policy.matching
    findings = []
    for node in nodes:
        for watchlist in watchlists:
            for match in watchlist.match(node.supplier, min_score=thresholds.review_threshold):
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


def detect_input_origins(
    po: PurchaseOrder, locator: RegionLocator, supplier_id: str
) -> list[Finding]:
    findings = []
    for line_index, line in enumerate(po.lines):
        for input_index, item in enumerate(line.inputs):
            if item.origin_address is None:
                continue
            hit = locator.locate(item.origin_address)
            if hit is None:
                continue
            subject = f"lines[{line_index}].inputs[{input_index}].origin_address"
            findings.append(
                Finding(
                    code=FindingCode.A4,
                    subject=subject,
                    detail=(
                        f"{_line_label(line_index, line)} uses {item.material} produced in the "
                        f"Uyghur Region ({hit.describe()})."
                    ),
                    evidence=[
                        EvidenceRef(
                            source=f"record field {subject} (located by the '{locator.name}' "
                            f"locator, signal {hit.signal}, confidence {hit.confidence:.2f})",
                            summary=hit.describe(),
                        )
                    ],
                    score=hit.confidence,
                    steps=["A"] if hit.strength == "review" else ["B4"],
                    supplier_id=supplier_id,
                )
            )
    return findings


def _traced(line: OrderLine) -> bool:
    return any(item.origin_country or item.origin_address for item in line.inputs)


def detect_high_risk_sectors(po: PurchaseOrder, supplier_id: str) -> list[Finding]:
    findings = []
    for index, line in enumerate(po.lines):
        digits = line.hs_digits
        sector = SECTORS.lookup(digits) if digits else None
        if sector is None or _traced(line):
            continue
        findings.append(
            Finding(
                code=FindingCode.HIGH_RISK_SECTOR,
                subject=f"lines[{index}]",
                detail=(
                    f"{_line_label(index, line)} has HS code {line.hs_code}, which falls in the UFLPA "
                    f"high-priority sector '{sector.sector}' ({sector.priority_year}), and none of "
                    "its inputs says where it was produced. Trace the inputs before buying. (CBP "
                    "publishes no HS codes per sector; this mapping is forced_labour_guard's own.)"
                ),
                evidence=[
                    EvidenceRef(
                        source=f"forced_labour_guard HS-to-sector table ({SECTORS.hs_version}), "
                        f"prefix {sector.prefix}",
                        summary=sector.why,
                    )
                ],
                steps=["A", "A4"],
                supplier_id=supplier_id,
            )
        )
    return findings


def detect_denied_entry(
    po: PurchaseOrder, register: DeniedEntryRegister | None, supplier_id: str
) -> list[Finding]:
    if register is None:
        return []
    findings = []
    for index, line in enumerate(po.lines):
        entry = register.find(line.sku)
        if entry is None:
            continue
        when = f" on {entry.denied_on.isoformat()}" if entry.denied_on else ""
        ref = f" (entry {entry.entry_number})" if entry.entry_number else ""
        findings.append(
            Finding(
                code=FindingCode.DENIED_ENTRY,
                subject=f"lines[{index}].sku",
                detail=(
                    f"{_line_label(index, line)}: goods with SKU {line.sku} were denied entry to "
                    f"the United States under the UFLPA{when}{ref}; they must not be sold or shipped "
                    "to any other market instead."
                ),
                evidence=[
                    EvidenceRef(source=entry.source, summary=entry.reason, date=entry.denied_on)
                ],
                steps=["C2"],
                supplier_id=supplier_id,
            )
        )
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
