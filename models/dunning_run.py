import logging
import threading

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, split_every

from .account_move import UNCOUNTED_REMINDER_STATES

_logger = logging.getLogger(__name__)

CUSTOMERS_PER_BATCH = 200


class DunningRun(models.AbstractModel):
    """The daily dunning run: one reminder per customer at the highest level its invoices reached.

    Exactly once: a customer is reminded at most once a day (unique index on the reminders), each batch of
    customers is committed on its own so a crashed run resumes where it stopped, and a session-wide advisory
    lock per company keeps two runs from working at the same time.
    """

    _name = "l10n_fr_dunning.run"
    _description = "Dunning run"

    @api.model
    def _cron_run_dunning(self):
        for company in self.env["res.company"].sudo().search([]):
            self.sudo().with_company(company)._run_company(company, fields.Date.context_today(self), raise_if_busy=False)

    @api.model
    def action_run_now(self):
        """Run the dunning of the current companies now (manager button)."""
        if not self.env.user.has_group("l10n_fr_dunning.group_dunning_manager"):
            raise UserError(self.env._("Only dunning managers can run the dunning."))
        reminders = self.env["l10n_fr_dunning.reminder"]
        for company in self.env.companies:
            reminders |= self.sudo().with_company(company)._run_company(company, fields.Date.context_today(self))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reminders of this run"),
            "res_model": "l10n_fr_dunning.reminder",
            "view_mode": "list,form",
            "domain": [("id", "in", reminders.ids)],
        }

    @api.model
    def _run_company(self, company, today, raise_if_busy=True):
        """Remind every customer of ``company`` that is due a reminder on ``today``; returns the reminders."""
        ladder = self.env["l10n_fr_dunning.level"]._ladder(company)
        if not ladder:
            return self.env["l10n_fr_dunning.reminder"]
        lock_key = SQL("hashtext(%s)", f"l10n_fr_dunning.run.{company.id}")
        self.env.cr.execute(SQL("SELECT pg_try_advisory_lock(%s)", lock_key))
        if not self.env.cr.fetchone()[0]:
            if raise_if_busy:
                raise UserError(self.env._("A dunning run of %s is already in progress: wait for it to finish.", company.name))
            _logger.info("Dunning run of company %s skipped: another run holds the lock", company.id)
            return self.env["l10n_fr_dunning.reminder"]
        try:
            reminders = self.env["l10n_fr_dunning.reminder"]
            self.env.flush_all()
            invoices_by_customer = self._candidate_invoices(company, ladder, today)
            for customer_ids in split_every(CUSTOMERS_PER_BATCH, list(invoices_by_customer)):
                with self.env.cr.savepoint():
                    batch = self._remind_customers(
                        company, ladder, today, {pid: invoices_by_customer[pid] for pid in customer_ids},
                    )
                    batch._dispatch()
                reminders |= batch
                self._commit_batch()
                self.env.invalidate_all()
            return reminders
        finally:
            self.env.cr.execute(SQL("SELECT pg_advisory_unlock(%s)", lock_key))

    def _commit_batch(self):
        """Each batch is final once done: a crash later does not undo nor repeat it."""
        if not getattr(threading.current_thread(), "testing", False):
            self.env.cr.commit()

    @api.model
    def _candidate_invoices(self, company, ladder, today):
        """{customer_id: [invoice ids]} of open overdue invoices that may be dunned today, in one query."""
        first_start = min(ladder.mapped("delay_days"))
        self.env.cr.execute(SQL(
            """
            SELECT move.commercial_partner_id, array_agg(move.id ORDER BY move.dunning_date_due, move.id)
              FROM account_move move
              JOIN res_partner customer ON customer.id = move.commercial_partner_id
             WHERE move.company_id = %(company)s
               AND move.dunning_active
               AND move.dunning_date_due + %(first_start)s <= %(today)s
               AND NOT COALESCE(move.dunning_disputed, FALSE)
               AND move.dunning_court_file_id IS NULL
               AND (move.dunning_promise_date IS NULL OR move.dunning_promise_date < %(today)s)
               AND NOT COALESCE(customer.dunning_excluded, FALSE)
               -- claims born before an insolvency opening judgment are declared, not chased (L622-7, L622-24)
               AND NOT (COALESCE(customer.dunning_insolvent, FALSE)
                        AND COALESCE(move.delivery_date, move.invoice_date, move.dunning_date_due)
                            < customer.dunning_insolvency_date)
               AND (customer.dunning_paused_until IS NULL OR customer.dunning_paused_until < %(today)s)
               AND NOT EXISTS (
                    SELECT 1 FROM l10n_fr_dunning_level level
                     WHERE level.id = move.dunning_level_id AND level.stops_automation)
               AND NOT EXISTS (
                    SELECT 1 FROM l10n_fr_dunning_reminder reminder
                     WHERE reminder.company_id = move.company_id
                       AND reminder.partner_id = move.commercial_partner_id
                       AND reminder.date = %(today)s AND reminder.state != 'cancelled')
          GROUP BY move.commercial_partner_id
          ORDER BY move.commercial_partner_id
            """,
            company=company.id, first_start=first_start, today=today,
        ))
        return dict(self.env.cr.fetchall())

    @api.model
    def _last_reminder_dates(self, company, customer_ids):
        self.env.cr.execute(SQL(
            """
            SELECT partner_id, max(date) FROM l10n_fr_dunning_reminder
             WHERE company_id = %s AND partner_id IN %s AND state NOT IN %s
          GROUP BY partner_id
            """,
            company.id, tuple(customer_ids), UNCOUNTED_REMINDER_STATES,
        ))
        return dict(self.env.cr.fetchall())

    @api.model
    def _remind_customers(self, company, ladder, today, invoices_by_customer):
        """Decide the level of each customer of the batch and create its reminder, with batched reads."""
        moves = self.env["account.move"].browse(
            [move_id for move_ids in invoices_by_customer.values() for move_id in move_ids]
        )
        customers = self.env["res.partner"].browse(list(invoices_by_customer))
        moves.fetch(["invoice_date_due", "dunning_date_due", "dunning_level_id", "amount_residual_signed", "amount_total_signed",
                     "commercial_partner_id", "company_id", "dunning_formal_notice_date"])
        customers.fetch(["dunning_contact_id", "dunning_debtor_kind", "dunning_insolvent", "user_id", "email"])
        last_dates = self._last_reminder_dates(company, customers.ids)
        credits = self.env["l10n_fr_dunning.reminder.credit"]._open_credits(company, customers.ids)
        rank = {level.id: index for index, level in enumerate(ladder)}
        amounts = moves._dunning_amounts(today)
        user = company.dunning_user_id
        values, lines = [], []
        for customer in customers:
            invoices = moves.browse(invoices_by_customer[customer.id])
            level = self._customer_level(invoices, ladder, rank, today)
            if not level:
                continue
            last_date = last_dates.get(customer.id)
            if last_date and (today - last_date).days < level.min_interval_days:
                continue
            dunned = invoices.filtered(lambda move: move._dunning_level_start(ladder[0]) <= today)
            customer_credits = credits.get(customer.id, [])
            net_due = (sum(abs(move.amount_residual_signed) for move in dunned)
                       - sum(credit["amount"] for credit in customer_credits))
            if net_due <= 0 or net_due < company.dunning_min_amount:
                continue
            values.append({
                "partner_id": customer.id,
                "contact_id": (customer.dunning_contact_id or customer).id,
                "company_id": company.id,
                "level_id": level.id,
                "date": today,
                "user_id": (user or customer.user_id).id,
                "credit_ids": [Command.create(credit) for credit in customer_credits],
            })
            lines.append(dunned._dunning_reminder_line_values(amounts, today))
        return self.env["l10n_fr_dunning.reminder"]._create_in_batch(values, lines)

    @api.model
    def _customer_level(self, invoices, ladder, rank, today):
        """Highest level an invoice climbs to today (one step above its current level at most), if any climbs."""
        best = None
        for move in invoices:
            next_level = move._dunning_next_level(ladder)
            if next_level and move._dunning_level_start(next_level) <= today:
                if best is None or rank[next_level.id] > rank[best.id]:
                    best = next_level
        return best

    @api.model
    def _prepare_next_reminder(self, customer):
        """A reminder to review and send now, one level above the customer's open invoices, whatever the date."""
        customer.ensure_one()
        company = self.env.company
        today = fields.Date.context_today(self)
        ladder = self.env["l10n_fr_dunning.level"]._ladder(company)
        invoices = self.env["account.move"].search([
            ("commercial_partner_id", "=", customer.id), ("company_id", "=", company.id),
            ("dunning_active", "=", True), ("dunning_disputed", "=", False),
        ], order="dunning_date_due, id").filtered(lambda move: not move._dunning_insolvency().pre_opening)
        levels = [move._dunning_next_level(ladder) for move in invoices]
        levels = [level for level in levels if level]
        if not levels:
            raise UserError(self.env._(
                "%s has no open invoice that can climb to a next dunning level "
                "(all are paid, disputed or already at the court stage).", customer.display_name,
            ))
        rank = {level.id: index for index, level in enumerate(ladder)}
        level = max(levels, key=lambda level: rank[level.id])
        if self.env["l10n_fr_dunning.reminder"].search_count([
            ("company_id", "=", company.id), ("partner_id", "=", customer.id),
            ("date", "=", today), ("state", "!=", "cancelled"),
        ]):
            raise UserError(self.env._("%s already has a reminder today: send or cancel it first.", customer.display_name))
        amounts = invoices._dunning_amounts(today)
        credits = self.env["l10n_fr_dunning.reminder.credit"]._open_credits(company, customer.ids).get(customer.id, [])
        return self.env["l10n_fr_dunning.reminder"].create({
            "partner_id": customer.id,
            "contact_id": (customer.dunning_contact_id or customer).id,
            "company_id": company.id,
            "level_id": level.id,
            "date": today,
            "user_id": (company.dunning_user_id or self.env.user).id,
            "line_ids": invoices._dunning_reminder_line_commands(amounts, today),
            "credit_ids": [Command.create(credit) for credit in credits],
        })
