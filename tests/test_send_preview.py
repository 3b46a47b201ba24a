"""Send the next reminder: a preview that creates nothing, warnings overridden with a reason, then one reminder."""

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import DunningTestCommon


@tagged("post_install", "-at_install")
class TestSendPreview(DunningTestCommon):
    def open_preview(self, record):
        action = record.action_dunning_send_next()
        self.assertEqual((action["res_model"], action["target"]), ("l10n_fr_dunning.send.wizard", "new"))
        return self.env[action["res_model"]].browse(action["res_id"])

    def state_of(self, invoice):
        """Everything a preview must leave as it was, read from the database."""
        self.env.invalidate_all()
        counts = []
        for table in (
            "l10n_fr_dunning_reminder",
            "l10n_fr_dunning_reminder_line",
            "mail_mail",
            "mail_message",
            "mail_activity",
            "ir_attachment",
        ):
            self.env.cr.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 (fixed table names)
            counts.append(self.env.cr.fetchone()[0])
        return counts, invoice.dunning_level_id, invoice.dunning_last_date, invoice.dunning_next_date

    def reminders_of(self, customer):
        return self.env["l10n_fr_dunning.reminder"].search([("partner_id", "=", customer.id)])

    @freeze_time("2025-04-03")
    def test_preview_creates_nothing_and_shows_what_would_be_frozen(self):
        invoice = self.make_invoice(self.customer_pro, 1000, "2025-03-01", "2025-03-31")
        before = self.state_of(invoice)
        wizard = self.open_preview(invoice)
        self.assertEqual(self.state_of(invoice), before, "no reminder, line, mail, message, task nor level move")
        self.assertEqual(
            (wizard.partner_id, wizard.level_id, wizard.channel), (self.customer_pro, self.level_first, "email")
        )
        line = wizard.line_ids
        self.assertEqual(line.move_id, invoice)
        # 1200 € TTC late 1–3 April 2025 at ECB 3.15 % + 10 = 13.15 %: 1200 × 13.15 % × 3/365 = 1.297 → 1.30; + 40 €.
        self.assertEqual(
            (line.days_late, line.amount_residual, line.amount_penalty, line.amount_indemnity), (3, 1200.0, 1.30, 40.0)
        )
        self.assertAlmostEqual(wizard.amount_total, 1241.30)
        self.assertIn("1re relance", wizard.mail_subject)
        self.assertIn(invoice.name, str(wizard.mail_body))
        self.assertFalse(wizard.warning_message)
        wizard.unlink()  # Cancel
        self.assertEqual(self.state_of(invoice), before)

    @freeze_time("2025-04-03")
    def test_confirm_creates_one_reminder_sends_it_and_moves_the_level(self):
        invoice = self.make_invoice(self.customer_pro, 1000, "2025-03-01", "2025-03-31")
        wizard = self.open_preview(self.customer_pro)
        action = wizard.action_confirm()
        reminder = self.reminders_of(self.customer_pro)
        self.assertEqual(len(reminder), 1)
        self.assertEqual(action["res_id"], reminder.id)
        self.assertEqual((reminder.state, reminder.level_id), ("sent", self.level_first))
        self.assertAlmostEqual(reminder.amount_total, 1241.30, msg="the amounts previewed are the amounts frozen")
        self.assertFalse(reminder.override_reason)
        self.assertEqual(invoice.dunning_level_id, self.level_first)
        mails = self.env["mail.mail"].search([("model", "=", reminder._name), ("res_id", "=", reminder.id)])
        self.assertEqual(len(mails), 1)

    def test_letter_preview_keeps_nothing_and_confirm_goes_to_print(self):
        self.identify_parties(self.env.user)
        invoice = self.make_invoice(self.customer_pro, 1000, "2025-03-01", "2025-03-31")
        for day in ("2025-04-01", "2025-04-15", "2025-04-30"):
            reminder = self.run_dunning(day)
        reminder.action_mark_sent()  # the call of the 3e relance was made
        with freeze_time("2025-05-15"):
            wizard = self.open_preview(invoice)
            self.assertEqual(wizard.level_id, self.level_notice)
            self.assertFalse(wizard.mail_subject)
            before = self.state_of(invoice)
            action = wizard.action_preview_letter()
            self.assertEqual(self.state_of(invoice), before, "rendering the letter kept no reminder nor PDF")
            self.assertIn("field=letter_preview", action["url"])
            self.assertTrue(wizard.letter_preview)
            action = wizard.action_confirm()
        self.assertEqual(action["res_model"], "l10n_fr_dunning.print.wizard")
        notice = self.reminders_of(self.customer_pro).filtered(lambda r: r.level_id == self.level_notice)
        self.assertEqual((notice.state, invoice.dunning_level_id), ("to_send", self.level_notice))
        self.assertEqual(action["context"]["default_reminder_ids"], notice.ids)
        self.assertTrue(notice.activity_ids, "the registered letter waits for its posting")

    def assert_needs_override(self, record, warning):
        """The preview of ``record`` warns with ``warning``; confirming needs "Send anyway" and a reason."""
        customer = record.commercial_partner_id
        reminders_before = self.reminders_of(customer)
        wizard = self.open_preview(record)
        self.assertRegex(wizard.warning_message, warning)
        for override, reason in ((False, False), (True, False), (True, "   ")):
            wizard.write({"override": override, "override_reason": reason})
            with self.assertRaisesRegex(UserError, "Send anyway"):
                wizard.action_confirm()
            self.assertEqual(self.reminders_of(customer), reminders_before, "nothing created without the override")
        wizard.write({"override": True, "override_reason": "Accord du directeur financier"})
        wizard.action_confirm()
        reminder = self.reminders_of(customer) - reminders_before
        self.assertEqual(len(reminder), 1)
        self.assertEqual(reminder.override_reason, "Accord du directeur financier")
        note = str(reminder.message_ids.mapped("body"))
        self.assertIn("Accord du directeur financier", note)
        self.assertRegex(note, warning)
        return reminder

    @freeze_time("2025-04-03")
    def test_invoice_not_yet_due_needs_an_override(self):
        invoice = self.make_invoice(self.customer_pro, 1000, "2025-03-15", "2025-04-30")
        reminder = self.assert_needs_override(invoice, "Not yet due: " + invoice.name)
        self.assertEqual(reminder.line_ids.move_id, invoice)

    @freeze_time("2025-04-03")
    def test_promise_to_pay_needs_an_override(self):
        invoice = self.make_invoice(self.customer_pro, 1000, "2025-03-01", "2025-03-31")
        invoice.dunning_promise_date = "2025-04-10"
        self.assert_needs_override(invoice, "A promise to pay runs until 04/10/2025")

    @freeze_time("2025-04-03")
    def test_open_dispute_needs_an_override(self):
        self.make_invoice(self.customer_pro, 1000, "2025-03-01", "2025-03-31")
        disputed = self.make_invoice(self.customer_pro, 300, "2025-03-01", "2025-03-31")
        disputed.write({"dunning_disputed": True, "dunning_dispute_reason": "Livraison incomplète"})
        reminder = self.assert_needs_override(self.customer_pro, "A dispute is open on " + disputed.name)
        self.assertNotIn(disputed, reminder.line_ids.move_id, "a disputed invoice is never claimed")

    def test_minimum_interval_needs_an_override(self):
        self.make_invoice(self.customer_pro, 1000, "2025-03-01", "2025-03-31")
        self.run_dunning("2025-04-01")
        with freeze_time("2025-04-05"):
            reminder = self.assert_needs_override(
                self.customer_pro, r"last reminder dates from 04/01/2025: the level asks for 10 days"
            )
        self.assertEqual(reminder.level_id, self.level_second)

    def test_a_reminder_today_says_whether_it_was_sent_or_waits(self):
        self.make_invoice(self.customer_pro, 1000, "2025-03-01", "2025-03-31")
        self.make_invoice(self.customer_consumer, 100, "2025-03-01", "2025-03-31")
        self.customer_consumer.email = False
        with freeze_time("2025-04-01"):
            self.run_dunning("2025-04-01")
            with self.assertRaisesRegex(UserError, "already has a reminder today, already sent: the next one can go"):
                self.open_preview(self.customer_pro)
            with self.assertRaisesRegex(UserError, "already has a reminder today that failed: correct it and send"):
                self.open_preview(self.customer_consumer)
        self.level_second.auto_send = False
        with freeze_time("2025-04-15"):
            self.run_dunning("2025-04-15")
            with self.assertRaisesRegex(UserError, "already has a reminder today waiting to be sent: send it or"):
                self.open_preview(self.customer_pro)

    @freeze_time("2025-04-03")
    def test_amounts_changed_since_the_preview_are_not_sent(self):
        invoice = self.make_invoice(self.customer_pro, 1000, "2025-03-01", "2025-03-31")
        wizard = self.open_preview(invoice)
        self.pay(invoice, 200, "2025-04-03")
        with self.assertRaisesRegex(UserError, "changed since this preview"):
            wizard.action_confirm()
        self.assertFalse(self.reminders_of(self.customer_pro))
