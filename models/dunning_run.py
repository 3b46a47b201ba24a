import logging
import random
import threading
import time

import psycopg2
from psycopg2 import errorcodes, errors

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_date, split_every

from .account_move import UNCOUNTED_REMINDER_STATES

_logger = logging.getLogger(__name__)

CUSTOMERS_PER_BATCH = 200
MAX_BATCH_ATTEMPTS = 4
"""A batch that meets a concurrent payment or click is retried from a fresh snapshot, at most this many times."""
LOCK_TIMEOUT = "15s"
"""How long a batch waits for an invoice or customer locked by a payment or a person before it retries."""
RETRYABLE_ERRORS = {
    errorcodes.SERIALIZATION_FAILURE,
    errorcodes.DEADLOCK_DETECTED,
    errorcodes.LOCK_NOT_AVAILABLE,
}
REMINDER_ONCE_A_DAY = "l10n_fr_dunning_reminder_once_a_day"


def _is_retryable(error):
    """Serialization failure, deadlock, lock timeout, or a reminder created for the same customer and day by a
    concurrent click: the batch starts again from a fresh snapshot and sees what the other transaction did."""
    if isinstance(error, errors.UniqueViolation):
        return getattr(error.diag, "constraint_name", None) == REMINDER_ONCE_A_DAY
    return getattr(error, "pgcode", None) in RETRYABLE_ERRORS


class _RunProgress:
    """Customers done and left over the companies of a scheduled run, reported to ``ir.cron._notify_progress``.

    A company not reached yet counts as one task left, so the cron sees work remaining until the last one ends.
    """

    def __init__(self, env, companies):
        self.env = env
        self.done = 0
        self.companies_left = companies

    def start_company(self):
        self.companies_left -= 1

    def batch_done(self, count, customers_left):
        self.done += count
        self.env["ir.cron"]._notify_progress(done=self.done, remaining=customers_left + self.companies_left)


