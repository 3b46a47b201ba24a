"""The daily run against what other database connections commit while it works.

These tests cannot live in the test's transaction: the run, the payment and the click each need their own
connection, seeing only what the others committed. Every test commits its customers and invoices in the main
company through its own cursor, runs the dunning in a thread with its own connection (which commits its
batches, as the scheduled action does), acts from a third connection at a chosen moment, checks what was
committed, and deletes everything it committed afterwards.
"""

import threading
from collections import Counter
from unittest.mock import patch

from freezegun import freeze_time
from psycopg2 import errors

from odoo import SUPERUSER_ID, Command, api, fields
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from odoo.addons.base.models.ir_model import MODULE_UNINSTALL_FLAG
from odoo.addons.l10n_fr_dunning.models.dunning_run import MAX_BATCH_ATTEMPTS

from .common import DunningTestCommon

PREFIX = "Concurrence relances"


def send_next_reminder(customer):
    """A person's click: the preview of the next reminder, then its confirmation."""
    action = customer.action_dunning_send_next()
    return customer.env[action["res_model"]].browse(action["res_id"]).action_confirm()


@tagged("post_install", "-at_install")
class TestRunConcurrency(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Run = cls.registry["l10n_fr_dunning.run"]

    def setUp(self):
        super().setUp()
        self.today = fields.Date.today()
        self.company_settings = {}
        self.euro_rate_ids = []
        self.addCleanup(self.delete_committed)
        with self.committed_env() as env:
            company = env.ref("base.main_company")
            self.company_id = company.id
            self.company_settings = {"dunning_attach_invoices": company.dunning_attach_invoices}
            company.dunning_attach_invoices = False
            euro = env.ref("base.EUR")
            self.euro_rate_ids = []
            if euro != company.currency_id and not env["res.currency.rate"].search_count(
                [("currency_id", "=", euro.id)]
            ):
                # The 40 € indemnity is converted to the company's currency: the euro needs a rate there.
                self.euro_rate_ids = env["res.currency.rate"].create({"currency_id": euro.id, "name": "2000-01-03"}).ids
            customers = env["res.partner"].create(
                [
                    {"name": f"{PREFIX} {index}", "is_company": True, "email": f"client{index}@concurrence.example"}
                    for index in range(3)
                ]
            )
            self.customer_ids = customers.ids
            due = fields.Date.add(self.today, days=-10)
            invoices = (
                env["account.move"]
                .with_company(company)
                .create(
                    [
                        {
                            "move_type": "out_invoice",
                            "partner_id": customer.id,
                            "invoice_date": due,
                            "invoice_date_due": due,
                            "invoice_line_ids": [
                                Command.create(
                                    {
                                        "name": "Prestation",
                                        "quantity": 1,
                                        "price_unit": 100,
                                        "tax_ids": [Command.clear()],
                                    }
                                )
                            ],
                        }
                        for customer in customers
                    ]
                )
            )
            invoices.action_post()
            self.invoice_ids = invoices.ids

    # ---- Helpers -------------------------------------------------------------------------------------------

    def committed_env(self):
        """A superuser environment on a new connection, committed when the block ends."""
        registry = self.registry

        class _Committed:
            def __enter__(inner):
                inner.cr = registry.cursor()
                return api.Environment(inner.cr, SUPERUSER_ID, {})

            def __exit__(inner, exc_type, exc, tb):
                if exc_type is None:
                    inner.cr.commit()
                inner.cr.close()

        return _Committed()

    def delete_committed(self):
        """Remove what the test committed: reminders, payments, invoices, customers, the euro rate it added."""
        with self.committed_env() as env:
            customers = env["res.partner"].with_context(active_test=False).search([("name", "=like", f"{PREFIX}%")])
            # Sent reminders refuse deletion (immutable history), as when the module is uninstalled: the flag lets
            # the ORM remove them with their lines, activities and messages.
            env["l10n_fr_dunning.reminder"].with_context(**{MODULE_UNINSTALL_FLAG: True}).search(
                [("partner_id", "in", customers.ids)]
            ).unlink()
            moves = env["account.move"].search([("partner_id", "in", customers.ids)])
            payments = env["account.payment"].search([("partner_id", "in", customers.ids)])
            payments.action_draft()
            payments.unlink()
            moves = moves.exists()
            moves.filtered(lambda move: move.state != "draft").button_draft()
            moves.with_context(force_delete=True).unlink()
            env["mail.mail"].search([("model", "=", "l10n_fr_dunning.reminder")]).filtered(
                lambda mail: not env["l10n_fr_dunning.reminder"].browse(mail.res_id).exists()
            ).unlink()
            env["account.payment.register"].search([("partner_id", "in", customers.ids)]).unlink()
            customers.unlink()
            env["res.currency.rate"].browse(self.euro_rate_ids).unlink()
            env.ref("base.main_company").write(self.company_settings)

    def pay_in_another_connection(self, index):
        with self.committed_env() as env:
            invoice = env["account.move"].browse(self.invoice_ids[index])
            env["account.payment.register"].with_context(active_model="account.move", active_ids=invoice.ids).create(
                {"amount": invoice.amount_residual, "payment_date": self.today}
            ).action_create_payments()

    def run_in_thread(self, **kwargs):
        """Run the dunning of the main company in a thread with its own connection; returns (thread, outcome)."""
        outcome = {}

        def run():
            try:
                with self.committed_env() as env:
                    company = env["res.company"].browse(self.company_id)
                    outcome["reminders"] = (
                        env["l10n_fr_dunning.run"].with_company(company)._run_company(company, self.today, **kwargs).ids
                    )
            except Exception as error:  # noqa: BLE001 (reported to the test)
                outcome["error"] = error

        thread = threading.Thread(target=run, name="dunning-run-under-test")
        thread.start()
        return thread, outcome

    def run_and_wait(self, **kwargs):
        thread, outcome = self.run_in_thread(**kwargs)
        thread.join(timeout=120)
        self.assertFalse(thread.is_alive(), "the run did not finish")
        self.assertNotIn("error", outcome, outcome.get("error"))
        return outcome["reminders"]

    def live_reminders(self):
        """{customer index: number of live reminders today}, as committed."""
        with self.committed_env() as env:
            reminders = env["l10n_fr_dunning.reminder"].search(
                [
                    ("partner_id", "in", self.customer_ids),
                    ("date", "=", self.today),
                    ("state", "!=", "cancelled"),
                ]
            )
            return Counter(self.customer_ids.index(reminder.partner_id.id) for reminder in reminders)

    def before_each_lock(self, action):
        """Patch the batch's locking read to call ``action(attempt)`` first; returns the list of attempts."""
        attempts = []
        original = self.Run._lock_batch_invoices

        def lock(run, *args):
            attempts.append(len(attempts) + 1)
            action(len(attempts))
            return original(run, *args)

        self.startPatcher(patch.object(self.Run, "_lock_batch_invoices", lock))
        return attempts

    # ---- Scenarios -----------------------------------------------------------------------------------------

    def test_payment_committed_while_a_batch_runs(self):
        """Customer 1 pays after the run chose its customers: the batch meets the payment, starts again from a
        fresh snapshot and leaves the paid customer out; the others are reminded once."""
        attempts = self.before_each_lock(lambda attempt: attempt == 1 and self.pay_in_another_connection(1))
        reminders = self.run_and_wait()
        self.assertEqual(len(reminders), 2)
        self.assertEqual(self.live_reminders(), Counter({0: 1, 2: 1}), "the paid customer is not reminded")
        self.assertEqual(len(attempts), 2, "the batch was retried once after the concurrent payment")
        with self.committed_env() as env:
            lines = env["l10n_fr_dunning.reminder"].browse(reminders).line_ids
            self.assertEqual(sorted(lines.move_id.ids), sorted([self.invoice_ids[0], self.invoice_ids[2]]))
            self.assertEqual(lines.mapped("amount_residual"), [100.0, 100.0], "no invoice at 0.00 in a reminder")
        self.assertFalse(self.run_and_wait(), "a second run the same day sends nothing")

    def test_manual_reminder_clicked_during_a_run(self):
        """A person sends customer 0 its next reminder while the run works: the run skips that customer
        instead of failing on the unique index, and reminds the others."""

        def click(attempt):
            if attempt == 1:
                with self.committed_env() as env:
                    customer = env["res.partner"].browse(self.customer_ids[0]).with_company(self.company_id)
                    send_next_reminder(customer)

        self.before_each_lock(click)
        reminders = self.run_and_wait()
        self.assertEqual(len(reminders), 2)
        self.assertEqual(self.live_reminders(), Counter({0: 1, 1: 1, 2: 1}), "everybody once, nobody twice")
        with self.committed_env() as env:
            manual = env["l10n_fr_dunning.reminder"].search([("partner_id", "=", self.customer_ids[0])])
            self.assertEqual(manual.state, "sent", "the clicked reminder was previewed, confirmed and sent")
            with self.assertRaisesRegex(UserError, "already has a reminder today, already sent"):
                env["res.partner"].browse(self.customer_ids[1]).with_company(self.company_id).action_dunning_send_next()

    def test_click_waits_for_the_batch_holding_its_customer(self):
        """Send next reminder clicked while a batch holds the customer: the click waits for the batch to commit,
        then says the customer already has a reminder today; nobody gets two."""
        click = {}

        def click_send_next_reminder():
            try:
                with self.committed_env() as env:
                    customer = env["res.partner"].browse(self.customer_ids[0]).with_company(self.company_id)
                    send_next_reminder(customer)
            except Exception as error:  # noqa: BLE001 (reported to the test)
                click["error"] = error

        original = self.Run._remind_customers

        def remind(run, *args):
            if "thread" not in click:
                click["thread"] = threading.Thread(target=click_send_next_reminder, name="send-next-reminder")
                click["thread"].start()
                click["thread"].join(timeout=2)
                click["waited"] = click["thread"].is_alive()
            return original(run, *args)

        self.startPatcher(patch.object(self.Run, "_remind_customers", remind))
        self.assertEqual(len(self.run_and_wait()), 3)
        click["thread"].join(timeout=60)
        self.assertTrue(click["waited"], "the click waited for the batch holding its customer")
        self.assertIsInstance(click.get("error"), UserError)
        self.assertIn("already has a reminder today", str(click["error"]))
        self.assertEqual(self.live_reminders(), Counter({0: 1, 1: 1, 2: 1}))

    def test_two_runs_at_once(self):
        """A second run started while the first holds the company's lock does nothing; nobody is reminded twice."""
        second = {}

        def start_second_run(attempt):
            if attempt == 1:
                thread, second["outcome"] = self.run_in_thread(raise_if_busy=False)
                thread.join(timeout=120)

        self.before_each_lock(start_second_run)
        first = self.run_and_wait()
        self.assertEqual(second["outcome"], {"reminders": []}, "the second run found the lock taken")
        self.assertEqual(len(first), 3)
        self.assertEqual(self.live_reminders(), Counter({0: 1, 1: 1, 2: 1}))


@tagged("post_install", "-at_install")
class TestRunFailures(DunningTestCommon):
    """Failures inside the run's transaction: retried when another transaction caused them, contained per
    company, and never leaving the company's lock behind."""

    def setUp(self):
        super().setUp()
        self.Run = self.registry["l10n_fr_dunning.run"]
        self.lock_key = f"l10n_fr_dunning.run.{self.company.id}"

    def assert_lock_free(self):
        """Another connection can take the company's run lock: the run released it."""
        with self.registry.cursor() as other_cr:
            other_cr.execute("SELECT pg_try_advisory_lock(hashtext(%s))", [self.lock_key])
            self.assertTrue(other_cr.fetchone()[0], "the run's lock is still held")
            other_cr.execute("SELECT pg_advisory_unlock(hashtext(%s))", [self.lock_key])

    def conflicting_lock(self, conflicts):
        """A batch lock that meets a concurrent update ``conflicts`` times, then works; returns the attempts."""
        attempts = []
        original = self.Run._lock_batch_invoices

        def lock(run, *args):
            attempts.append(len(attempts) + 1)
            if len(attempts) <= conflicts:
                run.env.cr.execute(
                    "DO $$ BEGIN RAISE EXCEPTION 'could not serialize access due to concurrent "
                    "update' USING ERRCODE = 'serialization_failure'; END $$"
                )
            return original(run, *args)

        self.startPatcher(patch.object(self.Run, "_lock_batch_invoices", lock))
        self.startPatcher(patch("odoo.addons.l10n_fr_dunning.models.dunning_run.time.sleep"))
        return attempts

    def test_a_conflicting_batch_is_retried(self):
        self.make_invoice(self.customer_pro, 1000, "2025-03-01", "2025-03-31")
        attempts = self.conflicting_lock(conflicts=2)
        reminder = self.run_dunning("2025-04-01")
        self.assertEqual(len(attempts), 3)
        self.assertEqual(reminder.partner_id, self.customer_pro)
        self.assertEqual(reminder.amount_residual, 1200.0)

    def test_retries_are_bounded_and_the_lock_released(self):
        self.make_invoice(self.customer_pro, 1000, "2025-03-01", "2025-03-31")
        attempts = self.conflicting_lock(conflicts=99)
        with self.assertRaises(errors.SerializationFailure):
            self.run_dunning("2025-04-01")
        self.assertEqual(len(attempts), MAX_BATCH_ATTEMPTS)
        self.assert_lock_free()

    def test_sql_error_in_the_selection_releases_the_lock_and_shows_itself(self):
        self.make_invoice(self.customer_pro, 1000, "2025-03-01", "2025-03-31")

        def broken_selection(run, *args):
            run.env.cr.execute("SELECT no_such_column FROM account_move")

        with (
            patch.object(self.Run, "_candidate_customers", broken_selection),
            self.assertRaisesRegex(errors.UndefinedColumn, "no_such_column"),
        ):
            self.run_dunning("2025-04-01")
        self.assert_lock_free()
        self.assertEqual(len(self.run_dunning("2025-04-01")), 1, "the next run works")

    def test_a_failing_company_does_not_stop_the_others(self):
        other_company = self.setup_other_company(name="Filiale Sud")["company"]
        self.make_invoice(self.customer_pro, 1000, "2025-03-01", "2025-03-31")
        self.make_invoice(self.customer_consumer, 100, "2025-03-01", "2025-03-31", company=other_company)
        original = self.Run._run_company

        def fail_for_ours(run, company, *args, **kwargs):
            if company == self.company:
                raise RuntimeError("disk full")
            return original(run, company, *args, **kwargs)

        with (
            patch.object(self.Run, "_run_company", fail_for_ours),
            freeze_time("2025-04-01"),
            self.assertLogs("odoo.addons.l10n_fr_dunning.models.dunning_run", "ERROR") as logs,
        ):
            self.env["l10n_fr_dunning.run"]._cron_run_dunning()
        self.assertIn(f"({self.company.name}) failed; the next companies still run", logs.output[0])
        reminders = self.env["l10n_fr_dunning.reminder"].search([("date", "=", "2025-04-01")])
        self.assertEqual(reminders.company_id, other_company)
        self.assertEqual(reminders.partner_id, self.customer_consumer)

    def test_progress_is_reported_to_the_scheduled_action(self):
        customers = self.env["res.partner"].create(
            [{"name": f"Client {index}", "is_company": True, "email": f"c{index}@example.fr"} for index in range(3)]
        )
        for customer in customers:
            self.make_invoice(customer, 100, "2025-03-01", "2025-03-31")
        cron = self.env.ref("l10n_fr_dunning.ir_cron_dunning_run")
        progress = self.env["ir.cron.progress"].create({"cron_id": cron.id})
        reported = []
        Cron = self.registry["ir.cron"]
        original = Cron._notify_progress

        def notify(cron_model, *, done, remaining, deactivate=False):
            reported.append((done, remaining))
            return original(cron_model, done=done, remaining=remaining, deactivate=deactivate)

        with (
            patch("odoo.addons.l10n_fr_dunning.models.dunning_run.CUSTOMERS_PER_BATCH", 2),
            patch.object(Cron, "_notify_progress", notify),
            freeze_time("2025-04-01"),
        ):
            self.env["l10n_fr_dunning.run"].with_context(ir_cron_progress_id=progress.id)._cron_run_dunning()
        self.assertEqual(reported[0][0], 2, "the first batch of 2 customers is reported done")
        self.assertGreater(reported[0][1], 0, "work is left after the first batch")
        self.assertEqual(reported[-1], (3, 0))
        self.assertEqual((progress.done, progress.remaining), (3, 0))
