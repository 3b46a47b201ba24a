from odoo import fields, models


class DunningPortalAnswer(models.Model):
    """An answer a customer sent from the page of a reminder: kept as a record, and counted to rate-limit the link."""

    _name = "l10n_fr_dunning.portal.answer"
    _description = "Customer answer from the reminder page"
    _order = "create_date desc, id desc"
    _check_company_auto = True

    reminder_id = fields.Many2one(
        "l10n_fr_dunning.reminder",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    partner_id = fields.Many2one(related="reminder_id.partner_id", string="Customer", store=True)
    company_id = fields.Many2one(related="reminder_id.company_id", store=True)
    kind = fields.Selection(
        [("promise", "Promise to pay"), ("dispute", "Dispute"), ("plan", "Payment plan request")],
        required=True,
        readonly=True,
    )
    summary = fields.Text(readonly=True)