class DunningRun(models.AbstractModel):
    """The daily dunning run: one reminder per customer at the highest level its invoices reached.

    Exactly once: a customer is reminded at most once a day (unique index on the reminders), each batch of
    customers is its own transaction so a crashed run resumes where it stopped, and a session-wide advisory
    lock per company keeps two runs from working at the same time.

    Isolation: a batch re-reads and re-checks its customers' invoices in its own transaction and locks them
    (``FOR NO KEY UPDATE``) with their customers (``FOR SHARE``), so a payment, a dispute, an exclusion or a
    "send next reminder" click made meanwhile is either waited for or seen. A serialization failure, deadlock,
    lock timeout or concurrent reminder rolls the batch back and retries it from a fresh snapshot; a company
    whose run fails is logged and the next companies still run.
    """

    _name = "l10n_fr_dunning.run"
    _description = "Dunning run"

    @api.model
    def _cron_run_dunning(self):
        """Scheduled action: each company in turn, a failing one logged and skipped; progress reported per batch."""
        # Every company is dunned, in turn (a handful of rows).
        companies = self.env["res.company"].sudo().search([])  # pylint: disable=no-search-all
        today = fields.Date.context_today(self)
        progress = _RunProgress(self.env, len(companies))
        for company in companies:
            progress.start_company()
            try:
                self.sudo().with_company(company)._run_company(
                    company, today, raise_if_busy=False, progress=progress, trigger="scheduled"
                )
            except Exception:
                _logger.exception(
                    "Dunning run of company %s (%s) failed; the next companies still run", company.id, company.name
                )
                self._rollback_batch()
        progress.batch_done(0, 0)

    @api.model
    def action_run_now(self):
        """Run-now button (managers): first the dry run of what would go out, sent only when confirmed."""
        self._check_can_run()
        return self.env["l10n_fr_dunning.run.wizard"]._open_dry_run()

    def _check_can_run(self):
        if not self.env.user.has_group("l10n_fr_dunning.group_dunning_manager"):
            raise UserError(self.env._("Only dunning managers can run the dunning."))

    @api.model
    def _run_now(self):
        """Run the dunning of the current companies now; returns the run summaries."""
        self._check_can_run()
        logs = self.env["l10n_fr_dunning.run.log"]
        for company in self.env.companies:
            self.sudo().with_company(company)._run_company(company, fields.Date.context_today(self), trigger="manual")
            logs |= logs.sudo().search([("company_id", "=", company.id)], limit=1)
        return logs

    @api.model
    def _plan_company(self, company, today):
        """The dry run: what ``_run_company`` would do today, decided by the same code and written nowhere. The
        payment plans the run would break today (an instalment missed) are treated as broken: their invoices are
        dunned again, recalling the plan.

        Returns ([(reminder values, line values, problem)], {customer: reason left out},
        {customer: day its reminder is postponed to by its level's sending window},
        {payment plan breaking today: its instalment missed}).
        """
        ladders = self.env["l10n_fr_dunning.policy"]._company_ladders(company)
        if not ladders:
            return [], {}, {}, {}
        self.env.flush_all()
        _paid, breaking = self.env["l10n_fr_dunning.payment.plan"]._plans_ending_today(company, today)
        breaking_plans = self.env["l10n_fr_dunning.payment.plan"].union(*breaking)
        plan, left_out, postponed = [], {}, {}
        Reminder = self.env["l10n_fr_dunning.reminder"]
        customer_ids = self._candidate_customers(company, ladders, today, breaking_plans)
        for batch_ids in split_every(CUSTOMERS_PER_BATCH, customer_ids):
            invoices_by_customer = self._read_batch_invoices(
                company, ladders, today, batch_ids, lock=False, breaking=breaking_plans
            )
            values, lines, missing, later = self._decide_reminders(
                company, ladders, today, invoices_by_customer, breaking_plans
            )
            left_out.update(missing)
            postponed.update(later)
            plan.extend(
                (vals, line_values, Reminder._foreseen_problem(vals, line_values))
                for vals, line_values in zip(values, lines, strict=True)
            )
        return plan, left_out, postponed, breaking

    @api.model
    def _run_company(self, company, today, raise_if_busy=True, progress=None, trigger="manual"):
        """Remind every customer of ``company`` that is due a reminder on ``today``; returns the reminders.

        Each run leaves its summary (``l10n_fr_dunning.run.log``), committed at the start, completed with each
        committed batch and closed at the end: a killed run's summary stays "running" until the next run of the
        company marks it interrupted (the next run then reminds the customers it did not reach).
        """
        ladders = self.env["l10n_fr_dunning.policy"]._company_ladders(company)
        if not ladders:
            return self.env["l10n_fr_dunning.reminder"]
        lock_key = SQL("hashtext(%s)", f"l10n_fr_dunning.run.{company.id}")
        self.env.cr.execute(SQL("SELECT pg_try_advisory_lock(%s)", lock_key))
        if not self.env.cr.fetchone()[0]:
            if raise_if_busy:
                raise UserError(
                    self.env._("A dunning run of %s is already in progress: wait for it to finish.", company.name)
                )
            _logger.info("Dunning run of company %s skipped: another run holds the lock", company.id)
            return self.env["l10n_fr_dunning.reminder"]
        try:
            log = self.env["l10n_fr_dunning.run.log"]._start(company, today, trigger)
            self._commit_batch()
            try:
                reminders = self._run_company_batches(company, ladders, today, log, progress)
            except Exception as error:
                self._rollback_batch()
                log._finish("failed", error)
                self._commit_batch()
                raise
            log._finish("done")
            self._commit_batch()
            return reminders
        finally:
            self.env.cr.execute(SQL("SELECT pg_advisory_unlock(%s)", lock_key))

    @api.model
    def _run_company_batches(self, company, ladders, today, log, progress):
        # In a savepoint: an SQL error here leaves the transaction usable, so the lock is released.
        with self.env.cr.savepoint(flush=False):
            self.env["l10n_fr_dunning.payment.plan"]._check_missed_instalments(company, today)
            self.env.flush_all()
            customer_ids = self._candidate_customers(company, ladders, today)
        reminders = self.env["l10n_fr_dunning.reminder"]
        left = len(customer_ids)
        for batch_ids in split_every(CUSTOMERS_PER_BATCH, customer_ids):
            reminders |= self._run_batch(company, ladders, today, batch_ids, log)
            left -= len(batch_ids)
            if progress:
                progress.batch_done(len(batch_ids), left)
            self._commit_batch()
            self.env.invalidate_all()
        return reminders

    @api.model
    def _run_batch(self, company, ladders, today, customer_ids, log):
        """Remind one batch in its own transaction, retried from a fresh snapshot when it meets a concurrent
        payment, click or run (bounded); returns its reminders, already dispatched. The run's summary counts
        the batch in the same transaction: a retried batch is counted once, a rolled-back one not at all."""
        attempt = 1
        while True:
            try:
                with self.env.cr.savepoint():
                    self.env.cr.execute(SQL("SET LOCAL lock_timeout = %s", LOCK_TIMEOUT))
                    invoices_by_customer = self._lock_batch_invoices(company, ladders, today, customer_ids)
                    reminders, left_out = self._remind_customers(company, ladders, today, invoices_by_customer)
                    reminders._dispatch()
                    log._record_batch(reminders, left_out)
                return reminders
            except psycopg2.DatabaseError as error:
                if not _is_retryable(error) or attempt == MAX_BATCH_ATTEMPTS:
                    raise
                _logger.info(
                    "Dunning batch of company %s met a concurrent transaction (%s), retry %s/%s",
                    company.id,
                    error.pgcode,
                    attempt,
                    MAX_BATCH_ATTEMPTS - 1,
                )
                self._rollback_batch()
                self.env.invalidate_all()
                time.sleep(random.uniform(0.05, 0.2) * attempt)
                attempt += 1

    def _is_test_thread(self):
        return getattr(threading.current_thread(), "testing", False)

    def _commit_batch(self):
        """Each batch is final once done: a crash later does not undo nor repeat it."""
        if not self._is_test_thread():
            # Committed per batch by design: a crash later keeps what is done and the rerun does not repeat it.
            self.env.cr.commit()  # pylint: disable=invalid-commit

    def _rollback_batch(self):
        """Drop what a failed batch did and its snapshot (the batch's savepoint already undid it in tests)."""
        if not self._is_test_thread():
            self.env.cr.rollback()

    @api.model
    def _candidate_conditions(self, company, ladders, today, breaking=()):
        """WHERE clause (aliases ``move`` and ``customer``) of the open overdue invoices that may be dunned today,
        the customer's exclusion and pause read in ``company``; the payment plans ``breaking`` (dry run) no longer
        pause their invoices."""
        Partner = self.env["res.partner"].with_company(company)
        return SQL(
            """
                 move.company_id = %(company)s
             AND move.dunning_active
             AND move.dunning_date_due + %(first_start)s <= %(today)s
             AND NOT COALESCE(move.dunning_disputed, FALSE)
             AND move.dunning_court_file_id IS NULL
             AND NOT COALESCE(move.dunning_handed_over, FALSE)
             AND (move.dunning_promise_date IS NULL OR move.dunning_promise_date < %(today)s)
             AND NOT COALESCE(%(excluded)s, FALSE)
             -- claims born before an insolvency opening judgment are declared, not chased (L622-7, L622-24)
             AND NOT (COALESCE(customer.dunning_insolvent, FALSE)
                      AND COALESCE(move.delivery_date, move.invoice_date, move.dunning_date_due)
                          < customer.dunning_insolvency_date)
             AND (%(paused_until)s IS NULL OR %(paused_until)s < %(today)s)
             AND NOT %(in_running_plan)s
             AND NOT EXISTS (
                  SELECT 1 FROM l10n_fr_dunning_level level
                   WHERE level.id = move.dunning_level_id AND level.stops_automation)
             AND NOT EXISTS (
                  SELECT 1 FROM l10n_fr_dunning_reminder reminder
                   WHERE reminder.company_id = move.company_id
                     AND reminder.partner_id = move.commercial_partner_id
                     AND reminder.date = %(today)s AND reminder.state != 'cancelled')
             -- a bounced email's letter or call is planned for a person: no new email to the same address
             AND NOT EXISTS (
                  SELECT 1 FROM l10n_fr_dunning_reminder bounced
                   WHERE bounced.company_id = move.company_id
                     AND bounced.partner_id = move.commercial_partner_id
                     AND bounced.state = 'failed' AND bounced.bounce_fallback_channel IS NOT NULL)
            """,
            company=company.id,
            first_start=ladders.first_start,
            today=today,
            excluded=Partner._field_to_sql("customer", "dunning_excluded"),
            paused_until=Partner._field_to_sql("customer", "dunning_paused_until"),
            in_running_plan=self.env["l10n_fr_dunning.payment.plan"]._running_plan_condition(breaking),
        )

    @api.model
    def _candidate_customers(self, company, ladders, today, breaking=()):
        """Ids of the customers with open overdue invoices that may be dunned today, in one query."""
        self.env.cr.execute(
            SQL(
                """
            SELECT DISTINCT move.commercial_partner_id
              FROM account_move move
              JOIN res_partner customer ON customer.id = move.commercial_partner_id
             WHERE %s
          ORDER BY move.commercial_partner_id
            """,
                self._candidate_conditions(company, ladders, today, breaking),
            )
        )
        return [customer_id for (customer_id,) in self.env.cr.fetchall()]

    @api.model
    def _lock_batch_invoices(self, company, ladders, today, customer_ids):
        """{customer_id: [invoice ids]} of the batch, read again in this transaction and locked, in one query."""
        return self._read_batch_invoices(company, ladders, today, customer_ids, lock=True)

    @api.model
    def _read_batch_invoices(self, company, ladders, today, customer_ids, lock, breaking=()):
        """{customer_id: [invoice ids]} of the batch in one query; with ``lock`` (the run, not the dry run):

        The invoices are locked ``FOR NO KEY UPDATE`` (the run writes their level; a payment waits until the batch
        commits and is retried by Odoo) and their customers ``FOR SHARE`` (an exclusion or pause, or a "send next
        reminder" click, waits for the batch). A row changed since this transaction's snapshot raises a
        serialization failure instead: the batch is retried and sees the change. Waiting (not SKIP LOCKED) keeps a
        customer whose invoice is being edited in today's run rather than silently dropping it.
        """
        self.env.cr.execute(
            SQL(
                """
            SELECT move.commercial_partner_id, move.id
              FROM account_move move
              JOIN res_partner customer ON customer.id = move.commercial_partner_id
             WHERE move.commercial_partner_id IN %s AND %s
          ORDER BY move.commercial_partner_id, move.dunning_date_due, move.id
            %s
            """,
                tuple(customer_ids),
                self._candidate_conditions(company, ladders, today, breaking),
                SQL("FOR NO KEY UPDATE OF move FOR SHARE OF customer") if lock else SQL(""),
            )
        )
        invoices_by_customer = {}
        for customer_id, move_id in self.env.cr.fetchall():
            invoices_by_customer.setdefault(customer_id, []).append(move_id)
        return invoices_by_customer

    @api.model
    def _last_reminder_dates(self, company, customer_ids):
        self.env.cr.execute(
            SQL(
                """
            SELECT partner_id, max(date) FROM l10n_fr_dunning_reminder
             WHERE company_id = %s AND partner_id IN %s AND state NOT IN %s
          GROUP BY partner_id
            """,
                company.id,
                tuple(customer_ids),
                UNCOUNTED_REMINDER_STATES,
            )
        )
        return dict(self.env.cr.fetchall())

    @api.model
    def _remind_customers(self, company, ladders, today, invoices_by_customer):
        """Create the reminders the batch's decision calls for; returns (reminders, {customer: reason left out})."""
        values, lines, left_out, _postponed = self._decide_reminders(company, ladders, today, invoices_by_customer)
        return self.env["l10n_fr_dunning.reminder"]._create_in_batch(values, lines), left_out

    @api.model
    def _decide_reminders(self, company, ladders, today, invoices_by_customer, breaking=()):
        """The decision phase, shared by the run and its dry run, with batched reads and no write: the level of
        each customer of the batch and what its reminder would freeze (the plans ``breaking`` count as broken).

        Returns (reminder values, line values of each, {customer: reason it is left out}, {customer: day its
        reminder is postponed to, outside its level's sending window}).
        """
        if not invoices_by_customer:
            return [], [], {}, {}
        moves = self.env["account.move"].browse(
            [move_id for move_ids in invoices_by_customer.values() for move_id in move_ids]
        )
        moves.fetch(
            [
                "currency_id",
                "invoice_date_due",
                "dunning_date_due",
                "dunning_level_id",
                "amount_residual_signed",
                "amount_total_signed",
                "commercial_partner_id",
                "company_id",
                "dunning_formal_notice_date",
            ]
        )
        left_out = self._customers_missing_rates(company, moves)
        customers = self.env["res.partner"].with_company(company).browse(list(invoices_by_customer))
        customers -= customers.browse().union(*left_out)
        customers.fetch(
            ["dunning_contact_id", "dunning_debtor_kind", "dunning_insolvent", "user_id", "email", "dunning_policy_id"]
        )
        last_dates = self._last_reminder_dates(company, customers.ids)
        credits = self.env["l10n_fr_dunning.reminder.credit"]._open_credits(company, customers.ids)
        ranks = {policy: self._ladder_rank(ladder) for policy, ladder in ladders.levels_by_policy.items()}
        user = company.dunning_user_id
        broken_plans = self.env["l10n_fr_dunning.payment.plan"]._plans_to_recall(company, customers, breaking)
        values, dunned_invoices, postponed = [], [], {}
        for customer in customers:
            invoices = moves.browse(invoices_by_customer[customer.id])
            policy = ladders.policy_of(customer)
            if policy not in ranks:
                continue
            ladder = ladders.levels_by_policy[policy]
            plan = broken_plans.get(customer.id)
            # a broken plan resumes dunning at the level where it stopped, recalling the plan
            level = (plan and plan._resumed_level(ranks[policy])) or self._customer_level(
                invoices, ladder, ranks[policy], today
            )
            if not level:
                continue
            last_date = last_dates.get(customer.id)
            if last_date and (today - last_date).days < level.min_interval_days:
                continue
            dunned = invoices.filtered(lambda move, first=ladder[0]: move._dunning_level_start(first) <= today)
            customer_credits = credits.get(customer.id, [])
            net_due = sum(abs(move.amount_residual_signed) for move in dunned) - sum(
                credit["amount"] for credit in customer_credits
            )
            if net_due <= 0 or net_due < company.dunning_min_amount:
                continue
            if not level._sends_on(today):
                postponed[customer] = level._next_sending_day(today)  # the run of that day sends it
                continue
            values.append(
                {
                    "partner_id": customer.id,
                    "contact_id": (customer.dunning_contact_id or customer).id,
                    "company_id": company.id,
                    "level_id": level.id,
                    "date": today,
                    "user_id": (user or customer.user_id).id,
                    "credit_ids": [Command.create(credit) for credit in customer_credits],
                    "payment_plan_id": plan.id if plan else False,
                }
            )
            dunned_invoices.append(dunned)
        # The law engine runs for the invoices of the reminders only, in one batch.
        amounts = moves.browse().union(*dunned_invoices)._dunning_amounts(today)
        lines = [dunned._dunning_reminder_line_values(amounts, today) for dunned in dunned_invoices]
        return values, lines, left_out, postponed

    @api.model
    def _customers_missing_rates(self, company, moves):
        """{customer: reason}: customers with an invoice in a currency without rates, logged and left out, never
        claimed 1:1. Invoices in the company's currency need no rate."""
        missing = {}
        for currency, invoices in moves.grouped("currency_id").items():
            if currency == company.currency_id:
                continue
            try:
                invoices._dunning_check_invoice_rates()
            except UserError as error:
                _logger.warning("Dunning run: customers %s left out: %s", invoices.commercial_partner_id.ids, error)
                missing.update(dict.fromkeys(invoices.commercial_partner_id, str(error)))
        return missing

    @api.model
    def _ladder_rank(self, ladder):
        """{level id: place in ``ladder``}."""
        return {level.id: index for index, level in enumerate(ladder)}

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
    def _next_reminder_values(self, customer):
        """(reminder values, invoices) of the reminder to send now to ``customer``, one level above its open
        invoices whatever the date; writes nothing (the preview shows them, the confirmation creates them)."""
        customer.ensure_one()
        company = self.env.company
        today = fields.Date.context_today(self)
        ladder = self.env["l10n_fr_dunning.policy"]._company_ladders(company).ladder_of(customer)
        invoices = (
            self.env["account.move"]
            .search(
                [
                    ("commercial_partner_id", "=", customer.id),
                    ("company_id", "=", company.id),
                    ("dunning_active", "=", True),
                    ("dunning_disputed", "=", False),
                    ("dunning_handed_over", "=", False),
                ],
                order="dunning_date_due, id",
            )
            .filtered(lambda move: not move._dunning_insolvency().pre_opening)
        )
        levels = [move._dunning_next_level(ladder) for move in invoices]
        levels = [level for level in levels if level]
        if not levels:
            raise UserError(
                self.env._(
                    "%s has no open invoice that can climb to a next dunning level "
                    "(all are paid, disputed, handed over or already at the court stage).",
                    customer.display_name,
                )
            )
        rank = self._ladder_rank(ladder)
        level = max(levels, key=lambda level: rank[level.id])
        invoices._dunning_check_invoice_rates()
        self._check_not_reminded_today(customer)
        amounts = invoices._dunning_amounts(today)
        credits = self.env["l10n_fr_dunning.reminder.credit"]._open_credits(company, customer.ids).get(customer.id, [])
        return {
            "partner_id": customer.id,
            "contact_id": (customer.dunning_contact_id or customer).id,
            "company_id": company.id,
            "level_id": level.id,
            "date": today,
            "user_id": (company.dunning_user_id or self.env.user).id,
            "line_ids": invoices._dunning_reminder_line_commands(amounts, today),
            "credit_ids": [Command.create(credit) for credit in credits],
        }, invoices

    @api.model
    def _next_reminder_warnings(self, customer, level, invoices):
        """What the daily run would not do today, for a person to override with a reason: invoices not yet due,
        a promise to pay running, a dispute open, a pause or an exclusion, the level's minimum interval."""
        company = self.env.company
        today = fields.Date.context_today(self)
        customer = customer.with_company(company)
        warnings = []
        not_due = invoices.filtered(lambda move: (move.dunning_date_due or move.invoice_date_due) >= today)
        if not_due:
            warnings.append(
                self.env._(
                    "Not yet due: %s.",
                    ", ".join(
                        f"{move.name} ({format_date(self.env, move.dunning_date_due or move.invoice_date_due)})"
                        for move in not_due
                    ),
                )
            )
        promised = invoices.filtered(lambda move: move.dunning_promise_date and move.dunning_promise_date >= today)
        if promised:
            warnings.append(
                self.env._(
                    "A promise to pay runs until %(date)s (%(invoices)s).",
                    date=format_date(self.env, max(promised.mapped("dunning_promise_date"))),
                    invoices=", ".join(promised.mapped("name")),
                )
            )
        warnings += self.env["l10n_fr_dunning.payment.plan"]._running_plan_warnings(invoices)
        disputed = self.env["account.move"].search(
            [
                ("commercial_partner_id", "=", customer.id),
                ("company_id", "=", company.id),
                ("dunning_active", "=", True),
                ("dunning_disputed", "=", True),
            ]
        )
        if disputed:
            warnings.append(self.env._("A dispute is open on %s.", ", ".join(disputed.mapped("name"))))
        if customer.dunning_excluded:
            warnings.append(self.env._("The customer is excluded from dunning."))
        elif customer.dunning_paused_until and customer.dunning_paused_until >= today:
            warnings.append(
                self.env._(
                    "Dunning of the customer is paused until %s.", format_date(self.env, customer.dunning_paused_until)
                )
            )
        if not level._sends_on(today):
            warnings.append(
                self.env._(
                    "%(level)s is not sent on %(date)s (its sending window): the daily run would send it on %(next)s.",
                    level=level.name,
                    date=format_date(self.env, today),
                    next=format_date(self.env, level._next_sending_day(today)),
                )
            )
        last_date = self._last_reminder_dates(company, customer.ids).get(customer.id)
        if last_date and (today - last_date).days < level.min_interval_days:
            warnings.append(
                self.env._(
                    "The last reminder dates from %(date)s: the level asks for %(days)s days between reminders "
                    "(not before %(next)s).",
                    date=format_date(self.env, last_date),
                    days=level.min_interval_days,
                    next=format_date(self.env, fields.Date.add(last_date, days=level.min_interval_days)),
                )
            )
        return warnings

    @api.model
    def _create_next_reminder(self, customer, override_reason=False):
        """Create the reminder to send now to ``customer`` (the preview's confirmation), after waiting for a run's
        batch holding the customer."""
        self._lock_customer(customer)
        values, _invoices = self._next_reminder_values(customer)
        values["override_reason"] = override_reason
        return self._create_reminder_once(customer, values)

    @api.model
    def _create_reminder_once(self, customer, values):
        """Create the reminder of ``values``, or say so when the daily run reminded ``customer`` after this
        request's snapshot was taken (the reminder is unique per customer and day)."""
        try:
            with self.env.cr.savepoint():
                return self.env["l10n_fr_dunning.reminder"].create(values)
        except errors.UniqueViolation as error:
            if error.diag.constraint_name != REMINDER_ONCE_A_DAY:
                raise
            raise UserError(
                self.env._(
                    "%s already has a reminder today: the daily run has just reminded them.",
                    customer.display_name,
                )
            ) from None

    def _lock_customer(self, customer):
        """Wait for a run's batch that holds this customer, so its reminder is seen or this one comes first."""
        self.env.cr.execute(SQL("SELECT id FROM res_partner WHERE id = %s FOR NO KEY UPDATE", customer.id))

    def _check_not_reminded_today(self, customer):
        """Refuse a second reminder the same day, saying whether today's was sent or still waits."""
        today_reminder = self.env["l10n_fr_dunning.reminder"].search(
            [
                ("company_id", "=", self.env.company.id),
                ("partner_id", "=", customer.id),
                ("date", "=", fields.Date.context_today(self)),
                ("state", "!=", "cancelled"),
            ],
            limit=1,
        )
        if not today_reminder:
            return
        if today_reminder.state == "sent":
            raise UserError(
                self.env._(
                    "%s already has a reminder today, already sent: the next one can go tomorrow at the earliest.",
                    customer.display_name,
                )
            )
        if today_reminder.state == "failed":
            raise UserError(
                self.env._(
                    "%s already has a reminder today that failed: correct it and send it again, or cancel it.",
                    customer.display_name,
                )
            )
        raise UserError(
            self.env._(
                "%s already has a reminder today waiting to be sent: send it or cancel it.",
                customer.display_name,
            )
        )
