"""A vendor's related companies (subsidiary, parent, sub-supplier, operation): screened for A2."""

from odoo import fields, models

from forced_labour_guard.adapters.odoo.mapping import RELATIONSHIP_KINDS

KIND_LABELS = {
    "subsidiary": "Subsidiary",
    "parent": "Parent company",
    "sub_supplier": "Sub-supplier",
    "operation": "Operation (site, joint venture)",
}


class FlgRelatedCompany(models.Model):
    _name = "flg.related.company"
    _description = "Vendor's related company (forced labour screening)"
    _order = "partner_id, kind, name"

    partner_id = fields.Many2one("res.partner", required=True, ondelete="cascade", index=True)
    kind = fields.Selection(
        [(kind, KIND_LABELS[kind]) for kind in RELATIONSHIP_KINDS], required=True
    )
    name = fields.Char(required=True)
    street = fields.Char()
    city = fields.Char()
    state_id = fields.Many2one(
        "res.country.state", string="State", domain="[('country_id', '=?', country_id)]"
    )
    country_id = fields.Many2one("res.country", string="Country")
    registration_id = fields.Char(string="Registration id", help="E.g. the Chinese USCC.")
