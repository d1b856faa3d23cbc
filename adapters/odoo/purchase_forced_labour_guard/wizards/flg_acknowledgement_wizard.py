"""Recording a supplier's answer to its B4 instruction, with proof, in the library's campaign."""

import base64

from odoo import api, fields, models
from odoo.exceptions import UserError

from forced_labour_guard.adapters.odoo import addon
from forced_labour_guard.errors import FlgError


class FlgAcknowledgementWizard(models.TransientModel):
    _name = "flg.acknowledgement.wizard"
    _description = "Record a B4 acknowledgement"

    partner_id = fields.Many2one("res.partner", string="Vendor", readonly=True)
    reference = fields.Char(string="Instruction reference", required=True)
    received_on = fields.Date(required=True, default=fields.Date.context_today)
    signed_by = fields.Char()
    note = fields.Text()
    attachment_ids = fields.Many2many("ir.attachment", string="Proof documents")

    @api.model
    def _flg_open(self, partner):
        service = self.env["flg.screening"]
        try:
            reference = addon.instruction_reference(
                service._flg_settings(), service._flg_supplier(partner)
            )
        except FlgError as error:
            raise UserError(str(error)) from None
        if not reference:
            raise UserError(
                self.env._("No B4 instruction has been sent to %s yet.", partner.display_name)
            )
        wizard = self.create({"partner_id": partner.id, "reference": reference})
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_record(self):
        self.ensure_one()
        proofs = [(a.name, base64.b64decode(a.datas or b"")) for a in self.attachment_ids]
        try:
            ack = addon.record_acknowledgement(
                self.env["flg.screening"]._flg_settings(),
                self.reference.strip(),
                received_on=self.received_on,
                signed_by=self.signed_by or "",
                note=self.note or "",
                recorded_by=f"{self.env.user.name} ({self.env.user.login})",
                proofs=proofs,
            )
        except FlgError as error:
            raise UserError(str(error)) from None
        self.partner_id.message_post(
            body=self.env._(
                "B4 acknowledgement %(id)s recorded for %(ref)s with %(count)s proof document(s); it awaits review.",
                id=ack.id,
                ref=ack.reference,
                count=len(ack.proofs),
            ),
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        return {"type": "ir.actions.act_window_close"}
