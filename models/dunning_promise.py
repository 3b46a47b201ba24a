from odoo import api, fields, models


class DunningPromise(models.Model):
    """A promise to pay one invoice, as it was made: kept when a newer promise replaces the invoice's, so the
    dashboard can say which promises were kept or broken."""

    _name = "l10n_fr_dunning.promise"
    _description = "Promise to pay (history)"
    _order = "date_made desc, id desc"
    _check_company_auto = True

    move_id = fields.Many2one(
        "account.move",
        string="Invoice",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    company_id = fields.Many2one(related="move_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(related="move_id.commercial_partner_id", string="Customer", store=True)
    currency_id = fields.Many2one(related="move_id.company_currency_id")
    date_made = fields.Date(string="Made on", required=True, readonly=True, default=fields.Date.context_today)
    date = fields.Date(string="Promised payment date", required=True, readonly=True)
    amount = fields.Monetary(string="Promised amount", required=True, readonly=True)
    amount_due = fields.Monetary(
        string="Amount due when promised",
        required=True,
        readonly=True,
        help="The promise is kept when, by the promised date, the invoice owes no more than this minus the "
        "promised amount.",
    )
    source = fields.Selection(
        [("user", "Recorded by a user"), ("portal", "Made on the reminder page")],
        required=True,
        readonly=True,
        default="user",
    )

    @api.depends("move_id", "date")
    def _compute_display_name(self):
        for promise in self:
            promise.display_name = f"{promise.move_id.name} – {promise.date}"
