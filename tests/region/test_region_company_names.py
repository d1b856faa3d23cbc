"""Company names that carry their registration place: a division of the region leading a Chinese
legal name (or its English form, or a branch of it) places the company there; a division that does
not lead, a spelling abroad or a weak spelling does not."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from forced_labour_guard import Action, FindingCode, Guard, Supplier
from forced_labour_guard.model import Address, Facility
from forced_labour_guard.region import default_locator

ROWS: list[dict[str, Any]] = [
    json.loads(line)
    for line in (Path(__file__).parent / "data" / "company_names.jsonl")
    .read_text(encoding="utf-8")
    .splitlines()
    if line.strip()
]


@pytest.mark.parametrize("row", ROWS, ids=[row["id"] for row in ROWS])
def test_company_name_row(row: dict[str, Any]) -> None:
    hit = default_locator().locate_name(
        row["name"], country=row["country"], registration_id=row.get("registration_id")
    )
    if row["expected"] == "none":
        assert hit is None, f"{row['note']}: {hit.describe() if hit else ''}"
    else:
        assert hit is not None, row["note"]
        assert hit.strength == row["expected"], row["note"]
        assert hit.signal == "company_name" and hit.matched


def test_every_family_has_negatives_beside_positives() -> None:
    outcomes = {row["expected"] for row in ROWS}
    assert outcomes == {"decisive", "review", "none"}
    assert sum(row["expected"] == "none" for row in ROWS) >= 15


def test_an_alias_is_never_more_than_a_review_sign() -> None:
    hit = default_locator().locate_name(
        "Xinjiang Lihua Cotton Co., Ltd.", country="CN", legal_name=False
    )
    assert hit is not None and hit.strength == "review"


def test_the_guard_blocks_a_region_company_whose_address_is_elsewhere() -> None:
    supplier = Supplier(
        name="新疆利华棉业股份有限公司上海分公司",
        country="CN",
        addresses=[Address(text="上海市浦东新区张杨路500号")],
    )
    decision = Guard.default().screen_supplier(supplier)
    assert decision.action is Action.BLOCK
    (finding,) = [f for f in decision.findings if f.code is FindingCode.A1]
    assert finding.subject == "supplier.name" and "新疆" in finding.detail


def test_a_facility_named_after_a_city_of_the_region_is_a_review_sign() -> None:
    supplier = Supplier(
        name="Acme Yarn Trading",
        country="CN",
        facilities=[Facility(name="Aksu Cotton Mill", address=Address(country="CN"))],
    )
    decision = Guard.default().screen_supplier(supplier)
    assert decision.action is Action.WARN
    (finding,) = [f for f in decision.findings if f.code is FindingCode.A1]
    assert finding.steps == ["A"] and finding.subject == "supplier.facilities[0]"


def test_a_hotel_named_after_the_region_in_beijing_raises_nothing() -> None:
    supplier = Supplier(name="北京新疆大厦有限公司", country="CN")
    decision = Guard.default().screen_supplier(supplier)
    assert not [f for f in decision.findings if f.code is FindingCode.A1]
