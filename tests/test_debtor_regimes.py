"""What each kind of debtor is claimed and told: instalments, consumers, public buyers, insolvency, credits,
imputation, contractual rate, missing rates and prescription (issue #10). Every amount is a hand computation:
base × rate % × days / 365, rounded to the cent per line."""

import re
from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import DunningTestCommon
from .test_letters import pdf_text

# Nothing a consumer receives may claim or cite these (CPCE L111-8).
COMMERCIAL_LAW = re.compile(r"L441|D441|Code de commerce|pénalités de retard|indemnité forfaitaire|40 €", re.I)


@tagged("post_install", "-at_install")
class TestDebtorRegimes(DunningTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.signatory = cls.make_user("claire.regimes", "account.group_account_user")
        cls.identify_parties(cls.signatory)
        cls.public_buyer = cls.env["res.partner"].create(
            {
                "name": "Commune de Villeurbanne",
                "is_company": True,
                "dunning_legal_form": "Commune",
                "street": "Place Lazare-Goujon",
                "zip": "69100",
                "city": "Villeurbanne",
                "email": "finances@villeurbanne.example",
                "country_id": cls.env.ref("base.fr").id,
            }
        )
        cls.half_30_60 = cls.env["account.payment.term"].create(
            {
                "name": "50 % à 30 jours, 50 % à 60 jours",
                "line_ids": [
                    Command.create({"value": "percent", "value_amount": 50, "nb_days": 30}),
                    Command.create({"value": "percent", "value_amount": 50, "nb_days": 60}),
                ],
            }
        )

    def make_reminder(self, partner, level, day, invoices):
        day = date.fromisoformat(day)
        return self.env["l10n_fr_dunning.reminder"].create(
            {
                "partner_id": partner.id,
                "contact_id": partner.id,
                "company_id": self.company.id,
                "level_id": level.id,
                "date": day,
                "line_ids": invoices._dunning_reminder_line_commands(invoices._dunning_amounts(day), day),
            }
        )

    def make_credit_note(self, partner, amount, day):
        refund = self.env["account.move"].create(
            {
                "move_type": "out_refund",
                "partner_id": partner.id,
                "invoice_date": day,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Avoir",
                            "quantity": 1,
                            "price_unit": amount,
                            "tax_ids": [Command.set(self.tax_20.ids)],
                        }
                    )
                ],
            }
        )
        refund.action_post()
        return refund

    def email_body(self, reminder):
        template = reminder.level_id.mail_template_id
        return str(template._generate_template(reminder.ids, ["body_html"])[reminder.id]["body_html"])

    def receive_formal_notice(self, partner, invoices, posted, received):
        notice = self.make_reminder(partner, self.level_notice, posted, invoices)
        notice.write({"lrar_tracking_number": "1A12345678901"})
        notice.action_record_lrar(date_posted=date.fromisoformat(posted))
        notice.lrar_date_acknowledged = date.fromisoformat(received)
        return notice

    # ---- Debtor kinds ----------------------------------------------------------------------------------------

    def test_default_debtor_kinds(self):
        self.assertEqual(self.customer_pro.dunning_debtor_kind, "commercial")
        self.assertEqual(self.customer_consumer.dunning_debtor_kind, "consumer")
        self.assertEqual(self.public_buyer.dunning_debtor_kind, "public")
        sci = self.env["res.partner"].create({"name": "SCI du Parc", "is_company": True, "dunning_legal_form": "SCI"})
        self.assertEqual(sci.dunning_debtor_kind, "professional")
        contact = self.env["res.partner"].create({"name": "Service financier", "parent_id": self.public_buyer.id})
        self.assertEqual(contact.dunning_debtor_kind, "public")
        sci.dunning_debtor_kind = "non_professional"
        self.assertEqual(sci.dunning_debtor_kind, "non_professional", "the user's choice stays")

    # ---- Instalments ------------------------------------------------------------------------------------------

    def test_instalments_are_late_each_from_its_own_date(self):
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer_pro.id,
                "invoice_date": "2025-07-01",
                "invoice_payment_term_id": self.half_30_60.id,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Prestation",
                            "quantity": 1,
                            "price_unit": 1000,
                            "tax_ids": [Command.set(self.tax_20.ids)],
                        }
                    )
                ],
            }
        )
        invoice.action_post()
        self.assertEqual(invoice.invoice_date_due, date(2025, 8, 30), "Odoo's due date is the last instalment")
        self.assertEqual(invoice.dunning_date_due, date(2025, 7, 31))
        amounts = invoice._dunning_amounts(date(2025, 10, 29))[invoice.id]
        # 600 × 12.15 % × 90/365 (1 Aug–29 Oct) = 17.975 → 17.98; 600 × 12.15 % × 60/365 (31 Aug–29 Oct) = 11.98
        self.assertEqual(amounts.penalty, 29.96)
        self.assertEqual(amounts.indemnity, 40.0, "the 40 € stays per invoice")
        # The 1re relance comes the day after the FIRST instalment, and says which instalments are late.
        reminder = self.run_dunning("2025-08-01")
        self.assertEqual(reminder.line_ids.move_id, invoice)
        self.assertEqual(reminder.line_ids.days_late, 1)
        self.assertEqual(reminder.line_ids.late_instalments, "31/07/2025")
        self.assertIn("échéances échues : 31/07/2025", self.email_body(reminder))

        # 600 paid on 10 Aug settles the first instalment in the accounts; the interest comes first (1343-1).
        self.pay(invoice, 600, "2025-08-10")
        first_line = invoice.line_ids.filtered(lambda line: line.date_maturity == date(2025, 7, 31))
        self.assertTrue(first_line.reconciled)
        self.assertEqual(invoice.dunning_date_due, date(2025, 8, 30))
        amounts = invoice._dunning_amounts(date(2025, 10, 29))[invoice.id]
        # 1st: 1–9 Aug 600 × 12.15 % × 9/365 = 1.798 → 1.80, paid first; 1.80 of principal left:
        #      10 Aug–29 Oct 1.80 × 12.15 % × 81/365 = 0.049 → 0.05.  2nd: 11.98 as above.
        # Interest 1.80 + 0.05 + 11.98 = 13.83, of which 1.80 paid: 12.03 due; principal 600 + 1.80 = 601.80.
        self.assertAlmostEqual(amounts.penalty, 12.03, places=2)
        self.assertAlmostEqual(amounts.principal, 601.80, places=2)
        self.company.dunning_imputation = "principal_first"
        amounts = invoice._dunning_amounts(date(2025, 10, 29))[invoice.id]
        # Principal first: 1.80 (1–9 Aug) + 11.98 = 13.78, principal 600.
        self.assertAlmostEqual(amounts.penalty, 13.78, places=2)
        self.assertAlmostEqual(amounts.principal, 600.0, places=2)

    # ---- Consumers ------------------------------------------------------------------------------------------

    def test_consumer_interest_from_the_receipt_of_the_formal_notice(self):
        invoice = self.make_invoice(self.customer_consumer, 500, "2025-05-01", "2025-05-31")
        amounts = invoice._dunning_amounts(date(2025, 7, 15))[invoice.id]
        self.assertEqual((amounts.penalty, amounts.indemnity), (0.0, 0.0))
        self.receive_formal_notice(self.customer_consumer, invoice, "2025-07-15", "2025-07-17")
        self.assertEqual(invoice.dunning_formal_notice_received_date, date(2025, 7, 17))
        amounts = invoice._dunning_amounts(date(2025, 8, 16))[invoice.id]
        # 18 Jul–16 Aug = 30 days at the taux légal "autres cas" of 2025 S2, 2.76 %: 600 × 2.76 % × 30/365 = 1.361
        self.assertEqual(amounts.penalty, 1.36)
        self.assertEqual(amounts.indemnity, 0.0)

    def test_nothing_a_consumer_receives_cites_commercial_law(self):
        """Every email and letter of every level, for a consumer and a non-professional, rendered for real."""
        non_professional = self.env["res.partner"].create(
            {
                "name": "Association des Amis du Musée",
                "is_company": True,
                "dunning_debtor_kind": "non_professional",
                "email": "tresorier@amis-musee.example",
                "street": "1 place du Musée",
                "zip": "69001",
                "city": "Lyon",
            }
        )
        self.assertTrue(self.level_second.recall_penalties, "the firmest emails are checked too")
        for customer in (self.customer_consumer, non_professional):
            invoice = self.make_invoice(customer, 500, "2025-05-01", "2025-05-31")
            self.receive_formal_notice(customer, invoice, "2025-07-15", "2025-07-17")
            for level in self.ladder:
                reminder = self.make_reminder(customer, level, "2025-08-16", invoice)
                self.assertTrue(reminder.amount_penalty, "legal interest runs: its column is shown")
                texts = []
                if level.mail_template_id:
                    texts.append(self.email_body(reminder))
                if level.report_id:
                    texts.append(pdf_text(reminder.with_context(force_report_rendering=True)._render_letter().raw))
                for text in texts:
                    found = COMMERCIAL_LAW.search(text)
                    self.assertFalse(found, f"{customer.name}, {level.name}: {found}")
                    if level.recall_penalties:
                        self.assertIn("Intérêts au taux légal", text)
                reminder.action_cancel()
                self.env.flush_all()
        statement = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("l10n_fr_dunning.action_report_statement", self.customer_consumer.ids)[0]
        )
        self.assertFalse(COMMERCIAL_LAW.search(pdf_text(statement)))
        # The same texts for a professional do cite them: the check above can fail.
        pro_invoice = self.make_invoice(self.customer_pro, 500, "2025-05-01", "2025-05-31")
        pro_second = self.make_reminder(self.customer_pro, self.level_second, "2025-06-15", pro_invoice)
        self.assertTrue(COMMERCIAL_LAW.search(self.email_body(pro_second)))
        pro_third = self.make_reminder(self.customer_pro, self.level_third, "2025-06-30", pro_invoice)
        self.assertIn("L441-10", pdf_text(pro_third.with_context(force_report_rendering=True)._render_letter().raw))

    def test_amounts_per_debtor_kind(self):
        """1000 + 20 % VAT due 15/06/2025, computed to 20/07/2025; then 600 paid on 1 July (interest first)."""
        cases = {
            # kind: (penalty, indemnity) without payment; (penalty, principal) after the payment
            # ECB + 10: 1200 × 13.15 % × 15/365 = 6.48 (16–30 Jun) + 1200 × 12.15 % × 20/365 = 7.99 (1–20 Jul)
            # after 600 on 1 Jul: 6.48 paid first, principal 606.48 × 12.15 % × 20/365 = 4.04
            "commercial": ((14.47, 40.0), (4.04, 606.48)),
            "professional": ((14.47, 40.0), (4.04, 606.48)),
            # no mise en demeure: nothing runs, no 40 €
            "consumer": ((0.0, 0.0), (0.0, 600.0)),
            "non_professional": ((0.0, 0.0), (0.0, 600.0)),
            # ECB 1 Jan 2025 + 8 = 11.15 % fixed: 1200 × 11.15 % × 15/365 = 5.50 + × 20/365 = 7.33;
            # after 600 on 1 Jul: 5.50 paid first, 605.50 × 11.15 % × 20/365 = 3.70
            "public": ((12.83, 40.0), (3.70, 605.50)),
        }
        for kind, (unpaid, paid) in cases.items():
            with self.subTest(kind=kind):
                customer = self.env["res.partner"].create({"name": f"Client {kind}", "dunning_debtor_kind": kind})
                invoice = self.make_invoice(customer, 1000, "2025-05-16", "2025-06-15")
                amounts = invoice._dunning_amounts(date(2025, 7, 20))[invoice.id]
                self.assertEqual((round(amounts.penalty, 2), amounts.indemnity), unpaid)
                self.pay(invoice, 600, "2025-07-01")
                amounts = invoice._dunning_amounts(date(2025, 7, 20))[invoice.id]
                self.assertEqual((round(amounts.penalty, 2), round(amounts.principal, 2)), paid)

    # ---- Public buyers ---------------------------------------------------------------------------------------

    def test_public_buyer_moratorium_interest_and_no_injonction(self):
        invoice = self.make_invoice(self.public_buyer, 5000, "2025-05-16", "2025-06-15")
        amounts = invoice._dunning_amounts(date(2025, 7, 20))[invoice.id]
        # ECB in force on 1 Jan 2025 (3.15 %) + 8 = 11.15 %, kept after 1 July:
        # 6000 × 11.15 % × 15/365 = 27.493 → 27.49; 6000 × 11.15 % × 20/365 = 36.658 → 36.66
        self.assertEqual(amounts.penalty, 64.15)
        self.assertEqual(amounts.indemnity, 40.0)
        self.public_buyer.dunning_contractual_rate = 20
        self.assertEqual(
            invoice._dunning_amounts(date(2025, 7, 20))[invoice.id].penalty,
            64.15,
            "a public buyer's rate is set by decree, not by the contract",
        )
        letter = self.make_reminder(self.public_buyer, self.level_third, "2025-07-20", invoice)
        text = pdf_text(letter.with_context(force_report_rendering=True)._render_letter().raw)
        self.assertIn(
            "Intérêts moratoires au taux de la BCE en vigueur au premier jour du semestre où ils ont "
            "commencé à courir, majoré de 8 points, soit 11,15 % l'an",
            text,
        )
        self.assertIn("Code de la commande publique", text)
        self.assertNotIn("L441", text)
        wizard = (
            self.env["l10n_fr_dunning.injonction.wizard"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({})
        )
        self.assertIn("public buyer", wizard.missing_prerequisites)
        self.assertIn("R541-1", wizard.missing_prerequisites)

    # ---- Insolvency -----------------------------------------------------------------------------------------

    def test_insolvency_splits_the_claims_at_the_opening_judgment(self):
        late_before = self.make_invoice(self.customer_pro, 1000, "2025-03-01", "2025-03-31")
        due_after = self.make_invoice(self.customer_pro, 1000, "2025-05-15", "2025-06-14")
        born_after = self.make_invoice(self.customer_pro, 1000, "2025-06-10", "2025-07-10")
        self.customer_pro.write(
            {"dunning_insolvent": True, "dunning_insolvency_date": "2025-06-01", "dunning_bodacc_date": "2025-06-20"}
        )
        self.assertEqual(self.customer_pro.dunning_claim_declaration_deadline, date(2025, 8, 20))
        amounts = (late_before | due_after | born_after)._dunning_amounts(date(2025, 8, 1))
        # Born and late before: interest 1 Apr–31 May (61 days) 1200 × 13.15 % × 61/365 = 26.372 → 26.37, 40 € kept
        self.assertEqual((amounts[late_before.id].penalty, amounts[late_before.id].indemnity), (26.37, 40.0))
        # Born before, due after the judgment: nothing runs, no 40 € (L441-10 II)
        self.assertEqual((amounts[due_after.id].penalty, amounts[due_after.id].indemnity), (0.0, 0.0))
        # Born after: 11 Jul–1 Aug (22 days) 1200 × 12.15 % × 22/365 = 8.788 → 8.79, and the 40 €
        self.assertEqual((amounts[born_after.id].penalty, amounts[born_after.id].indemnity), (8.79, 40.0))
        # The déclaration de créance lists the claims born before the judgment, to the day before it.
        mandataire = self.env["res.partner"].create(
            {
                "name": "SELARL Martin, mandataire judiciaire",
                "street": "2 quai Jules Courmont",
                "zip": "69002",
                "city": "Lyon",
            }
        )
        self.customer_pro.dunning_mandataire_id = mandataire
        claims = self.customer_pro._dunning_claim_declaration_lines(self.company)
        self.assertEqual([claim["move"] for claim in claims], [late_before, due_after])
        self.assertEqual(
            [(claim["due"], claim["principal"], claim["interest"], claim["indemnity"]) for claim in claims],
            [(True, 1200.0, 26.37, 40.0), (False, 1200.0, 0.0, 0.0)],
        )
        declaration = pdf_text(
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("l10n_fr_dunning.action_report_claim_declaration", self.customer_pro.ids)[0]
        )
        for mention in (
            "Déclaration de créance",
            "SELARL Martin",
            "jugement du 01/06/2025",
            "BODACC le 20/06/2025",
            late_before.name,
            due_after.name,
            "échue",
            "à échoir",
            "26,37",
            "2 466,37",
            "chirographaire",
            "sincère et véritable",
            "au plus tard le 20/08/2025",
        ):
            self.assertIn(mention, declaration)
        self.assertNotIn(born_after.name, declaration)
        # Only the claim born after the judgment is chased; the others wait for the déclaration de créance.
        reminder = self.run_dunning("2025-07-12")
        self.assertEqual(reminder.line_ids.move_id, born_after)
        self.assertFalse(any((late_before | due_after).mapped("dunning_next_date")))
        self.assertTrue(born_after.dunning_next_date)

    # ---- Credits --------------------------------------------------------------------------------------------

    def test_unallocated_credits_reduce_the_claim(self):
        self.make_invoice(self.customer_pro, 1000, "2025-03-01", "2025-03-31")
        refund = self.make_credit_note(self.customer_pro, 100, "2025-04-05")
        payment = self.env["account.payment"].create(
            {
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": self.customer_pro.id,
                "amount": 50,
                "date": "2025-04-07",
            }
        )
        payment.action_post()
        reminder = self.run_dunning("2025-04-10")
        self.assertEqual(reminder.credit_ids.move_id, refund | payment.move_id)
        self.assertEqual(reminder.amount_credit, 170.0, "120 credit note + 50 payment on account")
        # 1200 + penalties 1–10 Apr 1200 × 13.15 % × 10/365 = 4.323 → 4.32 + 40 − 170
        self.assertAlmostEqual(reminder.amount_total, 1074.32, places=2)
        self.assertIn("Avoir ou paiement non affecté", self.email_body(reminder))
        wizard = (
            self.env["l10n_fr_dunning.injonction.wizard"]
            .with_context(active_model="res.partner", active_ids=self.customer_pro.ids)
            .create({})
        )
        self.assertIn("reconcile them first", wizard.missing_prerequisites)

    def test_no_reminder_when_the_net_balance_is_not_owed(self):
        self.make_invoice(self.customer_consumer, 100, "2025-03-01", "2025-03-31")
        self.make_credit_note(self.customer_consumer, 150, "2025-03-20")
        self.assertFalse(self.run_dunning("2025-04-10"))

    # ---- Contractual rate per customer -------------------------------------------------------------------------

    def test_contractual_rate_of_the_customer(self):
        with freeze_time("2025-09-01"), self.assertRaisesRegex(ValidationError, "8.28"):
            # 3 × taux légal 2025 S2 (2.76 %) = 8.28 %
            self.customer_pro.dunning_contractual_rate = 5
        with freeze_time("2025-09-01"):
            self.customer_pro.dunning_contractual_rate = 9
        invoice = self.make_invoice(self.customer_pro, 1000, "2025-06-01", "2025-06-30")
        # 1–30 Jul: 1200 × 9 % × 30/365 = 8.877 → 8.88
        self.assertEqual(invoice._dunning_amounts(date(2025, 7, 30))[invoice.id].penalty, 8.88)
        letter = self.make_reminder(self.customer_pro, self.level_third, "2025-07-30", invoice)
        self.assertIn(
            "au taux contractuel de 9 % l'an",
            pdf_text(letter.with_context(force_report_rendering=True)._render_letter().raw),
        )

    # ---- Missing rates ----------------------------------------------------------------------------------------

    def test_a_missing_rate_is_never_claimed_as_zero(self):
        invoice = self.make_invoice(self.customer_consumer, 500, "2025-05-01", "2025-05-31")
        self.receive_formal_notice(self.customer_consumer, invoice, "2025-07-15", "2025-07-17")
        semester = self.env["l10n_fr_dunning.legal.rate"].search([("semester_start", "=", "2025-07-01")])
        values = semester.read(["semester_start", "rate_individual", "rate_other"])[0]
        semester.unlink()
        letter = self.make_reminder(self.customer_consumer, self.level_third, "2025-08-16", invoice)
        self.assertIn("2025-07-01", letter.amount_error)
        with self.assertRaisesRegex(UserError, "cannot be printed"):
            letter.with_context(force_report_rendering=True)._render_letter()
        self.assertFalse(letter.letter_attachment_id)
        email = self.make_reminder(self.customer_consumer, self.level_second, "2025-08-17", invoice)
        email._send_emails()
        self.assertEqual(email.state, "failed")
        self.assertIn("2025-07-01", email.failure_reason)
        # Once the administrator adds the rate, the letter is computed again and printed.
        self.env["l10n_fr_dunning.legal.rate"].create({key: values[key] for key in values if key != "id"})
        letter.with_context(force_report_rendering=True)._render_letter()
        self.assertFalse(letter.amount_error)
        self.assertEqual(letter.amount_penalty, 1.36)  # as in the consumer test: 600 × 2.76 % × 30/365

    # ---- Prescription -----------------------------------------------------------------------------------------

    def test_prescription_starts_again_on_payment_and_acknowledgment(self):
        invoice = self.make_invoice(self.customer_pro, 1000, "2025-03-01", "2025-03-31")
        self.assertEqual(invoice.dunning_prescription_date, date(2030, 3, 1))
        self.pay(invoice, 100, "2025-06-10")
        invoice.invalidate_recordset(["dunning_prescription_date"])
        self.assertEqual(
            invoice.dunning_prescription_date, date(2030, 6, 10), "a partial payment acknowledges the debt"
        )
        invoice.dunning_acknowledgment_date = "2026-01-15"
        self.assertEqual(invoice.dunning_prescription_date, date(2031, 1, 15))
        consumer_invoice = self.make_invoice(self.customer_consumer, 100, "2025-03-01", "2025-03-31")
        self.assertEqual(consumer_invoice.dunning_prescription_date, date(2027, 3, 1))
        public_invoice = self.make_invoice(self.public_buyer, 100, "2025-03-01", "2025-03-31")
        self.assertEqual(public_invoice.dunning_prescription_date, date(2029, 12, 31))

    # ---- Invoices paid late ------------------------------------------------------------------------------------

    def test_penalties_of_an_invoice_paid_late_are_invoiced(self):
        invoice = self.make_invoice(self.customer_pro, 1000, "2025-03-01", "2025-03-31")
        on_time = self.make_invoice(self.customer_pro, 1000, "2025-03-01", "2025-03-31")
        self.pay(invoice, 1200, "2025-04-30")
        self.pay(on_time, 1200, "2025-03-31")
        paid_late = self.env["account.move"].search([("dunning_paid_late", "=", True)])
        self.assertIn(invoice, paid_late)
        self.assertNotIn(on_time, paid_late)
        wizard = (
            self.env["l10n_fr_dunning.penalty.invoice.wizard"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({})
        )
        # Paid on 30 Apr, so late 1–29 Apr: 1200 × 13.15 % × 29/365 = 12.538 → 12.54, and the 40 €
        self.assertIn("12,54", wizard.preview)
        action = wizard.action_create_invoices()
        penalty_invoice = self.env["account.move"].search(action["domain"])
        self.assertEqual(invoice.dunning_penalty_invoice_id, penalty_invoice)
        self.assertEqual(penalty_invoice.partner_id, self.customer_pro)
        self.assertEqual(penalty_invoice.state, "draft", "reviewed before it is sent")
        self.assertEqual(penalty_invoice.invoice_line_ids.mapped("price_unit"), [12.54, 40.0])
        self.assertFalse(penalty_invoice.invoice_line_ids.tax_ids, "penalties are outside the scope of VAT")
        self.assertEqual(penalty_invoice.amount_total, 52.54)
        self.assertIn("du 01/04/2025 au 29/04/2025", penalty_invoice.invoice_line_ids[0].name)
        invoice.invalidate_recordset(["dunning_paid_late"])
        self.assertFalse(invoice.dunning_paid_late)
        self.assertNotIn(invoice, self.env["account.move"].search([("dunning_paid_late", "=", True)]))
        with self.assertRaisesRegex(UserError, "without a penalty invoice yet"):
            self.env["l10n_fr_dunning.penalty.invoice.wizard"].with_context(
                active_model="account.move", active_ids=invoice.ids
            ).create({})
