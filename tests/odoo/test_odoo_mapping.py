"""The one mapping from Odoo record dictionaries to the canonical model, over the recorded vendors
and orders and over the edge cases a real database holds."""

from __future__ import annotations

from typing import Any

import pytest
from recorded_odoo import response_of

from forced_labour_guard import Guard
from forced_labour_guard.adapters.odoo.fields import (
    LINE_FIELDS,
    PARTNER_FIELDS,
    FieldPlan,
    OdooSchemaError,
)
from forced_labour_guard.adapters.odoo.mapping import (
    Lookups,
    MappingError,
    purchase_order_from_records,
    registration_id,
    supplier_from_partners,
)
from forced_labour_guard.model import Action, FindingCode

XINJIANG, SHANGHAI, HAMBURG = 887, 876, 1364
CHINA, GERMANY = 48, 57
LOOKUPS = Lookups(
    state_xml_ids={
        XINJIANG: "base.state_cn_XJ",
        SHANGHAI: "base.state_cn_SH",
        HAMBURG: "base.state_de_hh",
    },
    country_codes={CHINA: "CN", GERMANY: "DE"},
)


@pytest.fixture(scope="module")
def guard() -> Guard:
    return Guard.default()


def _partners() -> dict[int, dict[str, Any]]:
    rows = {row["id"]: row for row in response_of("21_")}
    rows.update({row["id"]: row for row in response_of("22_")})
    return rows


def _line_plan() -> FieldPlan:
    return FieldPlan.build("purchase.order.line", LINE_FIELDS, response_of("43_"))


def _lines(order_id: int) -> list[dict[str, Any]]:
    plan = _line_plan()
    return [plan.logical(row) for row in response_of("27_") if row["order_id"][0] == order_id]


def _products() -> dict[int, dict[str, Any]]:
    return {row["id"]: row for row in response_of("28_")}


def _order(order_id: int) -> dict[str, Any]:
    (order,) = [row for row in response_of("26_") if row["id"] == order_id]
    return order


def _codes(decision: Any) -> set[str]:
    return {finding.code.value for finding in decision.findings if finding.released_by is None}


# -- the recorded vendors ------------------------------------------------------------------------


def test_urumqi_vendor_with_chinese_name_and_its_shanghai_contact(guard: Guard) -> None:
    partners = _partners()
    supplier = supplier_from_partners(partners[34], [partners[35]], LOOKUPS)
    assert supplier.id == "res.partner,34"
    assert supplier.name == "乌鲁木齐恒远棉纱贸易有限公司"
    assert supplier.country == "CN"
    assert supplier.registration_id == "91650100MA77U3K48M"
    assert [a.region for a in supplier.addresses] == ["base.state_cn_XJ", "base.state_cn_SH"]
    assert supplier.addresses[0].street == "新市区北京南路 358 号 恒远大厦 12 层"
    assert supplier.addresses[0].postal_code == "830011"
    decision = guard.screen_supplier(supplier)
    assert decision.action is Action.BLOCK
    assert FindingCode.A1.value in _codes(decision)


def test_shanghai_vendor_is_not_placed_in_the_region(guard: Guard) -> None:
    supplier = supplier_from_partners(_partners()[36], [], LOOKUPS)
    assert supplier.addresses[0].region == "base.state_cn_SH"
    decision = guard.screen_supplier(supplier)
    assert FindingCode.A1.value not in _codes(decision)
    assert decision.action is not Action.BLOCK


def test_german_vendor_keeps_its_vat_and_is_allowed(guard: Guard) -> None:
    supplier = supplier_from_partners(_partners()[37], [], LOOKUPS)
    assert (supplier.country, supplier.registration_id) == ("DE", "DE814567230")
    assert guard.screen_supplier(supplier).action is Action.ALLOW


# -- edge cases ------------------------------------------------------------------------------------


def test_a_vendor_without_state_is_still_found_by_its_city(guard: Guard) -> None:
    urumqi = dict(_partners()[34], state_id=False, vat=False, company_registry=False)
    supplier = supplier_from_partners(urumqi, [], LOOKUPS)
    assert supplier.addresses[0].region is None
    assert guard.screen_supplier(supplier).action is Action.BLOCK


