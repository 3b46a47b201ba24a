from odoo import api, fields, models
from odoo.tools import SQL

MONTHS = 24
"""Month ends the ageing and DSO series shows, the current month included (as of today)."""


class DunningAgeingReport(models.Model):
    """Receivables, their ageing and the DSO at each month end of the last 24 months, per company.

    As of each month end (today for the current month), from the posted lines of receivable accounts:
    - receivables: the balance of those lines dated on or before that day;
    - ageing: what the invoices' debit lines still owed that day (their amount less their reconciliations dated on
      or before it), by days past their due date: not due, 1-30, 31-60, 61-90, over 90;
    - DSO (days sales outstanding) = receivables / sales of the three calendar months ending that day × the number
      of days of those months up to that day (about 91), sales being the receivable amounts (VAT included) of the
      customer invoices less credit notes dated in those months.
    """

    _name = "l10n_fr_dunning.ageing.report"
    _description = "Receivables ageing and DSO over time"
    _auto = False
    _order = "date desc, company_id"
    _depends = {
        "res.company": ["currency_id"],
        "account.move": ["move_type"],
        "account.move.line": [
            "move_id",
            "account_id",
            "company_id",
            "date",
            "date_maturity",
            "balance",
            "parent_state",
        ],
        "account.account": ["account_type"],
        "account.partial.reconcile": ["debit_move_id", "amount", "max_date"],
    }

    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    date = fields.Date(string="Month end", readonly=True)
    amount_receivable = fields.Monetary(string="Receivables", readonly=True)
    amount_sales = fields.Monetary(string="Sales of the last 3 months", readonly=True)
    dso = fields.Float(string="DSO (days)", digits=(16, 1), aggregator="avg", readonly=True)
    amount_not_due = fields.Monetary(string="Not due", readonly=True)
    amount_1_30 = fields.Monetary(string="1-30 days late", readonly=True)
    amount_31_60 = fields.Monetary(string="31-60 days late", readonly=True)
    amount_61_90 = fields.Monetary(string="61-90 days late", readonly=True)
    amount_91_more = fields.Monetary(string="Over 90 days late", readonly=True)

    @property
    def _table_query(self):
        return SQL(
            """
            WITH month_end AS (
                SELECT company.id AS company_id, company.currency_id, ends.date,
                       LEAST(ends.date, CURRENT_DATE) AS as_of,
                       (date_trunc('month', ends.date) - INTERVAL '2 months')::date AS sales_from
                  FROM res_company company
                 CROSS JOIN LATERAL (
                        SELECT (month + INTERVAL '1 month - 1 day')::date AS date
                          FROM generate_series(date_trunc('month', CURRENT_DATE) - %(back)s * INTERVAL '1 month',
                                               date_trunc('month', CURRENT_DATE), INTERVAL '1 month') month
                       ) ends
            ),
            receivable AS (
                SELECT line.id, line.company_id, line.date, COALESCE(line.date_maturity, line.date) AS due,
                       line.balance, move.move_type
                  FROM account_move_line line
                  JOIN account_account account ON account.id = line.account_id
                                              AND account.account_type = 'asset_receivable'
                  JOIN account_move move ON move.id = line.move_id
                 WHERE line.parent_state = 'posted'
            ),
            -- What the open invoice debits change: their amount when booked, less each reconciliation when dated.
            open_change AS (
                SELECT company_id, date, due, balance AS amount FROM receivable WHERE balance > 0
                 UNION ALL
                SELECT receivable.company_id, partial.max_date, receivable.due, -partial.amount
                  FROM receivable
                  JOIN account_partial_reconcile partial ON partial.debit_move_id = receivable.id
                 WHERE receivable.balance > 0
            ),
            ageing AS (
                SELECT month_end.company_id, month_end.date,
                       SUM(change.amount) FILTER (WHERE month_end.as_of <= change.due) AS not_due,
                       SUM(change.amount) FILTER (WHERE month_end.as_of - change.due BETWEEN 1 AND 30) AS late_1_30,
                       SUM(change.amount) FILTER (WHERE month_end.as_of - change.due BETWEEN 31 AND 60) AS late_31_60,
                       SUM(change.amount) FILTER (WHERE month_end.as_of - change.due BETWEEN 61 AND 90) AS late_61_90,
                       SUM(change.amount) FILTER (WHERE month_end.as_of - change.due > 90) AS late_91_more
                  FROM month_end
                  JOIN open_change change ON change.company_id = month_end.company_id
                                         AND change.date <= month_end.as_of
                 GROUP BY month_end.company_id, month_end.date
            ),
            ledger AS (
                SELECT month_end.company_id, month_end.date, SUM(receivable.balance) AS receivable,
                       SUM(receivable.balance) FILTER (
                           WHERE receivable.move_type IN ('out_invoice', 'out_refund')
                             AND receivable.date >= month_end.sales_from) AS sales
                  FROM month_end
                  JOIN receivable ON receivable.company_id = month_end.company_id
                                 AND receivable.date <= month_end.as_of
                 GROUP BY month_end.company_id, month_end.date
            )
            SELECT (month_end.company_id * 1000000 + EXTRACT(YEAR FROM month_end.date) * 100
                    + EXTRACT(MONTH FROM month_end.date))::int AS id,
                   month_end.company_id, month_end.currency_id, month_end.date,
                   COALESCE(ledger.receivable, 0) AS amount_receivable, COALESCE(ledger.sales, 0) AS amount_sales,
                   CASE WHEN ledger.sales > 0
                        THEN ROUND(ledger.receivable / ledger.sales * (month_end.as_of - month_end.sales_from + 1), 1)
                        END AS dso,
                   COALESCE(ageing.not_due, 0) AS amount_not_due, COALESCE(ageing.late_1_30, 0) AS amount_1_30,
                   COALESCE(ageing.late_31_60, 0) AS amount_31_60, COALESCE(ageing.late_61_90, 0) AS amount_61_90,
                   COALESCE(ageing.late_91_more, 0) AS amount_91_more
              FROM month_end
              LEFT JOIN ledger ON ledger.company_id = month_end.company_id AND ledger.date = month_end.date
              LEFT JOIN ageing ON ageing.company_id = month_end.company_id AND ageing.date = month_end.date
            """,
            back=MONTHS - 1,
        )

    @api.model
    def _series(self, company, date_from, date_to):
        """The month ends of ``company`` from ``date_from`` to ``date_to``, oldest first."""
        return self.search(
            [("company_id", "=", company.id), ("date", ">=", date_from), ("date", "<=", date_to)], order="date"
        )
