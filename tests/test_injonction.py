"""Injonction de payer: prerequisites, court choice, the exported court file (ZIP, requête, bordereau, décompte)."""

import base64
import csv
import io
import re
import subprocess
import zipfile
from contextlib import contextmanager
from datetime import date, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time
from lxml import etree
from pdfminer.high_level import extract_text

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL
from odoo.tools.safe_eval import safe_eval

from .common import DunningTestCommon


def french_csv(content):
    """The rows of the décompte, a French CSV (BOM, semicolons)."""
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def decimal_fr(text):
    return Decimal(text.replace(",", "."))


EXPORT_DAY = "2025-06-10"


def pdf_text(content):
    """The text of a PDF, whitespace (no-break spaces included) collapsed to single spaces."""
    return " ".join(extract_text(io.BytesIO(content)).split())


class InjonctionCase(DunningTestCommon):
    """Parties identified, helpers to dun an invoice up to its mise en demeure and to export its court file."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.accountant = cls.make_user("margaux.petit", "account.group_account_user,base.group_partner_manager")
        cls.accountant.name = "Margaux Petit"
        cls.iban = cls.identify_parties(cls.accountant)
        cls.CourtFile = cls.env["l10n_fr_dunning.court.file"]

    # ---- Helpers -------------------------------------------------------------------------------------------

    def dun_to_formal_notice(self, customer, acknowledged="2025-05-19", kind="postal", reference="1A12345678901"):
        """Invoice due 31/03/2025, reminded by the default ladder up to a mise en demeure sent on 15/05/2025
        (by registered letter ``reference``, or by the ``kind`` of proof given)."""
        invoice = self.make_invoice(customer, 1000, "2025-03-01", "2025-03-31")
        for day in ("2025-04-01", "2025-04-15", "2025-04-30", "2025-05-15"):
            with freeze_time(day):
                reminder = self.run_dunning(day)
                if reminder.channel == "lrar":
                    # The reference and posting date send the registered letter.
                    reminder.write({"lrar_kind": kind, "lrar_tracking_number": reference, "lrar_date_posted": day})
                if reminder.channel == "phone":
                    reminder.action_mark_sent()
                self.assertEqual(reminder.state, "sent")
        self.assertEqual(reminder.level_id, self.level_notice)
        attachment = self.env["ir.attachment"].create
        reminder.write(
            {
                "lrar_date_acknowledged": acknowledged,
                "lrar_posting_proof_id": attachment({"name": "depot.pdf", "raw": b"%PDF-1.4 posting proof"}).id,
                "lrar_acknowledgment_id": attachment(
                    {"name": "avis.jpg", "raw": b"\xff\xd8\xff acknowledgment", "mimetype": "image/jpeg"}
                ).id,
            }
        )
        return invoice, reminder

    def wizard(self, invoices, user=None, **values):
        return (
            self.env["l10n_fr_dunning.injonction.wizard"]
            .with_user(user or self.accountant)
            .with_context(
                active_model="account.move",
                active_ids=invoices.ids,
                force_report_rendering=True,
            )
            .create(values)
        )

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


@tagged("post_install", "-at_install")
class TestInjonction(InjonctionCase):
    # ---- Complete court files ------------------------------------------------------------------------------

    def test_professional_court_file(self):
        invoice, notice = self.dun_to_formal_notice(self.customer_pro)
        cgv = {
            "name": "Conditions générales de vente",
            "file": base64.b64encode(b"%PDF-1.4 cgv"),
            "file_name": "cgv.pdf",
        }
        court_file, archive = self.export(invoice, document_ids=[Command.create(cgv)])
        stem = invoice.name.replace("/", "-")
        self.assertEqual(
            archive.namelist(),
            [
                "requete-injonction-de-payer.pdf",
                "bordereau-des-pieces.pdf",
                f"Piece-01-Facture-{stem}.pdf",
                "Piece-02-Mise-en-demeure-2025-05-15.pdf",
                "Piece-03-Preuve-de-depot-LRAR.pdf",
                "Piece-04-Avis-de-reception-LRAR.jpg",
                "Piece-05-Historique-des-relances.pdf",
                "Piece-06-Releve-de-compte.pdf",
                "Piece-07-Conditions-generales-de-vente.pdf",
                "decompte.csv",
            ],
        )
        self.assertEqual(archive.read("Piece-07-Conditions-generales-de-vente.pdf"), b"%PDF-1.4 cgv")
        self.assertEqual(archive.read("Piece-04-Avis-de-reception-LRAR.jpg"), b"\xff\xd8\xff acknowledgment")
        self.assertTrue(archive.read("Piece-02-Mise-en-demeure-2025-05-15.pdf").startswith(b"%PDF"))
        self.assertEqual(court_file.court_kind, "commerce")
        self.assertEqual(court_file.court_name, "Tribunal des activités économiques de Lyon")
        self.assertEqual(court_file.court_id, self.env.ref("l10n_fr_dunning.court_tae_lyon"))
        self.assertEqual(court_file.procedure, "injonction")

        # Décompte: the law engine's penalties on 10/06/2025, plus 40 € for the invoice.
        breakdown = invoice._dunning_interest_breakdown(date(2025, 6, 10))
        self.assertTrue(breakdown.lines)
        self.assertAlmostEqual(court_file.amount_principal, 1200.0)
        self.assertAlmostEqual(court_file.amount_interest, float(breakdown.total))
        self.assertAlmostEqual(court_file.amount_indemnity, 40.0)
        self.assertAlmostEqual(court_file.amount_total, 1200.0 + float(breakdown.total) + 40.0)
        rows = french_csv(archive.read("decompte.csv"))
        self.assertEqual(
            [row["Nature"] for row in rows],
            ["Principal"]
            + ["Pénalités de retard"] * len(breakdown.lines)
            + ["Indemnité forfaitaire pour frais de recouvrement"],
        )
        self.assertEqual(sum(decimal_fr(row["Montant"]) for row in rows), Decimal(f"{court_file.amount_total:.2f}"))
        penalty_rows = [row for row in rows if row["Nature"] == "Pénalités de retard"]
        self.assertEqual(
            [(row["Du"], row["Au"], int(row["Jours"]), decimal_fr(row["Taux (%)"])) for row in penalty_rows],
            [
                (f"{line.date_from:%d/%m/%Y}", f"{line.date_to:%d/%m/%Y}", line.days, line.rate)
                for line in breakdown.lines
            ],
        )

        requete = pdf_text(archive.read("requete-injonction-de-payer.pdf"))
        total = " ".join(f"{court_file.amount_total:,.2f}".replace(",", " ").replace(".", ",").split())
        first = breakdown.lines[0]
        for mention in [
            "Requête en injonction de payer",
            "Cerfa n° 12946*02",
            "Tribunal des activités économiques de Lyon",
            "44 rue de Bonnel",
            # Creditor: name, form, SIREN, seat, representative (CPC 57).
            "Atelier Dupont, SAS",
            "SIREN 732 829 320",
            "8 rue de la Paix",
            "75002 Paris",
            "représentée par son représentant légal, Margaux Petit, Président",
            # Debtor: name, form, SIREN, seat.
            "Boulangerie Martin SARL, SARL",
            "SIREN 542 051 180",
            "3 rue des Lilas",
            "69003 Lyon",
            # Décompte and fondement (CPC 1407).
            f"Facture {invoice.name}",
            "Principal restant dû",
            "1 200,00 €",
            "Pénalités de retard",
            f"du {first.date_from.strftime('%d/%m/%Y')} au {first.date_to.strftime('%d/%m/%Y')}",
            f"{first.rate:.2f} %".replace(".", ","),
            "Indemnité forfaitaire pour frais de recouvrement",
            "40,00 €",
            "Total réclamé",
            f"la somme de {total} €",
            "conditions générales de vente",
            "L441-10",
            "D441-5",
            "n° 1A12345678901",
            "reçue le 19/05/2025",
            # Bordereau, request, date, signature, greffe fee.
            "Bordereau des pièces",
            "Pièce n° 1",
            f"Piece-01-Facture-{stem}.pdf",
            "Pièce n° 7",
            "Plaise à Monsieur le Président",
            "ordonnance portant injonction de payer",
            # Interest after the décompte, with its rate and start date; the CPC 1408 request.
            "outre les pénalités de retard au taux de refinancement de la BCE majoré de 10 points (soit 13,15 % l'an "
            "au semestre en cours), à compter du 11/06/2025",
            "renvoi de l'affaire devant la juridiction compétente (article 1408 du Code de procédure civile)",
            "Fait à Paris, le 10/06/2025",
            "Signature",
            "Frais de greffe",
            "35 à 38 € TTC",
        ]:
            self.assertIn(mention, requete)
        self.assertNotIn("1231-6", requete)

        # Bordereau numbering = file numbering.
        bordereau = pdf_text(archive.read("bordereau-des-pieces.pdf"))
        self.assertEqual(court_file.document_ids.mapped("number"), list(range(1, 8)))
        self.assertEqual([int(number) for number in re.findall(r"Pièce n° (\d+)", bordereau)], list(range(1, 8)))
        for document in court_file.document_ids:
            self.assertTrue(document.file_name.startswith(f"Piece-{document.number:02d}-"))
            self.assertIn(document.file_name, archive.namelist())
            self.assertIn(document.file_name, bordereau)
            self.assertIn(document.name, bordereau)
        history = pdf_text(archive.read("Piece-05-Historique-des-relances.pdf"))
        for day in ("01/04/2025", "15/04/2025", "30/04/2025", "15/05/2025"):
            self.assertIn(day, history)

        # Linked from the invoice and the customer; the invoice is at the court stage.
        self.assertEqual(invoice.dunning_court_file_id, court_file)
        self.assertEqual(court_file.move_ids, invoice)
        self.assertEqual(court_file.formal_notice_ids, notice)
        for record in (invoice, self.customer_pro, court_file):
            self.assertIn(court_file.zip_attachment_id, record.message_ids.attachment_ids)

    def test_every_document_has_the_letterhead_on_its_first_page(self):
        """Debian's wkhtmltopdf drops header documents: each document prints the company's identity in its body."""
        self.company.write({"vat": "FR44732829320", "phone": "04 72 00 00 00"})
        invoice, _notice = self.dun_to_formal_notice(self.customer_pro)
        self.assertFalse(invoice.invoice_pdf_report_id, "no stored PDF: the piece is rendered")
        _court_file, archive = self.export(invoice)
        call = invoice.dunning_line_ids.reminder_id.filtered(lambda reminder: reminder.level_id == self.level_third)
        documents = {
            name: archive.read(name) for name in archive.namelist() if name.endswith(".pdf") and "LRAR" not in name
        }  # La Poste's proofs are scans
        documents["3e relance"] = call.with_context(force_report_rendering=True)._render_letter().raw
        self.assertEqual(len(documents), 7, "requête, bordereau, invoice, mise en demeure, history, statement, letter")
        for name, content in documents.items():
            with self.subTest(document=name):
                first_page = " ".join(
                    subprocess.run(
                        ["pdftotext", "-f", "1", "-l", "1", "-layout", "-", "-"],
                        input=content,
                        capture_output=True,
                        check=True,
                    )
                    .stdout.decode()
                    .split()
                )
                for mention in (
                    "Atelier Dupont, SAS",
                    "SIREN : 732829320",
                    "N° TVA intracommunautaire : FR44732829320",
                    "8 rue de la Paix, 75002 Paris",
                    "Tél. : 04 72 00 00 00",
                    "Courriel : compta@example.fr",
                ):
                    self.assertIn(mention, first_page)
        letter = pdf_text(documents["3e relance"])
        self.assertIn("Margaux Petit pour Atelier Dupont, SAS, SIREN 732829320", letter, "the sender fully named")

    def test_consumer_court_file(self):
        invoice, _notice = self.dun_to_formal_notice(self.customer_consumer)
        with freeze_time(EXPORT_DAY):
            wizard = self.wizard(invoice)
            self.assertTrue(wizard.small_claim)
            action = wizard.action_export()
        court_file = self.CourtFile.browse(action["res_id"])
        self.assertEqual(
            (court_file.court_kind, court_file.court_name, court_file.cerfa),
            ("judiciaire", "Tribunal judiciaire de Paris", "12948*06"),
        )
        breakdown = invoice._dunning_interest_breakdown(date(2025, 6, 10))
        self.assertEqual(breakdown.lines[0].date_from, date(2025, 5, 20))  # from its receipt on 19/05
        self.assertEqual(court_file.line_ids.mapped("kind"), ["principal"] + ["legal_interest"] * len(breakdown.lines))
        self.assertAlmostEqual(court_file.amount_interest, float(breakdown.total))
        self.assertAlmostEqual(court_file.amount_indemnity, 0.0)
        self.assertAlmostEqual(court_file.amount_total, 1200.0 + float(breakdown.total))
        archive = zipfile.ZipFile(io.BytesIO(court_file.zip_attachment_id.raw))
        rows = french_csv(archive.read("decompte.csv"))
        self.assertEqual(sum(decimal_fr(row["Montant"]) for row in rows), Decimal(f"{court_file.amount_total:.2f}"))
        requete = pdf_text(archive.read("requete-injonction-de-payer.pdf"))
        for mention in [
            "Cerfa n° 12948*06",
            "Tribunal judiciaire de Paris",
            "Jeanne Durand, demeurant",
            "12 avenue Foch",
            "Intérêts au taux légal",
            "1231-6",
            "1344-1",
            "Plaise à Monsieur le Président",
        ]:
            self.assertIn(mention, requete)
        for absent in ["Frais de greffe", "D441-5", "Indemnité forfaitaire"]:
            self.assertNotIn(absent, requete)

    # ---- Prerequisites -------------------------------------------------------------------------------------

    def test_each_missing_prerequisite_is_reported(self):
        invoice, notice = self.dun_to_formal_notice(self.customer_pro)
        customer, company = self.customer_pro, self.company
        cases = [
            (
                "paid",
                lambda: self.pay(invoice, 1200, "2025-06-01"),
                f"Invoice {invoice.name} is not a posted customer invoice with an amount due",
            ),
            ("debtor street", lambda: customer.write({"street": False}), "has no street"),
            ("debtor postcode", lambda: customer.write({"zip": False}), "has no postcode"),
            ("debtor city", lambda: customer.write({"city": False}), "has no city"),
            (
                "debtor legal form",
                lambda: customer.write({"dunning_legal_form": False}),
                "The customer (Boulangerie Martin SARL) has no legal form",
            ),
            (
                "debtor SIREN",
                lambda: customer.write({"company_registry": "542051181"}),
                "The customer (Boulangerie Martin SARL) has no valid SIREN",
            ),
            (
                "creditor legal form",
                lambda: company.write({"dunning_legal_form": False}),
                "Your company (Atelier Dupont) has no legal form",
            ),
            (
                "creditor SIREN",
                lambda: company.write({"company_registry": False}),
                "Your company (Atelier Dupont) has no valid SIREN",
            ),
            (
                "creditor address",
                lambda: company.write({"street": False}),
                "Your company (Atelier Dupont) has no street",
            ),
            ("creditor IBAN", lambda: self.iban.unlink(), "Your company has no IBAN"),
            ("disputed", lambda: invoice.write({"dunning_disputed": True}), "is disputed"),
            ("promise", lambda: invoice.write({"dunning_promise_date": "2025-06-20"}), "has a payment promise"),
            (
                "court",
                lambda: customer.write({"zip": "01000", "city": "Bourg-en-Bresse"}),
                "No court found for this commune (01000 Bourg-en-Bresse) in the court list: choose the competent court",
            ),
            (
                "greffe address",
                lambda: self.env.ref("l10n_fr_dunning.court_tae_lyon").write({"address": False}),
                "Tribunal des activités économiques de Lyon has no greffe address",
            ),
        ]
        for name, break_it, expected in cases:
            with self.subTest(name), self.env.cr.savepoint() as savepoint:
                break_it()
                self.assert_refused(invoice, expected)
                savepoint.rollback()
                self.env.invalidate_all()
        with self.subTest("unjustified extra costs"):
            self.assert_refused(
                invoice, "Justify the extra recovery costs", claim_extra_costs=True, extra_costs_amount=150
            )

    @contextmanager
    def undone(self):
        """What the block writes, exports included, is rolled back and forgotten by the ORM."""
        with self.env.cr.savepoint() as savepoint:
            yield
            self.env.flush_all()
            savepoint.rollback()
        self.env.invalidate_all(flush=False)

    def force_history(self, notice, **columns):
        """Change a sent reminder as only the database still can (the ORM refuses, the history is immutable):
        data imported or made before, which the court file checks must still catch."""
        self.env.flush_all()
        tables = (
            ("l10n_fr_dunning_reminder", "id", columns),
            ("l10n_fr_dunning_reminder_line", "reminder_id", {"state": columns["state"]} if "state" in columns else {}),
        )
        for table, key, values in tables:
            if not values:
                continue
            self.env.cr.execute(
                SQL(
                    "UPDATE %s SET %s WHERE %s = %s",
                    SQL.identifier(table),
                    SQL(", ").join(SQL("%s = %s", SQL.identifier(name), value) for name, value in values.items()),
                    SQL.identifier(key),
                    notice.id,
                )
            )
        self.env.invalidate_all()
        moves = notice.line_ids.move_id
        for name in ("dunning_level_id", "dunning_formal_notice_received_date"):
            self.env.add_to_compute(moves._fields[name], moves)

    def formal_notice_cases(self, invoice, notice):
        return [
            (
                "no formal notice",
                lambda: self.force_history(notice, state="cancelled"),
                f"Invoice {invoice.name} is not covered by a mise en demeure",
            ),
            ("no tracking number", lambda: self.force_history(notice, lrar_tracking_number=None), "proof of sending"),
            ("no acknowledgment", lambda: notice.write({"lrar_date_acknowledged": False}), "acknowledgment of receipt"),
            ("returned, no first presentation", lambda: notice.write({"lrar_returned": True}), "first presented"),
            (
                "deadline running",
                lambda: notice.write({"lrar_date_acknowledged": "2025-06-06"}),
                "wait until it has passed",
            ),
        ]

    def test_formal_notice_recommended_for_a_professional(self):
        """Not required before an injonction de payer (Cass. avis 25 Sept 2025): a warning, the export goes on."""
        invoice, notice = self.dun_to_formal_notice(self.customer_pro)
        for name, break_it, expected in self.formal_notice_cases(invoice, notice):
            with self.subTest(name), self.undone():
                break_it()
                with freeze_time(EXPORT_DAY):
                    wizard = self.wizard(invoice)
                    self.assertIn(expected, wizard.warnings or "")
                    self.assertNotIn(expected, wizard.missing_prerequisites or "")
                    wizard.action_export()

    def test_formal_notice_required_for_a_consumer(self):
        """A consumer's legal interest runs only from the mise en demeure: its proof is required."""
        invoice, notice = self.dun_to_formal_notice(self.customer_consumer)
        for name, break_it, expected in self.formal_notice_cases(invoice, notice):
            with self.subTest(name), self.env.cr.savepoint() as savepoint:
                break_it()
                self.assert_refused(invoice, expected)
                savepoint.rollback()
                self.env.invalidate_all()

    def test_electronic_registered_letter_and_bailiff_act_are_proofs(self):
        for kind, reference, wording in (
            ("electronic", "LRE-2025-000123", "par lettre recommandée électronique n° LRE-2025-000123"),
            ("bailiff", "ACTE-2025-77", "par acte de commissaire de justice n° ACTE-2025-77"),
        ):
            with self.subTest(kind), self.undone():
                invoice, _notice = self.dun_to_formal_notice(self.customer_consumer, kind=kind, reference=reference)
                court_file, archive = self.export(invoice)
                self.assertIn(wording, pdf_text(archive.read("requete-injonction-de-payer.pdf")))

    def test_legal_representative_and_power_of_attorney(self):
        invoice, _notice = self.dun_to_formal_notice(self.customer_pro)
        self.company.dunning_representative_name = False
        self.assert_refused(invoice, "legal representative (name and title")
        self.company.write({"dunning_representative_name": "Paul Dupont", "dunning_representative_title": "Président"})
        self.assert_refused(invoice, "is not its legal representative (Paul Dupont): attach a power of attorney")
        court_file, archive = self.export(
            invoice, power_of_attorney=base64.b64encode(b"%PDF-1.4 pouvoir"), power_of_attorney_name="pouvoir.pdf"
        )
        requete = pdf_text(archive.read("requete-injonction-de-payer.pdf"))
        self.assertIn("représentée par son représentant légal, Paul Dupont, Président", requete)
        self.assertIn("agissant par Margaux Petit, muni d'un pouvoir", requete)
        pouvoir = court_file.document_ids.filtered(lambda document: document.file_name.endswith("-Pouvoir.pdf"))
        self.assertEqual(pouvoir.attachment_id.raw, b"%PDF-1.4 pouvoir")

    def test_everything_missing_in_one_message(self):
        invoice, notice = self.dun_to_formal_notice(self.customer_pro)
        self.customer_pro.company_registry = "123"
        self.iban.unlink()
        self.customer_pro.write({"zip": "01000", "city": "Bourg-en-Bresse"})
        message = self.assert_refused(invoice, "Your company has no IBAN")
        lines = message.splitlines()
        for expected in (
            "No court found for this commune",
            "The customer (Boulangerie Martin SARL) has no valid SIREN",
            "Your company has no IBAN",
        ):
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
        message = self.assert_refused(
            invoice, "declare it to the mandataire judiciaire within 2 months", procedure="injonction"
        )
        self.assertIn("BODACC", message)
        self.assertIn("L622-24", message)

    def test_court_choice_per_debtor(self):
        """The court comes from the court list (the debtor's commune and kind), never from the city's name."""
        Wizard = self.env["l10n_fr_dunning.injonction.wizard"]
        pro_elsewhere = self.customer_pro.copy({"zip": "33000", "city": "Bordeaux"})
        pro_le_mans = self.customer_pro.copy({"zip": "72000", "city": "Le Mans"})
        pro_avignon = self.customer_pro.copy({"zip": "84000", "city": "Avignon"})
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
                self.assertEqual(
                    (wizard.court_kind, wizard.court_id.name, wizard.court_name, wizard.cerfa),
                    (kind, court_name, court_name, cerfa),
                )
        wizard = Wizard.create({"partner_id": self.customer_consumer.id})
        wizard.court_kind = "protection"
        self.assertEqual(wizard.court_id, self.env.ref("l10n_fr_dunning.court_tj_paris"))
        self.assertEqual(wizard.court_name, "Juge des contentieux de la protection du Tribunal judiciaire de Paris")
        self.assertEqual(wizard.cerfa, "16040*01")

    def test_small_claim_note(self):
        small = self.make_invoice(self.customer_pro, 1000, "2025-03-01", "2025-03-31")
        large = self.make_invoice(self.customer_pro, 10000, "2025-03-01", "2025-03-31")
        with freeze_time(EXPORT_DAY):
            self.assertTrue(self.wizard(small).small_claim)
            self.assertFalse(self.wizard(small | large).small_claim)

    # ---- After filing --------------------------------------------------------------------------------------

    def make_court_file(self, **values):
        return self.CourtFile.create(
            {
                "name": "IP test",
                "partner_id": self.customer_pro.id,
                "company_id": self.company.id,
                "date": "2026-01-05",
                "court_kind": "commerce",
                "court_name": "Tribunal des activités économiques de Lyon",
                "court_address": "Lyon",
                **values,
            }
        )

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
        # An ordonnance of September 2026 (décret 2026-96): enforceable 2 months after service without notice
        # of opposition from the greffe, no formule exécutoire to ask for (décret 2021-1322).
        self.assertEqual(court_file.enforceable_from, date(2026, 12, 11))
        self.assertEqual(court_file.deadline, date(2026, 12, 11))
        self.assertIn("unless the greffe reports an opposition", court_file.next_step)
        self.assertNotIn("formule", court_file.next_step)
        with freeze_time("2026-12-10"), self.assertRaisesRegex(UserError, "cannot be enforced yet"):
            court_file.action_mark_enforceable()
        with freeze_time("2026-12-11"):
            court_file.action_mark_enforceable()
        self.assertEqual(court_file.state, "enforceable")
        self.assertFalse(court_file.deadline)

    def test_after_the_ordonnance_before_the_2026_reform(self):
        """Served 01/07/2026 for an ordonnance of June 2026: certificat de non-opposition after the period."""
        cases = [
            # (served in person, first act to the person, debtor's zip, country, opposition deadline)
            (True, None, "69003", "fr", date(2026, 8, 3)),  # 01/08/2026 is a Saturday → Monday 03/08
            (False, None, "69003", "fr", None),  # open until the first act to the person
            (False, "2026-07-20", "69003", "fr", date(2026, 8, 20)),
            (True, None, "97400", "fr", date(2026, 9, 1)),  # La Réunion: + 1 month (CPC 643)
            (True, None, "1000", "be", date(2026, 10, 1)),  # abroad: + 2 months
        ]
        for in_person, first_act, zip_code, country, expected in cases:
            with self.subTest(in_person=in_person, zip=zip_code):
                self.customer_pro.write({"zip": zip_code, "country_id": self.env.ref(f"base.{country}").id})
                court_file = self.make_court_file(state="filed", ordonnance_date="2026-06-10")
                court_file.action_record_ordonnance()
                court_file.write(
                    {"service_date": "2026-07-01", "served_in_person": in_person, "first_personal_act_date": first_act}
                )
                court_file.action_mark_served()
                self.assertEqual(court_file.opposition_deadline or None, expected)
                if expected:
                    self.assertEqual(court_file.enforceable_from, expected + timedelta(days=1))
                    self.assertIn("certificat de non-opposition", court_file.next_step)
                else:
                    self.assertFalse(court_file.enforceable_from)
                    self.assertIn("first act served to the debtor in person", court_file.next_step)
        self.customer_pro.write({"zip": "69003", "country_id": self.env.ref("base.fr").id})

    def test_opposition_and_rejection(self):
        court_file = self.make_court_file(state="filed", ordonnance_date="2026-06-10")
        court_file.action_record_ordonnance()
        court_file.write({"service_date": "2026-07-01"})
        court_file.action_mark_served()
        with self.assertRaisesRegex(UserError, "date the opposition was received"):
            court_file.action_record_opposition()
        court_file.write({"opposition_date": "2026-07-20", "hearing_date": "2026-10-05"})
        court_file.action_record_opposition()
        self.assertEqual((court_file.state, court_file.deadline), ("opposed", date(2026, 10, 5)))
        self.assertTrue(court_file.request_transfer_on_opposition, "CPC 1408 asked by default")
        rejected = self.make_court_file(state="filed")
        rejected.action_record_rejection()
        self.assertIn("CPC 1409", rejected.next_step)

    def test_deadline_within_15_days_filter(self):
        soon = self.make_court_file(state="filed", ordonnance_date="2026-02-15")
        later = self.make_court_file(state="filed", ordonnance_date="2026-04-01")
        (soon | later).action_record_ordonnance()
        arch = etree.fromstring(self.env.ref("l10n_fr_dunning.court_file_view_search").arch)
        domain_text = arch.xpath("//filter[@name='deadline_soon']")[0].get("domain")
        domain = safe_eval(
            domain_text,
            {
                "context_today": lambda: date(2026, 8, 5),
                "relativedelta": relativedelta,
            },
        )
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
        outsider = new_test_user(
            self.env,
            login="nord.compta",
            groups="account.group_account_user",
            company_id=other_company.id,
            company_ids=[Command.set(other_company.ids)],
        )
        self.assertFalse(self.CourtFile.with_user(outsider).search([]))
        with self.assertRaises(AccessError):
            court_file.with_user(outsider).read(["name"])
