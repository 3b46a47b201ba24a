from odoo import api, fields, models
from odoo.tools import SQL, split_every

from .account_move import DUNNING_USER

# {amount "to date" the screens total: the stored copy summed in SQL}
STORED_COPY = {
    "dunning_penalty_amount": "dunning_stored_penalty",
    "dunning_indemnity_amount": "dunning_stored_indemnity",
    "dunning_total_claimable": "dunning_stored_total",
}
SUMMED_TO_DATE = tuple(f"{fname}:sum" for fname in STORED_COPY)
REFRESH_BATCH = 2000


class AccountMove(models.Model):
    """Group totals of the amounts "to date" (list group headers, pivot) without the law engine on every open.

    The penalties grow every day, so they cannot simply be stored. Each invoice keeps a copy of its amounts
    and the day they are as of (``dunning_stored_on``): the ORM computes it again as soon as a payment, a due
    date or the customer's regime changes, a rate correction or the receipt of a mise en demeure outdates the
    copies it changes, and the scheduled action of the night brings the others to the new day. A group header
    sums the copies of today in SQL and computes only the invoices whose copy is older (all of them when the
    scheduled action has not run yet).
    """

    _inherit = "account.move"

    dunning_stored_on = fields.Date(
        string="Amounts to date stored on",
        compute="_compute_dunning_stored_amounts",
        store=True,
        groups=DUNNING_USER,
        copy=False,
    )
    dunning_stored_penalty = fields.Monetary(
        string="Stored penalties to date",
        currency_field="company_currency_id",
        compute="_compute_dunning_stored_amounts",
        store=True,
        groups=DUNNING_USER,
        copy=False,
    )
    dunning_stored_indemnity = fields.Monetary(
        string="Stored recovery indemnity",
        currency_field="company_currency_id",
        compute="_compute_dunning_stored_amounts",
        store=True,
        groups=DUNNING_USER,
        copy=False,
    )
    dunning_stored_total = fields.Monetary(
        string="Stored total claimable",
        currency_field="company_currency_id",
        compute="_compute_dunning_stored_amounts",
        store=True,
        groups=DUNNING_USER,
        copy=False,
    )

    @api.depends(
        "dunning_active",
        "amount_residual",
        "dunning_date_due",
        "invoice_date",
        "invoice_date_due",
        "delivery_date",
        "commercial_partner_id.dunning_debtor_kind",
        "commercial_partner_id.dunning_contractual_rate",
        "commercial_partner_id.dunning_insolvent",
        "commercial_partner_id.dunning_insolvency_date",
        "company_id.dunning_contractual_rate",
        "company_id.dunning_imputation",
        "company_id.dunning_grace_days",
    )
    def _compute_dunning_stored_amounts(self):
        today = fields.Date.context_today(self)
        amounts = self._dunning_amounts_to_date(today)
        for move in self:
            amount = amounts.get(move.id)
            move.dunning_stored_on = today if amount else False
            move.dunning_stored_penalty = amount.penalty if amount else 0.0
            move.dunning_stored_indemnity = amount.indemnity if amount else 0.0
            move.dunning_stored_total = amount.principal + amount.penalty + amount.indemnity if amount else 0.0

    def _dunning_outdate_stored_amounts(self):
        """The stored amounts of these invoices are outdated: group totals compute them on the fly until the
        night's action stores them again.

        The receipt of a mise en demeure outdates its invoices this way rather than through ``@api.depends``: a
        dependency on the reminder lines would compute the amounts of every invoice the daily run reminds.
        """
        if self:
            self._outdate_stored_amounts_where(SQL("id IN %s", tuple(self.ids)))

    @api.model
    def _dunning_outdate_all_stored_amounts(self):
        """A rate was corrected: the stored amounts of every invoice are outdated."""
        self._outdate_stored_amounts_where(SQL("TRUE"))

    @api.model
    def _outdate_stored_amounts_where(self, condition):
        self.env.cr.execute(
            SQL(
                "UPDATE account_move SET dunning_stored_on = NULL WHERE dunning_stored_on IS NOT NULL AND %s", condition
            )
        )
        self.invalidate_model(["dunning_stored_on"])

    @api.model
    def _cron_refresh_dunning_amounts(self):
        """Scheduled action of the night: bring the stored amounts of the open invoices to the new day, a batch of
        invoices per transaction."""
        today = fields.Date.context_today(self)
        moves = self.sudo()
        outdated = moves.search([("dunning_active", "=", True), ("dunning_stored_on", "!=", today)], order="id")
        done = 0
        for batch_ids in split_every(REFRESH_BATCH, outdated.ids):
            batch = moves.browse(batch_ids)
            for fname in ("dunning_stored_on", *STORED_COPY.values()):
                self.env.add_to_compute(self._fields[fname], batch)
            batch.flush_recordset()
            done += len(batch_ids)
            self.env["ir.cron"]._notify_progress(done=done, remaining=len(outdated) - done)
            self.env["l10n_fr_dunning.run"]._commit_batch()  # the night's work is kept if the action is stopped
            self.env.invalidate_all()

    # ---- Group totals ------------------------------------------------------------------------------------------

    def _read_group_select(self, aggregate_spec, query):
        """The total of the stored copies of today, and the ids of the invoices whose copy is older: JSON
        ``[sum, [ids]]`` per group, finished by ``_read_group_postprocess_aggregate``."""
        if aggregate_spec not in SUMMED_TO_DATE:
            return super()._read_group_select(aggregate_spec, query)
        stored = STORED_COPY[aggregate_spec.split(":")[0]]
        fresh = SQL(
            "(NOT COALESCE(%s, FALSE) OR %s IS NOT DISTINCT FROM %s)",
            self._field_to_sql(self._table, "dunning_active", query),
            self._field_to_sql(self._table, "dunning_stored_on", query),
            fields.Date.context_today(self),
        )
        return SQL(
            "JSON_BUILD_ARRAY(SUM(%s) FILTER (WHERE %s), ARRAY_AGG(%s) FILTER (WHERE NOT %s))",
            self._field_to_sql(self._table, stored, query),
            fresh,
            SQL.identifier(self._table, "id"),
            fresh,
        )

    def _read_group_postprocess_aggregate(self, aggregate_spec, raw_values):
        """Each group's stored total plus the amounts to date of its outdated invoices, computed in one batch for
        all the groups (the ORM cache shares it between the penalty, indemnity and total sums)."""
        if aggregate_spec not in SUMMED_TO_DATE:
            return super()._read_group_postprocess_aggregate(aggregate_spec, raw_values)
        fname = aggregate_spec.split(":")[0]
        groups = [value or [0, None] for value in raw_values]
        outdated = self.browse({move_id for _total, ids in groups for move_id in ids or ()})
        amount = dict(zip(outdated.ids, outdated.mapped(fname), strict=True))
        round_amount = self.env.company.currency_id.round
        return [round_amount((total or 0) + sum(amount[move_id] for move_id in ids or ())) for total, ids in groups]
