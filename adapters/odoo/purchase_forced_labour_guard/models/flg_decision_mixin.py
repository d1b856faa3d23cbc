"""The decision fields shown on the "Forced labour" tab of orders and vendors, and writing a new
decision there: the fields, a chatter note when the decision changed, an activity on warn/block."""

import logging

from odoo import api, fields, models
from odoo.tools import plaintext2html

from forced_labour_guard.adapters.odoo import addon
from forced_labour_guard.adapters.odoo.writeback import (
    ACTIVITY_TYPE,
    activity_summary,
    needs_activity,
    note_text,
)

_logger = logging.getLogger(__name__)

ACTIONS = [("allow", "Allow"), ("warn", "Warn"), ("block", "Block")]


class FlgDecisionMixin(models.AbstractModel):
    _name = "flg.decision.mixin"
    _description = "Forced labour screening result"

    flg_action = fields.Selection(ACTIONS, string="Screening result", readonly=True, copy=False)
    flg_reasons = fields.Text(string="Reasons", readonly=True, copy=False)
    flg_findings = fields.Text(string="Findings", readonly=True, copy=False)
    flg_steps = fields.Char(string="Call-to-Action steps", readonly=True, copy=False)
    flg_list_versions = fields.Text(string="Lists used", readonly=True, copy=False)
    flg_warnings = fields.Text(string="Limits of this screening", readonly=True, copy=False)
    flg_screened_at = fields.Datetime(string="Screened at", readonly=True, copy=False)
    flg_fingerprint = fields.Char(readonly=True, copy=False)
    flg_decision_json = fields.Text(
        string="Decision (JSON)",
        readonly=True,
        copy=False,
        groups="purchase_forced_labour_guard.group_flg_compliance",
    )

    def _flg_label(self):
        self.ensure_one()
        return self.display_name

    def _flg_responsible(self):
        """Who gets the activity: the buyer on an order, the vendor's purchase representative."""
        self.ensure_one()
        return self.user_id if "user_id" in self._fields else self.env["res.users"]

    def _flg_apply(self, decision):
        """Store ``decision`` on the record; note and activity only when it says something new."""
        self.ensure_one()
        due = addon.note_is_due(decision, self.sudo().flg_fingerprint)
        self.sudo().with_context(flg_no_rescreen=True).write(addon.decision_values(decision))
        if not due:
            return
        self.message_post(
            body=plaintext2html(note_text(decision)),
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        if needs_activity(decision):
            values = {
                "summary": activity_summary(decision, self._flg_label()),
                "note": "\n".join(decision.reasons),
            }
            responsible = self._flg_responsible()
            if responsible:
                values["user_id"] = responsible.id
            self.activity_schedule(ACTIVITY_TYPE, fields.Date.context_today(self), **values)

    def _flg_apply_in_own_transaction(self, decision):
        """Keep a refusal's decision on the record although the refusal rolls back the request's
        transaction: write it through a second cursor. A failure here only loses the tab's copy;
        the decision is on record in the audit store either way."""
        self.ensure_one()
        try:
            with self.env.registry.cursor() as cr:
                self.with_env(self.env(cr=cr))._flg_apply(decision)
        except Exception:  # the refusal itself must still reach the buyer
            _logger.exception("could not keep the screening result on %s", self._flg_label())

    @api.model
    def _flg_service(self):
        return self.env["flg.screening"]

    def action_flg_screen(self):
        """The "Screen now" button."""
        for record in self:
            record._flg_apply(record._flg_service()._flg_screen(record, record._flg_label()))
        return True

    @api.depends("flg_decision_json")
    def _compute_flg_overrides(self):
        for record in self:
            record.flg_overrides = record._flg_overrides_text()

    flg_overrides = fields.Text(string="Overrides", compute="_compute_flg_overrides")

    def _flg_overrides_text(self):
        return ""

    @staticmethod
    def _flg_describe(overrides, today):
        return "\n".join(
            f"{o.id}: {', '.join(c.value for c in o.codes)} ({o.status(today)}) by {o.created_by}"
            f"{'; approved by ' + ', '.join(o.second_approvers) if o.second_approvers else ''}"
            f"; until {o.expires_on.isoformat()}: {o.reason}"
            for o in overrides
        )
