"""Realistic S/4HANA records for the fake Gateway: SAP-shaped JSON (``/Date(ms)/`` dates, decimal
strings, empty strings for blank fields), suppliers in and outside the Uyghur Region, and orders.

``dataset(scheme)`` writes the Chinese region keys in one of the schemes systems use (ISO letters,
GB/T 2260 numbers, SAP three-digit keys), so every mapping test can run under each of them.
"""

from __future__ import annotations

from typing import Any

XINJIANG = {"iso_letters": "XJ", "gbt2260": "65", "sap_three_digit": "290"}
SHANGHAI = {"iso_letters": "SH", "gbt2260": "31", "sap_three_digit": "020"}
GUANGDONG = {"iso_letters": "GD", "gbt2260": "44", "sap_three_digit": "190"}

DEC_1_2026 = "/Date(1796083200000)/"  # 2026-12-01T00:00:00Z
NOV_1_2026 = "/Date(1793491200000)/"  # 2026-11-01T00:00:00Z


def _supplier(number: str, name: str, **extra: Any) -> dict[str, Any]:
    row = {
        "Supplier": number,
        "SupplierName": name,
        "SupplierFullName": name,
        "PurchasingIsBlocked": False,
        "PostingIsBlocked": False,
        "VATRegistration": "",
        "TaxNumber1": "",
        "CreationDate": NOV_1_2026,
    }
    row.update(extra)
    return row


def _partner(number: str, supplier: str, name: str) -> dict[str, Any]:
    return {
        "BusinessPartner": number,
        "Supplier": supplier,
        "BusinessPartnerFullName": name,
        "OrganizationBPName1": name,
        "OrganizationBPName2": "",
        "BusinessPartnerCategory": "2",
    }


def _address(bp: str, address_id: str, **fields: str) -> dict[str, Any]:
    row = {
        "BusinessPartner": bp,
        "AddressID": address_id,
        "Person": "",
        "StreetName": "",
        "HouseNumber": "",
        "District": "",
        "CityName": "",
        "PostalCode": "",
        "Region": "",
        "Country": "",
        "ValidityStartDate": "/Date(1704067200000+0000)/",
    }
    row.update(fields)
    return row


def _phone(address_id: str, number: str, international: str, country: str) -> dict[str, Any]:
    return {
        "AddressID": address_id,
        "Person": "",
        "OrdinalNumber": "1",
        "PhoneNumber": number,
        "InternationalPhoneNumber": international,
        "DestinationLocationCountry": country,
        "IsDefaultPhoneNumber": True,
    }


