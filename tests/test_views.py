from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools.safe_eval import safe_eval

from .common import DunningTestCommon


@tagged("post_install", "-at_install")
class TestDunningViews(DunningTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dunning_user = cls.make_user(
            "dunning_user", "account.group_account_invoice,l10n_fr_dunning.group_dunning_user"
        )
        cls.dunning_manager = cls.make_user(
            "dunning_manager",
            "account.group_account_invoice,l10n_fr_dunning.group_dunning_manager",
        )
        cls.invoicing_user = cls.make_user("invoicing_user", "account.group_account_invoice")

    def arch_of(self, model, view_xmlid, view_type, user):
        views = self.env[model].with_user(user).get_views([(self.env.ref(view_xmlid).id, view_type)])
        return views["views"][view_type]["arch"]

    def promise_form(self, invoices, user=None):
        wizard = self.env["l10n_fr_dunning.promise.wizard"].with_user(user or self.dunning_user)
        return Form(wizard.with_context(active_model="account.move", active_ids=invoices.ids))

    # ---- Views render ----------------------------------------------------------------------------------------

    def test_new_views_render(self):
        cases = [
            ("l10n_fr_dunning.reminder", ["list", "form", "search"], self.dunning_user),
            ("l10n_fr_dunning.level", ["list", "form", "search"], self.dunning_manager),
            ("l10n_fr_dunning.promise.wizard", ["form"], self.dunning_user),
            ("l10n_fr_dunning.dispute.wizard", ["form"], self.dunning_user),
            ("res.partner", ["form", "search"], self.dunning_user),
        ]
        for model, view_types, user in cases:
            with self.subTest(model=model):
                views = self.env[model].with_user(user).get_views([(False, view_type) for view_type in view_types])
                self.assertEqual(set(views["views"]), set(view_types))
        reminder_form = self.arch_of(
            "l10n_fr_dunning.reminder", "l10n_fr_dunning.reminder_view_form", "form", self.dunning_user
        )
        for name in ("action_send", "action_mark_sent", "action_cancel", "lrar_tracking_number", "payment_deadline"):
            self.assertIn(name, reminder_form)

    def test_dunning_action_views_render(self):
        action = (
            self.env["ir.actions.act_window"]
            .with_user(self.dunning_user)
            ._for_xml_id("l10n_fr_dunning.action_move_dunning")
        )
        self.assertEqual(action["domain"], "[('dunning_active', '=', True)]")
        views = (
            self.env["account.move"]
            .with_user(self.dunning_user)
            .get_views(action["views"] + [(action["search_view_id"][0], "search")])
        )
        self.assertEqual(set(views["views"]), {"list", "pivot", "graph", "form", "search"})
        self.assertIn('widget="badge"', views["views"]["list"]["arch"])
        self.assertIn("dunning_total_claimable", views["views"]["list"]["arch"])
        self.assertIn("to_do_today", views["views"]["search"]["arch"])

    def test_dunning_action_lists_open_customer_invoices(self):
        overdue = self.make_invoice(self.customer_pro, 1000, "2025-01-10", "2025-02-09")
        paid = self.make_invoice(self.customer_pro, 500, "2025-01-10", "2025-02-09")
        self.pay(paid, 600, "2025-02-01")
        draft = self.make_invoice(self.customer_pro, 500, "2025-01-10", post=False)
        action = self.env["ir.actions.act_window"]._for_xml_id("l10n_fr_dunning.action_move_dunning")
        found = (
            self.env["account.move"]
            .with_user(self.dunning_user)
            .search([("commercial_partner_id", "=", self.customer_pro.id)] + safe_eval(action["domain"]))
        )
        self.assertIn(overdue, found)
        self.assertNotIn(paid, found)
        self.assertNotIn(draft, found)

    def test_settings_block_for_managers(self):
        accounting_admin = self.make_user("accounting_admin", "account.group_account_manager,base.group_system")
        arch = self.arch_of("res.config.settings", "base.res_config_settings_view_form", "form", accounting_admin)
        self.assertIn("dunning_payment_deadline_days", arch)
        self.assertIn("dunning_contractual_rate", arch)
        settings = self.env["res.config.settings"].with_user(accounting_admin).create({"dunning_grace_days": 3})
        settings.execute()
        self.assertEqual(self.company.dunning_grace_days, 3)

    def test_menus_by_group(self):
        run_now_menu = self.env.ref("l10n_fr_dunning.menu_run_dunning_now")
        reminders_menu = self.env.ref("l10n_fr_dunning.menu_reminder")
        user_menus = self.env["ir.ui.menu"].with_user(self.dunning_user)._visible_menu_ids()
        self.assertIn(reminders_menu.id, user_menus)
        self.assertNotIn(run_now_menu.id, user_menus)
        self.assertIn(run_now_menu.id, self.env["ir.ui.menu"].with_user(self.dunning_manager)._visible_menu_ids())
        self.assertNotIn(reminders_menu.id, self.env["ir.ui.menu"].with_user(self.invoicing_user)._visible_menu_ids())

    # ---- Invoice and customer forms --------------------------------------------------------------------------

    def test_invoice_form_tab_for_dunning_users_only(self):
        arch = self.arch_of("account.move", "account.view_move_form", "form", self.dunning_user)
        for name in (
            'name="dunning"',
            "dunning_line_ids",
            "dunning_total_claimable",
            "action_dunning_send_next",
            "action_dunning_resolve_dispute",
        ):
            self.assertIn(name, arch)
        plain_arch = self.arch_of("account.move", "account.view_move_form", "form", self.invoicing_user)
        for name in ('name="dunning"', "dunning_line_ids", "action_dunning_send_next"):
            self.assertNotIn(name, plain_arch)

    def test_plain_invoicing_user_cannot_read_reminders(self):
        with self.assertRaises(AccessError):
            self.env["l10n_fr_dunning.reminder"].with_user(self.invoicing_user).search([])
        with self.assertRaises(AccessError):
            self.env["l10n_fr_dunning.promise.wizard"].with_user(self.invoicing_user).check_access("create")

    def test_invoice_form_opens_for_dunning_user(self):
        invoice = self.make_invoice(self.customer_pro, 1000, "2025-01-10", "2025-02-09")
        with freeze_time("2025-03-11"):
            form = Form(invoice.with_user(self.dunning_user))
            self.assertEqual(form.dunning_days_overdue, 30)
            self.assertGreater(form.dunning_total_claimable, 1200 + 40)

    def test_partner_form_tab_and_filters(self):
        arch = self.arch_of("res.partner", "base.view_partner_form", "form", self.dunning_user)
        for name in (
            "dunning_debtor_kind",
            "dunning_insolvency_date",
            "action_open_dunning_reminders",
            "dunning_reminder_count",
            "action_dunning_send_next",
        ):
            self.assertIn(name, arch)
        self.assertNotIn(
            "action_open_dunning_reminders",
            self.arch_of("res.partner", "base.view_partner_form", "form", self.invoicing_user),
        )
        search_arch = self.arch_of("res.partner", "base.view_res_partner_filter", "search", self.dunning_user)
        self.assertIn('name="dunning_excluded"', search_arch)
        self.assertIn('name="dunning_insolvent"', search_arch)

    # ---- Promise to pay --------------------------------------------------------------------------------------

    @freeze_time("2025-03-15")
    def test_promise_to_pay(self):
        invoice = self.make_invoice(self.customer_pro, 1000, "2025-01-10", "2025-02-09")
        form = self.promise_form(invoice)
        self.assertEqual(form.amount, 1200)
        form.date = "2025-03-31"
        form.amount = 800
        form.note = "Virement annoncé par le comptable"
        form.save().action_apply()
        self.assertEqual(str(invoice.dunning_promise_date), "2025-03-31")
        self.assertEqual(invoice.dunning_promise_amount, 800)
        self.assertEqual(str(invoice.dunning_next_date), "2025-04-01", "no reminder before the day after the promise")
        self.assertIn("Promise to pay", str(invoice.message_ids[0].body))
        self.assertIn("Virement annoncé", str(invoice.message_ids[0].body))
        self.assertIn(invoice.name, str(self.customer_pro.message_ids[0].body))
        self.assertFalse(self.run_dunning("2025-03-15"))

    @freeze_time("2025-03-15")
    def test_promise_spread_over_oldest_invoices(self):
        older = self.make_invoice(self.customer_pro, 1000, "2025-01-10", "2025-02-09")
        newer = self.make_invoice(self.customer_pro, 1000, "2025-01-20", "2025-02-19")
        form = self.promise_form(newer | older)
        form.date = "2025-03-20"
        form.amount = 1500
        form.save().action_apply()
        self.assertEqual(older.dunning_promise_amount, 1200)
        self.assertEqual(newer.dunning_promise_amount, 300)

    @freeze_time("2025-03-15")
    def test_promise_rejects_past_date_and_excessive_amount(self):
        invoice = self.make_invoice(self.customer_pro, 1000, "2025-01-10", "2025-02-09")
        form = self.promise_form(invoice)
        form.date = "2025-03-14"
        with self.assertRaisesRegex(ValidationError, "today or later"):
            form.save()
        form = self.promise_form(invoice)
        form.date = "2025-03-20"
        form.amount = 1200.01
        with self.assertRaisesRegex(ValidationError, "above what the invoices still owe"):
            form.save()
        form = self.promise_form(invoice)
        form.date = "2025-03-20"
        form.amount = 0
        with self.assertRaisesRegex(ValidationError, "positive"):
            form.save()
        self.assertFalse(invoice.dunning_promise_date)

    def test_promise_refuses_paid_invoice(self):
        invoice = self.make_invoice(self.customer_pro, 1000, "2025-01-10", "2025-02-09")
        self.pay(invoice, 1200, "2025-02-01")
        with self.assertRaisesRegex(UserError, invoice.name):
            self.promise_form(invoice)

    # ---- Disputes --------------------------------------------------------------------------------------------

    def test_dispute_and_resolve(self):
        invoice = self.make_invoice(self.customer_pro, 1000, "2025-01-10", "2025-02-09")
        wizard = (
            self.env["l10n_fr_dunning.dispute.wizard"]
            .with_user(self.dunning_user)
            .with_context(active_model="account.move", active_ids=invoice.ids)
        )
        form = Form(wizard)
        with self.assertRaises(AssertionError, msg="the reason is required"):
            form.save()
        form.reason = "Marchandise livrée endommagée"
        form.save().action_apply()
        self.assertTrue(invoice.dunning_disputed)
        self.assertEqual(invoice.dunning_dispute_reason, "Marchandise livrée endommagée")
        self.assertFalse(invoice.dunning_next_date)
        self.assertIn("Marchandise livrée endommagée", str(invoice.message_ids[0].body))
        self.assertIn("Marchandise livrée endommagée", str(self.customer_pro.message_ids[0].body))
        self.assertFalse(self.run_dunning("2025-03-15"), "a disputed invoice is not reminded")

        invoice.with_user(self.dunning_user).action_dunning_resolve_dispute()
        self.assertFalse(invoice.dunning_disputed)
        self.assertFalse(invoice.dunning_dispute_reason)
        self.assertIn("Dispute resolved", str(invoice.message_ids.mapped("body")))
        self.assertTrue(invoice.dunning_next_date)

    # ---- Run now ---------------------------------------------------------------------------------------------

    @freeze_time("2025-03-15")
    def test_run_now_for_managers_only(self):
        invoice = self.make_invoice(self.customer_pro, 1000, "2025-01-10", "2025-02-09")
        server_action = self.env.ref("l10n_fr_dunning.action_run_dunning_now")
        with self.assertRaises(AccessError):
            server_action.with_user(self.dunning_user).run()
        with self.assertRaises(UserError):
            self.env["l10n_fr_dunning.reminder"].with_user(self.dunning_user).action_run_dunning_now()
        action = server_action.with_user(self.dunning_manager).run()
        self.assertEqual(action["res_model"], "l10n_fr_dunning.run.wizard", "the dry run comes first")
        dry_run = self.env[action["res_model"]].with_user(self.dunning_manager).browse(action["res_id"])
        self.assertEqual(dry_run.line_ids.partner_id, self.customer_pro)
        summary = self.env["l10n_fr_dunning.run.log"].browse(dry_run.action_confirm()["res_id"])
        self.assertEqual(summary.reminder_ids.line_ids.move_id, invoice)
        again = self.env["l10n_fr_dunning.reminder"].with_user(self.dunning_manager).action_run_dunning_now()
        self.assertFalse(self.env[again["res_model"]].browse(again["res_id"]).line_ids, "once a day")
