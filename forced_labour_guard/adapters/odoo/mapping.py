"""One mapping from Odoo record dictionaries (as ``read`` returns them, keyed by the logical names of
:mod:`.fields`) to the canonical model. The addon inside Odoo and the external client both call it.

Odoo conventions it follows (see ``docs/odoo.md``):

* the **commercial partner** (the company) is the supplier; its child contacts and invoice /
  delivery / other addresses become further addresses, since a company in Shanghai may keep its
  works in Urumqi, or the other way round;
* a **state** is written into ``Address.region`` as its xml id (``base.state_cn_XJ``), which the
  region locator reads exactly. Odoo stores Chinese provinces with Chinese names and one-character
  codes (Xinjiang: 新疆维吾尔自治区, 新), so neither the code nor an English name can be trusted; a state
  without an xml id (a user-made one) falls back to its name;
* ``vat`` and ``company_registry`` are both registration ids; the canonical supplier has one, so a
  valid Chinese Unified Social Credit Code among them is preferred (it encodes where the company was
  registered), then ``vat``, then ``company_registry``;
* empty values are ``False``; many2one values are ``[id, "display name"]``;
* layout lines (sections, notes) carry no goods and are left out of the order.

The functions are pure: the caller reads the records and the look-up tables (state xml ids, country
codes) and passes them in, so the same code runs over recorded dictionaries in the tests.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from pydantic import ValidationError

from forced_labour_guard.countries import is_country_code
from forced_labour_guard.errors import InputError, first_problem
from forced_labour_guard.model import (
    Address,
    Input,
    OrderLine,
    PurchaseOrder,
    Relationship,
    Supplier,
)
from forced_labour_guard.region.uscc import decode_uscc

Record = Mapping[str, Any]
_T = TypeVar("_T")

PARTNER_MODEL = "res.partner"
ORDER_MODEL = "purchase.order"
RELATIONSHIP_KINDS = ("subsidiary", "parent", "sub_supplier", "operation")


class MappingError(InputError):
    """An Odoo record that cannot become a canonical record; the path names record and field."""


@dataclass(frozen=True)
class Lookups:
    """What a record's many2one ids mean: state id -> xml id, country id -> ISO code."""

    state_xml_ids: Mapping[int, str] = field(default_factory=dict)
    country_codes: Mapping[int, str] = field(default_factory=dict)


def record_ref(model: str, record_id: Any) -> str:
    """Odoo's own way to name a record (``res.partner,34``); also the canonical supplier id."""
    return f"{model},{record_id}"


def many2one_id(value: Any) -> int | None:
    """The id of a many2one value ``[id, "name"]`` (or a bare id); None when empty (False)."""
    if isinstance(value, (list, tuple)) and value and isinstance(value[0], int):
        return int(value[0])
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return None


def many2one_name(value: Any) -> str | None:
    if isinstance(value, (list, tuple)) and len(value) > 1 and isinstance(value[1], str):
        return value[1].strip() or None
    return None


def text(value: Any) -> str | None:
    """A char field's text; Odoo writes an empty one as False."""
    if isinstance(value, str):
        stripped = value.strip()
        return stripped or None
    return None


def ids(value: Any) -> list[int]:
    """A one2many/many2many value: a plain list of ids."""
    if isinstance(value, (list, tuple)):
        return [item for item in value if isinstance(item, int) and not isinstance(item, bool)]
    return []


def many2one_ids(records: Sequence[Record], *names: str) -> set[int]:
    """The ids the many2one fields ``names`` (e.g. ``state_id``) of ``records`` point to, to look
    them up in one call."""
    return {i for r in records for n in names if (i := many2one_id(r.get(n))) is not None}


def _country(value: Any, lookups: Lookups) -> str | None:
    country_id = many2one_id(value)
    code = lookups.country_codes.get(country_id) if country_id is not None else None
    return code.upper() if code and is_country_code(code.upper()) else None


def _region(value: Any, lookups: Lookups) -> str | None:
    state_id = many2one_id(value)
    if state_id is None:
        return None
    xml_id = lookups.state_xml_ids.get(state_id)
    if xml_id:
        return xml_id
    name = many2one_name(value)
    # "新疆维吾尔自治区 (CN)": the display name adds the country code in brackets.
    return name.rsplit(" (", 1)[0].strip() if name and name.endswith(")") else name


def address_of(record: Record, lookups: Lookups, *, prefix: str = "") -> Address | None:
    """The postal address of a partner (or of the addon's origin fields, with ``prefix``), or
    None when it has none at all."""
    street = " ".join(
        part
        for part in (text(record.get(f"{prefix}street")), text(record.get(f"{prefix}street2")))
        if part
    )
    address = Address(
        street=street or None,
        city=text(record.get(f"{prefix}city")),
        region=_region(record.get(f"{prefix}state_id"), lookups),
        postal_code=text(record.get(f"{prefix}zip")),
        country=_country(record.get(f"{prefix}country_id"), lookups),
    )
    return address if address.model_dump(exclude_none=True) else None


def registration_id(record: Record) -> str | None:
    """A valid Chinese USCC among ``vat`` / ``company_registry`` first, then ``vat``, then the
    register number: the USCC says where the company was registered."""
    candidates = [
        value for value in (text(record.get("vat")), text(record.get("company_registry"))) if value
    ]
    for value in candidates:
        if decode_uscc(value).valid:
            return value
    return candidates[0] if candidates else None


