"""The payment conditions printed on every customer invoice of a French company (Code de commerce L441-9):
penalty rate and 40 € indemnity for professionals only, early payment discount for all."""

import html

from odoo import Command

from .common import DunningTestCommon

PENALTY = "Pénalités de retard"
INDEMNITY = "Indemnité forfaitaire pour frais de recouvrement : 40 € (articles L441-10 et D441-5 du Code de commerce)"
NO_DISCOUNT = "Escompte pour paiement anticipé : néant"


class TestInvoiceMentions(DunningTestCommon):
    def render(self, move):
        content, _type = self.env["ir.actions.report"]._render_qweb_html("account.account_invoices", move.ids)
        return " ".join(html.unescape(content.decode()).split())

    def test_professional_invoice(self):
        move = self.make_invoice(self.customer_pro, 1000, "2026-11-26", "2026-12-26")
        page = self.render(move)
        self.assertIn("12/26/2026", page, "the due date")
        # Penalties start on 27 December 2026: ECB rate in force on 1 July 2026 (2.15 %) + 10 points.
        self.assertIn(
            "Pénalités de retard : taux de refinancement de la BCE majoré de 10 points "
            "(soit 12,15 % l'an au 2e semestre 2026)",
            page,
        )
        self.assertIn(INDEMNITY, page)
        self.assertIn(NO_DISCOUNT, page)

    def test_consumer_invoice(self):
        move = self.make_invoice(self.customer_consumer, 1000, "2026-11-26", "2026-12-26")
        page = self.render(move)
        self.assertNotIn(PENALTY, page)
        self.assertNotIn("Indemnité forfaitaire", page)
        self.assertIn(NO_DISCOUNT, page)

    def test_contractual_rate(self):
        self.company.dunning_contractual_rate = 15
        page = self.render(self.make_invoice(self.customer_pro, 1000, "2026-11-26", "2026-12-26"))
        self.assertIn("Pénalités de retard : taux de 15,00 % l'an", page)
        self.assertNotIn("BCE", page)

    def test_missing_rate_prints_the_formula(self):
        self.env["l10n_fr_dunning.ecb.rate"].search([]).unlink()
        page = self.render(self.make_invoice(self.customer_pro, 1000, "2026-11-26", "2026-12-26"))
        self.assertIn("Pénalités de retard : taux de refinancement de la BCE majoré de 10 points", page)
        self.assertNotIn("(soit", page)

    def test_early_payment_discount(self):
        term = self.env["account.payment.term"].create(
            {
                "name": "30 jours, escompte 2 % à 10 jours",
                "early_discount": True,
                "discount_percentage": 2,
                "discount_days": 10,
                "line_ids": [Command.create({"value": "percent", "value_amount": 100, "nb_days": 30})],
            }
        )
        move = self.make_invoice(self.customer_pro, 1000, "2026-11-26", post=False)
        move.invoice_payment_term_id = term
        move.action_post()
        page = self.render(move)
        self.assertIn("Escompte pour paiement anticipé : 2,00 % en cas de paiement sous 10 jours", page)
        self.assertNotIn(NO_DISCOUNT, page)

    def test_draft_invoice_and_foreign_company(self):
        self.assertNotIn(
            "Escompte pour paiement anticipé",
            self.render(self.make_invoice(self.customer_pro, 1000, "2026-11-26", "2026-12-26", post=False)),
        )
        self.company.country_id = self.env.ref("base.be")
        page = self.render(self.make_invoice(self.customer_pro, 1000, "2026-11-26", "2026-12-26"))
        self.assertNotIn(PENALTY, page)
        self.assertNotIn("Escompte pour paiement anticipé", page)
