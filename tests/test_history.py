"""Immutable history, each channel done by its own action, the registered letter recorded in one step."""

from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import DunningTestCommon


@tagged("post_install", "-at_install")
class TestImmutableHistory(DunningTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = cls.make_user("dunning.manager", "account.group_account_manager")
        cls.invoice = cls.make_invoice(cls.customer_pro, 1000, "2025-03-01", "2025-03-31")

    def test_sent_reminder_cannot_be_deleted_nor_changed_by_anyone(self):
        refund = self.env["account.move"].create(
            {
                "move_type": "out_refund",
                "partner_id": self.customer_pro.id,
                "invoice_date": "2025-03-05",
                "invoice_line_ids": [
                    Command.create(
                        {"name": "Avoir", "quantity": 1, "price_unit": 10, "tax_ids": [Command.set(self.tax_20.ids)]}
                    )
                ],
            }
        )
        refund.action_post()
        reminder = self.run_dunning("2025-04-01")
        self.assertEqual(reminder.state, "sent")
        self.assertTrue(reminder.credit_ids)
        letter = self.env["ir.attachment"].create(
            {"name": "lettre.pdf", "raw": b"%PDF-1.4", "res_model": reminder._name, "res_id": reminder.id}
        )
        reminder.letter_attachment_id = letter  # a sent reminder keeps its first letter
        for env in (reminder.with_user(self.manager).env, self.env(su=True)):
            sent = reminder.with_env(env)
            with self.subTest(user=env.user.login, su=env.su):
                with self.assertRaisesRegex(UserError, "cannot be deleted"):
                    sent.unlink()
                with self.assertRaisesRegex(UserError, "cannot be changed"):
                    sent.write({"date": "2025-04-02"})
                with self.assertRaisesRegex(UserError, "cannot be changed"):
                    sent.write({"letter_attachment_id": False})
                with self.assertRaisesRegex(
                    UserError, "only through its buttons" if not env.su else "cannot be changed"
                ):
                    sent.write({"state": "cancelled"})
                for record in (sent.line_ids, sent.credit_ids):
                    with self.assertRaisesRegex(UserError, "cannot be changed"):
                        record.write({"amount_residual" if record is sent.line_ids else "amount": 1.0})
                    with self.assertRaisesRegex(UserError, "cannot be changed"):
                        record.unlink()
                with self.assertRaisesRegex(UserError, "cannot be changed"):
                    sent.line_ids.create({"reminder_id": sent.id, "move_id": refund.id})
                for change in (
                    lambda env=env: letter.with_env(env).unlink(),
                    lambda env=env: letter.with_env(env).write({"raw": b"x"}),
                ):
                    with self.assertRaisesRegex(UserError, "kept as the customer received it"):
                        change()
                with self.assertRaisesRegex(UserError, "A reminder that was sent cannot be cancelled"):
                    sent.action_cancel()
        self.assertEqual((reminder.state, reminder.date, len(reminder.line_ids)), ("sent", date(2025, 4, 1), 1))
        # What happens after sending can still be recorded: the chatter.
        reminder.with_user(self.manager).message_post(body="Client rappelé")

    def test_delete_from_the_list_actions_menu_fails_with_the_message(self):
        reminder = self.run_dunning("2025-04-01")
        with self.assertRaisesRegex(UserError, "A reminder that was sent cannot be deleted"):
            self.env["l10n_fr_dunning.reminder"].with_user(self.manager).browse(reminder.ids).unlink()

    def test_state_moves_only_through_actions(self):
        self.run_dunning("2025-04-01")
        self.run_dunning("2025-04-15")
        call = self.run_dunning("2025-04-30")
        self.assertEqual(call.state, "to_send")
        with self.assertRaisesRegex(UserError, "only through its buttons"):
            call.with_user(self.manager).write({"state": "sent"})
        call.with_user(self.manager).action_cancel()
        self.assertEqual(call.state, "cancelled")
        self.assertEqual(self.invoice.dunning_level_id, self.level_second)
        court_file = self.env["l10n_fr_dunning.court.file"].create(
            {
                "name": "IP",
                "partner_id": self.customer_pro.id,
                "company_id": self.company.id,
                "date": "2025-06-10",
                "court_kind": "commerce",
                "court_name": "Tribunal de commerce de Lyon",
                "court_address": "Lyon",
            }
        )
        with self.assertRaisesRegex(UserError, "only through its buttons"):
            court_file.with_user(self.manager).write({"state": "enforceable"})
        court_file.with_user(self.manager).action_mark_filed()
        self.assertEqual(court_file.state, "filed")
        with self.assertRaisesRegex(UserError, "only possible for court files in state"):
            court_file.action_mark_enforceable()

    def test_printing_the_phone_level_letter_does_not_make_the_call(self):
        for day in ("2025-04-01", "2025-04-15"):
            self.run_dunning(day)
        call = self.run_dunning("2025-04-30")
        self.assertEqual((call.channel, call.state), ("phone", "to_send"))
        task = call.activity_ids
        self.assertEqual(task.activity_type_id, self.env.ref("mail.mail_activity_data_call"))
        queue = safe_eval(self.env.ref("l10n_fr_dunning.action_dunning_print_queue").domain)
        self.assertIn(call, call.search(queue))
        wizard = self.env["l10n_fr_dunning.print.wizard"].create({"reminder_ids": [Command.set(call.ids)]})
        wizard.with_context(force_report_rendering=True).action_print()
        self.assertTrue(call.letter_attachment_id, "the letter is printed")
        self.assertEqual(call.state, "to_send", "no call was made")
        self.assertEqual(call.activity_ids, task, "the call task stays open")
        self.assertNotIn(call, call.search(queue), "printed, it waits for the call, not for the printer")
        with self.assertRaisesRegex(UserError, "Call made"):
            call.action_send()
        call.action_mark_sent()  # "Call made"
        self.assertEqual(call.state, "sent")
        self.assertFalse(call.activity_ids)


@tagged("post_install", "-at_install")
class TestRegisteredLetterInOneStep(DunningTestCommon):
    def notice(self):
        invoice = self.make_invoice(self.customer_pro, 100, "2026-03-01", "2026-03-31")
        return self.env["l10n_fr_dunning.reminder"].create(
            {
                "partner_id": self.customer_pro.id,
                "contact_id": self.customer_pro.id,
                "company_id": self.company.id,
                "level_id": self.level_notice.id,
                "date": "2026-05-06",
                "line_ids": invoice._dunning_reminder_line_commands(
                    invoice._dunning_amounts(date(2026, 5, 6)), date(2026, 5, 6)
                ),
            }
        )

    def test_number_and_posting_date_send_the_letter(self):
        notice = self.notice()
        with freeze_time("2026-05-08"):
            notice.write({"lrar_tracking_number": "1A 123 456 7890 1"})
            self.assertEqual(notice.state, "to_send", "the posting date is still missing")
            notice.write({"lrar_date_posted": "2026-05-07"})
        self.assertEqual((notice.state, notice.sent_date), ("sent", date(2026, 5, 7)))
        self.assertFalse(notice.activity_ids)
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            notice.lrar_tracking_number = "1A12345678902"
        # The delivery is recorded after sending.
        with freeze_time("2026-05-12"):
            notice.lrar_date_acknowledged = date(2026, 5, 11)
        self.assertEqual(notice.payment_deadline, date(2026, 5, 19))

    def test_printed_deadline_is_the_earliest_until_receipt_then_the_computed_one(self):
        """8 days from receipt (CPC 642): before it, the earliest possible last day, from the posting once known."""
        notice = self.notice()
        self.assertEqual(notice._letter_payment_deadline(), date(2026, 5, 15), "6 May + 8 = 14 May, Ascension")
        with freeze_time("2026-05-08"):
            notice.action_record_lrar(tracking_number="1A12345678901", date_posted=date(2026, 5, 8))
        self.assertFalse(notice.payment_deadline, "the receipt is not known yet")
        self.assertEqual(notice._letter_payment_deadline(), date(2026, 5, 18), "8 May + 8 = Saturday 16 → Monday")
        with freeze_time("2026-05-12"):
            notice.lrar_date_acknowledged = date(2026, 5, 11)
        self.assertEqual(notice._letter_payment_deadline(), notice.payment_deadline)
        self.assertEqual(notice.payment_deadline, date(2026, 5, 19), "11 May + 8")

    def test_record_the_posting_button_says_what_is_missing(self):
        notice = self.notice()
        with freeze_time("2026-05-08"), self.assertRaisesRegex(UserError, "registered letter number"):
            notice.action_record_lrar(date_posted=date(2026, 5, 7))
        with freeze_time("2026-05-08"):
            notice.action_record_lrar(tracking_number="1A12345678901", date_posted=date(2026, 5, 7))
        self.assertEqual(notice.state, "sent")

    def test_dates_neither_in_the_future_nor_before_the_letter(self):
        notice = self.notice()
        with freeze_time("2026-05-08"):
            for name, day in (
                ("lrar_date_posted", "2026-05-09"),
                ("lrar_date_posted", "2026-05-05"),
                ("lrar_date_acknowledged", "2026-05-09"),
                ("lrar_date_first_presented", "2026-05-20"),
            ):
                with (
                    self.subTest(name=name, day=day),
                    self.assertRaisesRegex(ValidationError, "is in the future|cannot be before Date"),
                ):
                    notice.write({"lrar_tracking_number": "1A12345678901", "lrar_date_posted": "2026-05-06", name: day})
            self.assertEqual(notice.state, "to_send")
