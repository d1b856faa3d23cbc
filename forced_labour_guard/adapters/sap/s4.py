"""Reading suppliers and purchase orders from S/4HANA, and setting purchasing blocks.

Two OData V2 services: ``API_BUSINESS_PARTNER`` (supplier, business partner, addresses, tax numbers)
and ``API_PURCHASEORDER_PROCESS_SRV`` (orders with their items). ``A_Supplier`` has no address
navigation, so a supplier is read in three calls: the supplier, its business partner (found by
``A_BusinessPartner.Supplier``, with tax numbers and identifications expanded) and the partner's
addresses with their phone numbers. The names used are declared in ``services.py``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import requests

from forced_labour_guard.adapters.sap import services as sv
from forced_labour_guard.adapters.sap.auth import ClientCredentials, basic_auth
from forced_labour_guard.adapters.sap.gateway import SapGateway
from forced_labour_guard.adapters.sap.odata import Entity, ODataClient, WriteResult
from forced_labour_guard.adapters.sap.settings import (
    BasicAuthSettings,
    OAuth2Settings,
    SapSettings,
)
from forced_labour_guard.adapters.sap.values import Filter


@dataclass(frozen=True)
class SupplierRecord:
    """Everything read about one supplier, as SAP sent it."""

    supplier: Entity
    partner: Entity | None
    addresses: list[Entity] = field(default_factory=list)
    purchasing_orgs: list[Entity] = field(default_factory=list)


class S4Client:
    """The two services of one S/4HANA system, as the adapter uses them."""

    def __init__(self, business_partner: ODataClient, purchase_order: ODataClient) -> None:
        self.bp = business_partner
        self.po = purchase_order

    @classmethod
    def from_settings(
        cls, settings: SapSettings, *, sleep: Callable[[float], None] | None = None
    ) -> S4Client:
        """Both services of the system the settings name; ``sleep`` replaces the retry pause
        (tests)."""
        session = requests.Session()
        session.verify = settings.verify_tls
        if isinstance(settings.auth, BasicAuthSettings):
            session.auth = basic_auth(
                settings.auth.user, settings.secret(settings.auth.password_env)
            )
        elif isinstance(settings.auth, OAuth2Settings):
            session.auth = ClientCredentials(
                settings.auth.token_url,
                settings.auth.client_id,
                settings.secret(settings.auth.client_secret_env),
                scope=settings.auth.scope,
            )
        base = settings.base_url.rstrip("/")
        timeout = (settings.connect_timeout_seconds, settings.read_timeout_seconds)

        def client(path: str) -> ODataClient:
            return ODataClient(
                base + path,
                dialect=SapGateway(settings.sap_client),
                session=session,
                timeout=timeout,
                max_attempts=settings.max_attempts,
                sleep=sleep,
            )

        return cls(client(settings.business_partner_path), client(settings.purchase_order_path))

    # ------------------------------------------------------------------------------ suppliers

    def supplier(self, supplier_id: str, *, with_purchasing_orgs: bool = False) -> SupplierRecord:
        expand = ("to_SupplierPurchasingOrg",) if with_purchasing_orgs else ()
        supplier = self.bp.get_entity(
            "A_Supplier",
            {"Supplier": supplier_id},
            select=(*sv.SUPPLIER_PROPERTIES, *expand),
            expand=expand,
        )
        orgs = supplier.expanded("to_SupplierPurchasingOrg") if with_purchasing_orgs else []
        partner = self._partner_of(supplier_id)
        addresses = []
        if partner is not None:
            addresses = list(
                self.bp.get_collection(
                    "A_BusinessPartnerAddress",
                    select=(*sv.ADDRESS_PROPERTIES, "to_PhoneNumber"),
                    expand=("to_PhoneNumber",),
                    filter=Filter.eq("BusinessPartner", str(partner.get("BusinessPartner"))),
                )
            )
        return SupplierRecord(supplier, partner, addresses, orgs)

    def _partner_of(self, supplier_id: str) -> Entity | None:
        navigations = ("to_BusinessPartnerTax", "to_BuPaIdentification")
        found = list(
            self.bp.get_collection(
                "A_BusinessPartner",
                select=(*sv.PARTNER_PROPERTIES, *navigations),
                expand=navigations,
                filter=Filter.eq("Supplier", supplier_id),
                top=2,
            )
        )
        return found[0] if len(found) == 1 else None

    def supplier_ids(self) -> Iterator[str]:
        """Every supplier number, page by page."""
        for row in self.bp.get_collection("A_Supplier", select=("Supplier",)):
            yield str(row.get("Supplier"))

    def supplier_for_partner(self, partner_id: str) -> str | None:
        """The supplier number of a business partner (None if it is not a supplier)."""
        partner = self.bp.get_entity(
            "A_BusinessPartner", {"BusinessPartner": partner_id}, select=("Supplier",)
        )
        value = str(partner.get("Supplier") or "").strip()
        return value or None

    def set_purchasing_block(self, supplier: Entity, blocked: bool) -> WriteResult:
        """Set or lift the central purchasing block ``A_Supplier.PurchasingIsBlocked``."""
        return self.bp.update(
            "A_Supplier",
            {"Supplier": str(supplier.get("Supplier"))},
            {"PurchasingIsBlocked": blocked},
            etag=supplier.etag,
        )

    def set_org_block(self, org: Entity, blocked: bool) -> WriteResult:
        """Set or lift ``A_SupplierPurchasingOrg.PurchasingIsBlockedForSupplier`` for one org."""
        return self.bp.update(
            "A_SupplierPurchasingOrg",
            {
                "Supplier": str(org.get("Supplier")),
                "PurchasingOrganization": str(org.get("PurchasingOrganization")),
            },
            {"PurchasingIsBlockedForSupplier": blocked},
            etag=org.etag,
        )

    # ------------------------------------------------------------------------------ orders

    def purchase_order(self, po_id: str, *, extra_item_fields: tuple[str, ...] = ()) -> Entity:
        return self.po.get_entity(
            "A_PurchaseOrder",
            {"PurchaseOrder": po_id},
            select=_po_select(extra_item_fields),
            expand=("to_PurchaseOrderItem",),
        )

    def purchase_orders_since(
        self, since: dt.date, *, extra_item_fields: tuple[str, ...] = ()
    ) -> Iterator[Entity]:
        """Orders created or changed on or after ``since`` (UTC), items expanded, page by page."""
        changed = Filter.ge_datetime("CreationDate", since) | Filter.ge_datetimeoffset(
            "LastChangeDateTime", since
        )
        yield from self.po.get_collection(
            "A_PurchaseOrder",
            select=_po_select(extra_item_fields),
            expand=("to_PurchaseOrderItem",),
            filter=changed,
        )

    def drain_messages(self) -> list[str]:
        return [m.sentence() for m in (*self.bp.drain_messages(), *self.po.drain_messages())]


def _po_select(extra_item_fields: tuple[str, ...]) -> tuple[str, ...]:
    items = (*sv.PO_ITEM_PROPERTIES, *extra_item_fields)
    return (
        *sv.PO_PROPERTIES,
        "to_PurchaseOrderItem",
        *(f"to_PurchaseOrderItem/{prop}" for prop in items),
    )
