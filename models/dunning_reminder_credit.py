from odoo import api, fields, models
from odoo.tools import SQL


class DunningReminderCredit(models.Model):
    """A credit note or payment of the customer not reconciled with any invoice when the reminder was made.

    It reduces what the reminder claims: the debtor owes the net balance (Code civil 1347, compensation).
    """

    _name = "l10n_fr_dunning.reminder.credit"
    _inherit = ["l10n_fr_dunning.reminder.content"]
    _description = "Credit deducted in a dunning reminder"
    _order = "date, id"
    _check_company_auto = True

    reminder_id = fields.Many2one("l10n_fr_dunning.reminder", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="reminder_id.company_id", store=True)
    currency_id = fields.Many2one(related="reminder_id.currency_id")
    move_id = fields.Many2one(
        "account.move",
        string="Document",
        required=True,
        readonly=True,
        ondelete="restrict",
        check_company=True,
    )
    date = fields.Date(readonly=True)
    name = fields.Char(string="Reference", readonly=True)
    amount = fields.Monetary(string="Amount not allocated", readonly=True)

    def _content_label(self):
        return self.env._("credits")

    @api.model
    def _open_credits(self, company, customer_ids):
        """{customer id: [credit values]}: the posted receivable credits of these customers in ``company`` that
        are not reconciled (credit notes, payments on account), in company currency, in one query."""
        if not customer_ids:
            return {}
        self.env["account.move.line"].flush_model(["amount_residual", "reconciled", "partner_id", "parent_state"])
        self.env.cr.execute(
            SQL(
                """
            SELECT partner.commercial_partner_id, line.move_id, line.date, COALESCE(move.ref, move.name),
                   -SUM(line.amount_residual)
              FROM account_move_line line
              JOIN account_account account ON account.id = line.account_id
              JOIN res_partner partner ON partner.id = line.partner_id
              JOIN account_move move ON move.id = line.move_id
             WHERE line.company_id = %(company)s AND line.parent_state = 'posted'
               AND account.account_type = 'asset_receivable' AND NOT line.reconciled
               AND line.amount_residual < 0 AND partner.commercial_partner_id IN %(customers)s
          GROUP BY partner.commercial_partner_id, line.move_id, line.date, move.ref, move.name
          ORDER BY line.date, line.move_id
            """,
                company=company.id,
                customers=tuple(customer_ids),
            )
        )
        credits = {}
        for customer_id, move_id, day, name, amount in self.env.cr.fetchall():
            credits.setdefault(customer_id, []).append(
                {"move_id": move_id, "date": day, "name": name, "amount": float(amount)}
            )
        return credits
