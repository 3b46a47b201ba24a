from collections import defaultdict
from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..lib import french_law
from .dunning_checks import check_date

DUNNING_USER = "l10n_fr_dunning.group_dunning_user"

DUNNED_PAYMENT_STATES = ("not_paid", "partial")


class AccountMove(models.Model):
    _inherit = "account.move"

    dunning_line_ids = fields.One2many(
        "l10n_fr_dunning.reminder.line", "move_id", string="Reminders", groups="l10n_fr_dunning.group_dunning_user",
    )
    dunning_level_id = fields.Many2one(
        "l10n_fr_dunning.level", string="Dunning level", compute="_compute_dunning_level", store=True, index=True,
        groups=DUNNING_USER, check_company=True,
        help="Level of the last reminder that included this invoice.",
    )
    dunning_last_date = fields.Date(
        string="Last reminder", compute="_compute_dunning_level", store=True, groups=DUNNING_USER,
    )
    dunning_formal_notice_date = fields.Date(
        string="Mise en demeure sent on", compute="_compute_dunning_level", store=True, groups=DUNNING_USER,
        help="Date of the mise en demeure sent for this invoice; legal interest of consumers runs from it.",
    )
    dunning_next_date = fields.Date(
        string="Next reminder", compute="_compute_dunning_next_date", store=True, index=True, groups=DUNNING_USER,
        help="When the next dunning level is due, if the invoice is still unpaid.",
    )
    dunning_active = fields.Boolean(
        string="In dunning", compute="_compute_dunning_active", store=True, index=True,
        help="Posted customer invoice with an amount due.",
    )
    dunning_days_overdue = fields.Integer(string="Days overdue", compute="_compute_dunning_days_overdue")
    dunning_disputed = fields.Boolean(string="Disputed", tracking=True, copy=False, groups=DUNNING_USER)
    dunning_dispute_reason = fields.Char(string="Dispute reason", copy=False, groups=DUNNING_USER)
    dunning_promise_date = fields.Date(string="Promised payment date", tracking=True, copy=False, groups=DUNNING_USER)
    dunning_promise_amount = fields.Monetary(
        string="Promised amount", currency_field="company_currency_id", copy=False, groups=DUNNING_USER,
    )
    dunning_penalty_amount = fields.Monetary(
        string="Penalties to date", currency_field="company_currency_id", compute="_compute_dunning_amounts",
    )
    dunning_indemnity_amount = fields.Monetary(
        string="Recovery indemnity", currency_field="company_currency_id", compute="_compute_dunning_amounts",
    )
    dunning_total_claimable = fields.Monetary(
        string="Total claimable", currency_field="company_currency_id", compute="_compute_dunning_amounts",
    )
    dunning_amount_error = fields.Char(string="Penalty warning", compute="_compute_dunning_amounts")
    dunning_prescription_date = fields.Date(
        string="Prescribed on", compute="_compute_dunning_prescription_date",
        help="5 years between professionals (Code de commerce L110-4), 2 years against a consumer "
        "(Code de la consommation L218-2).",
    )
    dunning_court_file_id = fields.Many2one(
        "l10n_fr_dunning.court.file", string="Injonction de payer", copy=False, index="btree_not_null", tracking=True,
        groups=DUNNING_USER, check_company=True,
        help="Court file of the injonction de payer filed for this invoice: automatic reminders stop.",
    )
    dunning_payment_term_too_long = fields.Boolean(
        string="Payment term beyond the legal limit", compute="_compute_dunning_payment_term_too_long",
        help="Due more than 60 days after the invoice date and beyond 45 days end of month (Code de commerce L441-10 I).",
    )

    # ---- Computes ------------------------------------------------------------------------------------------

    @api.depends("move_type", "state", "payment_state", "amount_residual")
    def _compute_dunning_active(self):
        for move in self:
            move.dunning_active = (
                move.move_type == "out_invoice" and move.state == "posted"
                and move.payment_state in DUNNED_PAYMENT_STATES and move.amount_residual > 0
            )

    @api.depends("dunning_line_ids.state", "dunning_line_ids.level_id")
    def _compute_dunning_level(self):
        for move in self:
            lines = move.sudo().dunning_line_ids.filtered(lambda line: line.state != "cancelled")
            last = lines.sorted(lambda line: (line.date, line.level_id.sequence, line.id))[-1:]
            move.dunning_level_id = last.level_id
            move.dunning_last_date = last.date
            notices = lines.filtered(lambda line: line.level_id.is_formal_notice and line.state == "sent")
            move.dunning_formal_notice_date = min(notices.reminder_id.mapped("sent_date"), default=False)

    @api.depends(
        "dunning_active", "invoice_date_due", "dunning_level_id", "dunning_last_date",
        "dunning_disputed", "dunning_promise_date", "commercial_partner_id.dunning_excluded",
        "commercial_partner_id.dunning_insolvent", "commercial_partner_id.dunning_paused_until",
    )
    def _compute_dunning_next_date(self):
        ladders = {}
        for move in self:
            company = move.company_id
            customer = move.commercial_partner_id.with_company(company)
            if company not in ladders:
                ladders[company] = self.env["l10n_fr_dunning.level"].sudo()._ladder(company)
            next_level = move._dunning_next_level(ladders[company])
            if (not move.dunning_active or move.dunning_disputed or not next_level or not move.invoice_date_due
                    or customer.dunning_excluded or customer.dunning_insolvent):
                move.dunning_next_date = False
                continue
            candidates = [move._dunning_level_start(next_level)]
            if move.dunning_last_date:
                candidates.append(fields.Date.add(move.dunning_last_date, days=next_level.min_interval_days))
            for pause_end in (move.dunning_promise_date, customer.dunning_paused_until):
                if pause_end:
                    candidates.append(fields.Date.add(pause_end, days=1))
            move.dunning_next_date = max(candidates)

    @api.depends("invoice_date_due")
    def _compute_dunning_days_overdue(self):
        today = fields.Date.context_today(self)
        for move in self:
            overdue = (today - move.invoice_date_due).days if move.invoice_date_due and move.dunning_active else 0
            move.dunning_days_overdue = max(overdue, 0)

    @api.depends("amount_residual", "invoice_date_due", "commercial_partner_id.dunning_debtor_kind")
    def _compute_dunning_amounts(self):
        today = fields.Date.context_today(self)
        active = self.filtered("dunning_active")
        try:
            amounts = active._dunning_amounts(today)
        except UserError as error:
            amounts = {move.id: (0, 0, str(error)) for move in active}
        for move in self:
            penalty, indemnity, error = amounts.get(move.id, (0, 0, False))
            move.dunning_penalty_amount = penalty
            move.dunning_indemnity_amount = indemnity
            move.dunning_amount_error = error
            move.dunning_total_claimable = (
                (abs(move.amount_residual_signed) if move.dunning_active else 0) + penalty + indemnity
            )

    @api.depends("invoice_date", "commercial_partner_id.dunning_debtor_kind")
    def _compute_dunning_prescription_date(self):
        for move in self:
            move.dunning_prescription_date = move.invoice_date and french_law.prescription_date(
                move.invoice_date, move.commercial_partner_id.dunning_debtor_kind != "consumer",
                performance_date=move.delivery_date if "delivery_date" in move._fields else None,
            )

    @api.depends("invoice_date", "invoice_date_due")
    def _compute_dunning_payment_term_too_long(self):
        for move in self:
            move.dunning_payment_term_too_long = bool(
                move.move_type == "out_invoice" and move.invoice_date and move.invoice_date_due
                and french_law.exceeds_payment_term_limit(move.invoice_date, move.invoice_date_due)
            )

    @api.constrains("dunning_promise_date")
    def _check_dunning_promise_date(self):
        for move in self:
            check_date(move, "dunning_promise_date")

    # ---- Dunning ladder ------------------------------------------------------------------------------------

    def _dunning_level_start(self, level):
        """First day an invoice is at ``level``: due date + delay (+ grace days after the due date)."""
        grace = self.company_id.dunning_grace_days if level.delay_days > 0 else 0
        return fields.Date.add(self.invoice_date_due, days=level.delay_days + grace)

    def _dunning_next_level(self, ladder):
        """The level after the invoice's current one in ``ladder`` (escalation order): one step at a time."""
        current = self.dunning_level_id
        if current.stops_automation:
            return ladder.browse()
        if not current:
            return ladder[:1]
        if current in ladder:
            index = ladder.ids.index(current.id)
            return ladder[index + 1:index + 2]
        higher = ladder.filtered(lambda level: (level.sequence, level.delay_days) > (current.sequence, current.delay_days))
        return higher[:1]

    # ---- Amounts (law engine) ------------------------------------------------------------------------------

    def _dunning_payments(self):
        """Partial payments and credit notes of each invoice: {move_id: [(date, amount in company currency)]}."""
        payments = defaultdict(list)
        if not self:
            return payments
        self.env.cr.execute(SQL(
            """
            SELECT line.move_id, part.max_date, part.amount
              FROM account_partial_reconcile part
              JOIN account_move_line line ON line.id = part.debit_move_id
             WHERE line.move_id IN %s AND line.display_type = 'payment_term'
            """,
            tuple(self.ids),
        ))
        for move_id, day, amount in self.env.cr.fetchall():
            payments[move_id].append((day, amount))
        return payments

    def _dunning_rate_tables(self):
        return self.env["l10n_fr_dunning.ecb.rate"].sudo()._rate_table(), \
            self.env["l10n_fr_dunning.legal.rate"].sudo()._rate_table()

    def _dunning_interest(self, until, payments, rate_tables):
        """Penalties (professional) or legal interest (consumer) of one invoice, as a french_law computation."""
        ecb_rates, legal_rates = rate_tables
        partner = self.commercial_partner_id
        if partner.dunning_insolvent and partner.dunning_insolvency_date:
            # The opening judgment stops interest from running (Code de commerce L622-28).
            until = min(until, fields.Date.add(partner.dunning_insolvency_date, days=-1))
        amount_due = abs(self.amount_total_signed)
        if partner.dunning_debtor_kind == "consumer":
            if not self.dunning_formal_notice_date:
                return french_law.InterestComputation(lines=(), total=Decimal(0))
            return french_law.legal_interest(
                amount_due, self.dunning_formal_notice_date, until, legal_rates, payments=payments,
            )
        return french_law.late_payment_penalties(
            amount_due, self.invoice_date_due, until, ecb_rates, payments=payments,
            contractual_rate=self.company_id.dunning_contractual_rate or None, legal_rates=legal_rates,
        )

    def _dunning_indemnity(self, until, euro_rate):
        """40 € per unpaid invoice for a professional debtor once it is overdue (D441-5);
        ``euro_rate``: units of company currency for 1 €."""
        partner = self.commercial_partner_id
        if not self.invoice_date_due or until <= self.invoice_date_due:
            return Decimal(0)
        return french_law.recovery_indemnity(
            partner.dunning_debtor_kind != "consumer", insolvent=partner.dunning_insolvent, currency_rate=euro_rate,
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
        if not self.env["res.currency.rate"].sudo().search_count([
            ("currency_id", "=", currency.id), ("company_id", "in", (False, company.root_id.id)),
        ], limit=1):
            raise UserError(self.env._(
                "%(currency)s has no exchange rate in %(company)s, so its amounts would be taken 1:1: add its rates "
                "in Accounting > Configuration > Currencies before dunning invoices in %(currency)s.",
                currency=currency.name, company=company.name,
            ))

    def _dunning_check_invoice_rates(self):
        """Raise a UserError for invoices in another currency that Odoo booked 1:1 for want of a rate: their amount
        in the company's currency is wrong. Invoices booked at a real rate (``invoice_currency_rate``) pass."""
        booked_one_for_one = self.filtered(
            lambda move: move.currency_id != move.company_currency_id and move.invoice_currency_rate == 1.0)
        for (currency, company), moves in booked_one_for_one.grouped(
                lambda move: (move.currency_id, move.company_id)).items():
            self._dunning_check_currency_rate(currency, company)
            wrong = self.browse()
            for day, same_day in moves.grouped(lambda move: move._get_invoice_currency_rate_date()).items():
                if currency._get_conversion_rate(company.currency_id, currency, company, day) != 1.0:
                    wrong |= same_day
            if wrong:
                raise UserError(self.env._(
                    "%(invoices)s were booked 1:1 in %(currency)s because it had no rate on their date: reset them "
                    "to draft, correct their exchange rate and post them again.",
                    invoices=", ".join(wrong.mapped("name")), currency=currency.name,
                ))

    def _dunning_amounts(self, until):
        """{move_id: (penalty, indemnity, error)} for these invoices at ``until``, with batched reads."""
        payments = self._dunning_payments()
        rate_tables = self._dunning_rate_tables()
        euro_rates = self._dunning_euro_rates(until)
        result = {}
        for move in self:
            indemnity = float(move._dunning_indemnity(until, euro_rates[move.company_id]))
            try:
                interest = move._dunning_interest(until, payments[move.id], rate_tables)
            except french_law.LawError as error:
                result[move.id] = (0.0, indemnity, str(error))
                continue
            result[move.id] = (float(interest.total), indemnity, False)
        return result

    def _dunning_reminder_line_values(self, amounts, today):
        """Reminder line values freezing, for each invoice, what was due on ``today`` (amounts from
        _dunning_amounts)."""
        rounding = self.company_id.currency_id[:1].round
        return [{
            "move_id": move.id,
            "amount_total": abs(move.amount_total_signed),
            "amount_residual": abs(move.amount_residual_signed),
            "amount_penalty": rounding(amounts[move.id][0]),
            "amount_indemnity": rounding(amounts[move.id][1]),
            "days_late": max((today - move.invoice_date_due).days, 0),
        } for move in self]

    def _dunning_reminder_line_commands(self, amounts, today):
        return [fields.Command.create(values) for values in self._dunning_reminder_line_values(amounts, today)]

    def _dunning_interest_breakdown(self, until):
        """The period lines of this invoice's penalties, for letters; raises a UserError when a rate is missing."""
        self.ensure_one()
        try:
            return self._dunning_interest(until, self._dunning_payments()[self.id], self._dunning_rate_tables())
        except french_law.LawError as error:
            raise UserError(str(error)) from error

    # ---- Actions -------------------------------------------------------------------------------------------

    def action_dunning_resolve_dispute(self):
        for move in self.filtered("dunning_disputed"):
            move._message_log(
                body=self.env._("Dispute resolved (%s): dunning resumes.", move.dunning_dispute_reason or self.env._("no reason given")),
            )
        self.write({"dunning_disputed": False, "dunning_dispute_reason": False})

    def action_dunning_send_next(self):
        """Open the preview of the next reminder of these invoices' customer."""
        partners = self.commercial_partner_id
        if len(partners) != 1:
            raise UserError(self.env._("Select invoices of one customer to send them a reminder."))
        return partners.action_dunning_send_next()