def test_a_state_without_xml_id_falls_back_to_its_name_without_the_country_suffix() -> None:
    supplier = supplier_from_partners(_partners()[34], [], Lookups(country_codes={CHINA: "CN"}))
    assert supplier.addresses[0].region == "新疆维吾尔自治区"


def test_an_archived_vendor_is_still_screened(guard: Guard) -> None:
    archived = dict(_partners()[34], active=False)
    assert (
        guard.screen_supplier(supplier_from_partners(archived, [], LOOKUPS)).action is Action.BLOCK
    )


def test_a_child_address_in_the_region_blocks_a_company_based_elsewhere(guard: Guard) -> None:
    partners = _partners()
    depot = dict(
        partners[35],
        id=90,
        type="delivery",
        street="米东区 工业园 8 号",
        street2=False,
        city="乌鲁木齐市",
        zip="831400",
        state_id=[XINJIANG, "新疆维吾尔自治区 (CN)"],
        parent_id=[37, "Müller Verpackungen GmbH"],
    )
    supplier = supplier_from_partners(partners[37], [depot], LOOKUPS)
    assert len(supplier.addresses) == 2
    decision = guard.screen_supplier(supplier)
    assert decision.action is Action.BLOCK
    assert any(f.subject == "supplier.addresses[1]" for f in decision.findings)


def test_a_contact_copying_the_company_address_adds_no_second_address() -> None:
    partners = _partners()
    person = {**partners[37], "id": 91, "name": "Jana Roth", "type": "contact"}
    supplier = supplier_from_partners(partners[37], [person], LOOKUPS)
    assert len(supplier.addresses) == 1


def test_a_valid_uscc_in_the_register_field_wins_over_another_vat() -> None:
    record = {"vat": "CN-EXPORT-77", "company_registry": "91650100MA77U3K48M"}
    assert registration_id(record) == "91650100MA77U3K48M"
    assert registration_id({"vat": False, "company_registry": "HRB 1"}) == "HRB 1"
    assert registration_id({"vat": False, "company_registry": False}) is None


def test_a_vendor_without_a_name_is_a_mapping_error_naming_the_record() -> None:
    with pytest.raises(MappingError, match=r"res.partner,37: name"):
        supplier_from_partners(dict(_partners()[37], name=False), [], LOOKUPS)


def test_an_unknown_country_code_is_dropped_not_guessed() -> None:
    supplier = supplier_from_partners(_partners()[37], [], Lookups(country_codes={GERMANY: "XX"}))
    assert supplier.country is None


# -- field drift ------------------------------------------------------------------------------------


def test_the_19_line_fields_are_chosen_from_fields_get() -> None:
    plan = _line_plan()
    assert plan.chosen["uom"] == "product_uom_id"
    assert plan.chosen["quantity"] == "product_qty"
    assert not plan.has("input_origin_state_id"), "the addon is not installed there"


def test_pre_19_names_are_chosen_on_an_older_server() -> None:
    fields = dict(response_of("43_"))
    fields["product_uom"] = fields.pop("product_uom_id")
    assert (
        FieldPlan.build("purchase.order.line", LINE_FIELDS, fields).chosen["uom"] == "product_uom"
    )


def test_a_missing_required_field_is_named_in_the_error() -> None:
    fields = dict(response_of("20_"))
    del fields["country_id"]
    with pytest.raises(OdooSchemaError, match=r"res\.partner has no field 'country_id'") as raised:
        FieldPlan.build("res.partner", PARTNER_FIELDS, fields)
    assert raised.value.path == "res.partner.country_id"


# -- orders ----------------------------------------------------------------------------------------


def test_urumqi_order_maps_product_lines_and_skips_the_note_line(guard: Guard) -> None:
    partners = _partners()
    supplier = supplier_from_partners(partners[34], [partners[35]], LOOKUPS)
    po = purchase_order_from_records(_order(22), _lines(22), supplier, products=_products())
    assert po.id == "P00022"
    assert [(line.line_id, line.sku, str(line.quantity)) for line in po.lines] == [
        ("32", "YRN-CC40", "2000.0"),
        ("33", None, "120.0"),
    ]
    assert {line.currency for line in po.lines} == {"USD"}
    assert guard.check_purchase_order(po).action is Action.BLOCK


