from odoo import api, fields, models
from odoo.tools import SQL

from ..lib.debtor_regimes import DEBTOR_KINDS


class DunningRecoveryReport(models.Model):
    """What each sent reminder recovered: one row per invoice of a sent reminder.

    Collected = the reconciliations of the invoice's receivable lines with a payment or bank entry (journal
    entries; credit notes are not collections) dated (the reconciliation's latest date) from the day the reminder
    was sent to that day + the company's recovery window. A payment within the windows of two reminders of the
    invoice is counted once, for the latest reminder sent on or before it.
    """

    _name = "l10n_fr_dunning.recovery.report"
    _description = "Dunning recovery analysis"
    _auto = False
    _order = "date desc, id desc"
    _depends = {
        "l10n_fr_dunning.reminder": ["company_id", "partner_id", "level_id", "channel", "state", "date", "sent_date"],
        "l10n_fr_dunning.reminder.line": ["reminder_id", "move_id", "amount_residual"],
        "res.company": ["currency_id", "dunning_recovery_days"],
        "res.partner": ["dunning_debtor_kind"],
        "account.move": ["move_type"],
        "account.move.line": ["move_id", "account_id"],
        "account.account": ["account_type"],
        "account.partial.reconcile": ["debit_move_id", "credit_move_id", "amount", "max_date"],
    }

    reminder_id = fields.Many2one("l10n_fr_dunning.reminder", readonly=True)
    move_id = fields.Many2one("account.move", string="Invoice", readonly=True)
    level_id = fields.Many2one("l10n_fr_dunning.level", readonly=True)
    channel = fields.Selection(selection="_selection_channel", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    debtor_kind = fields.Selection(DEBTOR_KINDS, readonly=True)
    date = fields.Date(string="Sent on", readonly=True)
    amount_claimed = fields.Monetary(readonly=True)
    amount_collected = fields.Monetary(string="Collected in the window", readonly=True)
    recovery_rate = fields.Float(string="Recovery rate (%)", aggregator="avg", readonly=True)

    @api.model
    def _selection_channel(self):
        return self.env["l10n_fr_dunning.level"]._fields["channel"].selection

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT line.id, line.reminder_id, line.move_id, reminder.level_id, reminder.channel, reminder.company_id,
                   company.currency_id, reminder.partner_id, customer.dunning_debtor_kind AS debtor_kind,
                   sent.date, line.amount_residual AS amount_claimed,
                   COALESCE(collected.amount, 0) AS amount_collected,
                   CASE WHEN line.amount_residual > 0
                        THEN 100.0 * COALESCE(collected.amount, 0) / line.amount_residual END AS recovery_rate
              FROM l10n_fr_dunning_reminder_line line
              JOIN l10n_fr_dunning_reminder reminder ON reminder.id = line.reminder_id
              JOIN res_company company ON company.id = reminder.company_id
              JOIN res_partner customer ON customer.id = reminder.partner_id
             CROSS JOIN LATERAL (SELECT COALESCE(reminder.sent_date, reminder.date) AS date) sent
              LEFT JOIN LATERAL (
                    SELECT SUM(partial.amount) AS amount
                      FROM account_move_line receivable
                      JOIN account_account account ON account.id = receivable.account_id
                                                  AND account.account_type = 'asset_receivable'
                      JOIN account_partial_reconcile partial ON partial.debit_move_id = receivable.id
                      JOIN account_move_line paying ON paying.id = partial.credit_move_id
                      JOIN account_move payment ON payment.id = paying.move_id AND payment.move_type = 'entry'
                     WHERE receivable.move_id = line.move_id
                       AND partial.max_date BETWEEN sent.date AND sent.date + company.dunning_recovery_days
                       AND NOT EXISTS (
                            SELECT 1
                              FROM l10n_fr_dunning_reminder_line later_line
                              JOIN l10n_fr_dunning_reminder later ON later.id = later_line.reminder_id
                             WHERE later_line.move_id = line.move_id AND later.state = 'sent'
                               AND COALESCE(later.sent_date, later.date) > sent.date
                               AND COALESCE(later.sent_date, later.date) <= partial.max_date)
                   ) collected ON TRUE
             WHERE reminder.state = 'sent'
            """
        )

    @api.model
    def _totals_by_level_and_channel(self, company, date_from, date_to):
        """[(level, channel, claimed, collected)] of the reminders ``company`` sent in the period."""
        groups = self._read_group(
            [("company_id", "=", company.id), ("date", ">=", date_from), ("date", "<=", date_to)],
            ["level_id", "channel"],
            ["amount_claimed:sum", "amount_collected:sum"],
            order="level_id, channel",
        )
        return groups
