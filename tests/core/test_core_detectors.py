"""Each finding code, from the record shape that should raise it, with the path to the cause."""

from __future__ import annotations

import datetime as dt
from typing import Any

from forced_labour_guard import FindingCode, Guard, PurchaseOrder, Supplier
from forced_labour_guard.denied_entry import DeniedEntryRegister, DeniedGoods
from forced_labour_guard.model import Action, ListVersion
from forced_labour_guard.policy import Policy

NOW = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)
URUMQI = {"city": "Urumqi", "country": "CN"}
SHANGHAI = {"city": "Shanghai", "country": "CN"}


def guard(**kwargs: Any) -> Guard:
    return Guard(clock=lambda: NOW, **kwargs)


def po(supplier: dict[str, Any], lines: list[dict[str, Any]] | None = None) -> PurchaseOrder:
    return PurchaseOrder.model_validate({"id": "PO-1", "supplier": supplier, "lines": lines or []})


def codes(decision: Any) -> list[tuple[str, str]]:
    return [(f.code.value, f.subject) for f in decision.findings]


def test_a1_supplier_address_in_region_blocks_with_b1() -> None:
    decision = guard().check_purchase_order(po({"id": "S1", "name": "A", "addresses": [URUMQI]}))
    assert codes(decision) == [("A1", "supplier.addresses[0]")]
    assert decision.action is Action.BLOCK
    assert decision.steps == ["B1"]
    assert "Urumqi" in decision.findings[0].detail
    assert decision.findings[0].supplier_id == "S1"


def test_a1_facility_in_region() -> None:
    supplier = {
        "name": "A",
        "addresses": [SHANGHAI],
        "facilities": [{"name": "Mill 2", "address": {"text": "新疆乌鲁木齐市"}}],
    }
    decision = guard().screen_supplier(Supplier.model_validate(supplier))
    assert codes(decision) == [("A1", "supplier.facilities[0]")]
    assert 'facility "Mill 2"' in decision.findings[0].detail


def test_a1_sub_supplier_two_tiers_down_keeps_the_path() -> None:
    tier3 = {"name": "Ginner", "addresses": [{"text": "Kashgar, Xinjiang"}]}
    tier2 = {
        "name": "Weaver",
        "addresses": [SHANGHAI],
        "relationships": [{"kind": "sub_supplier", "supplier": tier3}],
    }
    top = {"name": "Top", "relationships": [{"kind": "sub_supplier", "supplier": tier2}]}
    decision = guard().check_purchase_order(po(top))
    assert codes(decision) == [
        ("A1", "supplier.relationships[0].supplier.relationships[0].supplier.addresses[0]")
    ]
    assert "Sub-supplier Ginner (tier 3, supplying Weaver)" in decision.findings[0].detail


def test_a2_subsidiary_in_region_warns_during_the_exit_window() -> None:
    top = {
        "name": "Top",
        "addresses": [SHANGHAI],
        "relationships": [
            {"kind": "subsidiary", "supplier": {"name": "Sub", "addresses": [URUMQI]}}
        ],
    }
    decision = guard().check_purchase_order(po(top))
    assert codes(decision) == [("A2", "supplier.relationships[0].supplier.addresses[0]")]
    assert decision.findings[0].steps == ["B2"]
    assert decision.action is Action.WARN


def test_a2_operation_kind_counts_as_presence() -> None:
    top = {
        "name": "Top",
        "relationships": [
            {"kind": "operation", "supplier": {"name": "Plant", "addresses": [URUMQI]}}
        ],
    }
    assert codes(guard().check_purchase_order(po(top)))[0][0] == "A2"


def test_a3_labour_transfer_evidence_cites_source_and_date() -> None:
    supplier = {
        "name": "A",
        "evidence": [
            {
                "kind": "labour_transfer",
                "summary": "workers transferred",
                "source": "NGO report",
                "url": "https://example.org/r",
                "date": "2025-01-02",
            }
        ],
    }
    decision = guard().screen_supplier(Supplier.model_validate(supplier))
    (finding,) = decision.findings
    assert finding.code is FindingCode.A3
    assert finding.steps == ["B3"]
    assert finding.evidence[0].url == "https://example.org/r"
    assert finding.evidence[0].date == dt.date(2025, 1, 2)
    assert "NGO report, 2025-01-02" in finding.detail


def test_other_evidence_decides_nothing() -> None:
    supplier = {
        "name": "A",
        "evidence": [{"kind": "other", "summary": "audit note", "source": "x"}],
    }
    assert guard().screen_supplier(Supplier.model_validate(supplier)).findings == []


