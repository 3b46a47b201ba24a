from odoo import fields, models


class DunningReminderLine(models.Model):
    """One invoice in a reminder, with what was due on the reminder's date."""

    _name = "l10n_fr_dunning.reminder.line"
    _inherit = ["l10n_fr_dunning.reminder.content"]
    _description = "Invoice in a dunning reminder"
    _order = "invoice_date_due, id"
    _check_company_auto = True

    reminder_id = fields.Many2one("l10n_fr_dunning.reminder", required=True, ondelete="cascade", index=True)
    move_id = fields.Many2one(
        "account.move",
        string="Invoice",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
    )
    company_id = fields.Many2one(related="reminder_id.company_id", store=True)
    currency_id = fields.Many2one(related="reminder_id.currency_id")
    partner_id = fields.Many2one(related="reminder_id.partner_id")
    level_id = fields.Many2one(related="reminder_id.level_id", store=True)
    state = fields.Selection(related="reminder_id.state", store=True)
    date = fields.Date(related="reminder_id.date", store=True)
    invoice_date = fields.Date(related="move_id.invoice_date")
    invoice_date_due = fields.Date(related="move_id.invoice_date_due", store=True)
    amount_total = fields.Monetary(string="Invoice total", readonly=True)
    amount_residual = fields.Monetary(string="Amount due", readonly=True)
    amount_penalty = fields.Monetary(string="Penalties", readonly=True)
    amount_indemnity = fields.Monetary(string="Recovery indemnity", readonly=True)
    days_late = fields.Integer(readonly=True)
    late_instalments = fields.Char(
        string="Late instalments",
        readonly=True,
        help="Due dates of the instalments already late when the invoice has several (Code de commerce L441-10 II).",
    )
    amount_error = fields.Char(
        string="Interest problem",
        readonly=True,
        help="Why the interest could not be computed (a missing rate): the amounts are not claimed until it is fixed.",
    )

    def _content_label(self):
        return self.env._("invoices")
