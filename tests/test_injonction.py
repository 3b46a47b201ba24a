"""Injonction de payer: prerequisites, court choice, the exported court file (ZIP, requête, bordereau, décompte)."""
import base64
import csv
import io
import re
import zipfile
from datetime import date
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time
from lxml import etree
from pdfminer.high_level import extract_text

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from .common import DunningTestCommon

EXPORT_DAY = "2025-06-10"


def pdf_text(content):
    """The text of a PDF, whitespace (no-break spaces included) collapsed to single spaces."""
    return " ".join(extract_text(io.BytesIO(content)).split())


@tagged("post_install", "-at_install")
class TestInjonction(DunningTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.accountant = cls.make_user("margaux.petit", "account.group_account_user,base.group_partner_manager")
        cls.accountant.name = "Margaux Petit"
        cls.iban = cls.identify_parties(cls.accountant)
        cls.CourtFile = cls.env["l10n_fr_dunning.court.file"]

    # ---- Helpers -------------------------------------------------------------------------------------------

    def dun_to_formal_notice(self, customer, acknowledged="2025-05-19"):
        """Invoice due 31/03/2025, reminded by the default ladder up to a mise en demeure sent on 15/05/2025."""
        invoice = self.make_invoice(customer, 1000, "2025-03-01", "2025-03-31")
        for day in ("2025-04-01", "2025-04-15", "2025-04-30", "2025-05-15"):
            with freeze_time(day):
                reminder = self.run_dunning(day)
                if reminder.channel == "lrar":
                    reminder.write({"lrar_tracking_number": "1A12345678901", "lrar_date_posted": day})
                if reminder.channel in ("phone", "lrar"):
                    reminder.action_mark_sent()
        self.assertEqual(reminder.level_id, self.level_notice)
        attachment = self.env["ir.attachment"].create
        reminder.write({
            "lrar_date_acknowledged": acknowledged,
            "lrar_posting_proof_id": attachment({"name": "depot.pdf", "raw": b"%PDF-1.4 posting proof"}).id,
            "lrar_acknowledgment_id": attachment({"name": "avis.jpg", "raw": b"\xff\xd8\xff acknowledgment",
                                                  "mimetype": "image/jpeg"}).id,
        })
        return invoice, reminder

    def wizard(self, invoices, user=None, **values):
        return self.env["l10n_fr_dunning.injonction.wizard"].with_user(user or self.accountant).with_context(
            active_model="account.move", active_ids=invoices.ids, force_report_rendering=True,
        ).create({"court_address": "Greffe, 44 rue de Bonnel, 69003 Lyon", **values})

    def export(self, invoices, **values):
        with freeze_time(EXPORT_DAY):
            action = self.wizard(invoices, **values).action_export()
        court_file = self.CourtFile.browse(action["res_id"])
        return court_file, zipfile.ZipFile(io.BytesIO(court_file.zip_attachment_id.raw))

    def assert_refused(self, invoices, expected, **values):
        """The export fails with a message containing ``expected`` and stores nothing."""
        court_files = self.CourtFile.search_count([])
        attachments = self.env["ir.attachment"].search_count([])
        with freeze_time(EXPORT_DAY), self.assertRaises(UserError) as caught:
            self.wizard(invoices, **values).action_export()
        self.assertIn(expected, caught.exception.args[0])
        self.assertEqual(self.CourtFile.search_count([]), court_files)
        self.assertEqual(self.env["ir.attachment"].search_count([]), attachments)
        self.assertFalse(invoices.dunning_court_file_id)
        return caught.exception.args[0]

    # ---- Complete court files ------------------------------------------------------------------------------

    def test_professional_court_file(self):
        invoice, notice = self.dun_to_formal_notice(self.customer_pro)
        cgv = {"name": "Conditions générales de vente", "file": base64.b64encode(b"%PDF-1.4 cgv"),
               "file_name": "cgv.pdf"}
        court_file, archive = self.export(invoice, document_ids=[Command.create(cgv)])
        stem = invoice.name.replace("/", "-")
        self.assertEqual(archive.namelist(), [
            "01-requete-injonction-de-payer.pdf",
            "02-bordereau-des-pieces.pdf",
            f"Piece-03-Facture-{stem}.pdf",
            "Piece-04-Mise-en-demeure-2025-05-15.pdf",
            "Piece-05-Preuve-de-depot-LRAR.pdf",
            "Piece-06-Avis-de-reception-LRAR.jpg",
            "Piece-07-Historique-des-relances.pdf",
            "Piece-08-Releve-de-compte.pdf",
            "Piece-09-Conditions-generales-de-vente.pdf",
            "decompte.csv",
        ])
        self.assertEqual(archive.read("Piece-09-Conditions-generales-de-vente.pdf"), b"%PDF-1.4 cgv")
        self.assertEqual(archive.read("Piece-06-Avis-de-reception-LRAR.jpg"), b"\xff\xd8\xff acknowledgment")
        self.assertTrue(archive.read("Piece-04-Mise-en-demeure-2025-05-15.pdf").startswith(b"%PDF"))
        self.assertEqual(court_file.court_kind, "commerce")
        self.assertEqual(court_file.court_name, "Tribunal des activités économiques de Lyon")

        # Décompte: the law engine's penalties on 10/06/2025, plus 40 € for the invoice.
        breakdown = invoice._dunning_interest_breakdown(date(2025, 6, 10))
        self.assertTrue(breakdown.lines)
        self.assertAlmostEqual(court_file.amount_principal, 1200.0)
        self.assertAlmostEqual(court_file.amount_interest, float(breakdown.total))
        self.assertAlmostEqual(court_file.amount_indemnity, 40.0)
        self.assertAlmostEqual(court_file.amount_total, 1200.0 + float(breakdown.total) + 40.0)
        rows = list(csv.DictReader(io.StringIO(archive.read("decompte.csv").decode()), delimiter=";"))
        self.assertEqual([row["kind"] for row in rows], ["principal"] + ["penalty"] * len(breakdown.lines) + ["indemnity"])
        self.assertEqual(sum(Decimal(row["amount"]) for row in rows), Decimal(f"{court_file.amount_total:.2f}"))
        penalty_rows = [row for row in rows if row["kind"] == "penalty"]
        self.assertEqual([(row["date_from"], row["date_to"], int(row["days"]), Decimal(row["rate"]))
                          for row in penalty_rows],
                         [(str(line.date_from), str(line.date_to), line.days, line.rate) for line in breakdown.lines])

        requete = pdf_text(archive.read("01-requete-injonction-de-payer.pdf"))
        total = " ".join(f"{court_file.amount_total:,.2f}".replace(",", " ").replace(".", ",").split())
        first = breakdown.lines[0]
        for mention in [
            "Requête en injonction de payer", "Cerfa n° 12946*02", "Tribunal des activités économiques de Lyon",
            "44 rue de Bonnel",
            # Creditor: name, form, SIREN, seat, representative (CPC 57).
            "Atelier Dupont, SAS", "SIREN 732 829 320", "8 rue de la Paix", "75002 Paris", "représentée par Margaux Petit",
            # Debtor: name, form, SIREN, seat.
            "Boulangerie Martin SARL, SARL", "SIREN 542 051 180", "3 rue des Lilas", "69003 Lyon",
            # Décompte and fondement (CPC 1407).
            f"Facture {invoice.name}", "Principal restant dû", "1 200,00 €", "Pénalités de retard",
            f"du {first.date_from.strftime('%d/%m/%Y')} au {first.date_to.strftime('%d/%m/%Y')}",
            f"{first.rate:.2f} %".replace(".", ","), "Indemnité forfaitaire pour frais de recouvrement", "40,00 €",
            "Total réclamé", f"la somme de {total} €", "conditions générales de vente", "L441-10", "D441-5",
            "n° 1A12345678901", "reçue le 19/05/2025",
            # Bordereau, request, date, signature, greffe fee.
            "Bordereau des pièces", "Pièce n° 3", f"Piece-03-Facture-{stem}.pdf", "Pièce n° 9",
            "Plaise à Monsieur le Président", "ordonnance portant injonction de payer",
            "Fait à Paris, le 10/06/2025", "Signature", "Frais de greffe", "35 à 38 € TTC",
        ]:
            self.assertIn(mention, requete)
        self.assertNotIn("1231-6", requete)

        # Bordereau numbering = file numbering.
        bordereau = pdf_text(archive.read("02-bordereau-des-pieces.pdf"))
        self.assertEqual(court_file.document_ids.mapped("number"), list(range(3, 10)))
        self.assertEqual([int(number) for number in re.findall(r"Pièce n° (\d+)", bordereau)], list(range(1, 10)))
        for document in court_file.document_ids:
            self.assertTrue(document.file_name.startswith(f"Piece-{document.number:02d}-"))
            self.assertIn(document.file_name, archive.namelist())
            self.assertIn(document.file_name, bordereau)
            self.assertIn(document.name, bordereau)
        history = pdf_text(archive.read("Piece-07-Historique-des-relances.pdf"))
        for day in ("01/04/2025", "15/04/2025", "30/04/2025", "15/05/2025"):
            self.assertIn(day, history)

        # Linked from the invoice and the customer; the invoice is at the court stage.
        self.assertEqual(invoice.dunning_court_file_id, court_file)
        self.assertEqual(court_file.move_ids, invoice)
        self.assertEqual(court_file.formal_notice_ids, notice)
        for record in (invoice, self.customer_pro, court_file):
            self.assertIn(court_file.zip_attachment_id, record.message_ids.attachment_ids)

    def test_consumer_court_file(self):
        invoice, _notice = self.dun_to_formal_notice(self.customer_consumer)
        with freeze_time(EXPORT_DAY):
            wizard = self.wizard(invoice, court_address="Parvis du Tribunal de Paris, 75017 Paris")
            self.assertTrue(wizard.small_claim)
            action = wizard.action_export()
        court_file = self.CourtFile.browse(action["res_id"])
        self.assertEqual((court_file.court_kind, court_file.court_name, court_file.cerfa),
                         ("judiciaire", "Tribunal judiciaire de Paris", "12948*06"))
        breakdown = invoice._dunning_interest_breakdown(date(2025, 6, 10))
        self.assertEqual(breakdown.lines[0].date_from, date(2025, 5, 16))  # from the mise en demeure
        self.assertEqual(court_file.line_ids.mapped("kind"), ["principal"] + ["legal_interest"] * len(breakdown.lines))
        self.assertAlmostEqual(court_file.amount_interest, float(breakdown.total))
        self.assertAlmostEqual(court_file.amount_indemnity, 0.0)
        self.assertAlmostEqual(court_file.amount_total, 1200.0 + float(breakdown.total))
        archive = zipfile.ZipFile(io.BytesIO(court_file.zip_attachment_id.raw))
        rows = list(csv.DictReader(io.StringIO(archive.read("decompte.csv").decode()), delimiter=";"))
        self.assertEqual(sum(Decimal(row["amount"]) for row in rows), Decimal(f"{court_file.amount_total:.2f}"))
        requete = pdf_text(archive.read("01-requete-injonction-de-payer.pdf"))
        for mention in ["Cerfa n° 12948*06", "Tribunal judiciaire de Paris", "Jeanne Durand, demeurant",
                        "12 avenue Foch", "Intérêts au taux légal", "1231-6", "1344-1", "Plaise à Monsieur le Président"]:
            self.assertIn(mention, requete)
        for absent in ["Frais de greffe", "D441-5", "Indemnité forfaitaire"]:
            self.assertNotIn(absent, requete)

    # ---- Prerequisites -------------------------------------------------------------------------------------

    def test_each_missing_prerequisite_is_reported(self):
        invoice, notice = self.dun_to_formal_notice(self.customer_pro)
        customer, company = self.customer_pro, self.company
        cases = [
            ("paid", lambda: self.pay(invoice, 1200, "2025-06-01"),
             f"Invoice {invoice.name} is not a posted customer invoice with an amount due"),
            ("no formal notice", lambda: notice.write({"state": "cancelled"}),
             f"Invoice {invoice.name} is not covered by a mise en demeure"),
            ("no tracking number", lambda: notice.write({"lrar_tracking_number": False}), "registered letter number"),
            ("no acknowledgment", lambda: notice.write({"lrar_date_acknowledged": False}), "acknowledgment of receipt"),
            ("returned, no first presentation", lambda: notice.write({"lrar_returned": True}), "first presented"),
            ("deadline running", lambda: notice.write({"lrar_date_acknowledged": "2025-06-06"}), "wait until it has passed"),
            ("debtor street", lambda: customer.write({"street": False}), "has no street"),
            ("debtor postcode", lambda: customer.write({"zip": False}), "has no postcode"),
            ("debtor city", lambda: customer.write({"city": False}), "has no city"),
            ("debtor legal form", lambda: customer.write({"dunning_legal_form": False}),
             "The customer (Boulangerie Martin SARL) has no legal form"),
            ("debtor SIREN", lambda: customer.write({"company_registry": "542051181"}),
             "The customer (Boulangerie Martin SARL) has no valid SIREN"),
            ("creditor legal form", lambda: company.write({"dunning_legal_form": False}),
             "Your company (Atelier Dupont) has no legal form"),
            ("creditor SIREN", lambda: company.write({"company_registry": False}),
             "Your company (Atelier Dupont) has no valid SIREN"),
            ("creditor address", lambda: company.write({"street": False}), "Your company (Atelier Dupont) has no street"),
            ("creditor IBAN", lambda: self.iban.unlink(), "Your company has no IBAN"),
            ("disputed", lambda: invoice.write({"dunning_disputed": True}), "is disputed"),
            ("promise", lambda: invoice.write({"dunning_promise_date": "2025-06-20"}), "has a payment promise"),
        ]
        for name, break_it, expected in cases:
            with self.subTest(name), self.env.cr.savepoint() as savepoint:
                break_it()
                self.assert_refused(invoice, expected)
                savepoint.rollback()
                self.env.invalidate_all()
        with self.subTest("court address"):
            self.assert_refused(invoice, "Enter the address of the court", court_address=False)
        with self.subTest("unjustified extra costs"):
            self.assert_refused(invoice, "Justify the extra recovery costs",
                                claim_extra_costs=True, extra_costs_amount=150)

    def test_everything_missing_in_one_message(self):
        invoice, notice = self.dun_to_formal_notice(self.customer_pro)
        notice.lrar_tracking_number = False
        self.customer_pro.company_registry = "123"
        self.iban.unlink()
        message = self.assert_refused(invoice, "registered letter number")
        lines = message.splitlines()
        for expected in ("registered letter number", "The customer (Boulangerie Martin SARL) has no valid SIREN",
                         "Your company has no IBAN"):
            self.assertEqual(len([line for line in lines if expected in line]), 1, expected)

    def test_prescribed_claim_refused(self):
        invoice, _notice = self.dun_to_formal_notice(self.customer_consumer)
        with freeze_time("2027-03-02"), self.assertRaises(UserError) as caught:
            self.wizard(invoice).action_export()
        self.assertIn(f"Invoice {invoice.name} is time-barred since 2027-03-01", caught.exception.args[0])
        self.assertFalse(self.CourtFile.search_count([]))

    def test_insolvent_debtor_refused(self):
        invoice, _notice = self.dun_to_formal_notice(self.customer_pro)
        self.customer_pro.write({"dunning_insolvent": True, "dunning_insolvency_date": "2025-06-02"})
        message = self.assert_refused(invoice, "declare the claim to the mandataire judiciaire within 2 months")
        self.assertIn("BODACC", message)
        self.assertIn("L622-24", message)

    def test_court_choice_per_debtor(self):
        Wizard = self.env["l10n_fr_dunning.injonction.wizard"]
        pro_elsewhere = self.customer_pro.copy({"city": "Bordeaux"})
        pro_le_mans = self.customer_pro.copy({"city": "Le Mans"})
        pro_avignon = self.customer_pro.copy({"city": "Avignon"})
        cases = [
            (self.customer_pro, "commerce", "Tribunal des activités économiques de Lyon", "12946*02"),
            (pro_elsewhere, "commerce", "Tribunal de commerce de Bordeaux", "12946*02"),
            (pro_le_mans, "commerce", "Tribunal des activités économiques du Mans", "12946*02"),
            (pro_avignon, "commerce", "Tribunal des activités économiques d'Avignon", "12946*02"),
            (self.customer_consumer, "judiciaire", "Tribunal judiciaire de Paris", "12948*06"),
        ]
        for partner, kind, court_name, cerfa in cases:
            with self.subTest(partner.city):
                wizard = Wizard.create({"partner_id": partner.id})
                self.assertEqual((wizard.court_kind, wizard.court_name, wizard.cerfa), (kind, court_name, cerfa))
        wizard = Wizard.create({"partner_id": self.customer_consumer.id})
        wizard.court_kind = "protection"
        self.assertEqual(wizard.court_name, "Juge des contentieux de la protection du Tribunal judiciaire de Paris")
        self.assertEqual(wizard.cerfa, "16040*01")
        wizard.court_name = "Tribunal judiciaire de Paris (pôle civil de proximité)"
        self.assertEqual(wizard.court_name, "Tribunal judiciaire de Paris (pôle civil de proximité)")

    def test_small_claim_note(self):
        small = self.make_invoice(self.customer_pro, 1000, "2025-03-01", "2025-03-31")
        large = self.make_invoice(self.customer_pro, 10000, "2025-03-01", "2025-03-31")
        with freeze_time(EXPORT_DAY):
            self.assertTrue(self.wizard(small).small_claim)
            self.assertFalse(self.wizard(small | large).small_claim)

    # ---- After filing --------------------------------------------------------------------------------------

    def make_court_file(self, **values):
        return self.CourtFile.create({
            "name": "IP test", "partner_id": self.customer_pro.id, "company_id": self.company.id,
            "date": "2026-01-05", "court_kind": "commerce", "court_name": "Tribunal des activités économiques de Lyon",
            "court_address": "Lyon", **values,
        })

    def test_service_and_opposition_deadlines(self):
        cases = [
            # ordonnance date, last day to serve
            ("2026-02-15", "2026-08-17"),  # 15/08/2026: Saturday and Assumption → Monday 17
            ("2026-08-31", "2027-03-01"),  # last 6-month ordonnance: 28/02/2027 is a Sunday
            ("2026-09-01", "2026-12-01"),  # décret 2026-96: 3 months from 1 September 2026
            ("2026-10-10", "2027-01-11"),  # 10/01/2027 is a Sunday
        ]
        for ordonnance_date, service_deadline in cases:
            with self.subTest(ordonnance_date):
                court_file = self.make_court_file(state="filed", ordonnance_date=ordonnance_date)
                court_file.action_record_ordonnance()
                self.assertEqual(court_file.service_deadline, date.fromisoformat(service_deadline))
                self.assertEqual(court_file.deadline, court_file.service_deadline)
        court_file = self.make_court_file()
        self.assertFalse(court_file.deadline)
        court_file.action_mark_filed()
        court_file.filing_date = "2026-09-01"
        with self.assertRaises(UserError):
            court_file.action_record_ordonnance()
        court_file.write({"ordonnance_date": "2026-09-10", "ordonnance_number": "2026/1234", "amount_granted": 1300})
        court_file.action_record_ordonnance()
        court_file.service_date = "2026-10-11"
        court_file.action_mark_served()
        # 11/11/2026 is Armistice day: the opposition period ends on Thursday 12/11/2026 (CPC 642, 1416).
        self.assertEqual(court_file.opposition_deadline, date(2026, 11, 12))
        self.assertEqual(court_file.deadline, date(2026, 11, 12))
        self.assertIn("formule exécutoire", court_file.next_step)
        court_file.action_mark_enforceable()
        self.assertFalse(court_file.deadline)

    def test_deadline_within_15_days_filter(self):
        soon = self.make_court_file(state="filed", ordonnance_date="2026-02-15")
        later = self.make_court_file(state="filed", ordonnance_date="2026-04-01")
        (soon | later).action_record_ordonnance()
        arch = etree.fromstring(self.env.ref("l10n_fr_dunning.court_file_view_search").arch)
        domain_text = arch.xpath("//filter[@name='deadline_soon']")[0].get("domain")
        domain = safe_eval(domain_text, {
            "context_today": lambda: date(2026, 8, 5), "relativedelta": relativedelta,
        })
        self.assertEqual(self.CourtFile.search(domain), soon)  # deadline 17/08/2026; the other 01/10/2026

    def test_daily_run_skips_invoices_in_a_court_file(self):
        in_court = self.make_invoice(self.customer_pro, 1000, "2025-03-01", "2025-03-31")
        control = self.make_invoice(self.customer_consumer, 500, "2025-03-01", "2025-03-31")
        in_court.dunning_court_file_id = self.make_court_file()
        with freeze_time("2025-04-01"):
            reminders = self.run_dunning("2025-04-01")
        self.assertEqual(reminders.line_ids.move_id, control)
        self.assertFalse(in_court.dunning_line_ids)

    # ---- Access --------------------------------------------------------------------------------------------

    def test_access_rights(self):
        court_file = self.make_court_file()
        invoice = self.make_invoice(self.customer_pro, 1000, "2025-03-01", "2025-03-31")
        billing = self.make_user("plain.billing", "account.group_account_invoice")
        with self.assertRaises(AccessError):
            self.wizard(invoice, user=billing)
        with self.assertRaises(AccessError):
            court_file.with_user(billing).read(["name"])
        self.assertEqual(self.CourtFile.with_user(self.accountant).search([]), court_file)

        other_company = self.setup_other_company(name="Filiale Nord")["company"]
        outsider = new_test_user(self.env, login="nord.compta", groups="account.group_account_user",
                                 company_id=other_company.id, company_ids=[Command.set(other_company.ids)])
        self.assertFalse(self.CourtFile.with_user(outsider).search([]))
        with self.assertRaises(AccessError):
            court_file.with_user(outsider).read(["name"])
