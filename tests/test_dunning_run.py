from datetime import date, timedelta
from unittest.mock import patch

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import html_sanitize

from .common import DunningTestCommon


@tagged("post_install", "-at_install")
class TestDunningRun(DunningTestCommon):
    def reminder_mails(self, reminders):
        return self.env["mail.mail"].search([("model", "=", reminders._name), ("res_id", "in", reminders.ids)])

    def test_first_reminder_emailed(self):
        invoice = self.make_invoice(self.customer_pro, 1000, "2025-03-01", "2025-03-31")
        reminders = self.run_dunning("2025-04-01")
        self.assertEqual(len(reminders), 1)
        self.assertEqual(reminders.level_id, self.level_first)
        self.assertEqual(reminders.state, "sent")
        self.assertEqual(reminders.line_ids.move_id, invoice)
        self.assertEqual(reminders.amount_residual, 1200.0)
        self.assertEqual(invoice.dunning_level_id, self.level_first)
        self.assertEqual(invoice.dunning_last_date, date(2025, 4, 1))
        mail = self.reminder_mails(reminders)
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.recipient_ids, self.customer_pro)
        self.assertIn(invoice.name, str(mail.body_html))
        # Written the French way whatever the contact's language (English here), as in the letters.
        self.assertEqual(self.customer_pro.lang, "en_US")
        body = str(mail.body_html).replace("&nbsp;", "\u00a0")
        self.assertIn("31/03/2025", body)
        self.assertIn("1\u00a0200,00\u00a0€", body)
        self.assertIn("1re relance", mail.subject)
        self.assertNotIn("retard", str(mail.body_html).lower(), "the first reminder is courteous")
        self.assertIn(reminders.display_name, str(invoice.message_ids[0].body))
        self.assertIn(reminders.display_name, str(self.customer_pro.message_ids[0].body))

    def test_not_due_yet_is_not_reminded(self):
        self.make_invoice(self.customer_pro, 1000, "2025-03-01", "2025-03-31")
        self.assertFalse(self.run_dunning("2025-03-31"))

    def test_walk_the_whole_ladder(self):
        """Day by day from the due date to the court stage, through the scheduled action."""
        invoice = self.make_invoice(self.customer_pro, 1000, "2025-03-01", "2025-03-31")
        due = date(2025, 3, 31)
        reached = {}
        for offset in range(0, 75):
            day = due + timedelta(days=offset)
            with freeze_time(day):
                self.env["l10n_fr_dunning.run"]._cron_run_dunning()
                reminder = self.env["l10n_fr_dunning.reminder"].search(
                    [("partner_id", "=", self.customer_pro.id), ("date", "=", day)]
                )
                if reminder:
                    reached[reminder.level_id] = (offset, reminder)
                    if reminder.channel == "lrar":
                        reminder.write({"lrar_tracking_number": "1A12345678901", "lrar_date_posted": day})
                    if reminder.state == "to_send":
                        reminder.action_mark_sent()
        self.assertEqual(
            {level: offset for level, (offset, _r) in reached.items()},
            {
                self.level_first: 1,
                self.level_second: 15,
                self.level_third: 30,
                self.level_notice: 45,
                self.level_litigation: 60,
            },
        )
        emails = reached[self.level_first][1] | reached[self.level_second][1]
        self.assertEqual(len(self.reminder_mails(emails)), 2)
        for level in (self.level_third, self.level_notice, self.level_litigation):
            reminder = reached[level][1]
            self.assertEqual(len(self.reminder_mails(reminder)), 0, "letters and calls are never emailed")
            self.assertEqual(reminder.state, "sent")
        done_activities = reached[self.level_third][1].message_ids.mail_activity_type_id
        self.assertEqual(done_activities, self.env.ref("mail.mail_activity_data_call"), "the call task was done")
        self.assertEqual(invoice.dunning_level_id, self.level_litigation)
        self.assertFalse(invoice.dunning_next_date, "the court stage stops automatic dunning")
        self.assertEqual(invoice.dunning_formal_notice_date, due + timedelta(days=45))

    def test_manual_levels_wait_for_a_person(self):
        responsible = self.make_user("relances_resp", "account.group_account_user")
        self.company.dunning_user_id = responsible
        invoice = self.make_invoice(self.customer_pro, 1000, "2025-03-01", "2025-03-31")
        for day in ("2025-04-01", "2025-04-15", "2025-04-30"):
            reminder = self.run_dunning(day)
        self.assertEqual(reminder.level_id, self.level_third)
        self.assertEqual(reminder.state, "to_send")
        self.assertEqual(reminder.activity_ids.date_deadline, date(2025, 4, 30))
        self.assertEqual(reminder.activity_ids.user_id, responsible)
        self.assertFalse(
            self.env["mail.mail"].search([("recipient_ids", "in", responsible.partner_id.ids)]),
            "the responsible finds the tasks in the activity menu, not one email per task",
        )
        self.assertEqual(invoice.dunning_level_id, self.level_third)
        reminder.action_mark_sent()
        self.assertEqual(reminder.state, "sent")
        self.assertFalse(reminder.activity_ids)

    def test_one_reminder_per_customer_at_the_highest_level(self):
        old = self.make_invoice(self.customer_pro, 1000, "2025-01-01", "2025-01-31")
        self.run_dunning("2025-02-01")
        self.run_dunning("2025-02-15")
        self.assertEqual(old.dunning_level_id, self.level_second)
        middle = self.make_invoice(self.customer_pro, 500, "2025-02-01", "2025-02-10")
        recent = self.make_invoice(self.customer_pro, 200, "2025-02-20", "2025-03-01")
        reminder = self.run_dunning("2025-03-03")
        self.assertEqual(len(reminder), 1)
        self.assertEqual(reminder.level_id, self.level_third)
        self.assertEqual(reminder.line_ids.move_id, old | middle | recent)
        self.assertEqual((old | middle | recent).dunning_level_id, self.level_third)
        self.assertEqual(reminder.amount_residual, 2040.0)

    def test_payment_stops_dunning(self):
        invoice = self.make_invoice(self.customer_pro, 1000, "2025-03-01", "2025-03-31")
        self.run_dunning("2025-04-01")
        self.pay(invoice, 1200, "2025-04-05")
        self.assertFalse(invoice.dunning_active)
        self.assertFalse(self.run_dunning("2025-04-15"))
        self.assertFalse(invoice.dunning_next_date)

    def test_partial_payment_keeps_dunning_on_the_residual(self):
        invoice = self.make_invoice(self.customer_pro, 1000, "2025-03-01", "2025-03-31")
        self.run_dunning("2025-04-01")
        self.pay(invoice, 700, "2025-04-05")
        reminder = self.run_dunning("2025-04-15")
        self.assertEqual(reminder.level_id, self.level_second)
        # The 700 paid on 5 April pays the interest of 1–4 April first (Code civil 1343-1):
        # 1200 × 13.15 % × 4/365 = 1.729 → 1.73, so 500 + 1.73 of principal is still due.
        self.assertEqual(reminder.line_ids.amount_residual, 501.73)
        # 5–15 April on 501.73: 501.73 × 13.15 % × 11/365 = 1.988 → 1.99
        self.assertEqual(reminder.line_ids.amount_penalty, 1.99)
        self.company.dunning_imputation = "principal_first"
        amounts = invoice._dunning_amounts(date(2025, 4, 15))[invoice.id]
        self.assertEqual(amounts.principal, 500.0, "principal first: the residual of the accounts")
        # 1–4 April 1.73 + 5–15 April 500 × 13.15 % × 11/365 = 1.982 → 1.98
        self.assertAlmostEqual(amounts.penalty, 3.71, places=2)

    def test_full_credit_note_ends_dunning(self):
        invoice = self.make_invoice(self.customer_pro, 1000, "2025-03-01", "2025-03-31")
        self.run_dunning("2025-04-01")
        invoice._reverse_moves([{"date": "2025-04-03", "invoice_date": "2025-04-03"}], cancel=True)
        self.assertEqual(invoice.payment_state, "reversed")
        self.assertFalse(self.run_dunning("2025-04-15"))

    def test_disputed_invoice_is_paused(self):
        disputed = self.make_invoice(self.customer_pro, 1000, "2025-03-01", "2025-03-31")
        other = self.make_invoice(self.customer_pro, 300, "2025-03-01", "2025-03-31")
        disputed.write({"dunning_disputed": True, "dunning_dispute_reason": "Livraison incomplète"})
        reminder = self.run_dunning("2025-04-01")
        self.assertEqual(reminder.line_ids.move_id, other)
        self.assertFalse(disputed.dunning_next_date)

    def test_promise_pauses_until_its_date(self):
        invoice = self.make_invoice(self.customer_pro, 1000, "2025-03-01", "2025-03-31")
        invoice.write({"dunning_promise_date": "2025-04-10", "dunning_promise_amount": 1200})
        self.assertFalse(self.run_dunning("2025-04-01"))
        self.assertFalse(self.run_dunning("2025-04-10"))
        self.assertEqual(invoice.dunning_next_date, date(2025, 4, 11))
        self.assertEqual(self.run_dunning("2025-04-11").level_id, self.level_first)

    def test_excluded_paused_and_insolvent_customers_are_skipped(self):
        for values in (
            {"dunning_excluded": True, "dunning_pause_reason": "Client stratégique"},
            {"dunning_paused_until": "2025-04-20"},
            {"dunning_insolvent": True, "dunning_insolvency_date": "2025-03-15"},
        ):
            with self.subTest(values=values):
                customer = self.customer_pro.copy({"name": f"Client {values}"})
                customer.write(values)
                self.make_invoice(customer, 1000, "2025-03-01", "2025-03-31")
                self.assertFalse(
                    self.run_dunning("2025-04-01").filtered(lambda r, customer=customer: r.partner_id == customer)
                )
        paused = self.env["res.partner"].search([("dunning_paused_until", "=", "2025-04-20")])
        paused_invoice = self.env["account.move"].search([("commercial_partner_id", "=", paused.id)])
        self.assertEqual(paused_invoice.dunning_next_date, date(2025, 4, 21))
        for held in self.env["res.partner"].search(
            ["|", ("dunning_excluded", "=", True), ("dunning_insolvent", "=", True)]
        ):
            invoice = self.env["account.move"].search([("commercial_partner_id", "=", held.id)])
            self.assertFalse(invoice.dunning_next_date, "no next reminder for an excluded or insolvent customer")
        resumed = self.run_dunning("2025-04-21").filtered(lambda r: r.partner_id == paused)
        self.assertEqual(resumed.level_id, self.level_first, "a pause ends at its date")

    def test_insolvency_stops_penalties_and_indemnity(self):
        invoice = self.make_invoice(self.customer_pro, 1000, "2025-03-01", "2025-03-31")
        with freeze_time("2025-05-30"):
            invoice.invalidate_recordset()
            self.assertEqual(invoice.dunning_indemnity_amount, 40.0)
            before = invoice.dunning_penalty_amount
            self.customer_pro.write({"dunning_insolvent": True, "dunning_insolvency_date": "2025-04-30"})
            invoice.invalidate_recordset()
            self.assertEqual(invoice.dunning_indemnity_amount, 40.0, "late before the opening: the 40 € stays")
            # 1200 × 13.15 % × 29/365 (1 to 29 April): the opening judgment of 30 April stops interest
            self.assertEqual(invoice.dunning_penalty_amount, 12.54)
            self.assertLess(invoice.dunning_penalty_amount, before)

    def test_minimum_amount(self):
        self.company.dunning_min_amount = 500
        self.make_invoice(self.customer_pro, 100, "2025-03-01", "2025-03-31")
        self.assertFalse(self.run_dunning("2025-04-01"))
        self.make_invoice(self.customer_pro, 400, "2025-03-01", "2025-03-31")
        self.assertEqual(len(self.run_dunning("2025-04-02").line_ids), 2, "600 € is above the minimum")

    def test_minimum_interval(self):
        self.level_second.min_interval_days = 20
        self.make_invoice(self.customer_pro, 1000, "2025-03-01", "2025-03-31")
        self.run_dunning("2025-04-01")
        self.assertFalse(self.run_dunning("2025-04-15"), "only 14 days since the first reminder")
        self.assertEqual(self.run_dunning("2025-04-21").level_id, self.level_second)

    def test_grace_days(self):
        self.company.dunning_grace_days = 3
        self.make_invoice(self.customer_pro, 1000, "2025-03-01", "2025-03-31")
        self.assertFalse(self.run_dunning("2025-04-03"))
        self.assertTrue(self.run_dunning("2025-04-04"))

    def test_professional_and_consumer_amounts(self):
        pro = self.make_invoice(self.customer_pro, 1000, "2025-05-01", "2025-05-31")
        consumer = self.make_invoice(self.customer_consumer, 1000, "2025-05-01", "2025-05-31")
        self.assertEqual(self.customer_pro.dunning_debtor_kind, "commercial")
        self.assertEqual(self.customer_consumer.dunning_debtor_kind, "consumer")
        with freeze_time("2025-07-30"):
            (pro | consumer).invalidate_recordset()
            # 1200 × 13.15 % × 30/365 (June) + 1200 × 12.15 % × 30/365 (1-30 July) = 12.97 + 11.98
            self.assertEqual(pro.dunning_penalty_amount, 24.95)
            self.assertEqual(pro.dunning_indemnity_amount, 40.0)
            self.assertEqual(pro.dunning_total_claimable, 1264.95)
            self.assertEqual(consumer.dunning_penalty_amount, 0.0, "no interest before the mise en demeure")
            self.assertEqual(consumer.dunning_indemnity_amount, 0.0, "no 40 € from a consumer")
        self.assertEqual(pro.dunning_prescription_date, date(2030, 5, 1))
        self.assertEqual(consumer.dunning_prescription_date, date(2027, 5, 1))

    def test_consumer_legal_interest_from_the_formal_notice(self):
        invoice = self.make_invoice(self.customer_consumer, 1000, "2025-05-01", "2025-05-31")
        reminder = self.env["l10n_fr_dunning.reminder"].create(
            {
                "partner_id": self.customer_consumer.id,
                "company_id": self.company.id,
                "level_id": self.level_notice.id,
                "date": "2025-06-30",
                "contact_id": self.customer_consumer.id,
                "line_ids": [fields.Command.create({"move_id": invoice.id, "amount_residual": 1200})],
            }
        )
        with freeze_time("2025-06-30"):
            # Its number and posting date send the registered letter.
            reminder.write({"lrar_tracking_number": "1A12345678901", "lrar_date_posted": "2025-06-30"})
        self.assertEqual(reminder.state, "sent")
        self.assertEqual(invoice.dunning_formal_notice_date, date(2025, 6, 30))
        with freeze_time("2025-07-30"):
            invoice.invalidate_recordset()
            self.assertEqual(invoice.dunning_penalty_amount, 0.0, "interest runs from the receipt, not yet known")
        reminder.lrar_date_acknowledged = "2025-07-02"
        self.assertEqual(invoice.dunning_formal_notice_received_date, date(2025, 7, 2))
        with freeze_time("2025-07-30"):
            invoice.invalidate_recordset()
            # 3–30 July = 28 days: 1200 × 2.76 % (taux légal 2025 S2, other cases) × 28/365 = 2.541 → 2.54
            self.assertEqual(invoice.dunning_penalty_amount, 2.54)

    def test_missing_rate_is_reported_not_raised(self):
        self.env["l10n_fr_dunning.ecb.rate"].search([]).unlink()
        invoice = self.make_invoice(self.customer_pro, 1000, "2025-03-01", "2025-03-31")
        with freeze_time("2025-04-30"):
            invoice.invalidate_recordset()
            self.assertEqual(invoice.dunning_penalty_amount, 0.0)
            self.assertIn("ECB", invoice.dunning_amount_error)
            with self.assertRaisesRegex(UserError, "ECB"):
                invoice._dunning_interest_breakdown(date(2025, 4, 30))

    def test_batch_records_match_the_orm(self):
        """The run writes lines and invoice levels in bulk: the ORM recomputes them to the same values."""
        old = self.make_invoice(self.customer_pro, 1000, "2025-01-01", "2025-01-31")
        self.run_dunning("2025-02-01")
        recent = self.make_invoice(self.customer_pro, 300, "2025-02-01", "2025-02-10")
        consumer = self.make_invoice(self.customer_consumer, 500, "2025-01-01", "2025-01-31")
        self.customer_consumer.email = False  # its reminder fails after the bulk write: the level does not move
        reminders = self.run_dunning("2025-02-15")
        moves = old | recent | consumer
        self.env.invalidate_all()
        stored = {move: (move.dunning_level_id, move.dunning_last_date, move.dunning_next_date) for move in moves}
        lines = reminders.line_ids
        related = {
            line: (line.company_id, line.level_id, line.state, line.date, line.invoice_date_due) for line in lines
        }
        totals = {
            reminder: (
                reminder.amount_residual,
                reminder.amount_penalty,
                reminder.amount_indemnity,
                reminder.amount_total,
            )
            for reminder in reminders
        }
        for model, records, names in (
            ("account.move", moves, ["dunning_level_id", "dunning_last_date", "dunning_next_date"]),
            ("l10n_fr_dunning.reminder.line", lines, ["company_id", "level_id", "state", "date", "invoice_date_due"]),
            (
                "l10n_fr_dunning.reminder",
                reminders,
                ["amount_residual", "amount_penalty", "amount_indemnity", "amount_total"],
            ),
        ):
            for name in names:
                self.env.add_to_compute(self.env[model]._fields[name], records)
        self.env.flush_all()
        self.env.invalidate_all()
        self.assertEqual(
            {move: (move.dunning_level_id, move.dunning_last_date, move.dunning_next_date) for move in moves}, stored
        )
        self.assertEqual(
            {line: (line.company_id, line.level_id, line.state, line.date, line.invoice_date_due) for line in lines},
            related,
        )
        self.assertEqual(
            {
                reminder: (
                    reminder.amount_residual,
                    reminder.amount_penalty,
                    reminder.amount_indemnity,
                    reminder.amount_total,
                )
                for reminder in reminders
            },
            totals,
        )
        self.assertEqual(old.dunning_level_id, self.level_second)
        self.assertEqual(recent.dunning_level_id, self.level_second)
        self.assertEqual(old.dunning_next_date, date(2025, 3, 2))
        self.assertEqual(reminders.filtered(lambda r: r.partner_id == self.customer_consumer).state, "failed")
        self.assertFalse(consumer.dunning_level_id)
        self.assertFalse(consumer.dunning_last_date)
        self.assertEqual(consumer.dunning_next_date, date(2025, 2, 1))
        self.assertEqual(reminders.filtered(lambda r: r.partner_id == self.customer_pro).amount_residual, 1560.0)

    def test_chatter_notes_are_internal_notes_of_the_run_user(self):
        invoice = self.make_invoice(self.customer_pro, 1000, "2025-03-01", "2025-03-31")
        reminder = self.run_dunning("2025-04-01")
        for document in (invoice, self.customer_pro):
            note = document.message_ids.filtered(lambda message: reminder.display_name in str(message.body))
            self.assertEqual(len(note), 1)
            self.assertEqual(note.message_type, "notification")
            self.assertEqual(note.subtype_id, self.env.ref("mail.mt_note"))
            self.assertTrue(note.is_internal)
            self.assertEqual(note.author_id, self.env.user.partner_id)
            self.assertEqual(note.body, html_sanitize(note.body), "the sanitizer leaves the note unchanged")
            self.assertIn(self.customer_pro.email, str(note.body))

    def test_run_twice_sends_nothing_new(self):
        self.make_invoice(self.customer_pro, 1000, "2025-03-01", "2025-03-31")
        self.make_invoice(self.customer_consumer, 1000, "2025-03-01", "2025-03-31")
        first = self.run_dunning("2025-04-01")
        self.assertEqual(len(first), 2)
        self.assertFalse(self.run_dunning("2025-04-01"))
        self.assertEqual(len(self.reminder_mails(first)), 2)
        self.assertEqual(self.env["l10n_fr_dunning.reminder"].search_count([("date", "=", "2025-04-01")]), 2)

    def test_run_costs_the_same_queries_for_3_or_9_customers(self):
        """The run writes reminders, lines, invoice levels and next dates, emails, call tasks and chatter notes per
        batch: 9 customers cost the queries of 3."""
        self.level_first.write({"extra_channel": "phone", "call_script": "Appeler {customer} pour {amount}"})
        counts = []
        for size in (3, 3, 9):  # the first round warms the ORM's caches (templates, views, rates)
            customers = self.env["res.partner"].create(
                [
                    {"name": f"Client {size}-{index}", "is_company": True, "email": f"c{size}{index}@example.fr"}
                    for index in range(size)
                ]
            )
            for customer in customers:
                self.make_invoice(customer, 100, "2025-01-01", "2025-01-31")
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            reminders = self.run_dunning("2025-02-01")
            self.env.flush_all()
            counts.append(self.cr.sql_log_count - before)
            self.assertEqual(reminders.partner_id, customers)
            self.assertEqual(set(reminders.mapped("state")), {"sent"})
            self.assertEqual(len(reminders.extra_activity_id), size)
        self.assertLessEqual(counts[2], counts[1] + 2, counts)

    def test_crash_then_rerun_reminds_each_customer_once(self):
        customers = self.env["res.partner"].create(
            [{"name": f"Client {index}", "is_company": True, "email": f"c{index}@example.fr"} for index in range(5)]
        )
        for customer in customers:
            self.make_invoice(customer, 100, "2025-03-01", "2025-03-31")
        Reminder = self.registry["l10n_fr_dunning.reminder"]
        original_dispatch = Reminder._dispatch
        calls = []

        def crash_on_second_batch(reminders):
            calls.append(reminders)
            if len(calls) == 2:
                raise RuntimeError("server killed")
            return original_dispatch(reminders)

        # Not assertRaises: Odoo's rolls the whole block back, and the point is what the crash leaves behind.
        crashed = False
        with (
            patch("odoo.addons.l10n_fr_dunning.models.dunning_run.CUSTOMERS_PER_BATCH", 2),
            patch.object(Reminder, "_dispatch", crash_on_second_batch),
        ):
            try:
                self.run_dunning("2025-04-01")
            except RuntimeError:
                crashed = True
        self.assertTrue(crashed)
        done = self.env["l10n_fr_dunning.reminder"].search([("date", "=", "2025-04-01")])
        self.assertEqual(len(done), 2, "the first batch is kept, the crashed one rolled back")
        self.assertEqual(len(self.reminder_mails(done)), 2)
        self.run_dunning("2025-04-01")
        all_reminders = self.env["l10n_fr_dunning.reminder"].search([("date", "=", "2025-04-01")])
        self.assertEqual(sorted(all_reminders.partner_id.ids), sorted(customers.ids))
        self.assertEqual(len(self.reminder_mails(all_reminders)), 5, "each customer emailed exactly once")

    def test_concurrent_run_is_refused(self):
        self.make_invoice(self.customer_pro, 1000, "2025-03-01", "2025-03-31")
        with self.registry.cursor() as other_cr:
            other_cr.execute("SELECT pg_advisory_lock(hashtext(%s))", [f"l10n_fr_dunning.run.{self.company.id}"])
            try:
                with self.assertRaisesRegex(UserError, "already in progress"):
                    self.run_dunning("2025-04-01")
            finally:
                other_cr.execute("SELECT pg_advisory_unlock(hashtext(%s))", [f"l10n_fr_dunning.run.{self.company.id}"])
        self.assertEqual(len(self.run_dunning("2025-04-01")), 1)

    def test_same_day_duplicate_is_refused_by_the_database(self):
        self.make_invoice(self.customer_pro, 1000, "2025-03-01", "2025-03-31")
        reminder = self.run_dunning("2025-04-01")
        with self.assertRaises(IntegrityError), self.cr.savepoint():
            reminder.copy({"date": reminder.date})

    def test_missing_email_fails_with_a_reason(self):
        self.customer_consumer.email = False
        invoice = self.make_invoice(self.customer_consumer, 1000, "2025-03-01", "2025-03-31")
        next_date = invoice.dunning_next_date
        reminder = self.run_dunning("2025-04-01")
        self.assertEqual(reminder.state, "failed")
        self.assertIn("no email address", reminder.failure_reason)
        self.assertFalse(self.reminder_mails(reminder))
        # A failed reminder reached nobody: the invoice keeps its level, last and next dates.
        self.assertFalse(invoice.dunning_level_id)
        self.assertFalse(invoice.dunning_last_date)
        self.assertEqual(invoice.dunning_next_date, next_date)
        self.customer_consumer.email = "jeanne@durand.example"
        reminder.action_send()
        self.assertEqual(reminder.state, "sent")
        self.assertEqual(invoice.dunning_level_id, self.level_first)
        self.assertEqual(invoice.dunning_last_date, date(2025, 4, 1))

    def test_invoice_address_contact_receives_reminders(self):
        accounting = self.env["res.partner"].create(
            {
                "name": "Service comptable",
                "type": "invoice",
                "parent_id": self.customer_pro.id,
                "email": "factures@martin.example",
            }
        )
        self.assertEqual(self.customer_pro.dunning_contact_id, accounting)
        self.make_invoice(self.customer_pro, 1000, "2025-03-01", "2025-03-31")
        reminder = self.run_dunning("2025-04-01")
        self.assertEqual(self.reminder_mails(reminder).recipient_ids, accounting)

    def test_attach_invoice_pdfs(self):
        self.company.dunning_attach_invoices = True
        invoice = self.make_invoice(self.customer_pro, 1000, "2025-03-01", "2025-03-31")
        mail = self.reminder_mails(self.run_dunning("2025-04-01"))
        self.assertEqual(len(mail.attachment_ids), 1)
        self.assertIn(invoice.name, mail.attachment_ids.name)

    def test_cancel_returns_invoice_to_previous_level(self):
        invoice = self.make_invoice(self.customer_pro, 1000, "2025-03-01", "2025-03-31")
        self.run_dunning("2025-04-01")
        self.run_dunning("2025-04-15")
        third = self.run_dunning("2025-04-30")
        third.action_cancel()
        self.assertEqual(invoice.dunning_level_id, self.level_second)
        sent = invoice.dunning_line_ids.reminder_id.filtered(lambda r: r.state == "sent")[:1]
        with self.assertRaises(UserError):
            sent.action_cancel()

    def test_multi_company_isolation(self):
        other_company = self.setup_other_company(name="Filiale Nord")["company"]
        self.make_invoice(self.customer_pro, 1000, "2025-03-01", "2025-03-31")
        self.assertFalse(self.run_dunning("2025-04-01", company=other_company))
        ours = self.run_dunning("2025-04-01")
        self.assertEqual(len(ours), 1)
        user = self.make_user("dunning_other", "account.group_account_user")
        user.write({"company_ids": [fields.Command.set(other_company.ids)], "company_id": other_company.id})
        as_other = self.env(user=user, context={"allowed_company_ids": other_company.ids})
        self.assertFalse(
            as_other["l10n_fr_dunning.reminder"].search([]), "another company's users do not see our reminders"
        )
        with self.assertRaises(AccessError):
            ours.with_env(as_other).read(["state"])

    def test_access_rights_per_group(self):
        self.make_invoice(self.customer_pro, 1000, "2025-03-01", "2025-03-31")
        reminder = self.run_dunning("2025-04-01")
        billing = self.make_user("billing_only", "account.group_account_invoice")
        with self.assertRaises(AccessError):
            self.env["l10n_fr_dunning.reminder"].with_user(billing).search([])
        accountant = self.make_user("accountant", "account.group_account_user")
        self.assertTrue(accountant.has_group("l10n_fr_dunning.group_dunning_user"))
        self.assertFalse(accountant.has_group("l10n_fr_dunning.group_dunning_manager"))
        self.assertEqual(self.env["l10n_fr_dunning.reminder"].with_user(accountant).search([]), reminder)
        with self.assertRaises(AccessError):
            self.level_first.with_user(accountant).write({"delay_days": 3})
        with self.assertRaises(AccessError):
            self.env["l10n_fr_dunning.ecb.rate"].with_user(accountant).create(
                {"effective_date": "2026-07-01", "rate": 2.0}
            )
        with self.assertRaises(UserError):
            self.env["l10n_fr_dunning.run"].with_user(accountant).action_run_now()
        manager = self.make_user("dunning_boss", "account.group_account_manager")
        self.assertTrue(manager.has_group("l10n_fr_dunning.group_dunning_manager"))
        self.level_first.with_user(manager).write({"delay_days": 3})

    def test_send_next_reminder_now(self):
        invoice = self.make_invoice(self.customer_pro, 1000, "2025-03-01", "2025-03-31")
        with freeze_time("2025-04-03"):
            action = invoice.action_dunning_send_next()
            wizard = self.env[action["res_model"]].browse(action["res_id"])
            self.assertEqual(wizard.level_id, self.level_first)
            self.assertFalse(invoice.dunning_line_ids, "the preview creates nothing")
            action = wizard.action_confirm()
            reminder = self.env["l10n_fr_dunning.reminder"].browse(action["res_id"])
            self.assertEqual(reminder.state, "sent")
            self.assertEqual(reminder.level_id, self.level_first)
            self.assertEqual(len(self.reminder_mails(reminder)), 1)
            with self.assertRaisesRegex(UserError, "already has a reminder today, already sent"):
                invoice.action_dunning_send_next()
