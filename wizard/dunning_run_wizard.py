from odoo import api, fields, models
from odoo.tools import format_amount, format_date


class DunningRunWizard(models.TransientModel):
    """The dry run of *Run dunning now*: what the run would send today, per customer, level and channel, with
    the failures foreseen, decided by the run's own code (``l10n_fr_dunning.run._plan_company``); nothing is
    written until *Confirm and run*."""

    _name = "l10n_fr_dunning.run.wizard"
    _description = "Dunning run: dry run"

    line_ids = fields.One2many("l10n_fr_dunning.run.wizard.line", "wizard_id", string="Customers", readonly=True)
    currency_id = fields.Many2one("res.currency", default=lambda self: self.env.company.currency_id)
    customer_count = fields.Integer(compute="_compute_totals")
    problem_count = fields.Integer(compute="_compute_totals")
    amount_total = fields.Monetary(string="Total claimed", compute="_compute_totals")
    left_out_note = fields.Text(string="Customers left out", readonly=True)
    postponed_note = fields.Text(
        string="Postponed",
        readonly=True,
        help="Customers due a reminder whose level does not send today (weekend, month end): the run of the day "
        "shown sends it.",
    )
    breakdown_html = fields.Html(string="Per level and channel", compute="_compute_totals", sanitize=False)

    @api.depends("line_ids")
    def _compute_totals(self):
        for wizard in self:
            lines = wizard.line_ids
            wizard.customer_count = len(lines)
            wizard.problem_count = len(lines.filtered("problem"))
            wizard.amount_total = sum(lines.mapped("amount_total"))
            wizard.breakdown_html = self.env["l10n_fr_dunning.run.log"]._breakdown_table(
                [(line.level_id, line.channel, line.amount_total, bool(line.problem)) for line in lines],
                wizard.currency_id,
            )

    @api.model
    def _open_dry_run(self):
        """Compute the dry run of the current companies and open it."""
        today = fields.Date.context_today(self)
        lines, left_out, postponed = [], [], []
        Run = self.env["l10n_fr_dunning.run"].sudo()
        for company in self.env.companies:
            plan, missing, later, breaking = Run.with_company(company)._plan_company(company, today)
            lines += [
                fields.Command.create(
                    self.env["l10n_fr_dunning.run.wizard.line"]._values_of(
                        company, values, line_values, problem, breaking
                    )
                )
                for values, line_values, problem in plan
            ]
            left_out += [f"{customer.display_name}: {reason}" for customer, reason in missing.items()]
            postponed += [
                self.env._(
                    "%(customer)s: postponed to %(date)s",
                    customer=customer.display_name,
                    date=format_date(self.env, day),
                )
                for customer, day in later.items()
            ]
        wizard = self.create(
            {
                "line_ids": lines,
                "left_out_note": "\n".join(left_out) or False,
                "postponed_note": "\n".join(postponed) or False,
            }
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Run dunning now: what would go out"),
            "res_model": self._name,
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_confirm(self):
        """Run the dunning for real (it decides again, on the data of now) and open its summaries."""
        logs = self.env["l10n_fr_dunning.run"]._run_now()
        action = {
            "type": "ir.actions.act_window",
            "name": self.env._("Dunning run summary"),
            "res_model": "l10n_fr_dunning.run.log",
            "target": "current",
        }
        if len(logs) == 1:
            return {**action, "res_id": logs.id, "view_mode": "form", "views": [(False, "form")]}
        return {**action, "view_mode": "list,form", "domain": [("id", "in", logs.ids)]}


class DunningRunWizardLine(models.TransientModel):
    """One customer the run would remind, with what its reminder would claim and the problem foreseen."""

    _name = "l10n_fr_dunning.run.wizard.line"
    _description = "Dunning run: customer of the dry run"
    _order = "level_sequence, partner_id"

    wizard_id = fields.Many2one("l10n_fr_dunning.run.wizard", required=True, ondelete="cascade")
    company_id = fields.Many2one("res.company", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    contact_id = fields.Many2one("res.partner", string="Sent to", readonly=True)
    level_id = fields.Many2one("l10n_fr_dunning.level", readonly=True)
    level_sequence = fields.Integer(related="level_id.sequence", store=True)
    channel = fields.Selection(related="level_id.channel")
    invoice_count = fields.Integer(string="Invoices", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount_residual = fields.Monetary(string="Amount due", readonly=True)
    amount_penalty = fields.Monetary(string="Penalties", readonly=True)
    amount_indemnity = fields.Monetary(string="Recovery indemnities", readonly=True)
    amount_total = fields.Monetary(string="Total claimed", readonly=True)
    problem = fields.Char(string="Problem foreseen", readonly=True)
    payment_plan_id = fields.Many2one("l10n_fr_dunning.payment.plan", string="Plan recalled", readonly=True)
    plan_note = fields.Char(string="Payment plan", readonly=True)

    @api.model
    def _values_of(self, company, values, line_values, problem, breaking):
        """Line values of a reminder the run would create (``values``, its lines' ``line_values``), with the
        reminder's own total: amounts due, penalties and indemnities less the credits, and the payment plan it
        recalls (``breaking``: {plan the run breaks today: its instalment missed})."""
        residual = sum(line["amount_residual"] for line in line_values)
        penalty = sum(line["amount_penalty"] for line in line_values)
        indemnity = sum(line["amount_indemnity"] for line in line_values)
        credits = sum(command[2]["amount"] for command in values["credit_ids"])
        return {
            "company_id": company.id,
            "partner_id": values["partner_id"],
            "contact_id": values["contact_id"],
            "level_id": values["level_id"],
            "invoice_count": len(line_values),
            "amount_residual": residual,
            "amount_penalty": penalty,
            "amount_indemnity": indemnity,
            "amount_total": residual + penalty + indemnity - credits,
            "problem": problem or False,
            "payment_plan_id": values["payment_plan_id"],
            "plan_note": self._plan_note(values["payment_plan_id"], breaking),
        }

    @api.model
    def _plan_note(self, plan_id, breaking):
        """What the line says of the payment plan its reminder recalls: breaking today (which instalment) or
        broken before."""
        if not plan_id:
            return False
        plan = self.env["l10n_fr_dunning.payment.plan"].browse(plan_id)
        missed = breaking.get(plan)
        if not missed:
            return self.env._("Broken plan recalled")
        return self.env._(
            "Plan breaks today: instalment of %(amount)s due on %(date)s unpaid",
            amount=format_amount(self.env, missed.amount, plan.currency_id),
            date=format_date(self.env, missed.date_due),
        )
