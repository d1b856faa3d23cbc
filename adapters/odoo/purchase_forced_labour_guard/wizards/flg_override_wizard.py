"""Requesting and approving an override: the store records it and enforces its rules (expiry,
a second approver for A1 and listed entities, never the author's own approval)."""

import datetime

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from forced_labour_guard.adapters.odoo import addon
from forced_labour_guard.adapters.odoo.mapping import record_ref
from forced_labour_guard.errors import FlgError


def _who(user):
    return f"{user.name} ({user.login})"


class FlgOverrideWizard(models.TransientModel):
    _name = "flg.override.wizard"
    _description = "Request a forced labour screening override"

    order_id = fields.Many2one("purchase.order", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Vendor", readonly=True)
    scope = fields.Selection(
        [("order", "This order only"), ("vendor", "This vendor, on every order")],
        required=True,
        default="order",
    )
    codes = fields.Char(
        string="Finding codes to release",
        required=True,
        help="Comma-separated codes of the findings to release, e.g. A1, POSSIBLE_MATCH.",
    )
    reason = fields.Text(required=True)
    expires_on = fields.Date(
        required=True,
        default=lambda self: fields.Date.context_today(self) + datetime.timedelta(days=30),
    )

    @api.model
    def _flg_open(self, order=None, partner=None):
        record = order or partner
        values = {
            "order_id": order.id if order else False,
            "partner_id": (order.partner_id.commercial_partner_id if order else partner).id,
            "scope": "order" if order else "vendor",
            "codes": ", ".join(addon.open_codes(record.sudo().flg_decision_json)),
        }
        wizard = self.create(values)
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_request(self):
        self.ensure_one()
        settings = self.env["flg.screening"]._flg_settings()
        try:
            request = addon.override_request(
                codes=self.codes.split(","),
                reason=self.reason,
                created_by=_who(self.env.user),
                expires_on=self.expires_on,
                po_id=self.order_id.name if self.scope == "order" else None,
                supplier_id=record_ref("res.partner", self.partner_id.id),
            )
            override = addon.request_override(settings, request)
        except FlgError as error:
            raise UserError(str(error)) from None
        target = self.order_id if self.scope == "order" and self.order_id else self.partner_id
        waiting = (
            _(" It needs a second approver before it takes effect.")
            if override.requires_second_approver
            else ""
        )
        target.message_post(
            body=_(
                "Override %(id)s requested by %(who)s for %(codes)s until %(until)s: %(reason)s.%(waiting)s"
            )
            % {
                "id": override.id,
                "who": override.created_by,
                "codes": ", ".join(code.value for code in override.codes),
                "until": override.expires_on.isoformat(),
                "reason": override.reason,
                "waiting": waiting,
            },
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        return {"type": "ir.actions.act_window_close"}


class FlgOverrideApproveWizard(models.TransientModel):
    _name = "flg.override.approve.wizard"
    _description = "Approve a forced labour screening override"

    order_id = fields.Many2one("purchase.order", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Vendor", readonly=True)
    override_id = fields.Char(string="Override id", required=True)
    pending = fields.Text(string="Overrides on this record", readonly=True)

    @api.model
    def _flg_open(self, order=None, partner=None):
        record = order or partner
        wizard = self.create(
            {
                "order_id": order.id if order else False,
                "partner_id": partner.id if partner else False,
                "pending": record.flg_overrides,
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_approve(self):
        self.ensure_one()
        settings = self.env["flg.screening"]._flg_settings()
        try:
            override = addon.approve_override(
                settings, self.override_id.strip(), by=_who(self.env.user)
            )
        except FlgError as error:
            raise UserError(str(error)) from None
        target = self.order_id or self.partner_id
        if target:
            target.message_post(
                body=_("Override %(id)s approved by %(who)s.")
                % {"id": override.id, "who": _who(self.env.user)},
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )
        return {"type": "ir.actions.act_window_close"}
