from odoo.tests import tagged

from .test_portal import DunningPortalCommon


@tagged("post_install", "-at_install")
class TestPortalTour(DunningPortalCommon):
    def test_portal_tour(self):
        """In a real browser, without an account: open the reminder's link, promise, dispute, ask for a plan."""
        for bundle_name in ("web.assets_frontend", "web.assets_tests"):
            bundle = self.env["ir.qweb"]._get_asset_bundle(bundle_name)
            bundle.js()
            bundle.css()
        self.start_tour(f"/relance/{self.token}", "l10n_fr_dunning_portal_tour")
        self.assertEqual(self.invoice_a.dunning_promise_amount, 100.0)
        self.assertTrue(self.invoice_a.dunning_disputed)
        self.assertEqual(self.invoice_a.dunning_dispute_reason, "Produit abîmé")
        answers = self.env["l10n_fr_dunning.portal.answer"].search([("reminder_id", "=", self.reminder.id)])
        self.assertEqual(sorted(answers.mapped("kind")), ["dispute", "plan", "promise"])
        self.assertEqual(len(self.reminder.activity_ids), 3)
        self.assertEqual(self.reminder.activity_ids.user_id, self.company.dunning_user_id)
