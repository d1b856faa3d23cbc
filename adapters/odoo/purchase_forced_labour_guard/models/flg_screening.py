"""The one place where the addon meets the library: records in, canonical records and decisions out.

Records are read with ``read()`` under the field names ``fields_get`` gives on this server and
mapped by ``forced_labour_guard.adapters.odoo.mapping``, the same mapping the external client uses,
so a vendor is screened identically from inside and from outside Odoo.
"""

import logging

from odoo import api, models

from forced_labour_guard.adapters.odoo import addon
from forced_labour_guard.adapters.odoo.fields import (
    LINE_FIELDS,
    ORDER_FIELDS,
    PARTNER_FIELDS,
    PRODUCT_FIELDS,
    RELATED_COMPANY_FIELDS,
    FieldPlan,
)
from forced_labour_guard.adapters.odoo.mapping import (
    Lookups,
    many2one_ids,
    purchase_order_from_records,
    supplier_from_partners,
)

_logger = logging.getLogger(__name__)


class FlgScreening(models.AbstractModel):
    _name = "flg.screening"
    _description = "Forced labour screening (library bridge)"

    @api.model
    def _flg_settings(self):
        return addon.AddonSettings.from_parameters(self.env["ir.config_parameter"].sudo().get_param)

    @api.model
    def _flg_rows(self, records, specs):
        """``records.read()`` keyed by the logical names of ``specs`` (see the library's fields)."""
        if not records:
            return []
        plan = FieldPlan.build(records._name, specs, records._fields)
        return [plan.logical(row) for row in records.sudo().read(plan.odoo_fields)]

    @api.model
    def _flg_lookups(self, rows, states, countries):
        state_records = (
            self.env["res.country.state"].sudo().browse(sorted(many2one_ids(rows, *states)))
        )
        xml_ids = {key: value for key, value in state_records.get_external_id().items() if value}
        country_records = (
            self.env["res.country"].sudo().browse(sorted(many2one_ids(rows, *countries)))
        )
        return Lookups(
            state_xml_ids=xml_ids,
            country_codes={country.id: country.code for country in country_records if country.code},
        )

    @api.model
    def _flg_supplier(self, partner):
        """The canonical supplier for ``partner``'s commercial partner, with its contacts and
        addresses and the related companies entered on the vendor."""
        company = partner.commercial_partner_id
        (company_row,) = self._flg_rows(company, PARTNER_FIELDS)
        children = self._flg_rows(company.with_context(active_test=False).child_ids, PARTNER_FIELDS)
        related = self._flg_rows(company.flg_related_company_ids, RELATED_COMPANY_FIELDS)
        lookups = self._flg_lookups(
            [company_row, *children, *related], ("state_id",), ("country_id",)
        )
        return supplier_from_partners(company_row, children, lookups, related=related)

    @api.model
    def _flg_purchase_order(self, order):
        """The canonical purchase order for ``order``: its vendor, lines, products, and the input
        origins and producers entered on the lines."""
        (order_row,) = self._flg_rows(order, ORDER_FIELDS)
        lines = self._flg_rows(order.order_line, LINE_FIELDS)
        products = {
            row["id"]: row for row in self._flg_rows(order.order_line.product_id, PRODUCT_FIELDS)
        }
        producers = {
            producer.id: self._flg_supplier(producer)
            for producer in order.order_line.flg_input_producer_id
        }
        lookups = self._flg_lookups(lines, ("input_origin_state_id",), ("input_origin_country_id",))
        return purchase_order_from_records(
            order_row,
            lines,
            self._flg_supplier(order.partner_id),
            products=products,
            lookups=lookups,
            producers=producers,
            destination_country=self._flg_destination(order),
        )

    @api.model
    def _flg_destination(self, order):
        """The dropship address's country, else the receiving warehouse's (with Inventory);
        recorded only, since by C1 no decision depends on it."""
        if order.dest_address_id.country_id:
            return order.dest_address_id.country_id.code
        if "picking_type_id" in order._fields:
            return order.picking_type_id.warehouse_id.partner_id.country_id.code or None
        return None

    @api.model
    def _flg_screen(self, record, label):
        """Screen ``record`` (an order or a vendor). Whatever goes wrong, a decision comes back,
        and one that could not be made is a block (fail closed)."""
        try:
            settings = self._flg_settings()
            if record._name == "purchase.order":
                order = self._flg_purchase_order(record)
                with settings.open_guard() as guard:
                    return guard.check_purchase_order(order)
            supplier = self._flg_supplier(record)
            with settings.open_guard() as guard:
                return guard.screen_supplier(supplier)
        except Exception as error:  # never let a failure read as "allow"
            _logger.exception("forced labour screening of %s failed", label)
            return addon.unavailable_decision(label, f"{type(error).__name__}: {error}")

    @api.model
    def _cron_refresh_lists(self):
        """Scheduled action: refresh the UFLPA Entity List into ``flg.lists_dir``."""
        _logger.info(addon.refresh_lists(self._flg_settings()))
