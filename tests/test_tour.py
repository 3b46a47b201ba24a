from odoo.tests import HttpCase, tagged

from .common import DunningTestCommon


@tagged("post_install", "-at_install")
class TestDunningTour(DunningTestCommon, HttpCase):
    def build_asset_bundles(self):
        """Build the web client's bundles before the browser asks for them: on a fresh database, compiling
        them inside the page load can outlast the 60 s the tour waits for the page to be ready."""
        for bundle_name in ("web.assets_web", "web.assets_tests"):
            bundle = self.env["ir.qweb"]._get_asset_bundle(bundle_name)
            bundle.js()
            bundle.css()

    def test_dunning_tour(self):
        """In a real browser: the dunning list, the invoice's Dunning tab, and the dispute wizard."""
        customer = self.env["res.partner"].create({"name": "Tour Client SAS", "is_company": True, "email": "t@c.fr"})
        invoice = self.make_invoice(customer, 800, "2025-03-01", "2025-03-31")
        self.run_dunning("2025-04-01")
        self.env.user.write({"groups_id": [(4, self.env.ref("l10n_fr_dunning.group_dunning_user").id)]})
        self.build_asset_bundles()
        self.start_tour("/odoo/action-l10n_fr_dunning.action_move_dunning", "l10n_fr_dunning_tour",
                        login=self.env.user.login)
        self.assertTrue(invoice.dunning_disputed)
        self.assertEqual(invoice.dunning_dispute_reason, "Marchandise non conforme")