def test_a4_input_origin_address_in_region() -> None:
    lines = [
        {
            "line_id": "7",
            "inputs": [{"material": "cotton", "origin_address": {"region": "Xinjiang"}}],
        }
    ]
    decision = guard().check_purchase_order(po({"name": "A"}, lines))
    assert codes(decision) == [("A4", "lines[0].inputs[0].origin_address")]
    assert decision.action is Action.BLOCK  # the order's own goods: presumed forced-labour goods
    assert decision.steps == ["B4"]


def test_a4_input_producer_in_region() -> None:
    lines = [
        {"inputs": [{"material": "polysilicon", "producer": {"name": "P", "addresses": [URUMQI]}}]}
    ]
    decision = guard().check_purchase_order(po({"name": "A"}, lines))
    assert codes(decision) == [("A4", "lines[0].inputs[0].producer.addresses[0]")]


def test_high_risk_sector_without_traced_inputs() -> None:
    lines = [
        {"hs_code": "5208.12"},
        {"hs_code": "5208.12", "inputs": [{"material": "cotton", "origin_country": "US"}]},
        {"hs_code": "8471.30"},
    ]
    decision = guard().check_purchase_order(po({"name": "A"}, lines))
    assert codes(decision) == [("HIGH_RISK_SECTOR", "lines[0]")]
    assert "forced_labour_guard's own" in decision.findings[0].detail
    assert decision.action is Action.WARN


def test_denied_entry_blocks_with_c2_case_insensitively() -> None:
    register = DeniedEntryRegister(
        [DeniedGoods(sku="JKT-1", entry_number="E-1", denied_on=dt.date(2026, 5, 1))]
    )
    decision = guard(denied_entry=register).check_purchase_order(
        po({"name": "A"}, [{"sku": "jkt-1"}])
    )
    assert codes(decision) == [("DENIED_ENTRY", "lines[0].sku")]
    assert decision.steps == ["C2"]
    assert decision.action is Action.BLOCK


def test_denied_entry_matches_a_lot_number_too() -> None:
    register = DeniedEntryRegister([DeniedGoods(lot="LOT-9")])
    decision = guard(denied_entry=register).check_purchase_order(
        po({"name": "A"}, [{"sku": "LOT-9"}])
    )
    assert decision.action is Action.BLOCK


def test_cyclic_relationships_terminate_and_still_find_the_region() -> None:
    # A -> B -> A (by id): a cycle in the data; B is in the region.
    a_again = {
        "id": "A",
        "name": "A",
        "relationships": [{"kind": "sub_supplier", "supplier": {"id": "B", "name": "B"}}],
    }
    b = {
        "id": "B",
        "name": "B",
        "addresses": [URUMQI],
        "relationships": [{"kind": "parent", "supplier": a_again}],
    }
    top = {"id": "A", "name": "A", "relationships": [{"kind": "sub_supplier", "supplier": b}]}
    decision = guard().check_purchase_order(po(top))
    assert codes(decision) == [("A1", "supplier.relationships[0].supplier.addresses[0]")]


def test_object_cycle_built_in_python_terminates() -> None:
    supplier = Supplier(name="Loop", addresses=[])
    from forced_labour_guard.model import Relationship

    supplier.relationships.append(Relationship(kind="sub_supplier", supplier=supplier))
    decision = guard().screen_supplier(supplier)
    assert decision.action is Action.ALLOW


def deep_chain(tiers: int, located_at_bottom: bool = True) -> dict[str, Any]:
    node: dict[str, Any] = {"name": f"T{tiers}", "addresses": [URUMQI] if located_at_bottom else []}
    for tier in range(tiers - 1, 0, -1):
        node = {"name": f"T{tier}", "relationships": [{"kind": "sub_supplier", "supplier": node}]}
    return node


def test_deep_graph_within_the_limit_is_walked_to_the_bottom() -> None:
    decision = guard(policy=Policy(max_relationship_depth=10)).check_purchase_order(
        po(deep_chain(11))
    )
    assert [f.code for f in decision.findings] == [FindingCode.A1]


def test_deeper_than_the_limit_fails_closed_instead_of_ignoring() -> None:
    decision = guard(policy=Policy(max_relationship_depth=3)).check_purchase_order(
        po(deep_chain(8))
    )
    assert [f.code for f in decision.findings] == [FindingCode.SCREENING_UNAVAILABLE]
    assert decision.action is Action.BLOCK
    assert "more than 3 tiers deep" in decision.findings[0].detail


class ExplodingLocator:
    name = "exploding"

    def locate(self, address: Any) -> None:
        raise RuntimeError("gazetteer corrupted")

    def locate_identifiers(self, **kwargs: Any) -> None:
        raise RuntimeError("gazetteer corrupted")


