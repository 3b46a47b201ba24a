"""The accountant's and the manager's journeys, in a real browser, in French (static/tests/tours/)."""

from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.tests import HttpCase, tagged

from odoo.addons.base.models.ir_actions_report import IrActionsReport

from . import test_tour
from .common import DunningTestCommon


@tagged("post_install", "-at_install")
class TestScreensTours(DunningTestCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["ir.module.module"]._load_module_terms(["web", "l10n_fr_dunning"], ["fr_FR"], overwrite=True)
        cls.env.user.write(
            {
                "lang": "fr_FR",
                "groups_id": [(4, cls.env.ref("l10n_fr_dunning.group_dunning_user").id)],
            }
        )
        cls.today = fields.Date.context_today(cls.env.user)

    def customer(self, name):
        return self.env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "email": f"compta@{name.split()[0].lower()}.example",
                "street": "1 rue de la République",
                "zip": "69001",
                "city": "Lyon",
                "country_id": self.env.ref("base.fr").id,
            }
        )

    def invoice_late(self, customer, days_late, amount=1000):
        due = self.today - timedelta(days=days_late)
        return self.make_invoice(customer, amount, due - timedelta(days=30), due)

    def reminder(self, customer, level, day):
        invoice = self.invoice_late(customer, 60)
        return self.env["l10n_fr_dunning.reminder"].create(
            {
                "partner_id": customer.id,
                "contact_id": customer.id,
                "company_id": self.company.id,
                "level_id": level.id,
                "date": day,
                "line_ids": invoice._dunning_reminder_line_commands(invoice._dunning_amounts(day), day),
            }
        )

    def run_tour(self, action, tour):
        test_tour.TestDunningTour.build_asset_bundles(self)
        self.start_tour(f"/odoo/action-l10n_fr_dunning.{action}", tour, login=self.env.user.login)

    def test_accountant_tour(self):
        """Print a batch of letters through the wizard, which closes; record a registered letter's posting."""
        self.identify_parties(self.env.user)
        day = self.today - timedelta(days=3)
        letters = self.reminder(self.customer("Lettre Alpha SAS"), self.level_litigation, day) | self.reminder(
            self.customer("Lettre Beta SARL"), self.level_litigation, day
        )
        notice = self.reminder(self.customer("Recommandé Gamma SA"), self.level_notice, day)
        # wkhtmltopdf loads a report's assets from this server, which HttpCase serves one request at a time: called
        # from the print request, it would wait for ever. So the letters are rendered for real beforehand, and the
        # print request gets those PDFs (Odoo renders HTML instead under tests otherwise).
        Report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        prepared = {
            reminder.id: Report._render_qweb_pdf(reminder.level_id.report_id, reminder.ids)[0]
            for reminder in letters | notice
        }
        original = IrActionsReport._render_qweb_pdf

        def render_prepared(report, report_ref, res_ids=None, data=None):
            if res_ids and len(res_ids) == 1 and res_ids[0] in prepared:
                return prepared[res_ids[0]], "pdf"
            return original(report, report_ref, res_ids, data)

        with patch.object(IrActionsReport, "_render_qweb_pdf", render_prepared):
            self.run_tour("action_dunning_print_queue", "l10n_fr_dunning_accountant_tour")
        self.assertEqual(letters.mapped("state"), ["sent", "sent"])
        self.assertTrue(all(letters.mapped("letter_attachment_id")))
        self.assertEqual(
            (notice.state, notice.lrar_tracking_number, notice.lrar_date_posted, notice.sent_date),
            ("sent", "1A12345678901", self.today - timedelta(days=1), self.today - timedelta(days=1)),
        )
        self.assertTrue(notice.letter_attachment_id, "the letter posted is kept")

    def test_manager_tour(self):
        """Filter overdue invoices by level and ageing, group totals, pivot by ageing, the customer's Dunning tab."""
        delta = self.customer("Delta SA")
        self.invoice_late(delta, 40)
        self.run_dunning(self.today - timedelta(days=39))
        alpha = self.customer("Alpha SAS")
        alpha_invoice = self.invoice_late(alpha, 45)
        self.invoice_late(self.customer("Beta SARL"), 50, amount=600)
        self.invoice_late(self.customer("Gamma SA"), 75)
        self.invoice_late(self.customer("Epsilon SAS"), -10)
        self.run_dunning(self.today)
        self.assertEqual(delta.with_user(self.env.user).dunning_level_id, self.level_second)
        self.assertEqual(alpha_invoice.dunning_level_id, self.level_first)
        alpha_invoice.dunning_promise_date = self.today + timedelta(days=5)
        self.run_tour("action_move_dunning", "l10n_fr_dunning_manager_tour")
