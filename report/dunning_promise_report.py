from odoo import api, fields, models
from odoo.tools import SQL


class DunningPromiseReport(models.Model):
    """Each promise to pay with its outcome, as of today.

    Paid by the promised date = what the invoice owed when the promise was made minus what it owes as of the
    promised date (today while it is not reached), the invoice's receivable lines less their reconciliations dated
    (latest date of the reconciliation) on or before that day. Kept: that covers the promised amount (to the cent);
    broken: the promised date has passed and it does not; running: the date is not reached yet.
    """

    _name = "l10n_fr_dunning.promise.report"
    _description = "Promises to pay kept or broken"
    _auto = False
    _order = "date desc, id desc"
    _depends = {
        "l10n_fr_dunning.promise": [
            "move_id",
            "company_id",
            "partner_id",
            "source",
            "date_made",
            "date",
            "amount",
            "amount_due",
        ],
        "res.company": ["currency_id"],
        "account.move.line": ["move_id", "account_id", "balance"],
        "account.account": ["account_type"],
        "account.partial.reconcile": ["debit_move_id", "amount", "max_date"],
    }

    promise_id = fields.Many2one("l10n_fr_dunning.promise", readonly=True)
    move_id = fields.Many2one("account.move", string="Invoice", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    source = fields.Selection(selection="_selection_source", readonly=True)
    date_made = fields.Date(string="Made on", readonly=True)
    date = fields.Date(string="Promised payment date", readonly=True)
    amount = fields.Monetary(string="Promised amount", readonly=True)
    amount_paid = fields.Monetary(string="Paid by the promised date", readonly=True)
    status = fields.Selection(
        [("kept", "Kept"), ("broken", "Broken"), ("running", "Running")],
        readonly=True,
    )

    @api.model
    def _selection_source(self):
        return self.env["l10n_fr_dunning.promise"]._fields["source"].selection

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT promise.id, promise.id AS promise_id, promise.move_id, promise.company_id, company.currency_id,
                   promise.partner_id, promise.source, promise.date_made, promise.date, promise.amount,
                   GREATEST(promise.amount_due - owed.amount, 0) AS amount_paid,
                   CASE WHEN promise.amount_due - owed.amount >= promise.amount - 0.005 THEN 'kept'
                        WHEN promise.date < CURRENT_DATE THEN 'broken'
                        ELSE 'running' END AS status
              FROM l10n_fr_dunning_promise promise
              JOIN res_company company ON company.id = promise.company_id
             CROSS JOIN LATERAL (
                    SELECT COALESCE(SUM(receivable.balance), 0) - COALESCE(SUM(paid.amount), 0) AS amount
                      FROM account_move_line receivable
                      JOIN account_account account ON account.id = receivable.account_id
                                                  AND account.account_type = 'asset_receivable'
                      LEFT JOIN LATERAL (
                            SELECT SUM(partial.amount) AS amount
                              FROM account_partial_reconcile partial
                             WHERE partial.debit_move_id = receivable.id
                               AND partial.max_date <= LEAST(promise.date, CURRENT_DATE)
                           ) paid ON TRUE
                     WHERE receivable.move_id = promise.move_id
                   ) owed
            """
        )

    @api.model
    def _count_by_status(self, company, date_from, date_to):
        """{status: (count, promised amount)} of the promises of ``company`` falling due in the period."""
        groups = self._read_group(
            [("company_id", "=", company.id), ("date", ">=", date_from), ("date", "<=", date_to)],
            ["status"],
            ["__count", "amount:sum"],
        )
        return {status: (count, amount) for status, count, amount in groups}
