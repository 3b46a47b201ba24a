from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, format_amount, format_date

from ..lib import french_words, payment_plans
from .account_move import UNCOUNTED_REMINDER_STATES

PLAN_REPORT = "l10n_fr_dunning.action_report_payment_plan"


class DunningPaymentPlan(models.Model):
    """Dated instalments for a set of invoices of one customer: an échéancier agreed with the debtor, or the grace
    a court granted (Code civil 1343-5). While it is accepted and kept, the dunning of its invoices pauses; a missed
    instalment breaks it and dunning resumes at the level where it stopped. Once accepted, the schedule never
    changes: a renegotiation is a new plan."""

    _name = "l10n_fr_dunning.payment.plan"
    _description = "Payment plan"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True

    kind = fields.Selection(
        [("agreed", "Agreed plan (échéancier amiable)"), ("court_grace", "Court grace (Code civil 1343-5)")],
        required=True,
        default="agreed",
        tracking=True,
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("accepted", "Accepted"),
            ("done", "Paid"),
            ("broken", "Broken"),
            ("cancelled", "Cancelled"),
        ],
        required=True,
        default="draft",
        readonly=True,
        tracking=True,
        index=True,
        copy=False,
    )
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        check_company=True,
        domain="[('parent_id', '=', False)]",
        tracking=True,
    )
    user_id = fields.Many2one(
        "res.users", string="Responsible", default=lambda self: self.env.user, check_company=True, tracking=True
    )
    invoice_ids = fields.Many2many(
        "account.move",
        "l10n_fr_dunning_payment_plan_move_rel",
        "plan_id",
        "move_id",
        string="Invoices",
        check_company=True,
        domain="[('move_type', '=', 'out_invoice'), ('state', '=', 'posted'), ('payment_state', 'in', "
        "('not_paid', 'partial')), ('commercial_partner_id', '=', partner_id)]",
    )
    line_ids = fields.One2many("l10n_fr_dunning.payment.plan.line", "plan_id", string="Instalments", copy=True)
    reminder_id = fields.Many2one(
        "l10n_fr_dunning.reminder", string="From reminder", check_company=True, readonly=True, copy=False
    )
    portal_answer_id = fields.Many2one(
        "l10n_fr_dunning.portal.answer", string="From customer request", check_company=True, readonly=True, copy=False
    )
    note = fields.Text(help="The customer's request and the terms agreed.")
    grace_days = fields.Integer(
        string="Grace margin (days)",
        default=0,
        help="Days after an instalment's due date before it counts as missed and the plan breaks.",
    )
    court_name = fields.Char(string="Court", help="The court that granted the grace (Code civil 1343-5).")
    court_decision_date = fields.Date(string="Decision date")
    court_reference = fields.Char(string="Decision reference", help="RG number of the judgment or order.")
    accepted_date = fields.Date(readonly=True, copy=False)
    broken_date = fields.Date(readonly=True, copy=False)
    missed_line_id = fields.Many2one(
        "l10n_fr_dunning.payment.plan.line", string="Missed instalment", readonly=True, copy=False
    )
    resumed_reminder_ids = fields.One2many(
        "l10n_fr_dunning.reminder", "payment_plan_id", string="Reminders after the plan broke", readonly=True
    )
    amount_total = fields.Monetary(string="Total of the instalments", compute="_compute_amount_total", store=True)
    amount_agreed = fields.Monetary(
        string="Amount due when accepted", readonly=True, copy=False, help="The invoices' residual on acceptance."
    )
    amount_residual = fields.Monetary(string="Invoices' residual", compute="_compute_amount_paid")
    amount_paid = fields.Monetary(string="Paid since accepted", compute="_compute_amount_paid")
    generate_count = fields.Integer(string="Number of instalments", default=3)
    generate_every = fields.Integer(string="Every", default=1)
    generate_unit = fields.Selection([("days", "days"), ("months", "months")], default="months")
    generate_first_date = fields.Date(string="First due date")

    @api.depends("line_ids.amount")
    def _compute_amount_total(self):
        for plan in self:
            plan.amount_total = sum(plan.line_ids.mapped("amount"))

    @api.depends("invoice_ids.amount_residual_signed", "amount_agreed", "state")
    def _compute_amount_paid(self):
        for plan in self:
            residual = sum(abs(move.amount_residual_signed) for move in plan.invoice_ids)
            plan.amount_residual = residual
            plan.amount_paid = max(plan.amount_agreed - residual, 0.0) if plan.state != "draft" else 0.0

    @api.depends("partner_id", "kind", "accepted_date")
    def _compute_display_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for plan in self:
            plan.display_name = f"{kinds[plan.kind]} – {plan.partner_id.name or ''}"

    # ---- Checks --------------------------------------------------------------------------------------------

    @api.constrains("invoice_ids", "partner_id")
    def _check_invoices(self):
        for plan in self:
            others = plan.invoice_ids.filtered(
                lambda move, plan=plan: (
                    move.commercial_partner_id != plan.partner_id.commercial_partner_id
                    or move.move_type != "out_invoice"
                )
            )
            if others:
                raise ValidationError(
                    self.env._(
                        "A payment plan covers customer invoices of %(customer)s only, not %(invoices)s.",
                        customer=plan.partner_id.display_name,
                        invoices=", ".join(others.mapped("display_name")),
                    )
                )
            live = self.search(
                [
                    ("id", "!=", plan.id),
                    ("state", "in", ("draft", "accepted")),
                    ("invoice_ids", "in", plan.invoice_ids.ids),
                ],
                limit=1,
            )
            if live and plan.state in ("draft", "accepted"):
                raise ValidationError(
                    self.env._(
                        "%(invoices)s already belong to the running plan %(plan)s: cancel it first.",
                        invoices=", ".join((live.invoice_ids & plan.invoice_ids).mapped("name")),
                        plan=live.display_name,
                    )
                )

    @api.constrains("grace_days")
    def _check_grace_days(self):
        if any(plan.grace_days < 0 for plan in self):
            raise ValidationError(self.env._("The grace margin cannot be negative."))

    def _check_schedule(self):
        """What acceptance requires: open invoices, instalments summing to their residual, and for a court's grace
        the decision and the two-year limit of Code civil 1343-5."""
        for plan in self:
            if not plan.invoice_ids or not plan.line_ids:
                raise UserError(self.env._("A payment plan needs its invoices and its instalments."))
            closed = plan.invoice_ids.filtered(
                lambda move: move.state != "posted" or move.payment_state not in ("not_paid", "partial")
            )
            if closed:
                raise UserError(self.env._("%s are not open any more.", ", ".join(closed.mapped("display_name"))))
            residual = plan.currency_id.round(plan.amount_residual)
            if plan.currency_id.compare_amounts(plan.amount_total, residual):
                raise ValidationError(
                    self.env._(
                        "The instalments total %(total)s, the invoices' residual is %(residual)s: they must be equal.",
                        total=format_amount(self.env, plan.amount_total, plan.currency_id),
                        residual=format_amount(self.env, residual, plan.currency_id),
                    )
                )
            if any(line.amount <= 0 or not line.date_due for line in plan.line_ids):
                raise ValidationError(self.env._("Every instalment needs a due date and a positive amount."))
            if plan.kind == "court_grace":
                plan._check_court_grace()

    def _check_court_grace(self):
        if not (self.court_name and self.court_decision_date and self.court_reference):
            raise UserError(self.env._("A court's grace needs the court, the decision date and its reference."))
        last_due = max(self.line_ids.mapped("date_due"))
        if not payment_plans.court_grace_end_allowed(self.court_decision_date, last_due):
            raise ValidationError(
                self.env._(
                    "A court grants at most two years of grace (Code civil 1343-5): the last instalment (%(last)s) "
                    "is more than two years after the decision (%(decision)s).",
                    last=format_date(self.env, last_due),
                    decision=format_date(self.env, self.court_decision_date),
                )
            )

    def write(self, vals):
        frozen = {"invoice_ids", "line_ids", "kind", "partner_id", "company_id", "grace_days"}
        frozen |= {"court_name", "court_decision_date", "court_reference"}
        if frozen & set(vals) and any(plan.state != "draft" for plan in self):
            raise UserError(
                self.env._("An accepted payment plan never changes: cancel it and make a new plan to renegotiate.")
            )
        if "state" in vals:
            # A court grace starting, ending or cancelled changes the penalties of past days (1343-5 al. 4).
            self.filtered(lambda plan: plan.kind == "court_grace").invoice_ids._dunning_outdate_stored_amounts()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_draft_only(self):
        if any(plan.state != "draft" for plan in self):
            raise UserError(self.env._("Only a draft payment plan can be deleted; cancel an accepted one."))

    @api.model
    def _new_from_reminder(self, reminder, answer=None, note=False):
        """A draft plan for the reminder's customer and its open invoices not already in a running plan, for the
        responsible to complete and accept."""
        running = self.search(
            [("partner_id", "=", reminder.partner_id.id), ("state", "in", ("draft", "accepted"))]
        ).invoice_ids
        invoices = reminder.line_ids.move_id.filtered(
            lambda move: move.payment_state in ("not_paid", "partial") and move not in running
        )
        return self.create(
            {
                "partner_id": reminder.partner_id.id,
                "company_id": reminder.company_id.id,
                "user_id": reminder._portal_responsible().id,
                "invoice_ids": [Command.set(invoices.ids)],
                "reminder_id": reminder.id,
                "portal_answer_id": answer and answer.id,
                "note": note,
            }
        )

    # ---- Actions -------------------------------------------------------------------------------------------

    def action_generate_lines(self):
        """Replace the draft's instalments by n instalments every k days or months from the first due date, the
        invoices' residual split to the cent with the remainder on the last one."""
        self.ensure_one()
        if self.state != "draft":
            raise UserError(self.env._("Only a draft plan's instalments can be computed."))
        if not self.generate_first_date or self.generate_count < 1 or self.generate_every < 1:
            raise UserError(self.env._("Give the first due date, the number of instalments and their interval."))
        residual = self.currency_id.round(self.amount_residual)
        if residual <= 0:
            raise UserError(self.env._("The plan's invoices have nothing left to pay."))
        rows = payment_plans.schedule(
            residual, self.generate_first_date, self.generate_count, self.generate_every, self.generate_unit
        )
        self.line_ids = [Command.clear()] + [
            Command.create({"date_due": due, "amount": float(amount)}) for due, amount in rows
        ]

    def action_propose(self):
        """Check the draft and print the letter for the customer to sign."""
        self._check_states("draft")
        self._check_schedule()
        return self.env.ref(PLAN_REPORT).report_action(self)

    def action_accept(self):
        """The customer agreed (or the court decided): the schedule is frozen and the dunning of its invoices
        pauses while it is kept."""
        self._check_states("draft")
        self._check_schedule()
        today = fields.Date.context_today(self)
        for plan in self:
            plan.write({"state": "accepted", "accepted_date": today, "amount_agreed": plan.amount_residual})
            plan._post_everywhere(plan._acceptance_note())

    def action_cancel(self):
        self._check_states("draft", "accepted", "broken")
        for plan in self:
            plan.state = "cancelled"
            plan._post_everywhere(self.env._("Payment plan %s cancelled.", plan.display_name))

    def action_print(self):
        return self.env.ref(PLAN_REPORT).report_action(self)

    def action_open_invoices(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Invoices"),
            "res_model": "account.move",
            "view_mode": "list,form",
            "domain": [("id", "in", self.invoice_ids.ids)],
        }

    def _check_states(self, *states):
        wrong = self.filtered(lambda plan: plan.state not in states)
        if wrong:
            raise UserError(
                self.env._("Not possible on %s in its current state.", ", ".join(wrong.mapped("display_name")))
            )

    def _acceptance_note(self):
        note = self.env._(
            "Payment plan accepted: %(count)s instalments, %(total)s; the dunning of %(invoices)s pauses while it is "
            "kept.",
            count=len(self.line_ids),
            total=format_amount(self.env, self.amount_total, self.currency_id),
            invoices=", ".join(self.invoice_ids.mapped("name")),
        )
        if self.kind == "court_grace":
            note += " " + self.env._(
                "Court grace (Code civil 1343-5 al. 4): penalties and increased interest are not due during the delay "
                "set by the court, and enforcement is suspended."
            )
        return note

    def _post_everywhere(self, note):
        """Note on the plan, logged on its customer and its invoices too (a log needs no write access to them)."""
        body = Markup("<p>%s</p>") % note
        self.message_post(body=body, message_type="comment", subtype_xmlid="mail.mt_note")
        for record in [self.partner_id, *self.invoice_ids]:
            record._message_log(body=body)

    # ---- The daily run -------------------------------------------------------------------------------------

    @api.model
    def _check_missed_instalments(self, company, today):
        """Called at the start of each company's run: a paid plan is done, a plan with an instalment unpaid beyond
        its grace margin breaks (chatter, activity for the responsible) and its invoices are dunned again."""
        paid, breaking = self._plans_ending_today(company, today)
        paid.state = "done"
        for plan, line in breaking.items():
            plan._break(line, today)

    @api.model
    def _plans_ending_today(self, company, today):
        """(accepted plans fully paid, {accepted plan: its first instalment missed beyond the grace margin}) of
        ``company`` on ``today``, read in a few queries and written nowhere (the dry run foresees them too)."""
        plans = self.search([("company_id", "=", company.id), ("state", "=", "accepted")])
        plans.fetch(["amount_agreed", "grace_days", "user_id"])
        plans.line_ids.fetch(["date_due", "amount"])
        paid, breaking = self.browse(), {}
        for plan in plans:
            if plan.currency_id.is_zero(plan.amount_residual):
                paid |= plan
            elif missed := plan._missed_instalment(today):
                breaking[plan] = missed
        return paid, breaking

    def _missed_instalment(self, today):
        """The first instalment of this plan unpaid beyond its grace margin on ``today``, if any."""
        lines = self.line_ids.sorted("date_due")
        missed = payment_plans.first_missed(
            [(line.date_due, line.amount) for line in lines], self.amount_paid, today, self.grace_days
        )
        return lines[missed] if missed is not None else lines.browse()

    def _break(self, line, today):
        self.write({"state": "broken", "broken_date": today, "missed_line_id": line.id})
        note = self.env._(
            "Payment plan broken: the instalment of %(amount)s due on %(date)s was not paid (%(paid)s received). "
            "Dunning resumes at the level where it stopped.",
            amount=format_amount(self.env, line.amount, self.currency_id),
            date=format_date(self.env, line.date_due),
            paid=format_amount(self.env, line.amount_paid, self.currency_id),
        )
        self._post_everywhere(note)
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            date_deadline=today,
            summary=self.env._("Payment plan broken: call the customer"),
            note=note,
            user_id=(self.user_id or self.company_id.dunning_user_id or self.env.user).id,
        )

    def _court_grace_suspension(self, today=None):
        """(first_day, last_day) of this court grace during which penalties are not incurred; an accepted plan
        whose instalment is missed on ``today`` counts as broken, as the run will break it that day."""
        missed = self.missed_line_id
        if not missed and today and self.state == "accepted":
            missed = self._missed_instalment(today)
        return payment_plans.court_grace_suspension(
            self.court_decision_date, self.line_ids.mapped("date_due"), missed.date_due
        )

    @api.model
    def _running_plan_condition(self, breaking=()):
        """SQL condition (alias ``move``) of an invoice whose dunning pauses: it belongs to an accepted plan, other
        than the plans ``breaking`` today (the dry run treats them as broken without writing)."""
        return SQL(
            """EXISTS (
                  SELECT 1 FROM l10n_fr_dunning_payment_plan_move_rel plan_move
                    JOIN l10n_fr_dunning_payment_plan plan ON plan.id = plan_move.plan_id
                   WHERE plan_move.move_id = move.id AND plan.state = 'accepted' %s)""",
            SQL("AND plan.id NOT IN %s", tuple(plan.id for plan in breaking)) if breaking else SQL(),
        )

    @api.model
    def _running_plan_warnings(self, invoices):
        """What "send next reminder" tells a person about the accepted plans of ``invoices``."""
        plans = self.search([("state", "=", "accepted"), ("invoice_ids", "in", invoices.ids)])
        return [
            self.env._(
                "A payment plan accepted on %(date)s is kept for %(invoices)s: its dunning pauses.",
                date=format_date(self.env, plan.accepted_date),
                invoices=", ".join((plan.invoice_ids & invoices).mapped("name")),
            )
            for plan in plans
        ]

    @api.model
    def _plans_to_recall(self, company, customers, breaking=()):
        """{customer id: broken plan} of the customers whose plan broke and has no reminder recalling it yet; the
        plans ``breaking`` today count as broken (the dry run), the latest plan of a customer winning."""
        plans = self.search(
            [("company_id", "=", company.id), ("state", "=", "broken"), ("partner_id", "in", customers.ids)],
            order="broken_date, id",
        )
        recalls = {
            plan.partner_id.id: plan
            for plan in plans
            if not plan.resumed_reminder_ids.filtered(lambda reminder: reminder.state not in UNCOUNTED_REMINDER_STATES)
        }
        recalls.update(
            (plan.partner_id.id, plan)
            for plan in sorted(breaking, key=lambda plan: plan.id)
            if plan.partner_id in customers
        )
        return recalls

    def _resumed_level(self, rank):
        """The level where dunning stopped: the highest level the plan's invoices reached, if any."""
        levels = self.invoice_ids.dunning_level_id.filtered(lambda level: level.id in rank)
        return max(levels, key=lambda level: rank[level.id], default=None)

    # ---- Letter --------------------------------------------------------------------------------------------

    def _letter_day(self):
        return self.accepted_date or fields.Date.context_today(self)

    def _letter_date(self, day):
        return french_words.format_french_date(day)

    def _letter_amount(self, amount):
        return french_words.format_french_amount(amount, self.currency_id.symbol)

    def _letter_rows(self):
        """[(instalment, paid, left)] in due-date order."""
        return [(line, line.amount_paid, line.amount - line.amount_paid) for line in self.line_ids.sorted("date_due")]
