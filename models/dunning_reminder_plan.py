from odoo import fields, models


class DunningReminder(models.Model):
    """The reminder that resumes dunning after a payment plan broke recalls the plan."""

    _inherit = "l10n_fr_dunning.reminder"

    payment_plan_id = fields.Many2one(
        "l10n_fr_dunning.payment.plan",
        string="Broken payment plan recalled",
        readonly=True,
        copy=False,
        index="btree_not_null",
        check_company=True,
    )
    payment_plan_count = fields.Integer(compute="_compute_payment_plan_count")

    def _compute_payment_plan_count(self):
        counts = dict(
            self.env["l10n_fr_dunning.payment.plan"]._read_group(
                [("reminder_id", "in", self.ids)], ["reminder_id"], ["__count"]
            )
        )
        for reminder in self:
            reminder.payment_plan_count = counts.get(reminder, 0)

    def action_open_payment_plan(self):
        """The plans made from this reminder, or a new draft plan for its invoices."""
        self.ensure_one()
        plans = self.env["l10n_fr_dunning.payment.plan"].search([("reminder_id", "=", self.id)])
        action = {
            "type": "ir.actions.act_window",
            "name": self.env._("Payment plan"),
            "res_model": "l10n_fr_dunning.payment.plan",
        }
        if plans:
            return action | {"view_mode": "list,form", "domain": [("id", "in", plans.ids)]}
        plan = self.env["l10n_fr_dunning.payment.plan"]._new_from_reminder(self)
        return action | {"view_mode": "form", "res_id": plan.id}
