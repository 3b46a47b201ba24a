"""Sending windows per level (weekends, month end), the call script of phone tasks, the warning on new invoices."""

from datetime import date

import pytest
from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.l10n_fr_dunning.lib import sending_window

from .common import DunningTestCommon


@pytest.mark.parametrize(
    "day, skip_weekends, quiet, expected",
    [
        (date(2025, 4, 4), True, 0, date(2025, 4, 4)),  # Friday
        (date(2025, 4, 5), True, 0, date(2025, 4, 7)),  # Saturday → Monday
        (date(2025, 4, 6), True, 0, date(2025, 4, 7)),  # Sunday → Monday
        (date(2025, 4, 5), False, 0, date(2025, 4, 5)),
        (date(2025, 4, 27), False, 3, date(2025, 4, 27)),  # 30-day month: the 28th, 29th and 30th are quiet
        (date(2025, 4, 28), False, 3, date(2025, 5, 1)),
        (date(2025, 2, 26), False, 3, date(2025, 3, 1)),  # 28-day month: the 26th to the 28th
        (date(2025, 5, 29), True, 3, date(2025, 6, 2)),  # quiet 29–31 May, then Sunday 1 June → Monday 2
    ],
)
def test_next_sending_day(day, skip_weekends, quiet, expected):
    assert sending_window.next_sending_day(day, skip_weekends, quiet) == expected
    assert sending_window.is_sending_day(day, skip_weekends, quiet) == (day == expected)


@tagged("post_install", "-at_install")
class TestSendingWindow(DunningTestCommon):
    def test_weekend_postponed_to_monday(self):
        self.level_first.skip_weekends = True
        invoice = self.make_invoice(self.customer_pro, 100, "2025-03-05", "2025-04-04")  # 1st level on Sat 5 April
        self.assertEqual(str(invoice.dunning_next_date), "2025-04-07")
        for day in ("2025-04-05", "2025-04-06"):
            with freeze_time(day):
                self.assertFalse(self.run_dunning(day), day)
        with freeze_time("2025-04-07"):
            self.assertEqual(self.run_dunning("2025-04-07").level_id, self.level_first)

    def test_month_end_postponed_to_the_first(self):
        self.level_first.quiet_last_days = 3
        self.make_invoice(self.customer_pro, 100, "2025-03-27", "2025-04-27")  # 1st level on Mon 28 April
        for day in ("2025-04-28", "2025-04-30"):
            with freeze_time(day):
                self.assertFalse(self.run_dunning(day), day)
        with freeze_time("2025-05-01"):
            self.assertEqual(self.run_dunning("2025-05-01").level_id, self.level_first)

    def test_dry_run_shows_a_customer_outside_the_window_as_postponed(self):
        self.level_first.skip_weekends = True
        self.make_invoice(self.customer_pro, 100, "2025-03-05", "2025-04-04")  # 1st level on Sat 5 April
        with freeze_time("2025-04-05"):
            action = self.env["l10n_fr_dunning.run"].action_run_now()
            wizard = self.env[action["res_model"]].browse(action["res_id"])
            self.assertFalse(wizard.line_ids, "nothing goes out on a Saturday")
            self.assertFalse(wizard.left_out_note, "a postponed customer is not a failure")
            self.assertEqual(wizard.postponed_note, "Boulangerie Martin SARL: postponed to 04/07/2025")
            # Sending it now by hand is an override, with the reason the run would not send it.
            preview = self.env["l10n_fr_dunning.send.wizard"]._open_for(self.customer_pro)
            preview = self.env[preview["res_model"]].browse(preview["res_id"])
            self.assertIn(
                "is not sent on 04/05/2025 (its sending window): the daily run would send it on 04/07/2025",
                preview.warning_message,
            )

    def test_call_script_in_the_call_task(self):
        self.level_third.call_script = (
            "Demander le service comptable de {customer} ({contact}). Factures : "
            "{invoices}, {amount}. Obtenir une date de paiement avant le {date}."
        )
        invoice = self.make_invoice(self.customer_pro, 1000, "2025-03-01", "2025-03-31")
        for day in ("2025-04-01", "2025-04-15", "2025-04-30"):
            with freeze_time(day):
                reminder = self.run_dunning(day)
        self.assertEqual(reminder.level_id, self.level_third)
        note = reminder.activity_ids.note
        self.assertIn("Boulangerie Martin SARL", note)
        self.assertIn(invoice.name, note)
        self.assertIn("05/08/2025", note)  # 30 April + 8 days, in the French company's date format
        # 1,200 € + penalties 1,200 × 13.15 % × 30 / 365 = 12.97 € + the 40 € indemnity
        self.assertIn("1,252.97", note)
        self.assertNotIn("{", note)

    def test_warning_on_new_invoice_of_a_customer_at_mise_en_demeure(self):
        invoice = self.make_invoice(self.customer_pro, 1000, "2025-03-01", "2025-03-31")
        draft = self.make_invoice(self.customer_pro, 50, "2025-05-20", post=False)
        self.assertFalse(draft.dunning_customer_warning)
        for day in ("2025-04-01", "2025-04-15", "2025-04-30", "2025-05-15"):
            with freeze_time(day):
                reminder = self.run_dunning(day)
                if reminder.channel == "phone":
                    reminder.action_mark_sent()
        self.assertEqual(invoice.dunning_level_id, self.level_notice)
        draft.invalidate_recordset(["dunning_customer_warning"])
        self.assertIn("mise en demeure", draft.dunning_customer_warning)
        self.assertNotIn("Credit limit", draft.dunning_customer_warning)
        self.customer_pro.write({"use_partner_credit_limit": True, "credit_limit": 500})
        draft.invalidate_recordset(["dunning_customer_warning"])
        self.assertIn("Credit limit: 500.00", draft.dunning_customer_warning.replace("\xa0", " "))
        invoice.button_draft()
        self.assertFalse(invoice.dunning_customer_warning, "only new invoices of such a customer, not the old ones")
