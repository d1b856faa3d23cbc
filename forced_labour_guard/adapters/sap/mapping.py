"""SAP records -> the canonical model; one mapping shared by every path into SAP (batch, events,
the purchase-order check).

The mapping is pure. What it could not read goes into ``warnings`` (shown on the decision: an
unknown Chinese region key, a country key that is not ISO) or ``problems`` (the screening cannot
be trusted at all, e.g. a supplier without a business partner, so no address was read: each
becomes a SCREENING_UNAVAILABLE finding and the decision cannot be "allow").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Generic, TypeVar

from forced_labour_guard.adapters.sap.odata import Entity
from forced_labour_guard.adapters.sap.regions import CnRegionMap
from forced_labour_guard.adapters.sap.s4 import SupplierRecord
from forced_labour_guard.adapters.sap.settings import OriginSettings
from forced_labour_guard.adapters.sap.values import parse_decimal
from forced_labour_guard.countries import is_country_code
from forced_labour_guard.model import Address, Input, OrderLine, PurchaseOrder, Supplier

T = TypeVar("T")

_USCC_LENGTH = 18
_DELETED = {"L", "S"}  # deletion code: L deleted, S locked


@dataclass
class Mapped(Generic[T]):
    """A mapped record with what the mapping could not read."""

    value: T
    warnings: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _text(entity: Entity, prop: str) -> str:
    value = entity.get(prop)
    return str(value).strip() if value is not None else ""


def map_supplier(record: SupplierRecord, regions: CnRegionMap) -> Mapped[Supplier]:
    """``A_Supplier`` with its business partner's names, addresses, phones and registration ids."""
    supplier_id = _text(record.supplier, "Supplier")
    warnings: list[str] = []
    problems: list[str] = []
    partner = record.partner
    names = [
        _text(record.supplier, "SupplierName"),
        _text(record.supplier, "SupplierFullName"),
    ]
    if partner is not None:
        names.append(_text(partner, "BusinessPartnerFullName"))
        names.append(
            " ".join(_text(partner, f"OrganizationBPName{i}") for i in range(1, 5)).strip()
        )
    else:
        problems.append(
            f"SAP supplier {supplier_id} has no single business partner (A_BusinessPartner with "
            f"Supplier '{supplier_id}'), so its addresses and tax numbers could not be read"
        )
    distinct = list(dict.fromkeys(name for name in names if name))
    name = distinct[0] if distinct else supplier_id
    addresses: list[Address] = []
    phone: str | None = None
    for index, address in enumerate(record.addresses):
        mapped = map_address(address, regions, where=f"supplier {supplier_id} address {index + 1}")
        warnings += mapped.warnings
        addresses.append(mapped.value)
        phone = phone or _phone(address)
    country = next((a.country for a in addresses if a.country), None)
    supplier = Supplier(
        id=supplier_id or None,
        name=name,
        aliases=distinct[1:],
        country=country,
        registration_id=_registration_id(record),
        phone=phone,
        addresses=addresses,
    )
    return Mapped(supplier, warnings, problems)


def map_address(address: Entity, regions: CnRegionMap, *, where: str) -> Mapped[Address]:
    """One ``A_BusinessPartnerAddress``; the region key goes through the configured CN mapping."""
    warnings: list[str] = []
    country_key = _text(address, "Country").upper()
    country = country_key if is_country_code(country_key) else None
    extra = []
    if country_key and country is None:
        warnings.append(f"{where}: country key {country_key!r} is not an ISO country code")
        extra.append(country_key)
    region = _region(_text(address, "Region"), country, regions, where, warnings)
    street = " ".join(
        part for part in (_text(address, "StreetName"), _text(address, "HouseNumber")) if part
    )
    text_parts = [
        _text(address, prop) for prop in ("District", "TownshipName", "County", "HomeCityName")
    ]
    text = ", ".join(dict.fromkeys(part for part in [*text_parts, *extra] if part))
    return Mapped(
        Address(
            street=street or None,
            city=_text(address, "CityName") or None,
            region=region,
            postal_code=_text(address, "PostalCode") or None,
            country=country,
            text=text or None,
        ),
        warnings,
    )


def _region(
    key: str, country: str | None, regions: CnRegionMap, where: str, warnings: list[str]
) -> str | None:
    if not key:
        return None
    if country is None:
        # SAP keys a region by country; without one the key cannot be read for certain
        province = regions.province(key)
        warnings.append(
            f"{where}: SAP region key {key!r} has no country, so which region it names is "
            "unknown"
            + (f" (in China it would be CN-{province})" if province else "")
            + "; correct the address in SAP"
        )
        return f"CN-{province}" if province == "XJ" else key
    if country != "CN":
        return key
    province = regions.province(key)
    if province is None:
        warnings.append(
            f"{where}: SAP region key {key!r} (country CN) is not in the configured China region "
            f"mapping ({regions.describe()}), so the province could not be read from it; add it "
            "to [regions] codes in the SAP settings (see docs/sap.md)"
        )
        return key
    return f"CN-{province}"


def _phone(address: Entity) -> str | None:
    value = address.data.get("to_PhoneNumber")
    if not isinstance(value, dict) or "results" not in value:
        return None
    phones = address.expanded("to_PhoneNumber")
    phones.sort(key=lambda p: p.get("IsDefaultPhoneNumber") is not True)
    for phone in phones:
        international = _text(phone, "InternationalPhoneNumber")
        if international:
            return international
        number = _text(phone, "PhoneNumber")
        if number:
            country = _text(phone, "DestinationLocationCountry")
            return f"{number} ({country})" if country else number
    return None


