from odoo import Command, fields
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
        self.start_tour(
            "/odoo/action-l10n_fr_dunning.action_move_dunning", "l10n_fr_dunning_tour", login=self.env.user.login
        )
        self.assertTrue(invoice.dunning_disputed)
        self.assertEqual(invoice.dunning_dispute_reason, "Marchandise non conforme")

    def test_controller_tour(self):
        """In French: the next reminder through its preview (a warning overridden with a reason), then the dry run
        of Run dunning now, its confirmation and the run's summary."""
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["web", "l10n_fr_dunning"], ["fr_FR"], overwrite=True)
        today = fields.Date.context_today(self.env.user)
        promised = self.env["res.partner"].create({"name": "Menuiserie Lenoir", "is_company": True, "email": "m@l.fr"})
        invoice_date, due_date = fields.Date.subtract(today, days=40), fields.Date.subtract(today, days=10)
        invoice = self.make_invoice(promised, 800, invoice_date, due_date)
        invoice.dunning_promise_date = fields.Date.add(today, days=5)
        other = self.env["res.partner"].create({"name": "Quincaillerie Simon", "is_company": True, "email": "q@s.fr"})
        self.make_invoice(other, 500, invoice_date, due_date)
        self.env.user.write(
            {"lang": "fr_FR", "groups_id": [Command.link(self.env.ref("l10n_fr_dunning.group_dunning_manager").id)]}
        )
        self.build_asset_bundles()
        self.start_tour(f"/odoo/customers/{promised.id}", "l10n_fr_dunning_controller_tour", login=self.env.user.login)
        reminder = self.env["l10n_fr_dunning.reminder"].search([("partner_id", "=", promised.id)])
        self.assertEqual((reminder.state, reminder.override_reason), ("sent", "Le client a demandé un rappel écrit"))
        summary = self.env["l10n_fr_dunning.run.log"].search([], limit=1)
        self.assertEqual((summary.trigger, summary.reminder_ids.partner_id), ("manual", other))
