"""The dry run of *Run dunning now*, and the summary every run leaves (manual, scheduled, failed, retried, killed)."""

from unittest.mock import patch

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import DunningTestCommon


class Killed(BaseException):
    """The server process stopped in the middle of a run: nothing of the run catches it."""


@tagged("post_install", "-at_install")
class TestRunSummary(DunningTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Run = cls.registry["l10n_fr_dunning.run"]
        cls.customer_plain = cls.env["res.partner"].create(
            {
                "name": "Garage Petit",
                "is_company": True,
                "email": "garage@petit.example",
            }
        )

    def summaries(self):
        return self.env["l10n_fr_dunning.run.log"].search([("company_id", "=", self.company.id)], order="id")

    def dry_run(self):
        action = self.env["l10n_fr_dunning.run"].action_run_now()
        self.assertEqual((action["res_model"], action["target"]), ("l10n_fr_dunning.run.wizard", "new"))
        return self.env[action["res_model"]].browse(action["res_id"])

    def test_dry_run_shows_what_the_confirmed_run_then_does(self):
        invoice = self.make_invoice(self.customer_pro, 1000, "2025-03-01", "2025-03-31")
        self.make_invoice(self.customer_plain, 500, "2025-02-01", "2025-03-15")
        self.make_invoice(self.customer_plain, 250, "2025-02-10", "2025-03-20")
        self.make_invoice(self.customer_consumer, 100, "2025-03-01", "2025-03-31")
        self.customer_consumer.email = False
        with freeze_time("2025-04-03"):
            reminders_before = self.env["l10n_fr_dunning.reminder"].search_count([])
            wizard = self.dry_run()
            self.assertEqual(
                self.env["l10n_fr_dunning.reminder"].search_count([]), reminders_before, "the dry run writes nothing"
            )
            self.assertFalse(self.summaries(), "nor a summary")
            planned = {
                (line.partner_id, line.level_id, line.channel, round(line.amount_total, 2), bool(line.problem))
                for line in wizard.line_ids
            }
            pro_line = wizard.line_ids.filtered(lambda line: line.partner_id == self.customer_pro)
            # 1200 € late 1–3 April 2025 at 13.15 %: 1200 × 13.15 % × 3/365 = 1.30, + 40 € = 1241.30.
            self.assertAlmostEqual(pro_line.amount_total, 1241.30)
            consumer_line = wizard.line_ids.filtered(lambda line: line.partner_id == self.customer_consumer)
            self.assertIn("has no email address", consumer_line.problem)
            self.assertEqual(wizard.customer_count, 3)
            self.assertEqual(wizard.problem_count, 1)
            self.assertIn("1re relance", str(wizard.breakdown_html))
            action = wizard.action_confirm()
        summary = self.env["l10n_fr_dunning.run.log"].browse(action["res_id"])
        done = {
            (
                reminder.partner_id,
                reminder.level_id,
                reminder.channel,
                round(reminder.amount_total, 2),
                reminder.state == "failed",
            )
            for reminder in summary.reminder_ids
        }
        self.assertEqual(done, planned, "the same customers, levels, channels, amounts and failures")
        moves = summary.reminder_ids.line_ids.move_id
        self.assertEqual(moves.filtered(lambda move: move.partner_id == self.customer_pro), invoice)
        self.assertEqual((summary.trigger, summary.user_id, summary.state), ("manual", self.env.user, "done"))
        self.assertEqual((summary.reminder_count, summary.sent_count, summary.failed_count), (3, 2, 1))
        self.assertAlmostEqual(summary.amount_total, sum(line.amount_total for line in wizard.line_ids))
        self.assertIn("Jeanne Durand", summary.failure_note)
        self.assertIn("has no email address", summary.failure_note)
        self.assertTrue(summary.date_end)
        self.assertEqual(summary.search([("has_failures", "=", True), ("id", "=", summary.id)]), summary)

    def test_scheduled_run_leaves_a_summary(self):
        self.make_invoice(self.customer_pro, 1000, "2025-03-01", "2025-03-31")
        with freeze_time("2025-04-01"):
            self.env["l10n_fr_dunning.run"]._cron_run_dunning()
        summary = self.summaries()
        self.assertEqual(len(summary), 1)
        self.assertEqual(
            (summary.trigger, summary.user_id, summary.state, summary.date),
            ("scheduled", self.env["res.users"], "done", fields.Date.to_date("2025-04-01")),
        )
        self.assertEqual(summary.reminder_ids.partner_id, self.customer_pro)
        self.assertEqual((summary.reminder_count, summary.sent_count, summary.failed_count), (1, 1, 0))
        self.assertFalse(summary.has_failures)

    def test_a_retried_batch_is_counted_once(self):
        self.make_invoice(self.customer_pro, 1000, "2025-03-01", "2025-03-31")
        attempts = []
        original = self.Run._lock_batch_invoices

        def lock(run, *args):
            attempts.append(1)
            result = original(run, *args)
            if len(attempts) == 1:
                run.env.cr.execute(
                    "DO $$ BEGIN RAISE EXCEPTION 'could not serialize access due to concurrent "
                    "update' USING ERRCODE = 'serialization_failure'; END $$"
                )
            return result

        with (
            patch.object(self.Run, "_lock_batch_invoices", lock),
            patch("odoo.addons.l10n_fr_dunning.models.dunning_run.time.sleep"),
        ):
            reminder = self.run_dunning("2025-04-01")
        self.assertEqual(len(attempts), 2)
        summary = self.summaries()
        self.assertEqual(summary.reminder_ids, reminder)
        self.assertEqual((summary.reminder_count, summary.sent_count, summary.state), (1, 1, "done"))
        self.assertAlmostEqual(summary.amount_total, reminder.amount_total)

    def test_a_killed_run_is_marked_interrupted_and_the_next_run_goes_on(self):
        self.make_invoice(self.customer_pro, 1000, "2025-03-01", "2025-03-31")
        self.make_invoice(self.customer_plain, 500, "2025-03-01", "2025-03-31")
        original = self.Run._run_batch
        batches = []

        def killed_after_first_batch(run, *args):
            batches.append(1)
            if len(batches) == 2:
                raise Killed()
            return original(run, *args)

        # Not assertRaises: Odoo's rolls back what happened in its block, and a killed process rolls back nothing
        # of what its batches committed.
        with (
            patch("odoo.addons.l10n_fr_dunning.models.dunning_run.CUSTOMERS_PER_BATCH", 1),
            patch.object(self.Run, "_run_batch", killed_after_first_batch),
        ):
            killed_run = False
            try:
                self.run_dunning("2025-04-01")
            except Killed:
                killed_run = True
            self.assertTrue(killed_run, "the run was not killed")
        killed = self.summaries()
        self.assertEqual(
            (killed.state, killed.reminder_count, killed.date_end),
            ("running", 1, False),
            "the committed batch is counted, the run never ended",
        )
        first_customer = killed.reminder_ids.partner_id
        resumed = self.run_dunning("2025-04-01")
        self.assertEqual(killed.state, "interrupted")
        summary = self.summaries() - killed
        self.assertEqual((summary.state, summary.reminder_count), ("done", 1))
        self.assertEqual(summary.reminder_ids, resumed)
        self.assertEqual(
            resumed.partner_id | first_customer,
            self.customer_pro | self.customer_plain,
            "the next run reminded the customer the killed run had not reached, once",
        )

    def test_a_failing_run_leaves_a_failed_summary(self):
        self.make_invoice(self.customer_pro, 1000, "2025-03-01", "2025-03-31")

        def broken(run, *args):
            raise RuntimeError("disk full")

        with patch.object(self.Run, "_decide_reminders", broken):
            try:
                self.run_dunning("2025-04-01")
            except RuntimeError as error:  # not assertRaises, which rolls back what the run committed
                self.assertEqual(str(error), "disk full")
            else:
                self.fail("the run did not fail")
        summary = self.summaries()
        self.assertEqual((summary.state, summary.reminder_count), ("failed", 0))
        self.assertIn("disk full", summary.failure_note)

    def test_access_rights_on_summaries(self):
        self.make_invoice(self.customer_pro, 1000, "2025-03-01", "2025-03-31")
        self.run_dunning("2025-04-01")
        summary = self.summaries()
        user = self.make_user("relances.user", "account.group_account_user")
        manager = self.make_user("relances.manager", "account.group_account_manager")
        for person in (user, manager):
            with self.subTest(user=person.login):
                mine = summary.with_user(person)
                self.assertEqual(mine.search([]), summary)
                self.assertEqual(mine.reminder_count, 1)
                with self.assertRaises(AccessError):
                    mine.write({"reminder_count": 0})
                with self.assertRaises(AccessError):
                    mine.unlink()
                with self.assertRaises(AccessError):
                    mine.create(
                        {
                            "company_id": self.company.id,
                            "date": "2025-04-01",
                            "date_start": "2025-04-01 08:00:00",
                            "trigger": "manual",
                        }
                    )
        billing = self.make_user("relances.billing", "account.group_account_invoice")
        with self.assertRaises(AccessError):
            summary.with_user(billing).read(["state"])
        other_company = self.setup_other_company(name="Filiale Est")["company"]
        outsider = self.make_user("relances.other", "account.group_account_user")
        outsider.write({"company_ids": [fields.Command.set(other_company.ids)], "company_id": other_company.id})
        self.assertFalse(self.env["l10n_fr_dunning.run.log"].with_user(outsider).search([]))
        admin = self.make_user("relances.admin", "base.group_system,account.group_account_manager")
        summary.with_user(admin).unlink()
        self.assertFalse(summary.exists())
