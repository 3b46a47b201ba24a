from odoo import Command, fields
from odoo.tests import new_test_user

from odoo.addons.account.tests.common import AccountTestInvoicingCommon


class DunningTestCommon(AccountTestInvoicingCommon):
    """A French company with the default ladder, customers and helpers to age invoices."""

    @classmethod
    @AccountTestInvoicingCommon.setup_country("fr")
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.company_data["company"]
        cls.company.write(
            {
                "dunning_attach_invoices": False,
                "email": "compta@example.fr",
            }
        )
        cls.env.user.email = "relances@example.fr"
        # The company keeps its single default ladder: its segment policies (consumers, public buyers, key
        # accounts) are archived; tests of segments activate them again.
        cls.policies = cls.env["l10n_fr_dunning.policy"].search([("company_id", "=", cls.company.id)])
        cls.policy = cls.policies.filtered("is_default")
        (cls.policies - cls.policy).action_archive()
        cls.ladder = cls.env["l10n_fr_dunning.level"]._ladder(cls.policy)
        cls.level_first, cls.level_second, cls.level_third, cls.level_notice, cls.level_litigation = cls.ladder
        cls.customer_pro = cls.env["res.partner"].create(
            {
                "name": "Boulangerie Martin SARL",
                "is_company": True,
                "email": "compta@martin.example",
                "street": "3 rue des Lilas",
                "zip": "69003",
                "city": "Lyon",
                "country_id": cls.env.ref("base.fr").id,
            }
        )
        cls.customer_consumer = cls.env["res.partner"].create(
            {
                "name": "Jeanne Durand",
                "is_company": False,
                "email": "jeanne@durand.example",
                "street": "12 avenue Foch",
                "zip": "75016",
                "city": "Paris",
                "country_id": cls.env.ref("base.fr").id,
            }
        )
        cls.tax_20 = cls.company_data["default_tax_sale"]

    @classmethod
    def identify_parties(cls, signatory, company_siren="732829320", customer_siren="542051180"):
        """Give the company and the professional customer everything a letter or a court file names:
        legal form, SIREN, address, signatory and IBAN. Returns the company's bank account."""
        cls.company.write(
            {
                "name": "Atelier Dupont",
                "dunning_legal_form": "SAS",
                "company_registry": company_siren,
                "street": "8 rue de la Paix",
                "zip": "75002",
                "city": "Paris",
                "dunning_user_id": signatory.id,
                "dunning_representative_name": signatory.name,
                "dunning_representative_title": "Président",
            }
        )
        cls.customer_pro.write({"dunning_legal_form": "SARL", "company_registry": customer_siren})
        return cls.env["res.partner.bank"].create(
            {
                "partner_id": cls.company.partner_id.id,
                "acc_number": "FR7630006000011234567890189",
            }
        )

    @classmethod
    def make_invoice(cls, partner, amount, invoice_date, due_date=None, post=True, company=None):
        """A customer invoice of ``amount`` excluding VAT (20 %), due on ``due_date`` (default: invoice date)."""
        company = company or cls.company
        move = (
            cls.env["account.move"]
            .with_company(company)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": partner.id,
                    "invoice_date": invoice_date,
                    "invoice_date_due": due_date or invoice_date,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "Prestation",
                                "quantity": 1,
                                "price_unit": amount,
                                "tax_ids": [Command.set(cls.tax_20.ids if company == cls.company else [])],
                            }
                        )
                    ],
                }
            )
        )
        if post:
            move.action_post()
        return move

    @classmethod
    def pay(cls, move, amount, date):
        """Register a payment of ``amount`` on ``date``."""
        return (
            cls.env["account.payment.register"]
            .with_context(
                active_model="account.move",
                active_ids=move.ids,
            )
            .create({"amount": amount, "payment_date": date})
            .action_create_payments()
        )

    def run_dunning(self, day, company=None):
        company = company or self.company
        return self.env["l10n_fr_dunning.run"].with_company(company)._run_company(company, fields.Date.to_date(day))

    @classmethod
    def default_policy(cls, company):
        """The ladder a customer of ``company`` follows unless its kind or its own policy says otherwise."""
        return cls.env["l10n_fr_dunning.policy"].search([("company_id", "=", company.id), ("is_default", "=", True)])

    @classmethod
    def make_user(cls, login, groups):
        return new_test_user(
            cls.env, login=login, groups=groups, company_id=cls.company.id, company_ids=[Command.set(cls.company.ids)]
        )
