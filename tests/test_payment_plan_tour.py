from datetime import timedelta

from odoo.tests import tagged

from .test_portal import DunningPortalCommon


@tagged("post_install", "-at_install")
class TestPaymentPlanTour(DunningPortalCommon):
    def test_accept_requested_plan_tour(self):
        """As the responsible, in a real browser: the plan the customer asked for on its page, completed and
        accepted."""
        self.reminder._portal_plan_request("Trois mensualités, s'il vous plaît")
        plan = self.env["l10n_fr_dunning.payment.plan"].search([("reminder_id", "=", self.reminder.id)])
        plan.generate_first_date = self.today + timedelta(days=15)
        for bundle_name in ("web.assets_web", "web.assets_tests"):
            bundle = self.env["ir.qweb"]._get_asset_bundle(bundle_name)
            bundle.js()
            bundle.css()
        self.start_tour(
            f"/odoo/action-l10n_fr_dunning.action_payment_plan/{plan.id}",
            "l10n_fr_dunning_payment_plan_tour",
            login=self.company.dunning_user_id.login,
        )
        self.assertEqual(plan.state, "accepted")
        # 1 534,45 / 3 = 511,4833…: 511,48 twice, the last 1 534,45 - 1 022,96 = 511,49
        self.assertEqual(plan.line_ids.mapped("amount"), [511.48, 511.48, 511.49])
        self.assertEqual(plan.accepted_date, self.today)
