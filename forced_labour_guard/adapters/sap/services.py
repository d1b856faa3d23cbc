"""Every SAP name the adapter uses, declared once: entity sets, the properties it selects or writes,
and the navigations it expands. A test checks all of them against the shipped EDMX files, so a typo
or a name from another API version fails in CI instead of at a customer's system.
"""

from __future__ import annotations

from dataclasses import dataclass

BUSINESS_PARTNER = "API_BUSINESS_PARTNER"
PURCHASE_ORDER = "API_PURCHASEORDER_PROCESS_SRV"


@dataclass(frozen=True)
class Use:
    """What the adapter reads or writes of one entity set."""

    properties: tuple[str, ...]
    navigations: tuple[str, ...] = ()


SUPPLIER_PROPERTIES = (
    "Supplier",
    "SupplierName",
    "SupplierFullName",
    "PurchasingIsBlocked",
    "VATRegistration",
    "TaxNumber1",
    "TaxNumber2",
    "TaxNumber3",
    "TaxNumber4",
    "TaxNumber5",
    "CreationDate",
)
SUPPLIER_ORG_PROPERTIES = ("Supplier", "PurchasingOrganization", "PurchasingIsBlockedForSupplier")
PARTNER_PROPERTIES = (
    "BusinessPartner",
    "Supplier",
    "BusinessPartnerFullName",
    "OrganizationBPName1",
    "OrganizationBPName2",
    "OrganizationBPName3",
    "OrganizationBPName4",
)
TAX_PROPERTIES = ("BusinessPartner", "BPTaxType", "BPTaxNumber", "BPTaxLongNumber")
IDENTIFICATION_PROPERTIES = (
    "BusinessPartner",
    "BPIdentificationType",
    "BPIdentificationNumber",
    "Country",
)
ADDRESS_PROPERTIES = (
    "BusinessPartner",
    "AddressID",
    "StreetName",
    "HouseNumber",
    "District",
    "CityName",
    "HomeCityName",
    "TownshipName",
    "County",
    "PostalCode",
    "Region",
    "Country",
)
PHONE_PROPERTIES = (
    "AddressID",
    "PhoneNumber",
    "InternationalPhoneNumber",
    "DestinationLocationCountry",
    "IsDefaultPhoneNumber",
)
PO_PROPERTIES = (
    "PurchaseOrder",
    "Supplier",
    "PurchasingOrganization",
    "DocumentCurrency",
    "CreationDate",
    "LastChangeDateTime",
    "PurchaseOrderDate",
    "AddressCityName",
    "AddressStreetName",
    "AddressHouseNumber",
    "AddressPostalCode",
    "AddressRegion",
    "AddressCountry",
)
PO_ITEM_PROPERTIES = (
    "PurchaseOrder",
    "PurchaseOrderItem",
    "PurchasingDocumentDeletionCode",
    "PurchaseOrderItemText",
    "Material",
    "Plant",
    "OrderQuantity",
    "NetPriceAmount",
    "NetPriceQuantity",
    "DocumentCurrency",
)

USES: dict[str, dict[str, Use]] = {
    BUSINESS_PARTNER: {
        "A_Supplier": Use(SUPPLIER_PROPERTIES, ("to_SupplierPurchasingOrg",)),
        "A_SupplierPurchasingOrg": Use(SUPPLIER_ORG_PROPERTIES),
        "A_BusinessPartner": Use(
            PARTNER_PROPERTIES, ("to_BusinessPartnerTax", "to_BuPaIdentification")
        ),
        "A_BusinessPartnerTaxNumber": Use(TAX_PROPERTIES),
        "A_BuPaIdentification": Use(IDENTIFICATION_PROPERTIES),
        "A_BusinessPartnerAddress": Use(ADDRESS_PROPERTIES, ("to_PhoneNumber",)),
        "A_AddressPhoneNumber": Use(PHONE_PROPERTIES),
    },
    PURCHASE_ORDER: {
        "A_PurchaseOrder": Use(PO_PROPERTIES, ("to_PurchaseOrderItem",)),
        "A_PurchaseOrderItem": Use(PO_ITEM_PROPERTIES),
    },
}