def test_internal_error_fails_closed() -> None:
    decision = guard(locator=ExplodingLocator()).check_purchase_order(
        po({"name": "A", "addresses": [SHANGHAI]})
    )
    assert decision.action is Action.BLOCK
    assert [f.code for f in decision.findings] == [FindingCode.SCREENING_UNAVAILABLE]
    assert "gazetteer corrupted" in decision.findings[0].detail


def test_internal_error_can_be_relaxed_to_warn_but_never_allow() -> None:
    relaxed = Policy.model_validate({"rules": {"SCREENING_UNAVAILABLE": {"action": "warn"}}})
    decision = guard(locator=ExplodingLocator(), policy=relaxed).screen_supplier(Supplier(name="A"))
    assert decision.action is Action.WARN


def test_known_problems_become_screening_unavailable_on_every_decision() -> None:
    decision = guard(problems=["the list 'acme-blocklist' could not be read"]).screen_supplier(
        Supplier(name="A")
    )
    assert decision.action is Action.BLOCK
    assert "acme-blocklist" in decision.findings[0].detail


class FakeList:
    """A tiny in-memory watchlist: exact names only, with a fixed score per name."""

    def __init__(self, scores: dict[str, float]) -> None:
        self.scores = scores

    @property
    def version(self) -> ListVersion:
        return ListVersion(
            name="Test list",
            as_of=dt.date(2026, 8, 3),
            entries=len(self.scores),
            complete=False,
            note="partial: test",
        )

    def match(self, supplier: Supplier, *, min_score: float) -> list[Any]:
        from forced_labour_guard.lists.base import WatchlistMatch

        score = self.scores.get(supplier.name)
        if score is None or score < min_score:
            return []
        return [
            WatchlistMatch(
                list_name="Test list",
                entry_id="t-1",
                entry_name=supplier.name,
                matched_name=supplier.name,
                supplier_name=supplier.name,
                basis="name",
                score=score,
                explanation="Same name.",
                source="FR 2023-12481",
                date=dt.date(2023, 6, 12),
            )
        ]


def test_entity_list_match_blocks_and_possible_match_warns() -> None:
    watchlist = FakeList({"Listed Co": 1.0, "Maybe Co": 0.8, "Faint Co": 0.5})
    g = guard(watchlists=[watchlist])
    listed = g.screen_supplier(Supplier(name="Listed Co"))
    assert [f.code for f in listed.findings] == [FindingCode.ENTITY_LIST]
    assert listed.action is Action.BLOCK and listed.steps == ["B1"]
    maybe = g.screen_supplier(Supplier(name="Maybe Co"))
    assert [f.code for f in maybe.findings] == [FindingCode.POSSIBLE_MATCH]
    assert maybe.action is Action.WARN and maybe.findings[0].score == 0.8
    assert g.screen_supplier(Supplier(name="Faint Co")).action is Action.ALLOW


def test_listed_subsidiary_is_an_indirect_link_with_b2() -> None:
    g = guard(watchlists=[FakeList({"Listed Sub": 1.0})])
    top = Supplier.model_validate(
        {
            "name": "Top",
            "relationships": [{"kind": "subsidiary", "supplier": {"name": "Listed Sub"}}],
        }
    )
    decision = g.screen_supplier(top)
    assert decision.findings[0].steps == ["B2"]
    assert decision.action is Action.BLOCK


def test_partial_lists_are_named_in_every_decision() -> None:
    decision = guard(watchlists=[FakeList({})]).screen_supplier(Supplier(name="A"))
    assert decision.list_versions[0].as_of == dt.date(2026, 8, 3)
    assert any("incomplete" in w for w in decision.warnings)


def test_clean_supplier_is_allowed_with_a_reason() -> None:
    decision = guard().screen_supplier(
        Supplier(name="Porto Linen", addresses=[{"city": "Porto", "country": "PT"}])
    )
    assert decision.action is Action.ALLOW
    assert decision.findings == [] and decision.steps == []
    assert decision.reasons and "No link to the Uyghur Region" in decision.reasons[0]
    assert decision.screened_at == NOW


def test_screen_suppliers_reports_progress_and_keeps_order() -> None:
    seen: list[int] = []
    suppliers = [Supplier(name="A"), Supplier(name="B", addresses=[URUMQI]), Supplier(name="C")]
    decisions = list(guard().screen_suppliers(suppliers, progress=seen.append))
    assert [d.action for d in decisions] == [Action.ALLOW, Action.BLOCK, Action.ALLOW]
    assert seen == [1, 2, 3]