def dataset(scheme: str = "iso_letters") -> dict[str, list[dict[str, Any]]]:
    xj, sh, gd = XINJIANG[scheme], SHANGHAI[scheme], GUANGDONG[scheme]
    return {
        "A_Supplier": [
            _supplier("17300001", "Tianshan Cotton Spinning Co., Ltd."),
            _supplier("17300002", "Huangpu Bright Garments Co., Ltd."),
            _supplier("17300003", "Linho do Norte Lda"),
            _supplier("17300004", "Pearl River Trading Co., Ltd."),
            _supplier("17300005", "Mystery Province Textiles Co., Ltd."),
            _supplier("17300006", "Orphan Supplier GmbH"),
        ],
        "A_SupplierPurchasingOrg": [
            {
                "Supplier": "17300001",
                "PurchasingOrganization": "1010",
                "PurchasingIsBlockedForSupplier": False,
            },
            {
                "Supplier": "17300001",
                "PurchasingOrganization": "1710",
                "PurchasingIsBlockedForSupplier": False,
            },
            {
                "Supplier": "17300003",
                "PurchasingOrganization": "1010",
                "PurchasingIsBlockedForSupplier": False,
            },
        ],
        "A_BusinessPartner": [
            _partner("17300001", "17300001", "Tianshan Cotton Spinning Co., Ltd."),
            _partner("17300002", "17300002", "Huangpu Bright Garments Co., Ltd."),
            _partner("17300003", "17300003", "Linho do Norte Lda"),
            _partner("1000746", "17300004", "Pearl River Trading Co., Ltd."),
            _partner("17300005", "17300005", "Mystery Province Textiles Co., Ltd."),
            _partner("9000001", "", "A customer only"),
        ],
        "A_BusinessPartnerTaxNumber": [
            {
                "BusinessPartner": "17300001",
                "BPTaxType": "CN5",
                "BPTaxNumber": "91650100MA7XYZ1234",
                "BPTaxLongNumber": "",
            },
            {
                "BusinessPartner": "17300003",
                "BPTaxType": "PT0",
                "BPTaxNumber": "PT509999990",
                "BPTaxLongNumber": "",
            },
        ],
        "A_BuPaIdentification": [
            {
                "BusinessPartner": "1000746",
                "BPIdentificationType": "CNUSCC",
                "BPIdentificationNumber": "91440101MA5CXYZ98A",
                "Country": "CN",
                "Region": gd,
            },
        ],
        "A_BusinessPartnerAddress": [
            # blank city: only the region key says where it is
            _address(
                "17300001",
                "22001",
                Country="CN",
                Region=xj,
                StreetName="Jiefang Bei Lu",
                HouseNumber="88",
            ),
            _address(
                "17300002",
                "22002",
                Country="CN",
                Region=sh,
                CityName="Shanghai",
                StreetName="Zhongshan Dong Yi Lu",
                HouseNumber="12",
                PostalCode="200002",
            ),
            # the second address of a Shanghai company: a plant in the region, region key only
            _address(
                "17300002",
                "22012",
                Country="CN",
                Region=xj,
                StreetName="Gongye Yuan",
                HouseNumber="3",
            ),
            _address(
                "17300003",
                "22003",
                Country="PT",
                Region="13",
                CityName="Guimarães",
                StreetName="Rua do Linho",
                HouseNumber="5",
                PostalCode="4800-001",
            ),
            _address(
                "1000746",
                "22004",
                Country="CN",
                Region=gd,
                CityName="Guangzhou",
                StreetName="Huangpu Dadao",
                HouseNumber="1",
                PostalCode="510000",
            ),
            _address(
                "17300005",
                "22005",
                Country="CN",
                Region="Z99",
                CityName="",
                StreetName="Jianshe Lu",
                HouseNumber="7",
            ),
        ],
        "A_AddressPhoneNumber": [
            _phone("22002", "021 6321 0000", "+862163210000", "CN"),
            _phone("22003", "253 000 000", "+351253000000", "PT"),
        ],
        "A_PurchaseOrder": [
            _po("4500000001", "17300003", DEC_1_2026),
            _po("4500000002", "17300001", DEC_1_2026),
            _po("4500000003", "17300004", NOV_1_2026),
            _po("4500000004", "17300003", DEC_1_2026),
        ],
        "A_PurchaseOrderItem": [
            _item(
                "4500000001",
                "10",
                "LINEN-FABRIC-01",
                "Linen fabric, natural",
                "1200.000",
                "8.50",
                "EUR",
            ),
            _item(
                "4500000002",
                "10",
                "COTTON-YARN-01",
                "Combed cotton yarn 40s",
                "500.000",
                "3.20",
                "EUR",
            ),
            _item("4500000003", "10", "", "Packaging cartons", "100.000", "0.40", "USD"),
            _item(
                "4500000004",
                "10",
                "COTTON-YARN-01",
                "Combed cotton yarn 40s",
                "300.000",
                "3.10",
                "EUR",
            ),
            _item(
                "4500000004",
                "20",
                "LINEN-FABRIC-01",
                "Linen fabric, natural",
                "50.000",
                "8.50",
                "EUR",
                deleted="L",
            ),
        ],
    }


def _po(number: str, supplier: str, created: str) -> dict[str, Any]:
    return {
        "PurchaseOrder": number,
        "Supplier": supplier,
        "PurchasingOrganization": "1010",
        "CompanyCode": "1010",
        "DocumentCurrency": "EUR",
        "CreationDate": created,
        "LastChangeDateTime": created.replace(")/", "+0000)/"),
        "PurchaseOrderDate": created,
        "AddressCityName": "",
        "AddressRegion": "",
        "AddressCountry": "",
    }


def _item(
    po: str,
    item: str,
    material: str,
    text: str,
    quantity: str,
    price: str,
    currency: str,
    deleted: str = "",
) -> dict[str, Any]:
    return {
        "PurchaseOrder": po,
        "PurchaseOrderItem": item,
        "PurchasingDocumentDeletionCode": deleted,
        "PurchaseOrderItemText": text,
        "Material": material,
        "Plant": "1010",
        "OrderQuantity": quantity,
        "PurchaseOrderQuantityUnit": "KG",
        "NetPriceAmount": price,
        "NetPriceQuantity": "1",
        "DocumentCurrency": currency,
    }