def _registration_id(record: SupplierRecord) -> str | None:
    """A Chinese USCC (18 characters) wherever SAP keeps it, else the first tax number."""
    candidates: list[str] = []
    if record.partner is not None:
        for tax in _expanded_or_empty(record.partner, "to_BusinessPartnerTax"):
            candidates += [_text(tax, "BPTaxNumber"), _text(tax, "BPTaxLongNumber")]
        for ident in _expanded_or_empty(record.partner, "to_BuPaIdentification"):
            candidates.append(_text(ident, "BPIdentificationNumber"))
    candidates += [_text(record.supplier, "VATRegistration")]
    candidates += [_text(record.supplier, f"TaxNumber{i}") for i in range(1, 6)]
    cleaned = [c.replace(" ", "").replace("-", "").upper() for c in candidates if c]
    uscc = next((c for c in cleaned if len(c) == _USCC_LENGTH and c.isalnum()), None)
    return uscc or (cleaned[0] if cleaned else None)


def _expanded_or_empty(entity: Entity, navigation: str) -> list[Entity]:
    value = entity.data.get(navigation)
    if not isinstance(value, dict) or "results" not in value:
        return []
    return entity.expanded(navigation)


def map_purchase_order(
    po: Entity, supplier: Mapped[Supplier], regions: CnRegionMap, origin: OriginSettings
) -> Mapped[PurchaseOrder]:
    """``A_PurchaseOrder`` with ``to_PurchaseOrderItem``; inputs come from the origin setting."""
    po_id = _text(po, "PurchaseOrder")
    warnings = list(supplier.warnings)
    problems = list(supplier.problems)
    vendor = supplier.value
    manual = _manual_address(po, regions, warnings)
    if manual is not None:
        vendor = vendor.model_copy(update={"addresses": [*vendor.addresses, manual]})
    lines = []
    for item in po.expanded("to_PurchaseOrderItem"):
        if _text(item, "PurchasingDocumentDeletionCode") in _DELETED:
            continue
        line, line_warnings = _line(item, origin)
        warnings += [
            f"PO {po_id} item {_text(item, 'PurchaseOrderItem')}: {w}" for w in line_warnings
        ]
        lines.append(line)
    order = PurchaseOrder(id=po_id or None, supplier=vendor, lines=lines)
    return Mapped(order, warnings, problems)


def _manual_address(po: Entity, regions: CnRegionMap, warnings: list[str]) -> Address | None:
    """The PO header's own supplier address, filled only when the buyer typed one in."""
    fields = {
        "city": _text(po, "AddressCityName"),
        "street": " ".join(
            p for p in (_text(po, "AddressStreetName"), _text(po, "AddressHouseNumber")) if p
        ),
        "postal_code": _text(po, "AddressPostalCode"),
    }
    country_key = _text(po, "AddressCountry").upper()
    region_key = _text(po, "AddressRegion")
    if not any(fields.values()) and not region_key:
        return None
    country = country_key if is_country_code(country_key) else None
    where = f"PO {_text(po, 'PurchaseOrder')} manual supplier address"
    region = _region(region_key, country, regions, where, warnings)
    return Address(
        **{key: value or None for key, value in fields.items()}, region=region, country=country
    )


def _line(item: Entity, origin: OriginSettings) -> tuple[OrderLine, list[str]]:
    warnings: list[str] = []
    quantity = parse_decimal(item.get("OrderQuantity"))
    amount = parse_decimal(item.get("NetPriceAmount"))
    per = parse_decimal(item.get("NetPriceQuantity"))
    unit_price = amount / per if amount is not None and per else amount
    currency = _text(item, "DocumentCurrency").upper() or None
    if currency is not None and not (len(currency) == 3 and currency.isalpha()):
        warnings.append(f"currency {currency!r} is not an ISO 4217 code and was left out")
        currency = None
    material = _text(item, "Material")
    text = _text(item, "PurchaseOrderItemText")
    inputs, origin_warnings = _inputs(item, material, text, origin)
    warnings += origin_warnings
    line = OrderLine(
        line_id=_text(item, "PurchaseOrderItem") or None,
        sku=material or None,
        description=text or None,
        quantity=quantity if quantity is None or quantity >= 0 else None,
        unit_price=unit_price if unit_price is None or unit_price >= 0 else None,
        currency=currency,
        inputs=inputs,
    )
    if quantity is not None and quantity < 0:
        warnings.append(f"negative quantity {quantity} left out")
    return line, warnings


def _inputs(
    item: Entity, material: str, text: str, origin: OriginSettings
) -> tuple[list[Input], list[str]]:
    label = material or text or "the item's goods"
    if origin.kind == "material_table":
        place = origin.materials.get(material) if material else None
        if place is None:
            return [], []
        return [Input(material=label, origin_country=place.country, origin_address=place)], []
    if origin.kind == "custom_field" and origin.field:
        value = _text(item, origin.field)
        if not value:
            return [], []
        if is_country_code(value.upper()):
            country = value.upper()
            return [
                Input(
                    material=label, origin_country=country, origin_address=Address(country=country)
                )
            ], []
        return [Input(material=label, origin_address=Address(text=value))], []
    if origin.kind == "item_text" and text:
        return [Input(material=label, origin_address=Address(text=text))], []
    return [], []
