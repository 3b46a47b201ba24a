from collections import defaultdict, namedtuple
from datetime import timedelta
from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression
from odoo.tools import SQL, format_amount

from ..lib import french_law, sending_window
from .dunning_checks import check_date

DUNNING_USER = "l10n_fr_dunning.group_dunning_user"

DUNNED_PAYMENT_STATES = ("not_paid", "partial")
# Reminders that never reached the customer: they move no invoice up the ladder nor delay the next one.
UNCOUNTED_REMINDER_STATES = ("cancelled", "failed")

DunningAmounts = namedtuple("DunningAmounts", "penalty indemnity error principal late_instalments", defaults=((),))
"""What one invoice owes on a date: interest still due, the 40 €, a message when a rate is missing, the principal
still due (after imputing payments to interest first where the company says so, Code civil 1343-1), and the due
dates of its instalments late and unpaid when it has several."""

ClaimItem = namedtuple("ClaimItem", "line_id due_date amount payments")
"""One payment-term line (instalment) of an invoice: its due date, amount and the payments reconciled with it."""


# Ageing of the oldest unpaid due date: {bucket: (first day late, last day late)}. The due date itself is not late:
# penalties run from the day after it (Code de commerce L441-10 II).
AGEING_BOUNDS = {
    "0_not_due": (None, 0),
    "1_30": (1, 30),
    "31_60": (31, 60),
    "61_90": (61, 90),
    "91_more": (91, None),
}
AGEING_OLDEST = "91_more"


def _ageing_bucket(days_late):
    """The bucket of an invoice ``days_late`` days after its oldest unpaid due date (0 or less: not due yet)."""
    return next(key for key, (_first, last) in AGEING_BOUNDS.items() if last is None or days_late <= last)


def _late_instalments(items, until):
    """Due dates of the instalments late and not fully paid on ``until``, when the invoice has several."""
    if len(items) < 2:
        return ()
    return tuple(
        item.due_date
        for item in items
        if item.due_date < until and item.amount > sum((amount for _day, amount in item.payments), Decimal(0))
    )


def _french_percent(rate):
    """12.15 → "12,15" (the % sign is in the text)."""
    return f"{Decimal(str(rate)):.2f}".replace(".", ",")


