from stdnum import iban
from stdnum.fr import siren, siret, tva

from odoo import fields
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDemoData(TransactionCase):
    """The demo data, then one dunning run today: every customer climbs one step, the others are left alone."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["l10n_fr_dunning.demo"]._create_demo_data()
        cls.company = cls.env.ref("base.main_company")
        cls.company.dunning_attach_invoices = False
        cls.today = fields.Date.context_today(cls.env.user)
        cls.reminders = cls.env["l10n_fr_dunning.run"]._run_company(cls.company, cls.today)

    def customer(self, key):
        return self.env.ref(f"l10n_fr_dunning.demo_customer_{key}")

    def reminder_today(self, key):
        return self.reminders.filtered(lambda reminder: reminder.partner_id == self.customer(key))

    def invoices(self, key):
        return self.env["account.move"].search(
            [
                ("partner_id", "=", self.customer(key).id),
                ("move_type", "=", "out_invoice"),
            ]
        )

    def test_company_is_french(self):
        company = self.company
        self.assertEqual(company.country_id, self.env.ref("base.fr"))
        self.assertEqual(company.currency_id, self.env.ref("base.EUR"))
        self.assertEqual(company.dunning_legal_form, "SAS")
        self.assertEqual(company.dunning_user_id, self.env.ref("base.user_admin"))
        self.assertTrue(siren.is_valid(company.company_registry))
        self.assertTrue(tva.is_valid(company.vat))
        self.assertEqual(tva.compact(company.vat)[2:], company.company_registry)
        self.assertEqual(company.chart_template, "fr", "l10n_fr_account is installed: the demo switches to its chart")
        if "siret" in company._fields:
            self.assertTrue(siret.is_valid(company.siret))
            self.assertTrue(company.siret.startswith(company.company_registry))
        self.assertTrue(company.partner_id.bank_ids)
        self.assertTrue(all(iban.is_valid(bank.acc_number) for bank in company.partner_id.bank_ids))

    def test_customers(self):
        customers = self.env["ir.model.data"].search(
            [
                ("module", "=", "l10n_fr_dunning"),
                ("name", "=like", "demo_customer_%"),
            ]
        )
        self.assertGreaterEqual(len(customers), 10)
        partners = self.env["res.partner"].browse(customers.mapped("res_id"))
        professionals = partners.filtered("is_company")
        self.assertTrue(professionals and partners - professionals)
        public_buyer = self.customer("mairie")
        self.assertEqual(public_buyer.dunning_debtor_kind, "public")
        for partner in professionals:
            self.assertTrue(siren.is_valid(partner.company_registry), partner.name)
        for partner in professionals - public_buyer:
            self.assertIn(partner.dunning_legal_form, ("SARL", "SAS", "EURL", "SA"))
            self.assertEqual(partner.dunning_debtor_kind, "commercial")
        self.assertEqual(set((partners - professionals).mapped("dunning_debtor_kind")), {"consumer"})
        self.assertGreaterEqual(len(set(partners.mapped("city"))), 8)
        invoices = self.env["account.move"].search([("partner_id", "in", partners.ids)])
        self.assertEqual(set(invoices.mapped("state")), {"posted"})
        self.assertTrue(all(150 <= amount <= 15000 for amount in invoices.mapped("amount_total")))

    def test_one_run_reaches_every_level(self):
        ladder = self.env["l10n_fr_dunning.level"]._ladder(self.env.ref("l10n_fr_dunning.policy_professional"))
        self.assertEqual(len(ladder), 5)
        for level in ladder:
            self.assertTrue(
                self.env["account.move"].search_count(
                    [
                        ("company_id", "=", self.company.id),
                        ("dunning_level_id", "=", level.id),
                    ]
                ),
                f"no invoice at {level.name}",
            )
        expected = {
            "dupont": ("l10n_fr_dunning.level_first", "sent"),
            "rousseau": ("l10n_fr_dunning.level_first", "sent"),
            "tilleuls": ("l10n_fr_dunning.level_second", "sent"),
            "moreau": ("l10n_fr_dunning.level_third", "to_send"),
            "vieuxport": ("l10n_fr_dunning.level_formal_notice", "to_send"),
            "lefevre": ("l10n_fr_dunning.level_litigation", "to_send"),
            "mairie": ("l10n_fr_dunning.level_formal_notice", "to_send"),
            "garnier": ("l10n_fr_dunning.level_formal_notice", "to_send"),
            "giraud": ("l10n_fr_dunning.level_formal_notice", "to_send"),
            "bernard": ("l10n_fr_dunning.level_third", "to_send"),
            "hotel": ("l10n_fr_dunning.level_first", "to_send"),
            "chevalier": ("l10n_fr_dunning.level_second", "sent"),
        }
        # Each customer climbs its own policy's ladder (levels in the same places as the professional one).
        policies = {
            "rousseau": "policy_consumer",
            "garnier": "policy_consumer",
            "mairie": "policy_public",
            "hotel": "policy_key_account",
        }
        for key, (level_xml_id, state) in expected.items():
            reminder = self.reminder_today(key)
            policy = self.env.ref(f"l10n_fr_dunning.{policies.get(key, 'policy_professional')}")
            self.assertEqual(reminder.policy_id, policy, key)
            self.assertEqual(reminder.level_id.sequence, self.env.ref(level_xml_id).sequence, key)
            self.assertEqual(reminder.state, state, key)
        self.assertEqual(self.reminder_today("hotel").amount_residual, 14880.0, "12,400 + 20 % VAT")

    def test_reminder_contact_is_the_invoice_address(self):
        customer = self.customer("tilleuls")
        invoice_address = customer.child_ids.filtered(lambda child: child.type == "invoice")
        self.assertEqual(self.reminder_today("tilleuls").contact_id, invoice_address)

    def test_past_formal_notice_was_received(self):
        notice = self.env["l10n_fr_dunning.reminder"].search(
            [
                ("partner_id", "=", self.customer("lefevre").id),
                ("is_formal_notice", "=", True),
            ]
        )
        self.assertEqual(notice.state, "sent")
        self.assertTrue(notice.lrar_tracking_number and notice.lrar_date_posted and notice.lrar_date_acknowledged)
        self.assertTrue(self.invoices("lefevre").dunning_formal_notice_date)

    def test_consumer_without_email_fails_visibly(self):
        reminder = self.reminder_today("lambert")
        self.assertFalse(self.customer("lambert").email)
        self.assertEqual(reminder.state, "failed")
        self.assertTrue(reminder.failure_reason)

    def test_held_back_customers_get_no_reminder(self):
        for key in ("rhenane", "tabledanne", "parc", "librairie", "fleurs", "petit", "verrier"):
            self.assertFalse(self.reminder_today(key), key)
        self.assertTrue(self.invoices("rhenane").dunning_disputed)
        self.assertGreater(self.invoices("tabledanne").dunning_promise_date, self.today)
        # That promise was made on the customer page of its last reminder.
        self.assertEqual(
            self.env["l10n_fr_dunning.portal.answer"]
            .search([("partner_id", "=", self.invoices("tabledanne").commercial_partner_id.id)])
            .kind,
            "promise",
        )
        self.assertEqual(self.invoices("librairie").payment_state, "paid")
        self.assertEqual(self.invoices("rousseau").payment_state, "partial")

    def test_debtors_of_every_kind_at_a_letter_stage(self):
        """The public buyer, the consumer and the instalment invoice reach a mise en demeure; the insolvent
        customer's claim born after the judgment is chased, the one born before is left to the déclaration."""
        for key in ("mairie", "garnier", "giraud", "bernard"):
            reminder = self.reminder_today(key)
            self.assertTrue(reminder.level_id.report_id, key)
            self.assertFalse(reminder.amount_error, key)
        self.assertFalse(self.reminder_today("garnier").amount_indemnity, "no 40 € from a consumer")
        self.assertTrue(self.reminder_today("mairie").amount_indemnity, "the 40 € from a public buyer")
        giraud = self.invoices("giraud")
        self.assertLess(giraud.dunning_date_due, giraud.invoice_date_due, "two instalments")
        bernard = self.customer("bernard")
        before, after = self.invoices("bernard").sorted("invoice_date")
        self.assertLess(before.invoice_date, bernard.dunning_insolvency_date)
        self.assertGreater(after.invoice_date, bernard.dunning_insolvency_date)
        self.assertEqual(self.reminder_today("bernard").line_ids.move_id, after)
        self.assertTrue(bernard.dunning_claim_declaration_deadline >= self.today)

    def test_loaded_once(self):
        invoice_count = self.env["account.move"].search_count([("move_type", "=", "out_invoice")])
        self.env["l10n_fr_dunning.demo"]._create_demo_data()
        self.assertEqual(self.env["account.move"].search_count([("move_type", "=", "out_invoice")]), invoice_count)

    def test_contentieux_customer_court_file_has_no_false_warning(self):
        """Garage Lefèvre's mise en demeure was sent and acknowledged: the court file does not say otherwise."""
        customer = self.customer("lefevre")
        wizard = (
            self.env["l10n_fr_dunning.injonction.wizard"]
            .with_context(active_model="res.partner", active_ids=customer.ids)
            .create({})
        )
        self.assertEqual(wizard.move_ids, self.invoices("lefevre"))
        problems = wizard.missing_prerequisites or ""
        self.assertNotIn("mise en demeure", problems.lower(), problems)
        # Its real competent court: an EURL in Lille goes to the Tribunal de commerce de Lille Métropole.
        self.assertEqual(wizard.court_id, self.env.ref("l10n_fr_dunning.court_tc_lille"))
        self.assertFalse(problems)
        self.assertFalse(wizard.warnings)
        court_file = self.env["l10n_fr_dunning.court.file"].browse(
            wizard.with_context(force_report_rendering=True).action_export()["res_id"]
        )
        self.assertEqual(court_file.court_name, "Tribunal de commerce de Lille Métropole")
        self.assertTrue(court_file.zip_attachment_id)

    def test_contentieux_customer_has_a_draft_hand_over_file(self):
        customer = self.customer("lefevre")
        hand_over = self.env.ref("l10n_fr_dunning.demo_collection_file_lefevre")
        self.assertEqual((hand_over.partner_id, hand_over.state, hand_over.route), (customer, "draft", "assignation"))
        self.assertEqual(hand_over.move_ids, self.invoices("lefevre"))
        self.assertFalse(any(self.invoices("lefevre").mapped("dunning_handed_over")), "a draft stops no reminder")
        self.assertTrue(customer.dunning_routes_available)
        self.assertFalse(self.customer("dupont").dunning_routes_available)

    def test_dashboard_shows_recovery_and_promises(self):
        recovered = self.env["l10n_fr_dunning.recovery.report"].search(
            [("partner_id", "=", self.customer("librairie").id)]
        )
        self.assertEqual(sum(recovered.mapped("amount_collected")), self.invoices("librairie").amount_total)
        promises = self.env["l10n_fr_dunning.promise.report"].search([("company_id", "=", self.company.id)])
        outcome = {row.partner_id.id: (row.status, row.source) for row in promises}
        self.assertEqual(outcome[self.customer("librairie").id], ("kept", "user"))
        self.assertEqual(outcome[self.customer("moreau").id], ("broken", "user"))
        self.assertEqual(outcome[self.customer("tabledanne").id], ("running", "portal"))
        self.assertTrue(self.env["l10n_fr_dunning.ageing.report"].search([("company_id", "=", self.company.id)]))

    def test_payment_plans_running_and_broken(self):
        running = self.env.ref("l10n_fr_dunning.demo_payment_plan_verrier")
        # 1 500 + 20 % = 1 800,00 in three instalments of 600,00, the first paid
        self.assertEqual(
            (running.state, running.line_ids.mapped("amount"), running.amount_paid), ("accepted", [600.0] * 3, 600.0)
        )
        broken = self.env.ref("l10n_fr_dunning.demo_payment_plan_chevalier")
        # its second monthly instalment, a month after the first paid 45 days ago
        self.assertEqual((broken.state, broken.missed_line_id), ("broken", broken.line_ids.sorted("date_due")[1]))
        self.assertTrue(broken.activity_ids)
        self.assertEqual(self.reminder_today("chevalier").payment_plan_id, broken)
