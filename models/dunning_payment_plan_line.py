from datetime import date

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..lib import payment_plans


class DunningPaymentPlanLine(models.Model):
    """One instalment of a payment plan: what is due on which day, and what the payments made since the plan was
    accepted cover of it (allocated to the instalments in due-date order)."""

    _name = "l10n_fr_dunning.payment.plan.line"
    _description = "Payment plan instalment"
    _order = "plan_id, date_due, id"
    _check_company_auto = True

    plan_id = fields.Many2one(
        "l10n_fr_dunning.payment.plan", required=True, index=True, ondelete="cascade", check_company=True
    )
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="plan_id.currency_id")
    date_due = fields.Date(string="Due date", required=True)
    amount = fields.Monetary(required=True)
    amount_paid = fields.Monetary(string="Paid", compute="_compute_amount_paid")
    state = fields.Selection(
        [("to_pay", "To pay"), ("paid", "Paid"), ("late", "Late")],
        compute="_compute_amount_paid",
    )

    @api.depends("plan_id.amount_paid", "plan_id.line_ids.amount", "plan_id.line_ids.date_due", "date_due", "amount")
    def _compute_amount_paid(self):
        today = fields.Date.context_today(self)
        paid_by_line = {}
        for plan in self.plan_id:
            lines = plan.line_ids.sorted(lambda line: line.date_due or date.max)
            allocated = payment_plans.allocate_paid([line.amount for line in lines], plan.amount_paid)
            paid_by_line.update(zip(lines, map(float, allocated), strict=True))
        for line in self:
            line.amount_paid = paid = paid_by_line.get(line, 0.0)
            if line.plan_id and line.currency_id.compare_amounts(paid, line.amount) >= 0:
                line.state = "paid"
            elif line.date_due and line.date_due < today:
                line.state = "late"
            else:
                line.state = "to_pay"

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._check_plan_draft()
        return lines

    def write(self, vals):
        self._check_plan_draft()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_draft_only(self):
        self._check_plan_draft()

    def _check_plan_draft(self):
        """Once accepted, a schedule never changes: a renegotiation is a new plan."""
        if any(line.plan_id.state != "draft" for line in self):
            raise UserError(
                self.env._("An accepted payment plan never changes: cancel it and make a new plan to renegotiate.")
            )
