from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError, ValidationError

from .common import DunningTestCommon
from .test_letters import pdf_text


class TestPaymentPlan(DunningTestCommon):
    """Payment plans: the schedule, its checks, the pause and the resumption of dunning, the letter to sign."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.signatory = cls.make_user("plans.manager", "l10n_fr_dunning.group_dunning_user")
        cls.signatory.name = "Claire Moreau"
        cls.identify_parties(cls.signatory)

    def make_plan(self, invoices, **values):
        return self.env["l10n_fr_dunning.payment.plan"].create(
            {"partner_id": self.customer_pro.id, "invoice_ids": [Command.set(invoices.ids)], **values}
        )

    def make_court_grace(self, invoices, decision_date, reference):
        return self.make_plan(
            invoices,
            kind="court_grace",
            court_name="Tribunal de commerce de Lyon",
            court_decision_date=decision_date,
            court_reference=reference,
        )

    def render_plan(self, plan):
        return pdf_text(
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("l10n_fr_dunning.action_report_payment_plan", plan.ids)[0]
        )

    def generate(self, plan, count, every, unit, first_date):
        plan.write(
            {
                "generate_count": count,
                "generate_every": every,
                "generate_unit": unit,
                "generate_first_date": first_date,
            }
        )
        plan.action_generate_lines()

    def test_generator_splits_to_the_cent(self):
        # 500 + 20 % = 600,00; 250,01 + 20 % (50,002 → 50,00) = 300,01; residual 900,01
        # 900,01 / 4 = 225,0025: 225,00 three times, the last 900,01 - 675,00 = 225,01
        invoices = self.make_invoice(self.customer_pro, 500, "2026-10-01") | self.make_invoice(
            self.customer_pro, 250.01, "2026-10-05"
        )
        plan = self.make_plan(invoices)
        self.assertEqual(plan.amount_residual, 900.01)
        self.generate(plan, 4, 1, "months", date(2027, 1, 31))
        self.assertEqual(
            [(line.date_due, line.amount) for line in plan.line_ids],
            [
                (date(2027, 1, 31), 225.0),
                (date(2027, 2, 28), 225.0),
                (date(2027, 3, 31), 225.0),
                (date(2027, 4, 30), 225.01),
            ],
        )
        self.assertEqual(plan.amount_total, 900.01)

    def test_instalments_must_sum_to_the_residual(self):
        invoice = self.make_invoice(self.customer_pro, 1000, "2026-10-01")  # 1 200,00
        plan = self.make_plan(
            invoice,
            line_ids=[
                Command.create({"date_due": date(2026, 12, 15), "amount": 600}),
                Command.create({"date_due": date(2027, 1, 15), "amount": 599.99}),
            ],
        )
        with self.assertRaisesRegex(ValidationError, "must be equal"):
            plan.action_accept()
        self.assertEqual(plan.state, "draft")

    def test_one_customer_and_one_running_plan_per_invoice(self):
        invoice = self.make_invoice(self.customer_pro, 1000, "2026-10-01")
        mine = self.make_invoice(self.customer_pro, 100, "2026-10-01")
        with self.assertRaisesRegex(ValidationError, "customer invoices of"):
            self.make_plan(mine | self.make_invoice(self.customer_consumer, 100, "2026-10-01"))
        self.make_plan(invoice)
        with self.assertRaisesRegex(ValidationError, "already belong to the running plan"):
            self.make_plan(invoice)

    def test_court_grace_needs_its_decision_and_two_years_at_most(self):
        invoice = self.make_invoice(self.customer_pro, 1000, "2026-10-01")
        plan = self.make_plan(invoice, kind="court_grace")
        self.generate(plan, 2, 12, "months", date(2027, 11, 26))
        with self.assertRaisesRegex(UserError, "court, the decision date"):
            plan.action_accept()
        plan.write({"court_name": "Tribunal de commerce de Lyon", "court_reference": "RG 26/01234"})
        plan.court_decision_date = date(2026, 11, 25)  # last instalment 26/11/2028: one day too late
        with self.assertRaisesRegex(ValidationError, "at most two years"):
            plan.action_accept()
        plan.court_decision_date = date(2026, 11, 26)
        plan.action_accept()
        self.assertEqual(plan.state, "accepted")
        self.assertIn("1343-5", plan.message_ids[0].body)

    def test_accepted_schedule_never_changes(self):
        invoice = self.make_invoice(self.customer_pro, 1000, "2026-10-01")
        plan = self.make_plan(invoice)
        self.generate(plan, 3, 1, "months", date(2026, 12, 15))
        plan.action_accept()
        with self.assertRaisesRegex(UserError, "never changes"):
            plan.line_ids[0].amount = 500
        with self.assertRaisesRegex(UserError, "never changes"):
            plan.invoice_ids = [Command.clear()]
        with self.assertRaisesRegex(UserError, "Only a draft"):
            plan.unlink()
        plan.action_cancel()
        renegotiated = self.make_plan(invoice)
        self.assertEqual(renegotiated.state, "draft")

    def test_missed_instalment_resumes_dunning_where_it_stopped(self):
        """Plan accepted after the 2e relance, first instalment paid on time, second missed: the next run sends
        the 2e relance again recalling the plan, and the responsible gets an activity."""
        invoice = self.make_invoice(self.customer_pro, 1000, "2026-01-01", "2026-01-01")  # 1 200,00
        self.assertEqual(self.run_dunning("2026-01-02").level_id, self.level_first)
        self.assertEqual(self.run_dunning("2026-01-16").level_id, self.level_second)
        with freeze_time("2026-01-20"):
            plan = self.make_plan(invoice, user_id=self.signatory.id)
            self.generate(plan, 3, 1, "months", date(2026, 2, 1))
            self.assertEqual(plan.line_ids.mapped("amount"), [400.0, 400.0, 400.0])
            plan.action_accept()
        self.assertFalse(self.run_dunning("2026-01-31"), "the 3e relance waits while the plan is kept")
        with freeze_time("2026-01-31"):
            warnings = self.env["l10n_fr_dunning.run"]._next_reminder_warnings(
                self.customer_pro, self.level_third, invoice
            )
        self.assertIn(
            f"A payment plan accepted on 01/20/2026 is kept for {invoice.name}: its dunning pauses.", warnings
        )
        self.pay(invoice, 400, "2026-02-01")
        self.assertFalse(self.run_dunning("2026-02-02"))
        self.assertEqual(plan.state, "accepted")
        self.assertEqual(plan.line_ids.mapped("amount_paid"), [400.0, 0.0, 0.0])
        self.assertFalse(self.run_dunning("2026-03-01"), "the second instalment is due today, not missed")
        with freeze_time("2026-03-02"):
            reminder = self.run_dunning("2026-03-02")
        self.assertEqual(plan.state, "broken")
        self.assertEqual((plan.broken_date, plan.missed_line_id.date_due), (date(2026, 3, 2), date(2026, 3, 1)))
        self.assertEqual(
            (reminder.level_id, reminder.payment_plan_id), (self.level_second, plan), "resumed where it stopped"
        )
        self.assertEqual((reminder.line_ids.move_id, invoice.amount_residual), (invoice, 800.0))
        activity = plan.activity_ids
        self.assertEqual((activity.user_id, activity.date_deadline), (self.signatory, date(2026, 3, 2)))
        self.assertIn("was not paid", activity.note)
        mail = self.env["mail.mail"].search([("model", "=", reminder._name), ("res_id", "=", reminder.id)])
        body = " ".join(str(mail.body_html).split())
        self.assertIn("nous avions convenu avec vous de l'échéancier", body)
        self.assertIn("L'échéance du 01/03/2026, d'un montant de 400,00 €, n'a pas été réglée.", body)
        letter = pdf_text(
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("l10n_fr_dunning.action_report_reminder_letter", reminder.ids)[0]
        )
        self.assertIn("L'échéance du 01/03/2026, d'un montant de 400,00 €, n'a pas été réglée.", letter)
        self.assertIn("20/01/2026", letter)
        # recalled once: the next reminder climbs the ladder without the paragraph
        later = self.run_dunning("2026-03-20")
        self.assertEqual((later.level_id, later.payment_plan_id), (self.level_third, plan.browse()))

    def test_court_grace_suspends_penalties(self):
        """Code civil 1343-5 al. 4: no penalty for the days of the delay the court set, from its decision to the
        instalment missed; before and after, penalties run as usual, and the letter says so."""
        invoice = self.make_invoice(self.customer_pro, 1000, "2026-01-01", "2026-01-01")  # 1 200,00
        with freeze_time("2026-02-05"):
            self.env.flush_all()
            self.assertEqual(invoice.dunning_stored_on, date(2026, 2, 5))
            plan = self.make_court_grace(invoice, date(2026, 2, 1), "RG 26/00123")
            plan.line_ids = [
                Command.create({"date_due": date(2026, 3, 1), "amount": 600.0}),
                Command.create({"date_due": date(2026, 4, 1), "amount": 600.0}),
            ]
            plan.action_accept()
            self.assertFalse(invoice.dunning_stored_on, "the grace changes the penalties of past days")
            # 2–31 Jan: 1200 × 12.15 % × 30/365 = 11.9836 → 11.98; nothing since the decision of 1 Feb
            self.assertEqual(invoice.dunning_penalty_amount, 11.98)
        self.pay(invoice, 600, "2026-03-01")
        reminder = self.run_dunning("2026-04-02")
        self.assertEqual((plan.state, plan.missed_line_id.date_due), ("broken", date(2026, 4, 1)))
        # the 600 of 1 Mar paid the 11.98 first (Code civil 1343-1), 588.02 of principal: 611.98 left;
        # 2 Apr: 611.98 × 12.15 % × 1/365 = 0.2037 → 0.20
        self.assertEqual((reminder.line_ids.amount_residual, reminder.line_ids.amount_penalty), (611.98, 0.20))
        # 2–20 Apr: 611.98 × 12.15 % × 19/365 = 3.8706 → 3.87
        self.assertAlmostEqual(invoice._dunning_amounts(date(2026, 4, 20))[invoice.id].penalty, 3.87, places=2)
        breakdown = invoice._dunning_interest_breakdown(date(2026, 4, 20))
        self.assertEqual(
            [(line.date_from, line.date_to, float(line.base), float(line.amount)) for line in breakdown.lines],
            [(date(2026, 1, 2), date(2026, 1, 31), 1200.0, 11.98), (date(2026, 4, 2), date(2026, 4, 20), 611.98, 3.87)],
        )
        letter = pdf_text(
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("l10n_fr_dunning.action_report_reminder_letter", reminder.ids)[0]
        )
        self.assertIn(
            "aucune pénalité de retard ni majoration d'intérêts n'est comptée du 01/02/2026 au 01/04/2026, délai fixé "
            "par le juge",
            letter,
        )
        day = date(2026, 4, 20)
        notice = self.env["l10n_fr_dunning.reminder"].create(
            {
                "partner_id": self.customer_pro.id,
                "contact_id": self.customer_pro.id,
                "company_id": self.company.id,
                "level_id": self.level_notice.id,
                "date": day,
                "line_ids": invoice._dunning_reminder_line_commands(invoice._dunning_amounts(day), day),
            }
        )
        text = pdf_text(notice.with_context(force_report_rendering=True)._render_letters().raw)
        self.assertIn("du 02/04/2026 au 20/04/2026", text)
        self.assertIn(
            f"Factures {invoice.name} : aucune pénalité de retard ni majoration d'intérêts n'est comptée du "
            "01/02/2026 au 01/04/2026, délai de grâce fixé par le juge (article 1343-5, alinéa 4, du Code civil).",
            text,
        )
        # a cancelled record of the decision suspends nothing: 2 Jan–28 Feb 1200 × 12.15 % × 58/365 = 23.1682
        # → 23.17, paid first by the 600 of 1 Mar (623.17 left); 1 Mar–20 Apr 623.17 × 12.15 % × 51/365 = 10.5794
        # → 10.58 due
        plan.action_cancel()
        self.assertAlmostEqual(invoice._dunning_amounts(date(2026, 4, 20))[invoice.id].penalty, 10.58, places=2)

    def test_dry_run_foresees_the_plan_breaking_today(self):
        """The dry run of the day a plan breaks lists the reminder the run then sends (the 2e relance again,
        recalling the plan) and writes nothing: the plan is still accepted afterwards, without activity."""
        invoice = self.make_invoice(self.customer_pro, 1000, "2026-01-01", "2026-01-01")  # 1 200,00
        for day in ("2026-01-02", "2026-01-16"):  # 1re and 2e relances, their summaries dated that day
            with freeze_time(day):
                self.run_dunning(day)
        with freeze_time("2026-01-20"):
            plan = self.make_plan(invoice, user_id=self.signatory.id)
            self.generate(plan, 3, 1, "months", date(2026, 2, 1))
            plan.action_accept()
        self.pay(invoice, 400, "2026-02-01")
        with freeze_time("2026-03-01"):
            action = self.env["l10n_fr_dunning.run"].action_run_now()
            self.assertFalse(
                self.env[action["res_model"]].browse(action["res_id"]).line_ids, "due today, not missed yet"
            )
        Reminder = self.env["l10n_fr_dunning.reminder"]
        with freeze_time("2026-03-02"):
            reminders_before = Reminder.search_count([])
            action = self.env["l10n_fr_dunning.run"].action_run_now()
            wizard = self.env[action["res_model"]].browse(action["res_id"])
            self.env.invalidate_all()
            self.assertEqual((plan.state, plan.broken_date), ("accepted", False), "the dry run writes nothing")
            self.assertFalse(plan.activity_ids)
            self.assertEqual(Reminder.search_count([]), reminders_before)
            line = wizard.line_ids
            self.assertEqual(
                (line.partner_id, line.level_id, line.payment_plan_id), (self.customer_pro, self.level_second, plan)
            )
            self.assertEqual(line.plan_note, "Plan breaks today: instalment of 400.00\xa0€ due on 03/01/2026 unpaid")
            # 1 200,00 € unpaid from 2 January (12,15 %: ECB 2,15 % + 10 points for the first half of 2026):
            #   2-31 January, 30 days: 1 200 × 12,15 % × 30 / 365 = 11,98
            #   400 € paid on 1 February pay these 11,98 first (Code civil 1343-1), then 388,02 of the principal:
            #   811,98 due from 1 February to 2 March, 30 days: 811,98 × 12,15 % × 30 / 365 = 8,11
            # claimed 811,98 + 8,11 + the 40 € indemnity = 860,09
            self.assertEqual(
                (line.amount_residual, line.amount_penalty, line.amount_indemnity, line.amount_total),
                (811.98, 8.11, 40.0, 860.09),
            )
            summary = self.env["l10n_fr_dunning.run.log"].browse(wizard.action_confirm()["res_id"])
        reminder = summary.reminder_ids
        self.assertEqual(plan.state, "broken")
        self.assertEqual(
            (reminder.partner_id, reminder.level_id, reminder.payment_plan_id),
            (self.customer_pro, self.level_second, plan),
            "the run sends what the dry run showed",
        )
        self.assertEqual(
            (reminder.amount_residual, reminder.amount_penalty, reminder.amount_indemnity, reminder.amount_total),
            (811.98, 8.11, 40.0, 860.09),
        )

    def test_dry_run_counts_the_court_grace_up_to_the_missed_instalment(self):
        """A court grace breaking today: the dry run already ends the suspension of penalties at the missed
        instalment, as the run does once it has broken the plan."""
        invoice = self.make_invoice(self.customer_pro, 1000, "2026-01-01", "2026-01-01")  # 1 200,00
        with freeze_time("2026-02-05"):
            plan = self.make_court_grace(invoice, date(2026, 2, 1), "RG 26/00456")
            plan.grace_days = 5
            plan.line_ids = [Command.create({"date_due": date(2026, month, 1), "amount": 400.0}) for month in (3, 4, 5)]
            plan.action_accept()
        self.pay(invoice, 400, "2026-03-01")
        # 2–31 Jan: 1200 × 12.15 % × 30/365 = 11.98, paid first by the 400 of 1 Mar (811.98 left); nothing from the
        # decision (1 Feb) to the instalment missed (1 Apr); 2–7 Apr: 811.98 × 12.15 % × 6/365 = 1.6217 → 1.62;
        # claimed 811.98 + 1.62 + 40 = 853.60
        expected = (811.98, 1.62, 40.0, 853.60)
        with freeze_time("2026-04-07"):  # 6 days after the instalment of 1 Apr: beyond the 5 days' margin
            action = self.env["l10n_fr_dunning.run"].action_run_now()
            wizard = self.env[action["res_model"]].browse(action["res_id"])
            line = wizard.line_ids
            self.assertEqual((plan.state, line.payment_plan_id), ("accepted", plan))
            self.assertEqual(
                (line.amount_residual, line.amount_penalty, line.amount_indemnity, line.amount_total), expected
            )
            summary = self.env["l10n_fr_dunning.run.log"].browse(wizard.action_confirm()["res_id"])
        reminder = summary.reminder_ids
        self.assertEqual((plan.state, plan.missed_line_id.date_due), ("broken", date(2026, 4, 1)))
        self.assertEqual(
            (reminder.amount_residual, reminder.amount_penalty, reminder.amount_indemnity, reminder.amount_total),
            expected,
        )

    def test_paid_plan_is_done(self):
        invoice = self.make_invoice(self.customer_pro, 1000, "2026-01-01", "2026-01-01")
        plan = self.make_plan(invoice)
        self.generate(plan, 2, 15, "days", date(2026, 2, 1))
        plan.action_accept()
        self.pay(invoice, 1200, "2026-02-10")
        self.run_dunning("2026-02-11")
        self.assertEqual(plan.state, "done")

    def test_plan_letter_to_sign(self):
        invoice = self.make_invoice(self.customer_pro, 1000, "2026-10-01")
        plan = self.make_plan(invoice, grace_days=5)
        self.generate(plan, 3, 1, "months", date(2026, 12, 15))
        plan.action_propose()  # checks the draft
        text = self.render_plan(plan)
        for expected in (
            "SIREN : 732829320",  # the sender in the body
            "Échéancier de paiement",
            f"Comme convenu, nous vous accordons le règlement des factures {invoice.name}",
            "n° 1 15/12/2026 400,00 €",
            "n° 3 15/02/2027 400,00 €",
            "Total 1 200,00 €",
            "et 5 jours après celle-ci",
            "Bon pour accord",
            "Claire Moreau",
        ):
            self.assertIn(expected, text)
        grace = self.make_invoice(self.customer_pro, 500, "2026-10-01")
        court = self.make_court_grace(grace, date(2026, 11, 20), "RG 26/04567")
        self.generate(court, 2, 6, "months", date(2027, 1, 5))
        court.action_accept()
        text = self.render_plan(court)
        self.assertIn("Par décision du 20/11/2026 (Tribunal de commerce de Lyon, référence RG 26/04567)", text)
        self.assertIn("article 1343-5, alinéa 4, du Code civil", text)
        self.assertNotIn("Bon pour accord", text)