def _checked(build: Callable[[], _T], where: str) -> _T:
    try:
        return build()
    except ValidationError as error:
        path, message = first_problem(error)
        raise MappingError(message, path=path, source=where) from None


def supplier_from_partners(
    company: Record,
    children: Sequence[Record] = (),
    lookups: Lookups | None = None,
    *,
    related: Sequence[Record] = (),
) -> Supplier:
    """The supplier for an Odoo vendor: ``company`` is its commercial partner, ``children`` the
    contacts and addresses under it, ``related`` the addon's related-company records."""
    lookups = lookups or Lookups()
    where = record_ref(PARTNER_MODEL, company.get("id"))
    name = text(company.get("name"))
    if name is None:
        raise MappingError("the vendor has no name", path="name", source=where)
    addresses: list[Address] = []
    for record in (company, *children):
        address = address_of(record, lookups)
        if address is not None and address not in addresses:
            addresses.append(address)
    relationships = [_relationship(record, lookups, where) for record in related]
    return _checked(
        lambda: Supplier(
            id=where,
            name=name,
            country=_country(company.get("country_id"), lookups),
            registration_id=registration_id(company),
            phone=text(company.get("phone")) or text(company.get("mobile")),
            addresses=addresses,
            relationships=relationships,
        ),
        where,
    )


def _relationship(record: Record, lookups: Lookups, where: str) -> Relationship:
    here = f"{where} related company {record.get('id')}"
    kind = record.get("kind")
    if kind not in RELATIONSHIP_KINDS:
        raise MappingError(
            f"{kind!r} is not one of {', '.join(RELATIONSHIP_KINDS)}", path="kind", source=here
        )
    name = text(record.get("name"))
    if name is None:
        raise MappingError("a related company needs a name", path="name", source=here)
    address = address_of(record, lookups)
    return _checked(
        lambda: Relationship(
            kind=kind,
            supplier=Supplier(
                id=record_ref("flg.related.company", record.get("id")),
                name=name,
                country=_country(record.get("country_id"), lookups),
                registration_id=text(record.get("registration_id")),
                addresses=[address] if address else [],
            ),
        ),
        here,
    )


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _currency(order: Record) -> str | None:
    name = many2one_name(order.get("currency_id"))
    return name if name and len(name) == 3 and name.isascii() and name.isupper() else None


def _hs_code(product: Record | None) -> str | None:
    code = text(product.get("hs_code")) if product else None
    digits = "".join(ch for ch in code or "" if ch.isdigit())
    return code if code and len(digits) >= 2 and code[0].isdigit() else None


def _line_input(
    line: Record,
    product: Record | None,
    lookups: Lookups,
    producers: Mapping[int, Supplier],
) -> Input | None:
    """The addon's origin fields of a line as one input, when any of them is filled."""
    producer_id = many2one_id(line.get("input_producer_id"))
    origin = Address(
        city=text(line.get("input_origin_city")),
        region=_region(line.get("input_origin_state_id"), lookups),
        country=_country(line.get("input_origin_country_id"), lookups),
    )
    has_origin = bool(origin.model_dump(exclude_none=True))
    if producer_id is None and not has_origin and not text(line.get("input_material")):
        return None
    material = (
        text(line.get("input_material"))
        or (text(product.get("name")) if product else None)
        or text(line.get("name"))
        or "input"
    )
    return Input(
        material=material,
        origin_country=origin.country,
        origin_address=origin if has_origin else None,
        producer=producers.get(producer_id) if producer_id is not None else None,
    )


def _order_line(
    line: Record,
    products: Mapping[int, Record],
    lookups: Lookups,
    producers: Mapping[int, Supplier],
    currency: str | None,
    where: str,
) -> OrderLine:
    product_id = many2one_id(line.get("product_id"))
    product = products.get(product_id) if product_id is not None else None
    line_input = _line_input(line, product, lookups, producers)
    return _checked(
        lambda: OrderLine(
            line_id=str(line.get("id")),
            sku=text(product.get("default_code")) if product else None,
            description=text(line.get("name")) or many2one_name(line.get("product_id")),
            quantity=_decimal(line.get("quantity")),
            unit_price=_decimal(line.get("price_unit")),
            currency=currency,
            hs_code=_hs_code(product),
            inputs=[line_input] if line_input else [],
        ),
        f"{where} line {line.get('id')}",
    )


def purchase_order_from_records(
    order: Record,
    lines: Sequence[Record],
    supplier: Supplier,
    *,
    products: Mapping[int, Record] | None = None,
    lookups: Lookups | None = None,
    producers: Mapping[int, Supplier] | None = None,
    destination_country: str | None = None,
) -> PurchaseOrder:
    """The canonical order for an Odoo ``purchase.order``: ``lines`` its order lines (layout lines
    are skipped), ``products`` the lines' products by id, ``producers`` the suppliers the addon's
    ``flg_input_producer_id`` fields point to, by partner id."""
    lookups = lookups or Lookups()
    products = products or {}
    producers = producers or {}
    where = record_ref(ORDER_MODEL, order.get("id"))
    reference = text(order.get("name"))
    if reference is None:
        raise MappingError("the order has no reference (name)", path="name", source=where)
    currency = _currency(order)
    canonical = [
        _order_line(line, products, lookups, producers, currency, where)
        for line in lines
        if not line.get("display_type")
    ]
    country = (
        destination_country
        if destination_country and is_country_code(destination_country)
        else None
    )
    return _checked(
        lambda: PurchaseOrder(
            id=reference, supplier=supplier, destination_country=country, lines=canonical
        ),
        where,
    )
