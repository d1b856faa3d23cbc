"""Screening at "Confirm Order": a block refuses the confirmation with the reasons (Odoo raises the
text ``_confirmation_error_message()`` returns); a warn confirms and leaves a note and an activity."""

from odoo import fields, models

from forced_labour_guard.adapters.odoo import addon


class PurchaseOrder(models.Model):
    _name = "purchase.order"
    _inherit = ["purchase.order", "flg.decision.mixin"]

    def _flg_label(self):
        self.ensure_one()
        return self.name

    def _confirmation_error_message(self):
        message = super()._confirmation_error_message()
        if message:
            return message
        decision = self.env["flg.screening"]._flg_screen(self, self.name)
        refusal = addon.confirmation_error(decision, self.name)
        if refusal:
            self._flg_apply_in_own_transaction(decision)
            return refusal
        self._flg_apply(decision)
        return False

    def _flg_overrides_text(self):
        self.ensure_one()
        if not self.name:
            return ""
        settings = self.env["flg.screening"]._flg_settings()
        overrides = addon.overrides_for(settings, po_id=self.name)
        return self._flg_describe(overrides, fields.Date.context_today(self))

    def action_flg_request_override(self):
        self.ensure_one()
        return self.env["flg.override.wizard"]._flg_open(order=self)

    def action_flg_approve_override(self):
        self.ensure_one()
        return self.env["flg.override.approve.wizard"]._flg_open(order=self)
