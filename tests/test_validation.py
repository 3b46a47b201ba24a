"""Malformed input is refused with a message that says what to fix, and nothing of it is written."""

from datetime import date, timedelta

from odoo import Command, fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import DunningTestCommon

TOMORROW = fields.Date.to_string(date.today() + timedelta(days=1))


@tagged("post_install", "-at_install")
class TestMalformedInput(DunningTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.invoice = cls.make_invoice(cls.customer_pro, 1000, "2025-03-01", "2025-03-31")
        cls.reminder = cls.env["l10n_fr_dunning.reminder"].create(
            {
                "partner_id": cls.customer_pro.id,
                "contact_id": cls.customer_pro.id,
                "company_id": cls.company.id,
                "level_id": cls.level_notice.id,
                "date": "2025-05-15",
                "line_ids": [Command.create({"move_id": cls.invoice.id, "amount_residual": 1200})],
            }
        )
        cls.court_file = cls.env["l10n_fr_dunning.court.file"].create(
            {
                "name": "IP validation",
                "partner_id": cls.customer_pro.id,
                "company_id": cls.company.id,
                "date": "2026-01-05",
                "court_kind": "commerce",
                "court_name": "Tribunal de commerce de Lyon",
                "court_address": "Lyon",
                "filing_date": "2026-02-02",
            }
        )
        cls.ecb_rate = cls.env["l10n_fr_dunning.ecb.rate"].search([], limit=1)
        cls.legal_rate = cls.env["l10n_fr_dunning.legal.rate"].search([], limit=1)

    def test_malformed_inputs_are_refused_and_nothing_is_written(self):
        far = "9999-12-31"
        cases = [
            # (record, values, expected message)
            (self.level_second, {"delay_days": 2_000_000_000}, r"Delay \(days\) must be between -365 and 3650"),
            (self.level_first, {"delay_days": -400}, r"Delay \(days\) must be between -365 and 3650"),
            (self.level_second, {"min_interval_days": -1}, r"Minimum interval \(days\) must be between 0 and 3650"),
            (self.level_notice, {"payment_deadline_days": 400}, r"Payment deadline \(days\) must be between 0 and 365"),
            (self.level_second, {"name": "   "}, "Name cannot be empty"),
            (self.level_second, {"sequence": self.level_first.sequence}, "have the same sequence"),
            (self.level_third, {"delay_days": 10}, r"its delay \(10 days\) is shorter than 15 days"),
            (self.company, {"dunning_grace_days": -1}, "Grace days must be between 0 and 365"),
            (
                self.company,
                {"dunning_payment_deadline_days": -8},
                r"Payment deadline of the mise en demeure \(days\) must be between 0 and 365",
            ),
            (self.company, {"dunning_min_amount": -50}, "Minimum amount to chase must be between 0"),
            (
                self.company,
                {"dunning_contractual_rate": 150},
                r"Contractual penalty rate \(%\) must be between 0 and 100",
            ),
            (self.company, {"dunning_contractual_rate": -1}, r"Contractual penalty rate \(%\) must be between 0"),
            (self.ecb_rate, {"rate": 45}, r"Rate \(%\) must be between 0 and 20"),
            (self.ecb_rate, {"rate": -0.5}, r"Rate \(%\) must be between 0 and 20"),
            (self.ecb_rate, {"effective_date": far}, "Effective Date .9999-12-31. is more than 3 years ahead"),
            (self.legal_rate, {"rate_other": 300}, r"Rate for other cases \(%\) must be between 0 and 20"),
            (
                self.reminder,
                {"lrar_date_posted": "2025-05-16", "lrar_date_acknowledged": far},
                "Acknowledged on .9999-12-31. is in the future",
            ),
            (self.reminder, {"lrar_date_posted": TOMORROW}, "Posted on .* is in the future"),
            (self.reminder, {"lrar_date_posted": "2025-05-10"}, "Posted on .2025-05-10. cannot be before Date"),
            (
                self.reminder,
                {"lrar_date_posted": "2025-05-16", "lrar_date_first_presented": far},
                "First presented on .9999-12-31. is in the future",
            ),
            (self.reminder, {"contact_id": self.customer_consumer.id}, "Jeanne Durand is not a contact of"),
            (self.invoice, {"dunning_promise_date": far}, "Promised payment date .9999-12-31. is more than 3 years"),
            (self.customer_pro, {"dunning_paused_until": far}, "Dunning paused until .9999-12-31. is more than 3"),
            (self.customer_pro, {"dunning_paused_until": "1899-01-01"}, "is before 2000"),
            (self.customer_pro, {"dunning_contact_id": self.customer_consumer.id}, "Jeanne Durand is not a contact of"),
            (self.court_file, {"filing_date": TOMORROW}, "Filed on .* is in the future"),
            (
                self.court_file,
                {"ordonnance_date": "2026-01-20"},
                "Ordonnance date .2026-01-20. cannot be before Filed on",
            ),
            (
                self.court_file,
                {"ordonnance_date": "2026-03-02", "service_date": "2026-03-01"},
                "Served on .2026-03-01. cannot be before Ordonnance date",
            ),
            (self.court_file, {"service_date": far}, "Served on .9999-12-31. is in the future"),
            (self.court_file, {"amount_granted": -10}, "amount granted by the ordonnance cannot be negative"),
        ]
        for record, values, message in cases:
            with self.subTest(model=record._name, values=values):
                before = record.read(list(values))[0]
                with self.assertRaisesRegex(ValidationError, message), self.env.cr.savepoint():
                    record.write(dict(values))
                    record.env.flush_all()
                self.env.invalidate_all()
                self.assertEqual(record.read(list(values))[0], before, "nothing was written")

    def test_invoice_in_a_currency_without_rates_is_never_claimed_one_for_one(self):
        currency = self.env["res.currency"].create({"name": "ZZD", "symbol": "Ƶ", "rounding": 0.01})
        self.assertFalse(currency.rate_ids)

        def zzd_invoice():
            move = self.env["account.move"].create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.customer_consumer.id,
                    "currency_id": currency.id,
                    "invoice_date": "2025-03-01",
                    "invoice_date_due": "2025-03-31",
                    "invoice_line_ids": [
                        Command.create(
                            {"name": "Prestation", "quantity": 1, "price_unit": 500, "tax_ids": [Command.clear()]}
                        )
                    ],
                }
            )
            move.action_post()
            return move

        foreign = zzd_invoice()
        self.assertEqual(foreign.amount_residual_signed, 500.0, "Odoo booked it 1:1")
        other = self.env["res.partner"].create(
            {"name": "Menuiserie Petit", "is_company": True, "email": "compta@petit.example"}
        )
        self.make_invoice(other, 100, "2025-03-01", "2025-03-31")
        with self.assertRaisesRegex(UserError, "ZZD has no exchange rate in .*: add its rates"):
            foreign.action_dunning_send_next()
        reminders = self.run_dunning("2025-04-01")
        self.assertEqual(reminders.partner_id, other, "the customer of the ZZD invoice is left out, not the others")
        self.env["res.currency.rate"].create({"currency_id": currency.id, "name": "2025-01-01", "rate": 2.0})
        with self.assertRaisesRegex(UserError, f"{foreign.name} were booked 1:1 in ZZD .*: reset them to draft"):
            foreign.action_dunning_send_next()
        self.assertFalse(self.run_dunning("2025-04-02"), "still left out: its amount in euros is wrong")
        foreign.button_draft()
        foreign.button_cancel()
        zzd_invoice()
        reminder = self.run_dunning("2025-04-03")
        self.assertEqual(reminder.partner_id, self.customer_consumer)
        # 500 ZZD at 2 ZZD for 1 € on the invoice date: 250 € due.
        self.assertEqual(reminder.line_ids.amount_residual, 250.0)