def test_a_suppliers_addresses_inherit_its_country_but_facilities_do_not() -> None:
    from forced_labour_guard.region import default_locator

    located = Guard(locator=default_locator(), clock=lambda: NOW)
    kazakh = Supplier.model_validate(
        {"name": "Aksu Agro LLP", "country": "KZ", "addresses": [{"city": "Aksu"}]}
    )
    assert located.screen_supplier(kazakh).action is Action.ALLOW
    with_plant = Supplier.model_validate(
        {
            "name": "Aksu Agro LLP",
            "country": "KZ",
            "addresses": [{"city": "Aksu"}],
            "facilities": [{"address": {"text": "Aksu, Xinjiang"}}],
        }
    )
    assert codes(located.screen_supplier(with_plant)) == [("A1", "supplier.facilities[0]")]


def test_a_company_repeated_by_id_is_walked_again_so_its_copy_cannot_hide_a_link() -> None:
    # A -> sub-supplier B -> parent A (a second copy of A that also lists a subsidiary in Hotan).
    a_again = {
        "id": "A",
        "name": "A",
        "relationships": [
            {
                "kind": "subsidiary",
                "supplier": {"name": "A Hotan", "addresses": [{"text": "Hotan, Xinjiang"}]},
            }
        ],
    }
    b = {"id": "B", "name": "B", "relationships": [{"kind": "parent", "supplier": a_again}]}
    top = {"id": "A", "name": "A", "relationships": [{"kind": "sub_supplier", "supplier": b}]}
    decision = guard().check_purchase_order(po(top))
    assert [f.code.value for f in decision.findings] == ["A2"]
    assert decision.findings[0].subject.endswith(".relationships[0].supplier.addresses[0]")


def test_a_group_member_found_through_a_parent_is_explained_as_the_group() -> None:
    parent = {
        "name": "Holding",
        "relationships": [
            {
                "kind": "subsidiary",
                "supplier": {"name": "Hotan Plant", "addresses": [{"text": "Hotan, Xinjiang"}]},
            }
        ],
    }
    top = {"name": "Top", "relationships": [{"kind": "parent", "supplier": parent}]}
    (finding,) = guard().check_purchase_order(po(top)).findings
    assert finding.code is FindingCode.A2
    assert finding.detail.startswith("Hotan Plant, a subsidiary of Holding is in the Uyghur Region")
    assert "so the group of Top has a presence" in finding.detail


def test_a_finding_the_policy_cannot_read_fails_closed_instead_of_raising() -> None:
    from forced_labour_guard.model import Finding

    def provider(supplier: Supplier, today: dt.date) -> list[Finding]:
        return [
            Finding(code=FindingCode.NO_B4_ACK, subject="supplier", detail="Overdue.", steps=["B9"])
        ]

    decision = guard(b4_status=provider).screen_supplier(Supplier(name="A"))
    assert decision.action is Action.BLOCK
    assert decision.findings[-1].code is FindingCode.SCREENING_UNAVAILABLE
    assert "internal error while deciding" in decision.findings[-1].detail


# --- Issue 9/10: denied-entry codes as clerks type them, and the order line's own lot ---------

DENIED = DeniedEntryRegister(
    [
        DeniedGoods(sku="JKT-1042-BLK", denied_on=dt.date(2026, 5, 1)),
        DeniedGoods(lot="LOT-2026-0417", entry_number="E-77"),
    ]
)


def test_denied_entry_sku_matches_whatever_the_case_spaces_and_dashes() -> None:
    for written in ("jkt 1042 blk", "JKT1042BLK", "JKT–1042—BLK", "ＪＫＴ－１０４２－ＢＬＫ"):
        decision = guard(denied_entry=DENIED).check_purchase_order(
            po({"name": "A"}, [{"sku": written}])
        )
        assert codes(decision) == [("DENIED_ENTRY", "lines[0].sku")], written
        assert decision.action is Action.BLOCK


def test_denied_entry_matches_the_order_lines_lot_field() -> None:
    decision = guard(denied_entry=DENIED).check_purchase_order(
        po({"name": "A"}, [{"sku": "JKT-2000", "lot": "lot 2026-0417"}])
    )
    assert codes(decision) == [("DENIED_ENTRY", "lines[0].lot")]
    assert "LOT LOT-2026-0417" in decision.findings[0].detail
    assert decision.steps == ["C2"]


def test_a_code_sharing_only_some_characters_with_denied_goods_is_not_denied() -> None:
    lines = [{"sku": "JKT-1042-BLU"}, {"lot": "LOT-2026-04170"}, {"sku": "-"}, {"lot": " "}]
    decision = guard(denied_entry=DENIED).check_purchase_order(po({"name": "A"}, lines))
    assert decision.findings == []
    assert decision.action is Action.ALLOW
