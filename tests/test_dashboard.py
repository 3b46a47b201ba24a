"""The dunning dashboard: collected per level and channel, promises kept or broken, ageing and DSO, summary PDF."""

import calendar
import importlib.util
import os
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import DunningTestCommon
from .test_injonction import pdf_text


def month_end(day):
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


class DashboardCase(DunningTestCommon):
    @classmethod
    def send_reminder(cls, partner, level, day, invoices, company=None):
        """A reminder of ``level`` sent on ``day`` for ``invoices``, claiming what they owe."""
        company = company or cls.company
        reminder = (
            cls.env["l10n_fr_dunning.reminder"]
            .with_context(tracking_disable=True)
            .create(
                {
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "level_id": level.id,
                    "date": day,
                    "line_ids": [
                        Command.create({"move_id": move.id, "amount_residual": move.amount_residual})
                        for move in invoices
                    ],
                }
            )
        )
        reminder._write_state({"state": "sent", "sent_date": day})
        return reminder


@tagged("post_install", "-at_install")
class TestRecoveryReport(DashboardCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.level_phone = cls.ladder.filtered(lambda level: level.channel == "phone")[:1]
        # 1 000 € + 20 % VAT = 1 200 €; 500 € + 20 % = 600 €.
        cls.invoice_pro = cls.make_invoice(cls.customer_pro, 1000, "2026-01-01", "2026-01-31")
        cls.invoice_consumer = cls.make_invoice(cls.customer_consumer, 500, "2026-01-01", "2026-01-31")
        cls.first = cls.send_reminder(cls.customer_pro, cls.level_first, "2026-02-10", cls.invoice_pro)
        cls.call = cls.send_reminder(cls.customer_consumer, cls.level_phone, "2026-02-10", cls.invoice_consumer)
        cls.pay(cls.invoice_pro, 100, "2026-02-15")  # first reminder's window (10 → 25 February)
        cls.second = cls.send_reminder(cls.customer_pro, cls.level_second, "2026-02-20", cls.invoice_pro)
        cls.pay(cls.invoice_pro, 300, "2026-02-22")  # both windows: the latest reminder, the second, gets it
        cls.pay(cls.invoice_pro, 200, "2026-03-10")  # after the second's window (20 February → 7 March)
        cls.pay(cls.invoice_consumer, 250, "2026-02-25")  # last day of the call's window
        cls.pay(cls.invoice_consumer, 100, "2026-02-26")  # one day late

    def collected(self):
        groups = self.env["l10n_fr_dunning.recovery.report"]._read_group(
            [("company_id", "=", self.company.id)],
            ["level_id", "channel"],
            ["amount_claimed:sum", "amount_collected:sum"],
        )
        return {(level, channel): (claimed, collected) for level, channel, claimed, collected in groups}

    def test_collected_per_level_and_channel_within_the_window(self):
        self.assertTrue(self.level_phone)
        self.assertEqual(
            self.collected(),
            {
                (self.level_first, "email"): (1200.0, 100.0),
                (self.level_second, "email"): (1100.0, 300.0),  # claimed what was left on 20 February
                (self.level_phone, "phone"): (600.0, 250.0),
            },
        )
        line = self.env["l10n_fr_dunning.recovery.report"].search([("reminder_id", "=", self.call.id)])
        self.assertEqual((line.debtor_kind, line.date), ("consumer", date(2026, 2, 10)))
        self.assertAlmostEqual(line.recovery_rate, 250 / 600 * 100)

    def test_window_is_the_company_setting(self):
        self.company.dunning_recovery_days = 14  # the call's payment of 25 February falls out
        self.assertEqual(self.collected()[self.level_phone, "phone"], (600.0, 0.0))
        with self.assertRaises(ValidationError):
            self.company.dunning_recovery_days = 0

    def test_credit_notes_are_not_collected(self):
        invoice = self.make_invoice(self.customer_pro, 100, "2026-04-01", "2026-04-30")
        reminder = self.send_reminder(self.customer_pro, self.level_first, "2026-05-05", invoice)
        refund = invoice._reverse_moves([{"invoice_date": "2026-05-06", "date": "2026-05-06"}])
        refund.action_post()
        receivables = (invoice + refund).line_ids.filtered(lambda line: line.account_type == "asset_receivable")
        if invoice.amount_residual:
            receivables.reconcile()
        self.assertEqual(invoice.payment_state, "reversed")
        row = self.env["l10n_fr_dunning.recovery.report"].search([("reminder_id", "=", reminder.id)])
        self.assertEqual((row.amount_claimed, row.amount_collected), (120.0, 0.0))


@tagged("post_install", "-at_install")
class TestPromiseReport(DashboardCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.invoice_kept = cls.make_invoice(cls.customer_pro, 1000, "2026-01-01", "2026-01-31")
        cls.invoice_broken = cls.make_invoice(cls.customer_pro, 500, "2026-01-01", "2026-01-31")
        cls.invoice_running = cls.make_invoice(cls.customer_consumer, 500, "2026-01-01", "2026-01-31")

    def promise(self, invoice, day, amount):
        self.env["l10n_fr_dunning.promise.wizard"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"date": day, "amount": amount}).action_apply()

    def test_kept_broken_and_running(self):
        with freeze_time("2026-03-01"):
            self.promise(self.invoice_kept, "2026-03-10", 1200)
            self.promise(self.invoice_broken, "2026-03-10", 600)
        self.pay(self.invoice_kept, 1200, "2026-03-08")
        self.pay(self.invoice_broken, 300, "2026-03-09")
        self.pay(self.invoice_broken, 300, "2026-03-15")  # paid in full, but after the promised date
        today = fields.Date.today()  # the database's day decides what is running
        self.promise(self.invoice_running, today + timedelta(days=10), 400)
        self.pay(self.invoice_running, 100, today)
        rows = self.env["l10n_fr_dunning.promise.report"].search([("company_id", "=", self.company.id)])
        self.assertEqual(
            {(row.move_id, row.status, row.amount, row.amount_paid) for row in rows},
            {
                (self.invoice_kept, "kept", 1200.0, 1200.0),
                (self.invoice_broken, "broken", 600.0, 300.0),
                (self.invoice_running, "running", 400.0, 100.0),
            },
        )
        self.assertEqual(rows.filtered(lambda row: row.status == "running").source, "user")

    def test_a_new_promise_keeps_the_broken_one(self):
        with freeze_time("2026-03-01"):
            self.promise(self.invoice_broken, "2026-03-10", 600)
        with freeze_time("2026-03-12"):
            self.promise(self.invoice_broken, "2026-03-20", 200)
        self.pay(self.invoice_broken, 200, "2026-03-18")
        rows = self.env["l10n_fr_dunning.promise.report"].search([("move_id", "=", self.invoice_broken.id)])
        self.assertEqual(
            sorted((str(row.date), row.status, row.amount_paid) for row in rows),
            [("2026-03-10", "broken", 0.0), ("2026-03-20", "kept", 200.0)],
        )
        self.assertEqual(self.invoice_broken.dunning_promise_date, date(2026, 3, 20))

    def test_upgrade_carries_existing_promises_into_the_history(self):
        self.invoice_kept.write({"dunning_promise_date": "2026-03-10", "dunning_promise_amount": 1000})
        # The chatter's tracking of the promised date, as the invoice's tracking wrote it on 1 March.
        self.env["mail.message"].create(
            {
                "model": "account.move",
                "res_id": self.invoice_kept.id,
                "message_type": "notification",
                "date": "2026-03-01 09:00:00",
                "tracking_value_ids": [
                    Command.create(
                        {
                            "field_id": self.env["ir.model.fields"]._get("account.move", "dunning_promise_date").id,
                            "new_value_datetime": "2026-03-10",
                        }
                    )
                ],
            }
        )
        self.pay(self.invoice_kept, 1000, "2026-03-05")
        self.env.flush_all()
        path = os.path.join(os.path.dirname(os.path.dirname(__file__)), "migrations/18.0.1.2.0/post-14-promises.py")
        spec = importlib.util.spec_from_file_location("post_14_promises", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        migration.migrate(self.env.cr, "18.0.1.1.0")
        migration.migrate(self.env.cr, "18.0.1.1.0")  # run twice: still one row
        self.env.invalidate_all()
        row = self.env["l10n_fr_dunning.promise.report"].search([("move_id", "=", self.invoice_kept.id)])
        # Owed 1 200 € on 1 March (200 € now + the 1 000 € paid since), promised 1 000 € by 10 March: kept.
        self.assertEqual(
            (str(row.date_made), str(row.date), row.amount, row.promise_id.amount_due, row.status),
            ("2026-03-01", "2026-03-10", 1000.0, 1200.0, "kept"),
        )


@tagged("post_install", "-at_install")
class TestAgeingReport(DashboardCase):
    """Two month ends of a known dataset, dated relative to the database's day (the series is the last 24 months)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        this_month = fields.Date.today().replace(day=1)
        cls.end_1 = month_end(this_month - relativedelta(months=3))
        cls.end_2 = month_end(this_month - relativedelta(months=2))
        # 1 200 € due 35 days before the first month end, 200 € paid before it, the rest the day after the second.
        cls.late = cls.make_invoice(cls.customer_pro, 1000, cls.end_1 - timedelta(40), cls.end_1 - timedelta(35))
        cls.pay(cls.late, 200, cls.end_1 - timedelta(5))
        cls.pay(cls.late, 1000, cls.end_2 + timedelta(1))
        # 600 € due 20 days after the first month end.
        cls.not_due = cls.make_invoice(cls.customer_pro, 500, cls.end_1 - timedelta(10), cls.end_1 + timedelta(20))

    def row(self, day):
        return self.env["l10n_fr_dunning.ageing.report"].search(
            [("company_id", "=", self.company.id), ("date", "=", day)]
        )

    def test_buckets_and_dso_at_month_ends(self):
        first = self.row(self.end_1)
        # Receivables 1 200 - 200 + 600; sales of the 3 months 1 800, over the days of those 3 months.
        days_1 = (self.end_1 - (self.end_1.replace(day=1) - relativedelta(months=2))).days + 1
        self.assertEqual(
            (first.amount_receivable, first.amount_sales, first.amount_not_due, first.amount_1_30),
            (1600.0, 1800.0, 600.0, 0.0),
        )
        self.assertEqual((first.amount_31_60, first.amount_61_90, first.amount_91_more), (1000.0, 0.0, 0.0))
        self.assertAlmostEqual(first.dso, round(1600 / 1800 * days_1, 1))
        second = self.row(self.end_2)
        days_2 = (self.end_2 - (self.end_2.replace(day=1) - relativedelta(months=2))).days + 1
        late_days = (self.end_2 - (self.end_1 - timedelta(35))).days  # 63 to 66: 61-90
        self.assertTrue(61 <= late_days <= 90)
        self.assertEqual(
            (second.amount_receivable, second.amount_not_due, second.amount_1_30, second.amount_61_90),
            (1600.0, 0.0, 600.0, 1000.0),
        )
        self.assertAlmostEqual(second.dso, round(1600 / 1800 * days_2, 1))
        # Paid in full the day after: the next month end holds only the 600 €.
        third = self.row(month_end(self.end_2 + timedelta(1)))
        self.assertEqual(third.amount_receivable, 600.0)
        self.assertEqual(
            len(self.env["l10n_fr_dunning.ageing.report"].search([("company_id", "=", self.company.id)])), 24
        )


@tagged("post_install", "-at_install")
class TestDashboardAccessAndSummary(DashboardCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.identify_parties(cls.env.user)
        cls.company_b = cls.setup_other_company(name="Filiale Nord")["company"]
        invoice = cls.make_invoice(cls.customer_pro, 1000, "2026-01-01", "2026-01-31")
        cls.send_reminder(cls.customer_pro, cls.level_first, "2026-02-10", invoice)
        with freeze_time("2026-02-01"):
            cls.env["l10n_fr_dunning.promise.wizard"].with_context(
                active_model="account.move", active_ids=invoice.ids
            ).create({"date": "2026-02-12", "amount": 480}).action_apply()
        cls.pay(invoice, 480, "2026-02-12")
        customer_b = cls.customer_pro.copy({"company_id": cls.company_b.id})
        invoice_b = cls.make_invoice(customer_b, 700, "2026-01-01", "2026-01-31", company=cls.company_b)
        level_b = cls.env["l10n_fr_dunning.level"]._ladder(cls.default_policy(cls.company_b))[0]
        cls.send_reminder(customer_b, level_b, "2026-02-10", invoice_b, company=cls.company_b)
        cls.env["l10n_fr_dunning.promise"].create(
            {"move_id": invoice_b.id, "date_made": "2026-02-01", "date": "2026-02-20", "amount": 840, "amount_due": 840}
        )
        cls.user_a = cls.make_user("dashboard.user", "l10n_fr_dunning.group_dunning_user")

    def test_a_user_sees_only_the_rows_of_its_companies(self):
        for model in ("recovery.report", "promise.report", "ageing.report", "promise"):
            Report = self.env[f"l10n_fr_dunning.{model}"]
            with self.subTest(model=model):
                self.assertTrue(Report.search([("company_id", "=", self.company_b.id)]))
                seen = Report.with_user(self.user_a).search([])
                self.assertTrue(seen)
                self.assertEqual(seen.company_id, self.company)
        history = self.env["l10n_fr_dunning.promise"].with_user(self.user_a).search([])
        for change in (lambda: history.write({"amount": 1}), history.unlink):
            with self.assertRaises(AccessError):
                change()

    def test_summary_pdf(self):
        # The summary is in French: the channels and the promises' outcomes are the selections' own labels, as
        # translated.
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["l10n_fr_dunning"], ["fr_FR"], overwrite=True)
        wizard = (
            self.env["l10n_fr_dunning.recovery.summary.wizard"]
            .with_user(self.user_a)
            .create({"date_from": "2026-02-01", "date_to": "2026-03-31"})
        )
        pdf, _kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("l10n_fr_dunning.action_report_recovery_summary", wizard.ids)
        )
        text = pdf_text(pdf)
        for expected in (
            "Atelier Dupont, SAS",
            "Bilan des relances",
            "Période du 01/02/2026 au 31/03/2026",
            "Encaissements dans les 15 jours suivant la relance",
            "Niveau Canal Réclamé Encaissé Taux",
            "1re relance E-mail 1 200,00 € 480,00 € 40,00 %",
            # The promise of 480 € paid on its date, 12 February; pdfminer reads the numbers after the labels.
            "Tenue 1 Non tenue 0 En cours 0 480,00 € 0,00 € 0,00 €",
            "Issue Nombre Montant promis",
            # 720 € owed 28 days late at the end of February, 59 at the end of March; DSO: 720 / 1 200 × 90 days.
            "28/02/2026 720,00 € 0,00 € 720,00 € 0,00 € 0,00 € 0,00 €",
            "31/03/2026 720,00 € 0,00 € 0,00 € 720,00 € 0,00 € 0,00 € 54,0 54,0",
        ):
            self.assertIn(expected, text)
        self.assertNotIn("700,00", text)  # the other company's reminder
        with self.assertRaises(ValidationError):
            wizard.write({"date_to": "2026-01-01"})

    def test_views_and_menus(self):
        manager = self.make_user("dashboard.manager", "l10n_fr_dunning.group_dunning_manager")
        invoicing = self.make_user("dashboard.invoicing", "account.group_account_invoice")
        for model, view_types in (
            ("l10n_fr_dunning.recovery.report", ["graph", "pivot", "list", "search"]),
            ("l10n_fr_dunning.promise.report", ["graph", "pivot", "list", "search"]),
            ("l10n_fr_dunning.ageing.report", ["graph", "pivot", "search"]),
            ("l10n_fr_dunning.recovery.summary.wizard", ["form"]),
        ):
            with self.subTest(model=model):
                views = self.env[model].with_user(self.user_a).get_views([(False, kind) for kind in view_types])
                self.assertEqual(set(views["views"]), set(view_types))
        menus = [
            self.env.ref(f"l10n_fr_dunning.{xml_id}").id
            for xml_id in ("menu_recovery_report", "menu_promise_report", "menu_ageing_report", "menu_recovery_summary")
        ]
        for user, visible in ((self.user_a, True), (manager, True), (invoicing, False)):
            shown = self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
            self.assertEqual(all(menu in shown for menu in menus), visible, user.login)