class AccountMove(models.Model):
    _inherit = "account.move"

    dunning_line_ids = fields.One2many(
        "l10n_fr_dunning.reminder.line",
        "move_id",
        string="Reminders",
        groups="l10n_fr_dunning.group_dunning_user",
    )
    dunning_level_id = fields.Many2one(
        "l10n_fr_dunning.level",
        string="Dunning level",
        compute="_compute_dunning_level",
        store=True,
        index=True,
        groups=DUNNING_USER,
        check_company=True,
        help="Level of the last reminder that included this invoice.",
    )
    dunning_last_date = fields.Date(
        string="Last reminder",
        compute="_compute_dunning_level",
        store=True,
        groups=DUNNING_USER,
    )
    dunning_formal_notice_date = fields.Date(
        string="Mise en demeure sent on",
        compute="_compute_dunning_level",
        store=True,
        groups=DUNNING_USER,
        help="Date of the mise en demeure sent for this invoice; legal interest of consumers runs from it.",
    )
    dunning_date_due = fields.Date(
        string="Oldest unpaid due date",
        compute="_compute_dunning_date_due",
        store=True,
        index=True,
        help="Due date of the oldest instalment not paid yet: each instalment is late from the day after its own "
        "date (Code de commerce L441-10 II); Odoo's due date is the last instalment's.",
    )
    dunning_formal_notice_received_date = fields.Date(
        string="Mise en demeure received on",
        groups=DUNNING_USER,
        compute="_compute_dunning_formal_notice_received_date",
        store=True,
        help="Receipt (or first presentation) of the mise en demeure: a consumer's legal interest runs from it "
        "(Code civil 1231-6, 1344-1).",
    )
    dunning_acknowledgment_date = fields.Date(
        string="Debt acknowledged on",
        groups=DUNNING_USER,
        copy=False,
        tracking=True,
        help="The customer acknowledged the debt in writing: prescription starts again (Code civil 2240).",
    )
    dunning_next_date = fields.Date(
        string="Next reminder",
        compute="_compute_dunning_next_date",
        store=True,
        index=True,
        groups=DUNNING_USER,
        help="When the next dunning level is due, if the invoice is still unpaid.",
    )
    dunning_active = fields.Boolean(
        string="In dunning",
        compute="_compute_dunning_active",
        store=True,
        index=True,
        help="Posted customer invoice with an amount due.",
    )
    dunning_days_overdue = fields.Integer(string="Days overdue", compute="_compute_dunning_days_overdue")
    dunning_ageing_bucket = fields.Selection(
        [
            ("0_not_due", "Not yet due"),
            ("1_30", "1–30 days late"),
            ("31_60", "31–60 days late"),
            ("61_90", "61–90 days late"),
            ("91_more", "Over 90 days late"),
        ],
        string="Ageing",
        compute="_compute_dunning_ageing_bucket",
        search="_search_dunning_ageing_bucket",
        help="Days since the oldest unpaid due date, as of today. The due date itself is not late: penalties run "
        "from the day after it (Code de commerce L441-10 II).",
    )
    dunning_reminder_failed = fields.Boolean(
        string="Reminder failed",
        groups=DUNNING_USER,
        compute="_compute_dunning_reminder_failed",
        search="_search_dunning_reminder_failed",
        help="Its last reminder failed (no email address, for example) and none went out since: it reached nobody.",
    )
    dunning_disputed = fields.Boolean(string="Disputed", tracking=True, copy=False, groups=DUNNING_USER)
    dunning_dispute_reason = fields.Char(string="Dispute reason", copy=False, groups=DUNNING_USER)
    dunning_promise_date = fields.Date(string="Promised payment date", tracking=True, copy=False, groups=DUNNING_USER)
    dunning_promise_amount = fields.Monetary(
        string="Promised amount",
        currency_field="company_currency_id",
        copy=False,
        groups=DUNNING_USER,
    )
    dunning_penalty_amount = fields.Monetary(
        string="Penalties to date",
        currency_field="company_currency_id",
        compute="_compute_dunning_amounts",
    )
    dunning_indemnity_amount = fields.Monetary(
        string="Recovery indemnity",
        currency_field="company_currency_id",
        compute="_compute_dunning_amounts",
    )
    dunning_total_claimable = fields.Monetary(
        string="Total claimable",
        currency_field="company_currency_id",
        compute="_compute_dunning_amounts",
    )
    dunning_amount_error = fields.Char(string="Penalty warning", compute="_compute_dunning_amounts")
    dunning_prescription_date = fields.Date(
        string="Last day to act (prescription)",
        compute="_compute_dunning_prescription_date",
        help="The claim is time-barred at the end of this day: 5 years between professionals (Code de commerce "
        "L110-4), 2 years against a consumer (Code de la consommation L218-2), 4 years against a public person "
        "(loi 68-1250), from the delivery when known; a partial payment, a written acknowledgment or a court "
        "filing starts it again (Code civil 2240, 2241).",
    )
    dunning_court_file_id = fields.Many2one(
        "l10n_fr_dunning.court.file",
        string="Injonction de payer",
        copy=False,
        index="btree_not_null",
        tracking=True,
        groups=DUNNING_USER,
        check_company=True,
        help="Court file of the injonction de payer filed for this invoice: automatic reminders stop.",
    )
    dunning_collection_file_id = fields.Many2one(
        "l10n_fr_dunning.collection.file",
        string="Hand-over file",
        copy=False,
        index="btree_not_null",
        tracking=True,
        groups=DUNNING_USER,
        check_company=True,
        help="File handed to a lawyer, a commissaire de justice or a collection agency.",
    )
    dunning_handed_over = fields.Boolean(
        string="Handed over",
        compute="_compute_dunning_handed_over",
        store=True,
        groups=DUNNING_USER,
        help="Handed to a professional: automatic reminders stop for this invoice.",
    )
    dunning_customer_warning = fields.Char(compute="_compute_dunning_customer_warning", groups=DUNNING_USER)
    dunning_paid_late = fields.Boolean(
        string="Paid late",
        groups=DUNNING_USER,
        compute="_compute_dunning_paid_late",
        search="_search_dunning_paid_late",
        help="Paid after its due date and no penalty invoice issued yet: its penalties and 40 € remain owed "
        "(Code de commerce L441-10 II).",
    )
    dunning_penalty_invoice_id = fields.Many2one(
        "account.move",
        string="Penalty invoice",
        groups=DUNNING_USER,
        copy=False,
        readonly=True,
        index="btree_not_null",
        check_company=True,
        help="The invoice of the late-payment penalties and the 40 € of this invoice.",
    )
    dunning_is_penalty_invoice = fields.Boolean(
        string="Late-payment penalty invoice",
        copy=False,
        readonly=True,
        help="Invoices penalties: never itself a source of penalties (no interest on interest, Code civil 1343-2).",
    )
    dunning_payment_term_too_long = fields.Boolean(
        string="Payment term beyond the legal limit",
        compute="_compute_dunning_payment_term_too_long",
        help="Due more than 60 days after the invoice date and beyond 45 days end of month "
        "(Code de commerce L441-10 I).",
    )

    # ---- Computes ------------------------------------------------------------------------------------------

    @api.depends("move_type", "state", "payment_state", "amount_residual")
    def _compute_dunning_active(self):
        for move in self:
            move.dunning_active = (
                move.move_type == "out_invoice"
                and move.state == "posted"
                and move.payment_state in DUNNED_PAYMENT_STATES
                and move.amount_residual > 0
            )

    def write(self, vals):
        if "dunning_collection_file_id" in vals and any(
            move.sudo().dunning_collection_file_id.state not in (False, "draft") for move in self
        ):
            raise UserError(
                self.env._(
                    "An invoice handed over to a professional stays in its hand-over file: close the file instead."
                )
            )
        return super().write(vals)

    @api.depends("dunning_collection_file_id.state")
    def _compute_dunning_handed_over(self):
        for move in self:
            move.dunning_handed_over = move.dunning_collection_file_id.state in ("handed_over", "closed")

    @api.depends("partner_id", "state", "move_type")
    def _compute_dunning_customer_warning(self):
        """On a draft invoice, warn when the customer is at the mise en demeure or later (one query per form)."""
        self.dunning_customer_warning = False
        drafts = self.filtered(
            lambda move: move.state == "draft" and move.move_type == "out_invoice" and move.commercial_partner_id
        )
        for move in drafts:
            move.dunning_customer_warning = move._dunning_customer_warning()

    def _dunning_customer_warning(self):
        ladders = self.env["l10n_fr_dunning.policy"]._company_ladders(self.company_id)
        ladder = ladders.ladder_of(self.commercial_partner_id.with_company(self.company_id))
        notice = ladder.filtered("is_formal_notice")[:1] or ladder.filtered("stops_automation")[:1]
        if not notice:
            return False
        late_levels = ladder.filtered(lambda level: level.sequence >= notice.sequence)
        late = self.search_count(
            [
                ("commercial_partner_id", "=", self.commercial_partner_id.id),
                ("company_id", "=", self.company_id.id),
                ("dunning_active", "=", True),
                "|",
                ("dunning_level_id", "in", late_levels.ids),
                ("dunning_handed_over", "=", True),
            ],
            limit=1,
        )
        if not late:
            return False
        partner = self.commercial_partner_id
        credit = ""
        if partner.use_partner_credit_limit or self.company_id.account_use_credit_limit:
            credit = self.env._(
                " Credit limit: %(limit)s, receivable: %(credit)s.",
                limit=format_amount(self.env, partner.credit_limit, self.company_currency_id),
                credit=format_amount(self.env, partner.credit, self.company_currency_id),
            )
        return self.env._(
            "%(customer)s has invoices at the mise en demeure stage or later: ask for payment before delivering, "
            "or set a credit limit on the customer (Accounting settings, customer credit limit).%(credit)s",
            customer=partner.display_name,
            credit=credit,
        )

    @api.depends("dunning_line_ids.state", "dunning_line_ids.level_id")
    def _compute_dunning_level(self):
        """The level and date of each invoice's newest reminder that reached the customer, and its first mise en
        demeure sent; one pass over the lines of all the invoices (the run recomputes thousands at a time)."""
        last, notice_dates = {}, defaultdict(set)
        for line in self.sudo().dunning_line_ids:
            if line.state in UNCOUNTED_REMINDER_STATES:
                continue
            move_id, level = line.move_id.id, line.level_id
            key = (line.date, level.sequence, line.id)
            if move_id not in last or key > last[move_id][0]:
                last[move_id] = (key, level, line.date)
            if level.is_formal_notice and line.state == "sent":
                notice_dates[move_id].add(line.reminder_id.sent_date)
        no_level = self.env["l10n_fr_dunning.level"]
        for move in self:
            _key, level, date = last.get(move.id, (None, no_level, False))
            move.dunning_level_id = level
            move.dunning_last_date = date
            move.dunning_formal_notice_date = min(notice_dates[move.id], default=False)

    @api.depends(
        "dunning_active",
        "dunning_date_due",
        "dunning_level_id",
        "dunning_last_date",
        "dunning_disputed",
        "dunning_promise_date",
        "commercial_partner_id.dunning_excluded",
        "commercial_partner_id.dunning_insolvent",
        "commercial_partner_id.dunning_insolvency_date",
        "commercial_partner_id.dunning_paused_until",
        "commercial_partner_id.dunning_policy_id",
        "commercial_partner_id.dunning_debtor_kind",
        "dunning_handed_over",
    )
    def _compute_dunning_next_date(self):
        ladders, customer_ladders = {}, {}
        for move in self:
            company = move.company_id
            customer = move.commercial_partner_id.with_company(company)
            if (company, customer) not in customer_ladders:
                if company not in ladders:
                    ladders[company] = self.env["l10n_fr_dunning.policy"]._company_ladders(company)
                customer_ladders[company, customer] = ladders[company].ladder_of(customer)
            next_level = move._dunning_next_level(customer_ladders[company, customer])
            if (
                not move.dunning_active
                or move.dunning_disputed
                or not next_level
                or not move.dunning_date_due
                or move.dunning_handed_over
                or customer.dunning_excluded
                or (customer.dunning_insolvent and move._dunning_insolvency().pre_opening)
            ):
                move.dunning_next_date = False
                continue
            candidates = [move._dunning_level_start(next_level)]
            if move.dunning_last_date:
                candidates.append(move.dunning_last_date + timedelta(days=next_level.min_interval_days))
            for pause_end in (move.dunning_promise_date, customer.dunning_paused_until):
                if pause_end:
                    candidates.append(pause_end + timedelta(days=1))
            move.dunning_next_date = sending_window.next_sending_day(
                max(candidates), next_level.skip_weekends, next_level.quiet_last_days
            )

    @api.depends("dunning_date_due")
    def _compute_dunning_days_overdue(self):
        today = fields.Date.context_today(self)
        for move in self:
            overdue = (today - move.dunning_date_due).days if move.dunning_date_due and move.dunning_active else 0
            move.dunning_days_overdue = max(overdue, 0)

    @api.depends("invoice_date_due", "line_ids.date_maturity", "line_ids.amount_residual", "line_ids.display_type")
    def _compute_dunning_date_due(self):
        for move in self:
            unpaid = move.line_ids.filtered(
                lambda line: line.display_type == "payment_term" and line.amount_residual > 0 and line.date_maturity
            )
            move.dunning_date_due = min(unpaid.mapped("date_maturity"), default=move.invoice_date_due)

    @api.depends(
        "dunning_line_ids.state",
        "dunning_line_ids.reminder_id.lrar_date_acknowledged",
        "dunning_line_ids.reminder_id.lrar_returned",
        "dunning_line_ids.reminder_id.lrar_date_first_presented",
    )
    def _compute_dunning_formal_notice_received_date(self):
        received = defaultdict(set)
        for line in self.sudo().dunning_line_ids:
            if line.state == "sent" and line.level_id.is_formal_notice and line.reminder_id.received_date:
                received[line.move_id.id].add(line.reminder_id.received_date)
        for move in self:
            move.dunning_formal_notice_received_date = min(received[move.id], default=False)

    @api.depends("amount_residual", "dunning_date_due", "commercial_partner_id.dunning_debtor_kind")
    def _compute_dunning_amounts(self):
        amounts = self._dunning_amounts_to_date(fields.Date.context_today(self))
        for move in self:
            amount = amounts.get(move.id) or DunningAmounts(0.0, 0.0, False, 0.0)
            move.dunning_penalty_amount = amount.penalty
            move.dunning_indemnity_amount = amount.indemnity
            move.dunning_amount_error = amount.error
            move.dunning_total_claimable = amount.principal + amount.penalty + amount.indemnity

    def _dunning_amounts_to_date(self, today):
        """{move_id: DunningAmounts} of the invoices in dunning on ``today``; a missing rate becomes each one's
        warning (the screens show it) instead of an error."""
        active = self.filtered("dunning_active")
        try:
            return active._dunning_amounts(today)
        except UserError as error:
            return {move.id: DunningAmounts(0.0, 0.0, str(error), abs(move.amount_residual_signed)) for move in active}

    @api.depends("invoice_date", "dunning_acknowledgment_date", "commercial_partner_id.dunning_debtor_kind")
    def _compute_dunning_prescription_date(self):
        payments = self.filtered("id")._dunning_items()
        for move in self:
            if not move.invoice_date:
                move.dunning_prescription_date = False
                continue
            interruptions = [day for item in payments.get(move.id, ()) for day, _amount in item.payments]
            interruptions += [move.dunning_acknowledgment_date, move.sudo().dunning_court_file_id.filing_date]
            regime = move.commercial_partner_id._dunning_regime()
            move.dunning_prescription_date = french_law.prescription_date(
                move._dunning_performance_date(),
                regime.prescription_years,
                interruptions=[day for day in interruptions if day],
                from_next_year=regime.prescription_from_next_year,
            )

    def _dunning_performance_date(self):
        """When the claim was born: the delivery when Odoo knows it, else the invoice date."""
        return ("delivery_date" in self._fields and self.delivery_date) or self.invoice_date

    @api.depends("invoice_date", "invoice_date_due")
    def _compute_dunning_payment_term_too_long(self):
        for move in self:
            move.dunning_payment_term_too_long = bool(
                move.move_type == "out_invoice"
                and move.invoice_date
                and move.invoice_date_due
                and french_law.exceeds_payment_term_limit(move.invoice_date, move.invoice_date_due)
            )

    def _compute_dunning_paid_late(self):
        late = set(self._search_dunning_paid_late("=", True)[0][2]) if self.ids else set()
        for move in self:
            move.dunning_paid_late = move.id in late

    def _search_dunning_paid_late(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Filter the invoices paid late with “is set” or “is not set” only."))
        self.env["account.move"].flush_model(
            ["move_type", "state", "payment_state", "dunning_penalty_invoice_id", "dunning_is_penalty_invoice"]
        )
        self.env.cr.execute(
            SQL(
                """
            SELECT DISTINCT move.id
              FROM account_move move
              JOIN account_move_line line ON line.move_id = move.id AND line.display_type = 'payment_term'
              JOIN account_partial_reconcile part ON part.debit_move_id = line.id
              JOIN account_move_line paid_by ON paid_by.id = part.credit_move_id
              JOIN account_move paying ON paying.id = paid_by.move_id
             WHERE move.move_type = 'out_invoice' AND move.state = 'posted'
               AND move.payment_state IN ('paid', 'in_payment')
               AND move.dunning_penalty_invoice_id IS NULL AND NOT COALESCE(move.dunning_is_penalty_invoice, FALSE)
               AND paying.move_type != 'out_refund' AND part.max_date > line.date_maturity
            """
            )
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        return [("id", "in" if (operator == "=") == value else "not in", ids)]

    @api.constrains("dunning_promise_date")
    def _check_dunning_promise_date(self):
        for move in self:
            check_date(move, "dunning_promise_date")

    # ---- Dunning ladder ------------------------------------------------------------------------------------

    def _dunning_level_start(self, level):
        """First day an invoice is at ``level``: due date + delay (+ grace days after the due date)."""
        grace = self.company_id.dunning_grace_days if level.delay_days > 0 else 0
        return (self.dunning_date_due or self.invoice_date_due) + timedelta(days=level.delay_days + grace)

    def _dunning_next_level(self, ladder):
        """The level after the invoice's current one in ``ladder`` (escalation order): one step at a time."""
        current = self.dunning_level_id
        if current.stops_automation:
            return ladder.browse()
        if not current:
            return ladder[:1]
        if current in ladder:
            index = ladder.ids.index(current.id)
            return ladder[index + 1 : index + 2]
        higher = ladder.filtered(
            lambda level: (level.sequence, level.delay_days) > (current.sequence, current.delay_days)
        )
        return higher[:1]

    # ---- Amounts (law engine) ------------------------------------------------------------------------------

    def _dunning_items(self):
        """{move_id: [ClaimItem]}: each payment-term line (instalment) of these invoices in company currency,
        oldest due first, with the payments, credit notes and write-offs reconciled with it. Two queries."""
        items = defaultdict(list)
        if not self:
            return items
        self.env["account.move.line"].flush_model(["move_id", "display_type", "date_maturity", "balance"])
        self.env["account.partial.reconcile"].flush_model(["debit_move_id", "max_date", "amount"])
        self.env.cr.execute(
            SQL(
                """
            SELECT line.move_id, line.id, line.date_maturity, line.balance,
                   COALESCE(array_agg(part.max_date ORDER BY part.max_date, part.id)
                            FILTER (WHERE part.id IS NOT NULL), '{}'),
                   COALESCE(array_agg(part.amount ORDER BY part.max_date, part.id)
                            FILTER (WHERE part.id IS NOT NULL), '{}')
              FROM account_move_line line
         LEFT JOIN account_partial_reconcile part ON part.debit_move_id = line.id
             WHERE line.move_id IN %s AND line.display_type = 'payment_term' AND line.balance > 0
          GROUP BY line.move_id, line.id
          ORDER BY line.move_id, line.date_maturity, line.id
            """,
                tuple(self.ids),
            )
        )
        for move_id, line_id, due_date, balance, paid_dates, paid_amounts in self.env.cr.fetchall():
            payments = [(day, Decimal(str(amount))) for day, amount in zip(paid_dates, paid_amounts, strict=True)]
            items[move_id].append(ClaimItem(line_id, due_date, Decimal(str(balance)), payments))
        return items

    def _dunning_payments(self):
        """Payments and credit notes of each invoice, all instalments together: {move_id: [(date, amount)]}."""
        return {
            move_id: [payment for item in move_items for payment in item.payments]
            for move_id, move_items in self._dunning_items().items()
        }

    def _dunning_rate_tables(self):
        return self.env["l10n_fr_dunning.ecb.rate"].sudo()._rate_table(), self.env[
            "l10n_fr_dunning.legal.rate"
        ].sudo()._rate_table()

    def _dunning_insolvency(self):
        """french_law.InsolvencyEffects of the customer's opening judgment on this invoice."""
        partner = self.commercial_partner_id
        return french_law.insolvency_effects(
            self._dunning_performance_date() or self.invoice_date_due,
            self.invoice_date_due,
            partner.dunning_insolvent and partner.dunning_insolvency_date,
        )

    def _dunning_grace_suspensions(self, until):
        """{move_id: [(first_day, last_day)]}: the court graces of these invoices (accepted, kept or broken
        plans) as they stand on ``until``, during which penalties and increased interest are not incurred (Code
        civil 1343-5 al. 4)."""
        suspensions = defaultdict(list)
        if not self.ids:
            return suspensions
        plans = (
            self.env["l10n_fr_dunning.payment.plan"]
            .sudo()
            .search(
                [
                    ("kind", "=", "court_grace"),
                    ("state", "in", ("accepted", "done", "broken")),
                    ("invoice_ids", "in", self.ids),
                ]
            )
        )
        for plan in plans:
            for move_id in plan.invoice_ids.ids:
                suspensions[move_id].append(plan._court_grace_suspension(until))
        return suspensions

    def _dunning_interest_items(self, until, items, rate_tables, interest_first=None, suspensions=None):
        """[(ClaimItem, french_law.InterestComputation)]: the interest of each instalment at ``until``.

        The debtor's regime chooses the interest: penalties from the day after each due date (Code de
        commerce L441-10 II), a public buyer's intérêts moratoires (Code de la commande publique R2192-31), or
        a consumer's legal interest from the receipt of the mise en demeure (Code civil 1231-6, 1344-1).
        Interest of a claim born before an insolvency opening judgment stops at it (L622-28). Penalties and
        intérêts moratoires are not incurred during a court's grace (Code civil 1343-5 al. 4): ``suspensions``,
        from ``_dunning_grace_suspensions`` when not given.
        """
        if suspensions is None:
            suspensions = self._dunning_grace_suspensions(until)[self.id]
        ecb_rates, legal_rates = rate_tables
        partner = self.commercial_partner_id
        regime = partner._dunning_regime()
        cut = self._dunning_insolvency().interest_until
        until = min(until, cut) if cut else until
        if interest_first is None:
            interest_first = self.company_id.dunning_imputation == "interest_first"
        contractual_rate = (
            partner._dunning_contractual_rate(self.company_id) if regime.contractual_rate_applies else None
        )
        notice_received = self.dunning_formal_notice_received_date
        result = []
        for item in items:
            if regime.interest == "public":
                computation = french_law.public_procurement_interest(
                    item.amount, item.due_date, until, ecb_rates, item.payments, interest_first, suspensions
                )
            elif regime.interest == "legal":
                start = max(notice_received, item.due_date) if notice_received else until
                computation = french_law.legal_interest(
                    item.amount, start, until, legal_rates, item.payments, interest_first=interest_first
                )
            else:
                computation = french_law.late_payment_penalties(
                    item.amount,
                    item.due_date,
                    until,
                    ecb_rates,
                    item.payments,
                    contractual_rate=contractual_rate,
                    legal_rates=legal_rates,
                    interest_first=interest_first,
                    suspensions=suspensions,
                )
            result.append((item, computation))
        return result

    def _dunning_indemnity(self, until, euro_rate):
        """40 € per late invoice (not per instalment) when the debtor's regime owes it (Code de commerce
        L441-10 II, D441-5; Code de la commande publique L2192-13); ``euro_rate``: company currency for 1 €."""
        first_due = self.dunning_date_due or self.invoice_date_due
        if not first_due or until <= first_due:
            return Decimal(0)
        return french_law.recovery_indemnity(
            self.commercial_partner_id._dunning_regime().owes_recovery_indemnity,
            insolvent=not self._dunning_insolvency().indemnity_owed,
            currency_rate=euro_rate,
        )

    def _dunning_due_dates(self):
        """The due dates of the instalments of these invoices."""
        return sorted(
            set(self.line_ids.filtered(lambda line: line.display_type == "payment_term").mapped("date_maturity"))
        )

    def _dunning_euro_rates(self, until):
        """{company: units of its currency for 1 €} on ``until``, one conversion per company; a UserError when the
        euro has no rate in a company that keeps its books in another currency."""
        euro = self.env.ref("base.EUR")
        for company in self.company_id:
            self._dunning_check_currency_rate(euro, company)
        return {
            company: Decimal(str(euro._get_conversion_rate(euro, company.currency_id, company, until)))
            for company in self.company_id
        }

    @api.model
    def _dunning_check_currency_rate(self, currency, company):
        """Raise a UserError when ``currency`` has no rate at all in ``company``: Odoo would convert it 1:1 (its rate
        of a date is the last one before it, else the first one after), and a claim in the wrong amount is worse
        than none."""
        if currency == company.currency_id:
            return
        if (
            not self.env["res.currency.rate"]
            .sudo()
            .search_count(
                [
                    ("currency_id", "=", currency.id),
                    ("company_id", "in", (False, company.root_id.id)),
                ],
                limit=1,
            )
        ):
            raise UserError(
                self.env._(
                    "%(currency)s has no exchange rate in %(company)s, so its amounts would be taken 1:1: add its "
                    "rates "
                    "in Accounting > Configuration > Currencies before dunning invoices in %(currency)s.",
                    currency=currency.name,
                    company=company.name,
                )
            )

    def _dunning_check_invoice_rates(self):
        """Raise a UserError for invoices in another currency that Odoo booked 1:1 for want of a rate: their amount
        in the company's currency is wrong. Invoices booked at a real rate (``invoice_currency_rate``) pass."""
        booked_one_for_one = self.filtered(
            lambda move: move.currency_id != move.company_currency_id and move.invoice_currency_rate == 1.0
        )
        for (currency, company), moves in booked_one_for_one.grouped(
            lambda move: (move.currency_id, move.company_id)
        ).items():
            self._dunning_check_currency_rate(currency, company)
            wrong = self.browse()
            for day, same_day in moves.grouped(lambda move: move._get_invoice_currency_rate_date()).items():
                if currency._get_conversion_rate(company.currency_id, currency, company, day) != 1.0:
                    wrong |= same_day
            if wrong:
                raise UserError(
                    self.env._(
                        "%(invoices)s were booked 1:1 in %(currency)s because it had no rate on their date: reset them "
                        "to draft, correct their exchange rate and post them again.",
                        invoices=", ".join(wrong.mapped("name")),
                        currency=currency.name,
                    )
                )

    def _dunning_amounts(self, until):
        """{move_id: DunningAmounts} for these invoices at ``until``, with batched reads."""
        items = self._dunning_items()
        rate_tables = self._dunning_rate_tables()
        euro_rates = self._dunning_euro_rates(until)
        suspensions = self._dunning_grace_suspensions(until)
        result = {}
        for move in self:
            indemnity = float(move._dunning_indemnity(until, euro_rates[move.company_id]))
            residual = abs(move.amount_residual_signed)
            late = _late_instalments(items[move.id], until)
            try:
                computations = [
                    computation
                    for _item, computation in move._dunning_interest_items(
                        until, items[move.id], rate_tables, suspensions=suspensions[move.id]
                    )
                ]
            except french_law.LawError as error:
                result[move.id] = DunningAmounts(0.0, indemnity, str(error), residual, late)
                continue
            interest_paid = float(sum((computation.interest_paid for computation in computations), Decimal(0)))
            interest = float(sum((computation.total for computation in computations), Decimal(0)))
            result[move.id] = DunningAmounts(interest - interest_paid, indemnity, False, residual + interest_paid, late)
        return result

    def _dunning_reminder_line_values(self, amounts, today):
        """Reminder line values freezing, for each invoice, what was due on ``today`` (amounts from
        _dunning_amounts)."""
        rounding = self.company_id.currency_id[:1].round
        return [
            {
                "move_id": move.id,
                "amount_total": abs(move.amount_total_signed),
                "amount_residual": rounding(amounts[move.id].principal),
                "amount_penalty": rounding(amounts[move.id].penalty),
                "amount_indemnity": rounding(amounts[move.id].indemnity),
                "amount_error": amounts[move.id].error or False,
                "days_late": max((today - (move.dunning_date_due or move.invoice_date_due)).days, 0),
                "late_instalments": ", ".join(day.strftime("%d/%m/%Y") for day in amounts[move.id].late_instalments)
                or False,
            }
            for move in self
        ]

    def _dunning_reminder_line_commands(self, amounts, today):
        return [fields.Command.create(values) for values in self._dunning_reminder_line_values(amounts, today)]

    def _dunning_late_payment_claim(self):
        """(InterestComputation, indemnity) still owed on this invoice paid late: the interest to its last payment
        (the payments settled the principal, as the accounts say) and the 40 € (L441-10 II; they are compensation,
        outside the scope of VAT). Raises a UserError when a rate is missing."""
        self.ensure_one()
        items = self._dunning_items()[self.id]
        paid_on = max((day for item in items for day, _amount in item.payments), default=self.invoice_date_due)
        try:
            computations = self._dunning_interest_items(
                paid_on, items, self._dunning_rate_tables(), interest_first=False
            )
        except french_law.LawError as error:
            raise UserError(str(error)) from error
        interest = french_law.InterestComputation(
            lines=tuple(line for _item, computation in computations for line in computation.lines),
            total=sum((computation.total for _item, computation in computations), Decimal("0.00")),
        )
        indemnity = self._dunning_indemnity(paid_on, self._dunning_euro_rates(paid_on)[self.company_id])
        return interest, indemnity

    def _dunning_interest_breakdown(self, until):
        """The period lines of this invoice's interest (all instalments), for letters; raises a UserError when a
        rate is missing."""
        self.ensure_one()
        try:
            computations = self._dunning_interest_items(
                until, self._dunning_items()[self.id], self._dunning_rate_tables()
            )
        except french_law.LawError as error:
            raise UserError(str(error)) from error
        lines = tuple(line for _item, computation in computations for line in computation.lines)
        return french_law.InterestComputation(
            lines=lines,
            total=sum((computation.total for _item, computation in computations), Decimal("0.00")),
            interest_paid=sum((computation.interest_paid for _item, computation in computations), Decimal("0.00")),
            principal_due=sum((computation.principal_due for _item, computation in computations), Decimal("0.00")),
        )

    # ---- Invoice mentions (Code de commerce L441-9) -----------------------------------------------------------

    def _dunning_is_french_invoice(self):
        """Posted customer invoice of a company in France: it states the payment conditions of L441-9."""
        self.ensure_one()
        return self.move_type == "out_invoice" and self.state == "posted" and self.company_id.country_code == "FR"

    def _dunning_show_l441_9_mentions(self):
        """Whether the invoice states the penalty rate and the 40 € indemnity, which a consumer does not owe."""
        self.ensure_one()
        return (
            self._dunning_is_french_invoice()
            and self.commercial_partner_id._dunning_regime().text_variant == "professional"
        )

    def _dunning_penalty_mention(self):
        """Figures of the penalty mention, written the French way: the contractual rate, or else the
        statutory rate of the half-year in which penalties start (empty when a rate is missing)."""
        self.ensure_one()
        first_late_day = self.invoice_date_due + timedelta(days=1)
        mention = {
            "contractual": "",
            "statutory": "",
            "half": 1 if first_late_day.month <= 6 else 2,
            "year": first_late_day.year,
        }
        contractual = self.commercial_partner_id._dunning_contractual_rate(self.company_id)
        if contractual:
            mention["contractual"] = _french_percent(contractual)
            return mention
        try:
            rate = self.env["l10n_fr_dunning.ecb.rate"].sudo()._statutory_penalty_rate(first_late_day)
        except UserError:
            return mention
        mention["statutory"] = _french_percent(rate)
        return mention

    def _dunning_early_discount_mention(self):
        """(percentage, days) of the payment term's early payment discount, written the French way, or None."""
        self.ensure_one()
        term = self.invoice_payment_term_id
        if not term.early_discount:
            return None
        return _french_percent(term.discount_percentage), term.discount_days

    # ---- Actions -------------------------------------------------------------------------------------------

    def action_dunning_resolve_dispute(self):
        for move in self.filtered("dunning_disputed"):
            move._message_log(
                body=self.env._(
                    "Dispute resolved (%s): dunning resumes.",
                    move.dunning_dispute_reason or self.env._("no reason given"),
                ),
            )
        self.write({"dunning_disputed": False, "dunning_dispute_reason": False})

    def action_dunning_send_next(self):
        """Open the preview of the next reminder of these invoices' customer."""
        partners = self.commercial_partner_id
        if len(partners) != 1:
            raise UserError(self.env._("Select invoices of one customer to send them a reminder."))
        return partners.action_dunning_send_next()

    # ---- Screens: ageing buckets and group totals ----------------------------------------------------------

    @api.depends("dunning_active", "dunning_date_due")
    def _compute_dunning_ageing_bucket(self):
        today = fields.Date.context_today(self)
        for move in self:
            days = (today - move.dunning_date_due).days if move.dunning_active and move.dunning_date_due else None
            move.dunning_ageing_bucket = days is not None and _ageing_bucket(days)

    def _search_dunning_ageing_bucket(self, operator, value):
        """The buckets as ranges of the oldest unpaid due date, counted from today."""
        if operator not in ("=", "!=", "in", "not in"):
            raise UserError(self.env._("Filter the ageing with “is” or “is not” only."))
        today = fields.Date.context_today(self)
        ranges = []
        for key in [value] if isinstance(value, str) else value:
            first, last = AGEING_BOUNDS[key]
            latest = [("dunning_date_due", "<=", fields.Date.subtract(today, days=first))] if first is not None else []
            earliest = [("dunning_date_due", ">=", fields.Date.subtract(today, days=last))] if last is not None else []
            ranges.append(expression.AND([latest, earliest]))
        domain = expression.AND(
            [
                [("dunning_active", "=", True), ("dunning_date_due", "!=", False)],
                expression.OR(ranges or [expression.FALSE_DOMAIN]),
            ]
        )
        return domain if operator in ("=", "in") else ["!", *domain]

    def _field_to_sql(self, alias, fname, query=None, flush=True):
        """The ageing bucket in SQL, from the oldest unpaid due date and today: it can be grouped by and pivoted
        on, and it is always as of today (a stored bucket would age by one day every night)."""
        if fname != "dunning_ageing_bucket":
            return super()._field_to_sql(alias, fname, query, flush)
        today = fields.Date.context_today(self)
        due = super()._field_to_sql(alias, "dunning_date_due", query, flush)
        active = super()._field_to_sql(alias, "dunning_active", query, flush)
        cases = [
            SQL("WHEN %s - %s <= %s THEN %s", today, due, last, key)
            for key, (_first, last) in AGEING_BOUNDS.items()
            if last is not None
        ]
        return SQL(
            "(CASE WHEN NOT COALESCE(%s, FALSE) OR %s IS NULL THEN NULL %s ELSE %s END)",
            active,
            due,
            SQL(" ").join(cases),
            AGEING_OLDEST,
        )

    def _compute_dunning_reminder_failed(self):
        failed = set(self._search_dunning_reminder_failed("=", True)[0][2]) if self.ids else set()
        for move in self:
            move.dunning_reminder_failed = move.id in failed

    def _search_dunning_reminder_failed(self, operator, value):
        """Open invoices with a failed reminder dated after their last reminder that reached the customer."""
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Filter the failed reminders with “is set” or “is not set” only."))
        self.env["l10n_fr_dunning.reminder.line"].flush_model(["move_id", "state", "date"])
        self.env["account.move"].flush_model(["dunning_active", "dunning_last_date"])
        self.env.cr.execute(
            SQL(
                """
            SELECT DISTINCT move.id
              FROM l10n_fr_dunning_reminder_line line
              JOIN account_move move ON move.id = line.move_id
             WHERE line.state = 'failed' AND move.dunning_active
               AND (move.dunning_last_date IS NULL OR line.date > move.dunning_last_date)
            """
            )
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        return [("id", "in" if (operator == "=") == value else "not in", ids)]

    # ---- Payment plans -------------------------------------------------------------------------------------

    dunning_payment_plan_ids = fields.Many2many(
        "l10n_fr_dunning.payment.plan",
        "l10n_fr_dunning_payment_plan_move_rel",
        "move_id",
        "plan_id",
        string="Payment plans",
        copy=False,
        readonly=True,
        groups=DUNNING_USER,
    )
    dunning_payment_plan_count = fields.Integer(compute="_compute_dunning_payment_plan_count", groups=DUNNING_USER)

    @api.depends("dunning_payment_plan_ids")
    def _compute_dunning_payment_plan_count(self):
        for move in self:
            move.dunning_payment_plan_count = len(move.dunning_payment_plan_ids)

    def action_open_dunning_payment_plans(self):
        return self.env["res.partner"]._open_dunning_payment_plans([("invoice_ids", "in", self.ids)])