def test_german_order_is_allowed(guard: Guard) -> None:
    supplier = supplier_from_partners(_partners()[37], [], LOOKUPS)
    po = purchase_order_from_records(_order(24), _lines(24), supplier, products=_products())
    assert len(po.lines) == 1
    assert guard.check_purchase_order(po).action is Action.ALLOW


def _with_origin(line: dict[str, Any], **values: Any) -> dict[str, Any]:
    blank = {
        "input_material": False,
        "input_origin_country_id": False,
        "input_origin_state_id": False,
        "input_origin_city": False,
        "input_producer_id": False,
    }
    return {**line, **blank, **values}


def test_a_line_input_from_xinjiang_entered_in_the_addon_is_found(guard: Guard) -> None:
    supplier = supplier_from_partners(_partners()[37], [], LOOKUPS)
    (line,) = _lines(24)
    line = _with_origin(
        line,
        input_material="kraft paper",
        input_origin_country_id=[CHINA, "China"],
        input_origin_state_id=[XINJIANG, "新疆维吾尔自治区 (CN)"],
    )
    po = purchase_order_from_records(_order(24), [line], supplier, lookups=LOOKUPS)
    assert po.lines[0].inputs[0].origin_address is not None
    decision = guard.check_purchase_order(po)
    assert FindingCode.A4.value in _codes(decision)
    assert decision.action is not Action.ALLOW, "the action itself is the policy's (A4)"
    assert "B4" in decision.steps


def test_a_line_input_from_another_province_does_not_block(guard: Guard) -> None:
    supplier = supplier_from_partners(_partners()[37], [], LOOKUPS)
    (line,) = _lines(24)
    line = _with_origin(
        line,
        input_origin_country_id=[CHINA, "China"],
        input_origin_state_id=[SHANGHAI, "上海市 (CN)"],
        input_origin_city="上海市",
    )
    po = purchase_order_from_records(_order(24), [line], supplier, lookups=LOOKUPS)
    assert guard.check_purchase_order(po).action is Action.ALLOW


def test_a_line_producer_is_screened_as_a_supplier_of_the_input(guard: Guard) -> None:
    partners = _partners()
    supplier = supplier_from_partners(partners[37], [], LOOKUPS)
    producer = supplier_from_partners(partners[34], [], LOOKUPS)
    (line,) = _lines(24)
    line = _with_origin(line, input_producer_id=[34, "乌鲁木齐恒远棉纱贸易有限公司"])
    po = purchase_order_from_records(
        _order(24), [line], supplier, lookups=LOOKUPS, producers={34: producer}
    )
    assert po.lines[0].inputs[0].producer == producer
    decision = guard.check_purchase_order(po)
    assert any(f.subject.startswith("lines[0].inputs[0].producer") for f in decision.findings)
    assert decision.action is not Action.ALLOW


def test_related_company_in_the_region_gives_a2(guard: Guard) -> None:
    related = {
        "id": 5,
        "kind": "subsidiary",
        "name": "昌吉恒泰纺织有限公司",
        "street": False,
        "city": "昌吉市",
        "state_id": [XINJIANG, "新疆维吾尔自治区 (CN)"],
        "country_id": [CHINA, "China"],
        "registration_id": False,
    }
    supplier = supplier_from_partners(_partners()[36], [], LOOKUPS, related=[related])
    assert supplier.relationships[0].kind == "subsidiary"
    assert FindingCode.A2.value in _codes(guard.screen_supplier(supplier))


def test_a_related_company_with_an_unknown_kind_is_refused() -> None:
    related = {"id": 6, "kind": "friend", "name": "X Co"}
    with pytest.raises(MappingError, match="kind"):
        supplier_from_partners(_partners()[36], [], LOOKUPS, related=[related])
