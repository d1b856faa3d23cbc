"""Vendors: re-screened when what screening reads changes, with the result on their own tab."""

from odoo import api, fields, models

from forced_labour_guard.adapters.odoo import addon
from forced_labour_guard.adapters.odoo.fields import PARTNER_FIELDS
from forced_labour_guard.adapters.odoo.mapping import record_ref

SCREENED_FIELDS = frozenset(name for field in PARTNER_FIELDS for name in field.candidates) | {
    "flg_related_company_ids",
    "supplier_rank",
}


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "flg.decision.mixin"]

    flg_related_company_ids = fields.One2many(
        "flg.related.company", "partner_id", string="Related companies"
    )

    def _flg_vendors(self):
        """The commercial partners among ``self`` (or above a contact) that are vendors."""
        return self.commercial_partner_id.filtered(lambda partner: partner.supplier_rank > 0)

    def _flg_rescreen(self):
        if self.env.context.get("flg_no_rescreen"):
            return
        for vendor in self._flg_vendors():
            vendor.action_flg_screen()

    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        partners._flg_rescreen()
        return partners

    def write(self, vals):
        result = super().write(vals)
        if SCREENED_FIELDS & set(vals):
            self._flg_rescreen()
        return result

    def _flg_overrides_text(self):
        self.ensure_one()
        if not self.id:
            return ""
        settings = self.env["flg.screening"]._flg_settings()
        overrides = addon.overrides_for(settings, supplier_id=record_ref("res.partner", self.id))
        return self._flg_describe(overrides, fields.Date.context_today(self))

    def action_flg_request_override(self):
        self.ensure_one()
        return self.env["flg.override.wizard"]._flg_open(partner=self)

    def action_flg_approve_override(self):
        self.ensure_one()
        return self.env["flg.override.approve.wizard"]._flg_open(partner=self)

    def action_flg_send_b4(self):
        """Send the B4 instruction to this vendor through Odoo's mail (the library's letter)."""
        self.ensure_one()
        service = self.env["flg.screening"]
        settings = service._flg_settings()
        supplier = service._flg_supplier(self)
        (partner_row,) = self.read(["email", "lang"])
        company = self.env.company
        letterhead = [
            line for line in (company.street, company.city, company.country_id.name) if line
        ]
        results = addon.issue_b4(
            settings,
            [addon.recipient_for(supplier, partner_row)],
            company=addon.Company(
                name=company.name,
                contact_email=company.email or self.env.user.email,
                contact_phone=company.phone or "",
                letterhead=letterhead,
            ),
            send=self._flg_queue_mail,
            today=fields.Date.context_today(self),
        )
        for result in results:
            self.message_post(
                body=f"B4 instruction {result.reference}: {result.outcome} {result.detail}".strip(),
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )
        return True

    def _flg_queue_mail(self, values):
        """Queue one campaign message as a ``mail.mail`` through the B4 mail template; the body
        and subject are the library's rendered letter."""
        template = self.env.ref("purchase_forced_labour_guard.mail_template_b4_instruction")
        attachments = self.env["ir.attachment"].create(
            [
                {"name": name, "raw": content, "res_model": self._name, "res_id": self.id}
                for name, content in values["attachments"]
            ]
        )
        mail_id = template.send_mail(
            self.id,
            email_values={
                "subject": values["subject"],
                "body_html": values["body_html"],
                "email_from": values["email_from"],
                "email_to": values["email_to"],
                "reply_to": values["reply_to"],
                "message_id": values["message_id"],
                "recipient_ids": [],
                "attachment_ids": [(4, attachment.id) for attachment in attachments],
            },
        )
        return f"mail.mail,{mail_id}"

    def action_flg_record_acknowledgement(self):
        self.ensure_one()
        return self.env["flg.acknowledgement.wizard"]._flg_open(self)
