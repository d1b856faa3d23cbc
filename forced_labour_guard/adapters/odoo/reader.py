"""Read vendors and purchase orders out of Odoo, page by page, as canonical records.

The reader asks ``fields_get`` once per model (:mod:`.fields`), reads each page of records with the
fields this server has, then everything the page refers to in a few batched calls (child contacts,
related companies, lines, products, state xml ids, country codes) and hands it all to the one
mapping in :mod:`.mapping`. A record that cannot be mapped comes back as a :class:`MappingError` in
its place, so one bad vendor is reported without stopping the run and is never counted as cleared.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from forced_labour_guard.adapters.odoo.client import OdooClient
from forced_labour_guard.adapters.odoo.fields import (
    LINE_FIELDS,
    ORDER_FIELDS,
    PARTNER_FIELDS,
    PRODUCT_FIELDS,
    RELATED_COMPANY_FIELDS,
    RELATED_COMPANY_MODEL,
    FieldPlan,
    FieldSpec,
)
from forced_labour_guard.adapters.odoo.mapping import (
    Lookups,
    MappingError,
    ids,
    many2one_id,
    many2one_ids,
    purchase_order_from_records,
    supplier_from_partners,
)
from forced_labour_guard.model import PurchaseOrder, Supplier

OPEN_ORDER_STATES = ("draft", "sent", "to approve")
VENDOR_DOMAIN: list[Any] = [["supplier_rank", ">", 0]]


@dataclass(frozen=True)
class Screenable:
    """One Odoo record and what it became: a canonical record, or the reason it could not."""

    model: str
    record_id: int
    label: str
    record: Supplier | PurchaseOrder | MappingError
    responsible_user_id: int | None = None


class OdooReader:
    """Reads canonical suppliers and orders through an :class:`OdooClient`."""

    def __init__(self, client: OdooClient) -> None:
        self.client = client
        self._plans: dict[str, FieldPlan] = {}

    def plan(self, model: str, specs: Sequence[FieldSpec]) -> FieldPlan:
        if model not in self._plans:
            self._plans[model] = FieldPlan.build(model, specs, self.client.fields_get(model))
        return self._plans[model]

    def _read(
        self, model: str, plan: FieldPlan, record_ids: Iterable[int]
    ) -> dict[int, dict[str, Any]]:
        wanted = sorted(set(record_ids))
        rows = self.client.read(model, wanted, plan.odoo_fields) if wanted else []
        return {int(row["id"]): plan.logical(row) for row in rows}

    def lookups(
        self,
        records: Sequence[Mapping[str, Any]],
        *,
        states: Sequence[str],
        countries: Sequence[str],
    ) -> Lookups:
        """State xml ids and country codes for the many2one fields named in ``states`` /
        ``countries`` of ``records``."""
        state_xml_ids = self.client.xml_ids(
            "res.country.state", sorted(many2one_ids(records, *states))
        )
        country_ids = sorted(many2one_ids(records, *countries))
        rows = self.client.read("res.country", country_ids, ["code"]) if country_ids else []
        codes = {
            int(row["id"]): str(row["code"]) for row in rows if isinstance(row.get("code"), str)
        }
        return Lookups(state_xml_ids=state_xml_ids, country_codes=codes)

    # -- suppliers --------------------------------------------------------------------------

    def suppliers(self, partner_ids: Iterable[int]) -> dict[int, Supplier | MappingError]:
        """The canonical supplier for each partner id, keyed by the *commercial* partner's id
        (a contact on an order stands for its company)."""
        return self.suppliers_and_companies(partner_ids)[0]

    def suppliers_and_companies(
        self, partner_ids: Iterable[int]
    ) -> tuple[dict[int, Supplier | MappingError], dict[int, int]]:
        """:meth:`suppliers`, plus each given partner's commercial partner id."""
        plan = self.plan("res.partner", PARTNER_FIELDS)
        partners = self._read("res.partner", plan, partner_ids)
        companies_ids = {
            many2one_id(p.get("commercial_partner_id")) or pid for pid, p in partners.items()
        }
        companies = {pid: p for pid, p in partners.items() if pid in companies_ids}
        companies.update(self._read("res.partner", plan, companies_ids - set(companies)))
        child_ids = {c for company in companies.values() for c in ids(company.get("child_ids"))}
        children = self._read("res.partner", plan, child_ids)
        related = self._related(companies.values())
        everything = [*companies.values(), *children.values(), *related.values()]
        lookups = self.lookups(everything, states=("state_id",), countries=("country_id",))
        result: dict[int, Supplier | MappingError] = {}
        for company_id, company in companies.items():
            try:
                result[company_id] = supplier_from_partners(
                    company,
                    [children[c] for c in ids(company.get("child_ids")) if c in children],
                    lookups,
                    related=[
                        related[r]
                        for r in ids(company.get("flg_related_company_ids"))
                        if r in related
                    ],
                )
            except MappingError as error:
                result[company_id] = error
        commercial = {
            pid: many2one_id(p.get("commercial_partner_id")) or pid for pid, p in partners.items()
        }
        return result, commercial

    def _related(self, companies: Iterable[Mapping[str, Any]]) -> dict[int, dict[str, Any]]:
        related_ids = {
            r for company in companies for r in ids(company.get("flg_related_company_ids"))
        }
        if not related_ids:
            return {}
        plan = self.plan(RELATED_COMPANY_MODEL, RELATED_COMPANY_FIELDS)
        return self._read(RELATED_COMPANY_MODEL, plan, related_ids)

    def vendors(self, domain: Sequence[Any] = VENDOR_DOMAIN) -> Iterator[Screenable]:
        """Every vendor (``supplier_rank > 0``), once per commercial partner, page by page."""
        seen: set[int] = set()
        plan = self.plan("res.partner", PARTNER_FIELDS)
        fields = (
            ["commercial_partner_id", "user_id"]
            if plan.has("user_id")
            else ["commercial_partner_id"]
        )
        for page in self.client.search_read_pages("res.partner", domain, fields):
            companies = {
                many2one_id(row.get("commercial_partner_id")) or int(row["id"]) for row in page
            }
            fresh = sorted(companies - seen)
            seen.update(fresh)
            users = {int(row["id"]): many2one_id(row.get("user_id")) for row in page}
            for company_id, supplier in sorted(self.suppliers(fresh).items()):
                label = (
                    supplier.name if isinstance(supplier, Supplier) else f"res.partner,{company_id}"
                )
                yield Screenable("res.partner", company_id, label, supplier, users.get(company_id))

    # -- purchase orders --------------------------------------------------------------------

    def orders(self, states: Sequence[str] = OPEN_ORDER_STATES) -> Iterator[Screenable]:
        """Purchase orders in ``states``, page by page, each with its lines and its vendor."""
        order_plan = self.plan("purchase.order", ORDER_FIELDS)
        line_plan = self.plan("purchase.order.line", LINE_FIELDS)
        domain: list[Any] = [["state", "in", list(states)]]
        for page in self.client.search_read_pages("purchase.order", domain, order_plan.odoo_fields):
            orders = [order_plan.logical(row) for row in page]
            line_ids = {line for order in orders for line in ids(order.get("order_line"))}
            lines = self._read("purchase.order.line", line_plan, line_ids)
            product_ids = {
                p for line in lines.values() if (p := many2one_id(line.get("product_id")))
            }
            products = self._read(
                "product.product", self.plan("product.product", PRODUCT_FIELDS), product_ids
            )
            partner_ids = {p for order in orders if (p := many2one_id(order.get("partner_id")))}
            producer_ids = {
                p for line in lines.values() if (p := many2one_id(line.get("input_producer_id")))
            }
            suppliers, commercial = self.suppliers_and_companies(partner_ids | producer_ids)
            producers = {
                pid: s
                for pid in producer_ids
                if isinstance(s := suppliers.get(commercial.get(pid, pid)), Supplier)
            }
            lookups = self.lookups(
                list(lines.values()),
                states=("input_origin_state_id",),
                countries=("input_origin_country_id",),
            )
            destinations = self._destinations(orders)
            for order in orders:
                order_id = int(order["id"])
                label = str(order.get("name") or f"purchase.order,{order_id}")
                user = many2one_id(order.get("user_id"))
                partner_id = many2one_id(order.get("partner_id"))
                supplier = suppliers.get(commercial.get(partner_id or 0, partner_id or 0))
                record: PurchaseOrder | MappingError
                if supplier is None:
                    record = MappingError(
                        "the order has no vendor",
                        path="partner_id",
                        source=f"purchase.order,{order_id}",
                    )
                elif isinstance(supplier, MappingError):
                    record = supplier
                elif unread := _unread_producers(order, lines, producers):
                    record = MappingError(
                        f"the input producer res.partner,{unread[0]} could not be read or mapped",
                        path="order_line.flg_input_producer_id",
                        source=f"purchase.order,{order_id}",
                    )
                else:
                    try:
                        record = purchase_order_from_records(
                            order,
                            [lines[i] for i in ids(order.get("order_line")) if i in lines],
                            supplier,
                            products=products,
                            lookups=lookups,
                            producers=producers,
                            destination_country=destinations.get(order_id),
                        )
                    except MappingError as error:
                        record = error
                yield Screenable("purchase.order", order_id, label, record, user)

    def _destinations(self, orders: Sequence[Mapping[str, Any]]) -> dict[int, str]:
        """Where each order's goods go: the dropship address's country (``dest_address_id``),
        else the country of the receiving warehouse's address (``picking_type_id``, present only
        with Inventory). Recorded for the ERP's use only; by C1 no decision depends on it."""
        address_of_order = {
            int(order["id"]): address
            for order in orders
            if (address := many2one_id(order.get("dest_address_id")))
        }
        picking_types = {
            int(order["id"]): picking_type
            for order in orders
            if int(order["id"]) not in address_of_order
            and (picking_type := many2one_id(order.get("picking_type_id")))
        }
        if picking_types:
            types = self.client.read(
                "stock.picking.type", sorted(set(picking_types.values())), ["warehouse_id"]
            )
            warehouse_of = {int(t["id"]): many2one_id(t.get("warehouse_id")) for t in types}
            warehouse_ids = sorted({w for w in warehouse_of.values() if w})
            warehouses = self.client.read("stock.warehouse", warehouse_ids, ["partner_id"])
            partner_of = {int(w["id"]): many2one_id(w.get("partner_id")) for w in warehouses}
            for order_id, picking_type in picking_types.items():
                partner = partner_of.get(warehouse_of.get(picking_type) or 0)
                if partner:
                    address_of_order[order_id] = partner
        if not address_of_order:
            return {}
        rows = self.client.read(
            "res.partner", sorted(set(address_of_order.values())), ["country_id"]
        )
        countries = self.lookups(rows, states=(), countries=("country_id",)).country_codes
        by_address = {
            int(r["id"]): countries.get(many2one_id(r.get("country_id")) or 0) for r in rows
        }
        return {
            order_id: code
            for order_id, address in address_of_order.items()
            if (code := by_address.get(address))
        }


def _unread_producers(
    order: Mapping[str, Any],
    lines: Mapping[int, Mapping[str, Any]],
    producers: Mapping[int, Supplier],
) -> list[int]:
    """Producers named on the order's lines that did not become suppliers: screening the order
    without them would drop the very link the field was filled in to record (fail closed)."""
    named = (
        many2one_id(lines[i].get("input_producer_id"))
        for i in ids(order.get("order_line"))
        if i in lines
    )
    return [producer for producer in named if producer is not None and producer not in producers]
