"""Hand-over files: the export (members, numbering, décompte), immutability, reminders stopped, recovery and
commission."""

import base64
import csv
import io
import zipfile
from decimal import Decimal

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import DunningTestCommon
from .test_injonction import pdf_text


@tagged("post_install", "-at_install")
class TestCollectionFile(DunningTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.accountant = cls.make_user("paul.roche", "account.group_account_user,base.group_partner_manager")
        cls.identify_parties(cls.accountant)
        cls.agency = cls.env["res.partner"].create(
            {
                "name": "Recouvra SAS",
                "is_company": True,
                "street": "1 quai Perrache",
                "zip": "69002",
                "city": "Lyon",
            }
        )
        # 1,200 € TTC due 31/03/2025, reminded on 01/04/2025; a second invoice stays out of the file.
        cls.invoice = cls.make_invoice(cls.customer_pro, 1000, "2025-03-01", "2025-03-31")
        cls.other = cls.make_invoice(cls.customer_pro, 100, "2025-03-10", "2025-04-09")

    def hand_over(self, route="collection_agency", day="2025-06-10", **values):
        with freeze_time(day):
            collection_file = (
                self.env["l10n_fr_dunning.collection.file"]
                .with_user(self.accountant)
                .with_context(force_report_rendering=True)
                .create(
                    {
                        "partner_id": self.customer_pro.id,
                        "route": route,
                        "professional_id": self.agency.id,
                        "move_ids": [Command.set(self.invoice.ids)],
                        **values,
                    }
                )
            )
            collection_file.action_hand_over()
        return collection_file

    def test_export_members_numbering_and_decompte(self):
        contract = (
            self.env["ir.attachment"]
            .with_user(self.accountant)
            .create({"name": "contrat.pdf", "raw": b"%PDF-1.4 contrat"})
        )
        with freeze_time("2025-04-01"):
            self.assertEqual(self.run_dunning("2025-04-01").line_ids.move_id, self.invoice)
        collection_file = self.hand_over(commission_percent=15, attachment_ids=[Command.set(contract.ids)])
        self.assertEqual(collection_file.state, "handed_over")
        archive = zipfile.ZipFile(io.BytesIO(collection_file.zip_attachment_id.raw))
        invoice_stem = self.invoice.name.replace("/", "-")
        self.assertEqual(
            archive.namelist(),
            [
                "synthese-du-dossier.pdf",
                f"Piece-01-Facture-{invoice_stem}.pdf",
                "Piece-02-Releve-de-compte.pdf",
                "Piece-03-contrat.pdf",
                "decompte.csv",
            ],
        )
        self.assertEqual(archive.read("Piece-03-contrat.pdf"), b"%PDF-1.4 contrat")
        # Hand computation: 1,200 € from 01/04 to 10/06/2025 = 71 days at ECB 3.15 % (1 January 2025) + 10
        # = 13.15 %: 1,200 × 13.15 % × 71 / 365 = 30.695… → 30.70 €; plus the 40 € indemnity.
        rows = list(csv.DictReader(io.StringIO(archive.read("decompte.csv").decode("utf-8-sig")), delimiter=";"))
        self.assertEqual(
            [(row["Nature"], row["Jours"], row["Montant"]) for row in rows],
            [
                ("Principal", "", "1200,00"),
                ("Pénalités de retard", "71", "30,70"),
                ("Indemnité forfaitaire pour frais de recouvrement", "", "40,00"),
            ],
        )
        self.assertEqual(collection_file.amount_handed_over, 1270.70)
        # The law engine gives the same penalties on that day.
        with freeze_time("2025-06-10"):
            self.assertEqual(
                self.invoice._dunning_interest_breakdown(self.invoice.invoice_date_due.replace(month=6, day=10)).total,
                Decimal("30.70"),
            )
        summary = pdf_text(archive.read("synthese-du-dossier.pdf"))
        for text in (
            "Synthèse du dossier de recouvrement",
            "SIREN : 732829320",
            "Boulangerie Martin SARL",
            "1re relance",
            "1 270,70 €",
            "Mandat de recouvrement amiable",
            "15,00 %",
            "R124-4",
            "Relevé de compte au 10/06/2025",
        ):
            self.assertIn(text, summary)
        self.assertEqual(
            collection_file.piece_ids.sorted("name").mapped("description")[0],
            f"Facture {self.invoice.name} du 01/03/2025, échéance 31/03/2025",
        )

    def test_lawyer_file_has_no_mandate_letter(self):
        collection_file = self.hand_over(route="assignation")
        archive = zipfile.ZipFile(io.BytesIO(collection_file.zip_attachment_id.raw))
        summary = pdf_text(archive.read("synthese-du-dossier.pdf"))
        self.assertIn("assignation en paiement", summary)
        self.assertNotIn("Mandat de recouvrement", summary)

    def test_reminders_stop_after_hand_over(self):
        with freeze_time("2025-04-01"):
            self.run_dunning("2025-04-01")
        self.hand_over(commission_percent=15)
        self.assertTrue(self.invoice.dunning_handed_over)
        self.assertFalse(self.invoice.dunning_next_date)
        with freeze_time("2025-06-15"):
            reminder = self.run_dunning("2025-06-15")
        self.assertEqual(reminder.line_ids.move_id, self.other, "the invoice handed over is not reminded")
        with freeze_time("2025-07-15"):
            self.other.button_draft()
            self.other.button_cancel()
            self.assertFalse(self.run_dunning("2025-07-15"))
            with self.assertRaises(UserError):
                self.customer_pro.action_dunning_send_next()

    def test_dry_run_and_send_next_skip_the_invoices_handed_over(self):
        self.hand_over(commission_percent=15)
        with freeze_time("2025-06-15"):
            action = self.env["l10n_fr_dunning.run"].action_run_now()
            wizard = self.env[action["res_model"]].browse(action["res_id"])
            self.assertEqual(wizard.line_ids.partner_id, self.customer_pro)
            self.assertEqual(wizard.line_ids.invoice_count, 1, "only the invoice not handed over")
            preview = self.env["l10n_fr_dunning.send.wizard"]._open_for(self.customer_pro)
            preview = self.env[preview["res_model"]].browse(preview["res_id"])
            self.assertEqual(preview.line_ids.move_id, self.other)

    def test_routes_button_from_the_mise_en_demeure(self):
        self.assertFalse(self.customer_pro.dunning_routes_available)
        for day in ("2025-04-01", "2025-04-15", "2025-04-30"):
            with freeze_time(day):
                reminder = self.run_dunning(day)
                if reminder.channel == "phone":
                    reminder.action_mark_sent()
        self.customer_pro.invalidate_recordset(["dunning_routes_available"])
        self.assertFalse(self.customer_pro.dunning_routes_available, "3e relance: not yet")
        with freeze_time("2025-05-15"):
            self.assertTrue(self.run_dunning("2025-05-15").is_formal_notice)
        self.customer_pro.invalidate_recordset(["dunning_routes_available"])
        self.assertTrue(self.customer_pro.dunning_routes_available)
        contact = self.env["res.partner"].create({"name": "Service comptable", "parent_id": self.customer_pro.id})
        self.assertTrue(contact.dunning_routes_available, "a contact of the customer shows them too")

    def test_frozen_once_handed_over(self):
        collection_file = self.hand_over(commission_percent=15)
        as_user = collection_file.with_user(self.accountant)
        for values in (
            {"route": "assignation"},
            {"commission_percent": 5},
            {"state": "draft"},
            {"move_ids": [Command.set(self.other.ids)]},
        ):
            with self.subTest(values=values), self.assertRaises(UserError):
                as_user.write(values)
        with self.assertRaises(UserError):
            as_user.unlink()
        with self.assertRaises(UserError):
            self.invoice.with_user(self.accountant).dunning_collection_file_id = False
        as_user.message_post(body="Appel de l'agence")  # the chatter stays open

    def test_recovery_and_commission(self):
        collection_file = self.hand_over(commission_percent=15)
        self.pay(self.invoice, 600, "2025-06-20")
        self.assertEqual(collection_file.amount_recovered, 600)
        self.assertEqual(collection_file.commission_amount, 90)
        self.assertIn("600,00", collection_file.recovery_lines.replace("\u202f", " ").replace(".", ","))
        with freeze_time("2025-06-25"):
            action = collection_file.with_user(self.accountant).action_create_commission_bill()
        bill = self.env["account.move"].browse(action["res_id"])
        self.assertEqual((bill.move_type, bill.state, bill.partner_id), ("in_invoice", "draft", self.agency))
        self.assertEqual(bill.amount_total, 90)
        with self.assertRaises(UserError):
            collection_file.action_create_commission_bill()
        collection_file.with_user(self.accountant).action_close_recovered()
        self.assertEqual((collection_file.state, collection_file.outcome), ("closed", "recovered"))
        self.assertEqual(collection_file.amount_recovered_at_close, 600)

    def test_hand_over_needs_professional_and_commission(self):
        with self.assertRaises(UserError) as caught:
            self.env["l10n_fr_dunning.collection.file"].create(
                {
                    "partner_id": self.customer_pro.id,
                    "route": "collection_agency",
                    "move_ids": [Command.set(self.invoice.ids)],
                }
            ).action_hand_over()
        self.assertIn("professional", str(caught.exception))
        self.assertIn("commission", str(caught.exception))
        self.assertFalse(self.invoice.dunning_handed_over)

    def test_views_render_for_a_dunning_user(self):
        user = self.make_user("agent.relances", "account.group_account_invoice,l10n_fr_dunning.group_dunning_user")
        for model, view_types in (
            ("l10n_fr_dunning.collection.file", ["list", "form", "search"]),
            ("l10n_fr_dunning.route.advisor", ["form"]),
            ("l10n_fr_dunning.route", ["list"]),
        ):
            with self.subTest(model=model):
                views = self.env[model].with_user(user).get_views([(False, view_type) for view_type in view_types])
                self.assertEqual(set(views["views"]), set(view_types))
        partner_form = self.env["res.partner"].with_user(user).get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn("action_dunning_routes", partner_form)
        self.assertIn("action_dunning_hand_over", partner_form)
        action = self.customer_pro.with_user(user).action_dunning_hand_over()
        collection_file = self.env["l10n_fr_dunning.collection.file"].browse(action["res_id"])
        self.assertEqual(collection_file.move_ids, self.invoice | self.other)
        self.assertEqual(collection_file.state, "draft")

    def test_enforcement_of_an_ordonnance(self):
        """A commissaire de justice enforcing an ordonnance gets the invoices of the enforceable court file and the
        ordonnance as a piece."""
        court_file = self.env["l10n_fr_dunning.court.file"].create(
            {
                "name": "IP Boulangerie Martin",
                "partner_id": self.customer_pro.id,
                "company_id": self.company.id,
                "date": "2025-04-20",
                "court_kind": "commerce",
                "court_name": "Tribunal des activités économiques de Lyon",
                "court_address": "Lyon",
            }
        )
        self.invoice.dunning_court_file_id = court_file
        court_file.sudo().write(
            {
                "state": "enforceable",
                "filing_date": "2025-04-22",
                "ordonnance_date": "2025-05-02",
                "service_date": "2025-05-06",
                "ordonnance_scan": base64.b64encode(b"%PDF-1.4 ordonnance"),
            }
        )
        with self.assertRaises(UserError):
            self.hand_over(route="collection_agency", commission_percent=15)
        collection_file = self.hand_over(route="enforcement")
        archive = zipfile.ZipFile(io.BytesIO(collection_file.zip_attachment_id.raw))
        self.assertEqual(archive.read("Piece-02-Ordonnance.pdf"), b"%PDF-1.4 ordonnance")
        self.assertIn(
            "Ordonnance portant injonction de payer du 02/05/2025, signifiée le 06/05/2025",
            collection_file.piece_ids.mapped("description"),
        )
        collection_file.with_user(self.accountant).action_close_abandoned()
        self.assertEqual(collection_file.amount_recovered_at_close, 0)
