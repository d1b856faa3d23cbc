"""SAP suppliers and orders mapped and screened: Xinjiang under every region-key scheme, a blank
city with only the region key, a second address in the region, unknown keys that must warn."""

from __future__ import annotations

from decimal import Decimal

import pytest

from forced_labour_guard.adapters.sap.mapping import map_address
from forced_labour_guard.adapters.sap.odata import Entity
from forced_labour_guard.adapters.sap.regions import CnRegionMap, presets
from forced_labour_guard.adapters.sap.settings import RegionSettings
from forced_labour_guard.model import Action, Decision
from forced_labour_guard.region.gazetteer import default_locator
from tests.adapters.sap.conftest import adapter_for
from tests.adapters.sap.fixtures import XINJIANG, dataset
from tests.adapters.sap.gateway import FakeGateway

SCHEMES = sorted(XINJIANG)


def _sap_warnings(decision: Decision) -> list[str]:
    """The mapping's own warnings (the Guard adds others, e.g. about the list's age)."""
    return [w for w in decision.warnings if "SAP" in w or "address" in w]


@pytest.fixture(params=SCHEMES)
def scheme_gateway(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    fake = FakeGateway(dataset(request.param), users={"FLG_COMM": "s3cret"})
    fake.scheme = request.param  # type: ignore[attr-defined]
    with fake.running():
        yield fake


def test_every_preset_reads_its_own_xinjiang_key() -> None:
    for scheme, key in XINJIANG.items():
        regions = CnRegionMap.from_settings(RegionSettings(scheme=scheme))  # type: ignore[arg-type]
        assert regions.province(key) == "XJ"


def test_the_unconfirmed_preset_says_so() -> None:
    assert presets()["sap_three_digit"]["confirmed"] is False


def test_supplier_with_blank_city_and_only_the_region_key_is_blocked(
    scheme_gateway: FakeGateway,
) -> None:
    adapter = adapter_for(scheme_gateway, regions={"scheme": scheme_gateway.scheme}, dry_run=True)  # type: ignore[attr-defined]
    _record, mapped = adapter.read_supplier("17300001")
    assert mapped.value.addresses[0].city is None
    assert mapped.value.addresses[0].region == "CN-XJ"
    outcome = adapter.screen_supplier("17300001")
    assert outcome.decision.action is Action.BLOCK
    assert "A1" in {f.code.value for f in outcome.decision.findings}
    assert not outcome.decision.warnings or all(
        "region key" not in w for w in outcome.decision.warnings
    )


def test_a_second_address_in_the_region_is_found(scheme_gateway: FakeGateway) -> None:
    adapter = adapter_for(scheme_gateway, regions={"scheme": scheme_gateway.scheme}, dry_run=True)  # type: ignore[attr-defined]
    outcome = adapter.screen_supplier("17300002")
    assert outcome.decision.action is Action.BLOCK
    subjects = [f.subject for f in outcome.decision.findings if f.code.value == "A1"]
    assert subjects == ["supplier.addresses[1]"]


def test_a_shanghai_company_with_only_its_shanghai_address_is_not_placed_in_the_region(
    gateway: FakeGateway,
) -> None:
    gateway.data["A_BusinessPartnerAddress"] = [
        a for a in gateway.data["A_BusinessPartnerAddress"] if a["AddressID"] != "22012"
    ]
    outcome = adapter_for(gateway, dry_run=True).screen_supplier("17300002")
    assert outcome.decision.action is Action.ALLOW
    assert _sap_warnings(outcome.decision) == []


def test_unknown_cn_region_key_is_a_warning_never_a_silent_pass(gateway: FakeGateway) -> None:
    outcome = adapter_for(gateway, dry_run=True).screen_supplier("17300005")
    assert any("'Z99'" in w and "region" in w for w in outcome.decision.warnings)


def test_without_any_region_configuration_every_cn_key_warns(gateway: FakeGateway) -> None:
    outcome = adapter_for(gateway, regions={}, dry_run=True).screen_supplier("17300004")
    assert any("not in the configured China region mapping" in w for w in outcome.decision.warnings)


def test_a_key_from_another_scheme_warns_and_is_still_read(gateway: FakeGateway) -> None:
    # the system writes ISO letters but the settings say GB/T 2260: XJ is unknown there
    outcome = adapter_for(gateway, regions={"scheme": "gbt2260"}, dry_run=True).screen_supplier(
        "17300001"
    )
    assert any("'XJ'" in w for w in outcome.decision.warnings)
    assert outcome.decision.action is Action.BLOCK


def test_own_codes_override_the_preset(gateway: FakeGateway) -> None:
    gateway.row("A_BusinessPartnerAddress", AddressID="22001")["Region"] = "31"
    adapter = adapter_for(
        gateway, regions={"scheme": "gbt2260", "codes": {"31": "XJ"}}, dry_run=True
    )
    assert adapter.screen_supplier("17300001").decision.action is Action.BLOCK


def test_a_portuguese_region_key_is_not_read_through_the_china_mapping(
    gateway: FakeGateway,
) -> None:
    outcome = adapter_for(gateway, dry_run=True).screen_supplier("17300003")
    assert outcome.decision.action is Action.ALLOW
    assert _sap_warnings(outcome.decision) == []


def test_registration_id_prefers_the_uscc_and_phone_comes_from_the_address(
    gateway: FakeGateway,
) -> None:
    adapter = adapter_for(gateway, dry_run=True)
    _record, mapped = adapter.read_supplier("17300001")
    assert mapped.value.registration_id == "91650100MA7XYZ1234"
    _record, shanghai = adapter.read_supplier("17300002")
    assert shanghai.value.phone == "+862163210000"


def test_partner_number_differs_from_supplier_number(gateway: FakeGateway) -> None:
    _record, mapped = adapter_for(gateway, dry_run=True).read_supplier("17300004")
    assert mapped.value.id == "17300004"
    assert mapped.value.registration_id == "91440101MA5CXYZ98A"
    assert mapped.value.addresses[0].city == "Guangzhou"


def test_a_supplier_without_business_partner_cannot_be_allowed(gateway: FakeGateway) -> None:
    outcome = adapter_for(gateway, dry_run=True).screen_supplier("17300006")
    assert outcome.decision.action is Action.BLOCK
    assert [f.code.value for f in outcome.decision.findings] == ["SCREENING_UNAVAILABLE"]


def test_po_items_are_mapped_exactly(gateway: FakeGateway) -> None:
    _record, order = adapter_for(gateway, dry_run=True).read_purchase_order("4500000001")
    line = order.value.lines[0]
    assert (line.line_id, line.sku, line.currency) == ("10", "LINEN-FABRIC-01", "EUR")
    assert line.quantity == Decimal("1200.000")
    assert line.unit_price == Decimal("8.50")


def test_net_price_per_price_unit_is_divided_exactly(gateway: FakeGateway) -> None:
    gateway.row("A_PurchaseOrderItem", PurchaseOrder="4500000001")["NetPriceQuantity"] = "100"
    _record, order = adapter_for(gateway, dry_run=True).read_purchase_order("4500000001")
    assert order.value.lines[0].unit_price == Decimal("0.085")


def test_deleted_items_are_not_screened(gateway: FakeGateway) -> None:
    _record, order = adapter_for(gateway, dry_run=True).read_purchase_order("4500000004")
    assert [line.line_id for line in order.value.lines] == ["10"]


def test_origin_from_the_material_table_gives_a4(gateway: FakeGateway) -> None:
    outcome = adapter_for(gateway, dry_run=True).check_purchase_order("4500000004")
    assert "A4" in {f.code.value for f in outcome.decision.findings}


def test_origin_from_item_text(gateway: FakeGateway) -> None:
    gateway.row("A_PurchaseOrderItem", PurchaseOrder="4500000001")["PurchaseOrderItemText"] = (
        "Cotton yarn, grown in Aksu Prefecture, Xinjiang"
    )
    adapter = adapter_for(gateway, origin={"kind": "item_text"}, dry_run=True)
    outcome = adapter.check_purchase_order("4500000001")
    assert "A4" in {f.code.value for f in outcome.decision.findings}


def test_item_text_naming_a_street_is_no_origin(gateway: FakeGateway) -> None:
    gateway.row("A_PurchaseOrderItem", PurchaseOrder="4500000001")["PurchaseOrderItemText"] = (
        "Linen fabric, deliver to Urumqi Road warehouse, Shanghai"
    )
    adapter = adapter_for(gateway, origin={"kind": "item_text"}, dry_run=True)
    outcome = adapter.check_purchase_order("4500000001")
    assert "A4" not in {f.code.value for f in outcome.decision.findings}


def test_material_without_table_entry_has_no_invented_origin(gateway: FakeGateway) -> None:
    outcome = adapter_for(gateway, dry_run=True).check_purchase_order("4500000001")
    assert outcome.decision.action is Action.ALLOW


def test_a_manual_supplier_address_on_the_po_is_screened(gateway: FakeGateway) -> None:
    po = gateway.row("A_PurchaseOrder", PurchaseOrder="4500000001")
    po.update({"AddressCityName": "Hotan", "AddressCountry": "CN", "AddressRegion": ""})
    outcome = adapter_for(gateway, dry_run=True).check_purchase_order("4500000001")
    assert outcome.decision.action is Action.BLOCK


def test_sap_messages_from_the_reads_are_warnings_on_the_decision(gateway: FakeGateway) -> None:
    gateway.read_message = {
        "code": "BUPA/321",
        "message": "Address data is being converted",
        "severity": "warning",
    }
    outcome = adapter_for(gateway, dry_run=True).screen_supplier("17300003")
    assert any("Address data is being converted" in w for w in outcome.decision.warnings)


def _address(**fields: str) -> Entity:
    row = {"BusinessPartner": "1", "AddressID": "1", "Country": "", "Region": "", "CityName": ""}
    row.update(fields)
    return Entity(data=row)


ISO = CnRegionMap.from_settings(RegionSettings(scheme="iso_letters"))
THREE = CnRegionMap.from_settings(RegionSettings(scheme="sap_three_digit"))


@pytest.mark.parametrize(
    ("fields", "regions", "in_region"),
    [
        ({"Country": "cn", "Region": " xj "}, ISO, True),  # a tired clerk's spelling
        ({"Country": "CN", "Region": "SH", "CityName": "Shanghai"}, ISO, False),
        ({"Country": "CN", "CityName": "乌鲁木齐市"}, ISO, True),
        ({"Country": "SG", "CityName": "新加坡"}, ISO, False),  # 新 of Singapore is not Xinjiang
        ({"Country": "PT", "Region": "65"}, ISO, False),  # a Portuguese 65 is no GB/T code
        ({"Country": "", "Region": "290"}, THREE, True),  # no country: read, and warned about
        ({"Country": "CN", "Region": "300", "CityName": "Lhasa"}, THREE, False),
    ],
)
def test_addresses_as_clerks_type_them(
    fields: dict[str, str], regions: CnRegionMap, in_region: bool
) -> None:
    address = map_address(_address(**fields), regions, where="test").value
    assert (default_locator().locate(address) is not None) is in_region


def test_a_region_key_without_a_country_is_warned_about() -> None:
    mapped = map_address(_address(Region="290"), THREE, where="supplier 1 address 1")
    assert any("has no country" in w for w in mapped.warnings)
