"""The policies and the dashboard in a real browser, reached through the menus (static/tests/tours/)."""

from unittest.mock import patch

from odoo import fields
from odoo.tests import HttpCase, tagged

from odoo.addons.base.models.ir_actions_report import IrActionsReport

from .test_dashboard import DashboardCase
from .test_tour import TestDunningTour


@tagged("post_install", "-at_install")
class TestPolicyAndDashboardTours(DashboardCase, HttpCase):
    def run_tour(self, tour, user):
        TestDunningTour.build_asset_bundles(self)
        self.start_tour("/odoo", tour, login=user.login)

    def test_policy_tour(self):
        """A dunning manager reads the Key accounts ladder and gives a customer that policy from its Dunning tab."""
        self.policies.action_unarchive()
        key_accounts = self.policies.filtered(lambda policy: policy.name == "Key accounts")
        # The professional ladder (D+1, D+15, D+30, D+45, D+60) with a fortnight more at each step.
        self.assertEqual(
            [(level.name, level.delay_days) for level in self.env["l10n_fr_dunning.level"]._ladder(key_accounts)],
            [("1re relance", 16), ("2e relance", 30), ("3e relance", 45), ("Mise en demeure", 60), ("Contentieux", 75)],
        )
        manager = self.make_user(
            "policy.manager", "base.group_user,base.group_partner_manager,account.group_account_manager"
        )
        self.make_invoice(self.customer_pro, 100, fields.Date.context_today(manager))  # listed among the customers
        customer = self.customer_pro.with_company(self.company)
        self.assertEqual(customer.dunning_effective_policy_id, self.policy)
        self.run_tour("l10n_fr_dunning_policy_tour", manager)
        customer.invalidate_recordset()
        self.assertEqual(customer.dunning_policy_id, key_accounts)
        self.assertEqual(customer.dunning_effective_policy_id, key_accounts)
        self.assertFalse(self.customer_consumer.with_company(self.company).dunning_policy_id, "that customer only")

    def test_dashboard_tour(self):
        """A dunning user reads what the reminders recovered as a graph then a pivot, and prints the summary."""
        today = fields.Date.context_today(self.env.user)
        invoice = self.make_invoice(self.customer_pro, 1000, fields.Date.subtract(today, days=30))  # 1 200,00
        self.send_reminder(self.customer_pro, self.level_first, today, invoice)
        self.pay(invoice, 480, today)
        user = self.make_user(
            "dashboard.user", "base.group_user,account.group_account_invoice,l10n_fr_dunning.group_dunning_user"
        )
        printed = []
        original = IrActionsReport._render_qweb_pdf

        def record_render(report, report_ref, res_ids=None, data=None):
            printed.append((report_ref, res_ids))
            return original(report, report_ref, res_ids, data)

        with patch.object(IrActionsReport, "_render_qweb_pdf", record_render):
            self.run_tour("l10n_fr_dunning_dashboard_tour", user)
        wizard = self.env["l10n_fr_dunning.recovery.summary.wizard"].search([("create_uid", "=", user.id)])
        self.assertEqual(len(wizard), 1)
        self.assertEqual((wizard.date_from, wizard.date_to), (today.replace(day=1), today), "the period typed")
        self.assertEqual(
            printed, [("l10n_fr_dunning.report_recovery_summary", wizard.ids)], "the browser downloaded the summary"
        )
