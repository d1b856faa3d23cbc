"""Where a line's goods come from: the input material, its origin and its producer (A4)."""

from odoo import fields, models


class PurchaseOrderLine(models.Model):
    _inherit = "purchase.order.line"

    flg_input_material = fields.Char(
        string="Input material", help="The main material or component in this line's goods."
    )
    flg_input_origin_country_id = fields.Many2one("res.country", string="Input origin country")
    flg_input_origin_state_id = fields.Many2one(
        "res.country.state",
        string="Input origin state",
        domain="[('country_id', '=?', flg_input_origin_country_id)]",
    )
    flg_input_origin_city = fields.Char(string="Input origin city")
    flg_input_producer_id = fields.Many2one(
        "res.partner",
        string="Input producer",
        help="The company that produced the input, screened like a supplier.",
    )
