"""The canonical model is a public contract: field names, strictness and error paths."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from forced_labour_guard import Address, PurchaseOrder, Supplier
from forced_labour_guard.model import Evidence, Input, OrderLine


def test_field_names_are_exactly_the_design_contract() -> None:
    assert set(Address.model_fields) == {
        "street",
        "city",
        "region",
        "postal_code",
        "country",
        "text",
    }
    assert set(Supplier.model_fields) == {
        "id",
        "name",
        "aliases",
        "country",
        "registration_id",
        "phone",
        "addresses",
        "facilities",
        "relationships",
        "evidence",
    }
    assert set(PurchaseOrder.model_fields) == {"id", "supplier", "destination_country", "lines"}
    assert set(OrderLine.model_fields) == {
        "line_id",
        "sku",
        "lot",
        "description",
        "quantity",
        "unit_price",
        "currency",
        "hs_code",
        "origin_country",
        "inputs",
    }
    assert set(Input.model_fields) == {"material", "origin_country", "origin_address", "producer"}
    assert set(Evidence.model_fields) == {"kind", "summary", "source", "url", "date"}


def test_unknown_field_is_rejected_with_its_path() -> None:
    with pytest.raises(ValidationError) as error:
        Supplier.model_validate({"name": "Acme", "addresses": [{"citty": "Urumqi"}]})
    assert error.value.errors()[0]["loc"] == ("addresses", 0, "citty")


@pytest.mark.parametrize("code", ["cn", " CN ", "Cn"])
def test_country_codes_are_normalised_to_capitals(code: str) -> None:
    assert Address(country=code).country == "CN"


@pytest.mark.parametrize("code", ["China", "CHN", "XX", "C1", ""])
def test_country_must_be_an_assigned_alpha2_code(code: str) -> None:
    with pytest.raises(ValidationError):
        Address(country=code)


def test_nested_supplier_round_trips_through_json() -> None:
    supplier = Supplier.model_validate(
        {
            "name": "Top",
            "relationships": [
                {
                    "kind": "sub_supplier",
                    "supplier": {
                        "name": "Tier 2",
                        "relationships": [{"kind": "parent", "supplier": {"name": "Group"}}],
                    },
                }
            ],
        }
    )
    again = Supplier.model_validate_json(supplier.model_dump_json())
    assert again == supplier
    assert again.relationships[0].supplier.relationships[0].kind == "parent"


def test_relationship_kind_and_evidence_kind_are_closed_sets() -> None:
    with pytest.raises(ValidationError):
        Supplier.model_validate(
            {"name": "A", "relationships": [{"kind": "friend", "supplier": {"name": "B"}}]}
        )
    with pytest.raises(ValidationError):
        Supplier.model_validate(
            {"name": "A", "evidence": [{"kind": "rumour", "summary": "s", "source": "x"}]}
        )


def test_negative_quantities_and_bad_hs_codes_are_rejected() -> None:
    with pytest.raises(ValidationError):
        OrderLine(quantity=-1)
    with pytest.raises(ValidationError):
        OrderLine(hs_code="cotton")
    assert OrderLine(hs_code="5208.12").hs_digits == "520812"


@pytest.mark.parametrize("name", ["\u200b", "\u200b\u200d", "\x00", "\ufeff\u00ad"])
def test_a_name_of_only_invisible_characters_is_refused_not_screened_as_no_one(name: str) -> None:
    with pytest.raises(ValidationError, match="no visible characters"):
        Supplier(name=name, country="DE")


def test_a_name_with_an_invisible_character_inside_visible_text_is_accepted() -> None:
    assert Supplier(name="Ac\u200bme GmbH").name == "Ac\u200bme GmbH"
