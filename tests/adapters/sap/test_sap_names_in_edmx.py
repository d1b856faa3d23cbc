"""Every SAP name the adapter uses exists in the shipped service descriptions (EDMX).

``services.USES`` declares the entity sets, properties and navigations; this test reads the EDMX
and fails on any name it does not define, on a navigation that leads elsewhere than declared, and
on a SAP-looking name in the adapter's source that ``USES`` does not declare."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import forced_labour_guard.adapters.sap as package
from forced_labour_guard.adapters.sap.services import USES
from tests.adapters.sap.edmx import service

SOURCE = Path(package.__file__).parent
# modules that handle entity data; odata.py and gateway.py handle HTTP (ETag there is a header)
ENTITY_MODULES = ("adapter.py", "check.py", "enforce.py", "events.py", "mapping.py", "s4.py")
ENTITY_PROPERTY_PATTERNS = (
    re.compile(r'_text\(\w+, "(\w+)"\)'),
    re.compile(r'\.get\("([A-Z]\w+)"'),
    re.compile(r'"([A-Z][A-Za-z]+\w*)": (?:request|item)\.'),
    re.compile(r'f?"(to_\w+)'),
)


def _declared_properties() -> set[str]:
    return {p for sets in USES.values() for use in sets.values() for p in use.properties}


@pytest.mark.parametrize("service_name", sorted(USES))
def test_declared_entity_sets_properties_and_navigations_exist(service_name: str) -> None:
    edmx = service(service_name)
    for set_name, use in USES[service_name].items():
        assert set_name in edmx, f"{service_name} defines no entity set {set_name}"
        info = edmx[set_name]
        unknown = [p for p in use.properties if p not in info.properties]
        assert unknown == [], f"{set_name} has no properties {unknown}"
        for navigation in use.navigations:
            assert navigation in info.navigations, f"{set_name} has no navigation {navigation}"
            target = info.navigations[navigation]
            assert target in USES[service_name], (
                f"{set_name}/{navigation} leads to undeclared {target}"
            )


def test_written_flags_are_updatable_booleans() -> None:
    edmx = service("API_BUSINESS_PARTNER")
    for set_name, prop in (
        ("A_Supplier", "PurchasingIsBlocked"),
        ("A_SupplierPurchasingOrg", "PurchasingIsBlockedForSupplier"),
    ):
        assert edmx[set_name].properties[prop] == "Edm.Boolean"
        assert prop in edmx[set_name].updatable


def test_every_sap_name_in_the_adapter_source_is_declared() -> None:
    sets = {s for service_sets in USES.values() for s in service_sets}
    navigations = {
        n
        for service_sets in USES.values()
        for use in service_sets.values()
        for n in use.navigations
    }
    properties = _declared_properties()
    undeclared: list[str] = []
    for file in sorted(SOURCE.glob("*.py")):
        text = file.read_text(encoding="utf-8")
        for name in re.findall(r'"(A_[A-Za-z]+)', text):
            if name not in sets:
                undeclared.append(f"{file.name}: entity set {name}")
        patterns = ENTITY_PROPERTY_PATTERNS if file.name in ENTITY_MODULES else ()
        for pattern in patterns:
            for name in pattern.findall(text):
                if name.startswith("to_"):
                    if name not in navigations:
                        undeclared.append(f"{file.name}: navigation {name}")
                elif name not in properties:
                    undeclared.append(f"{file.name}: property {name}")
    assert undeclared == []


@pytest.mark.parametrize(
    ("service_name", "set_name", "prop"),
    [
        ("API_BUSINESS_PARTNER", "A_BusinessPartner", "Supplier"),
        ("API_BUSINESS_PARTNER", "A_BusinessPartnerAddress", "BusinessPartner"),
        ("API_PURCHASEORDER_PROCESS_SRV", "A_PurchaseOrder", "CreationDate"),
        ("API_PURCHASEORDER_PROCESS_SRV", "A_PurchaseOrder", "LastChangeDateTime"),
    ],
)
def test_properties_the_adapter_filters_on_are_filterable(
    service_name: str, set_name: str, prop: str
) -> None:
    assert prop not in service(service_name)[set_name].not_filterable


def test_the_check_finds_a_name_that_is_not_in_the_edmx() -> None:
    """The guard above must be able to fail: a made-up name is caught."""
    edmx = service("API_BUSINESS_PARTNER")
    assert "PostingIsBlockedForSupplier" not in edmx["A_Supplier"].properties
    assert "to_BusinessPartnerAddress" not in edmx["A_Supplier"].navigations
