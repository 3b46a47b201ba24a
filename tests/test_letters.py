"""Letters: real PDFs of the reminder letter, mise en demeure and statement; registered-letter proof; batch print."""

import io
import re
import subprocess
from datetime import date

from freezegun import freeze_time
from PyPDF2 import PdfFileReader

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from odoo.addons.l10n_fr_dunning.lib import french_law
from odoo.addons.l10n_fr_dunning.lib.french_words import amount_in_french_words, format_french_amount

from .common import DunningTestCommon


def pdf_text(content):
    """The text of a PDF in reading order (table rows kept together), whitespace collapsed to single spaces."""
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True).stdout
    return " ".join(re.sub(r"(?<=\w)-\n\s*", "-", text.decode()).split())


def euros(amount):
    return " ".join(format_french_amount(amount).split())


def page_count(content):
    return PdfFileReader(io.BytesIO(content)).getNumPages()


@tagged("post_install", "-at_install")
class TestLetters(DunningTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.signatory = cls.make_user("claire.lefevre", "account.group_account_user")
        cls.signatory.name = "Claire Lefèvre"
        cls.identify_parties(cls.signatory, company_siren="123456789", customer_siren="987654321")
        cls.customer_third = cls.env["res.partner"].create(
            {
                "name": "Zinc Atelier",
                "is_company": True,
                "street": "1 quai Rambaud",
                "zip": "69002",
                "city": "Lyon",
            }
        )

    def render_pdf(self, reminders):
        return reminders.with_context(force_report_rendering=True)._render_letters()

    def make_reminder(self, partner, level, day, invoices, **values):
        """A reminder as the run creates it, with the amounts the engine computes on ``day``."""
        day = date.fromisoformat(day)
        amounts = invoices._dunning_amounts(day)
        return self.env["l10n_fr_dunning.reminder"].create(
            {
                "partner_id": partner.id,
                "contact_id": partner.id,
                "company_id": self.company.id,
                "level_id": level.id,
                "date": day,
                "line_ids": invoices._dunning_reminder_line_commands(amounts, day),
                **values,
            }
        )

    def dun_until_formal_notice(self):
        """The default ladder up to the mise en demeure of 15/05/2025, earlier reminders sent."""
        invoice = self.make_invoice(self.customer_pro, 1000, "2025-03-01", "2025-03-31")
        for day in ("2025-04-01", "2025-04-15", "2025-04-30", "2025-05-15"):
            with freeze_time(day):
                reminder = self.run_dunning(day)
                if reminder.channel == "phone":
                    reminder.action_mark_sent()
        self.assertEqual(reminder.level_id, self.level_notice)
        return invoice, reminder

    # ---- Mise en demeure -----------------------------------------------------------------------------------

    def test_formal_notice_professional_mentions(self):
        invoice, notice = self.dun_until_formal_notice()
        text = pdf_text(self.render_pdf(notice).raw)
        self.assertIn("MISE EN DEMEURE", text)
        self.assertIn("Paris, le 15/05/2025", text)
        # Both parties identified, the signatory named.
        for mention in (
            "Atelier Dupont, SAS",
            "SIREN : 123456789",
            "8 rue de la Paix",
            "Claire Lefèvre",
            "Boulangerie Martin SARL, SARL",
            "SIREN : 987654321",
            "3 rue des Lilas",
        ):
            self.assertIn(mention, text)
        self.assertIn("Lettre recommandée avec accusé de réception n° ......", text)
        # The invoice, the reminders already sent with their dates.
        for mention in (invoice.name, "01/03/2025", "31/03/2025", euros(1200)):
            self.assertIn(mention, text)
        for mention in ("1re relance du 01/04/2025", "2e relance du 15/04/2025", "3e relance du 30/04/2025"):
            self.assertIn(mention, text)
        # Penalties per period, as the engine computes them, and the legal basis.
        self.assertIn("articles L441-10 et D441-5 du Code de commerce", text)
        self.assertIn("40 € par facture", text)
        breakdown = invoice._dunning_interest_breakdown(date(2025, 5, 15))
        self.assertTrue(breakdown.lines)
        self.assertEqual(notice.line_ids.amount_penalty, float(breakdown.total))
        for period in breakdown.lines:
            self.assertIn(f"du {period.date_from:%d/%m/%Y} au {period.date_to:%d/%m/%Y}", text)
            self.assertIn(euros(period.amount), text)
            self.assertIn(str(period.rate).replace(".", ",") + " %", text)
        self.assertEqual(notice.amount_total, 1200 + float(breakdown.total) + 40)
        # The total in figures and words, the deadline (8 days from receipt, earliest 23/05/2025), the consequence.
        self.assertIn(
            f"la somme totale de {euros(notice.amount_total)} ({amount_in_french_words(notice.amount_total)})", text
        )
        self.assertIn(
            "dans un délai de 8 jours à compter de la réception de la présente, "
            "délai qui expirera au plus tôt le 23/05/2025.",
            text,
        )
        self.assertNotIn("au plus tard", text, "before receipt, the letter cannot know the last day")
        self.assertIn(
            "À défaut, nous saisirons la juridiction compétente d'une requête en injonction de payer "
            "(articles 1405 et suivants du Code de procédure civile), sans autre avis",
            text,
        )
        self.assertIn("IBAN FR76 3000 6000 0112 3456 7890 189", text)

    def test_formal_notice_consumer_legal_interest_no_indemnity(self):
        invoice = self.make_invoice(self.customer_consumer, 500, "2025-05-01", "2025-05-31")
        notice = self.make_reminder(
            self.customer_consumer, self.level_notice, "2025-07-15", invoice, lrar_tracking_number="1A 123 456 7890 1"
        )
        text = pdf_text(self.render_pdf(notice).raw)
        self.assertIn("articles 1231-6 et 1344-1 du Code civil", text)
        self.assertIn("intérêts au taux légal à compter de la réception de la présente mise en demeure", text)
        self.assertNotIn("L441-10", text)
        self.assertNotIn("40 €", text)
        self.assertEqual(notice.amount_total, 600)
        self.assertIn(f"{euros(600)} (six cents euros)", text)
        self.assertIn("Lettre recommandée avec accusé de réception n° 1A12345678901", text)

    def test_formal_notice_deadline_moved_past_holiday(self):
        # 06/05/2026 + 8 days = Thursday 14/05/2026, Ascension: the deadline moves to Friday 15/05/2026 (CPC 642).
        invoice = self.make_invoice(self.customer_pro, 100, "2026-03-01", "2026-03-31")
        notice = self.make_reminder(self.customer_pro, self.level_notice, "2026-05-06", invoice)
        self.assertEqual(notice._letter_payment_deadline(), date(2026, 5, 15))
        text = pdf_text(self.render_pdf(notice).raw)
        self.assertIn("délai qui expirera au plus tôt le 15/05/2026", text)

    # ---- Registered letter ---------------------------------------------------------------------------------

    def test_lrar_number_validation(self):
        invoice = self.make_invoice(self.customer_pro, 100, "2026-03-01", "2026-03-31")
        notice = self.make_reminder(self.customer_pro, self.level_notice, "2026-05-06", invoice)
        for typed, stored in (
            ("1A 123 456 7890 1", "1A12345678901"),
            ("ab123456789", "AB123456789"),
            ("2c 1234567890123", "2C1234567890123"),
        ):
            notice.lrar_tracking_number = typed
            self.assertEqual(notice.lrar_tracking_number, stored)
        for wrong in ("RR123456789FR", "123456789012", "A1234567890", "1A12345678", "1A12345678901234"):
            with self.assertRaisesRegex(ValidationError, "1A 123 456 7890 1"):
                notice.lrar_tracking_number = wrong

    def test_lrar_sent_only_with_proof_of_posting(self):
        invoice = self.make_invoice(self.customer_pro, 100, "2026-03-01", "2026-03-31")
        notice = self.make_reminder(self.customer_pro, self.level_notice, "2026-05-06", invoice)
        with self.assertRaisesRegex(UserError, "registered letter number"):
            notice.action_mark_sent()
        notice.lrar_tracking_number = "1A12345678901"
        with self.assertRaisesRegex(UserError, "registered letter number"):
            notice.action_mark_sent()
        self.assertEqual(notice.state, "to_send")
        with freeze_time("2026-05-08"):
            notice.action_record_lrar(date_posted=date(2026, 5, 7))
        self.assertEqual(notice.state, "sent")
        self.assertEqual(notice.sent_date, date(2026, 5, 7), "a registered letter is sent the day it is posted")
        with self.assertRaisesRegex(ValidationError, "before it was posted"):
            notice.lrar_date_acknowledged = date(2026, 5, 6)

    def test_payment_deadline_from_receipt(self):
        invoice = self.make_invoice(self.customer_pro, 100, "2026-03-01", "2026-03-31")
        notice = self.make_reminder(
            self.customer_pro,
            self.level_notice,
            "2026-05-04",
            invoice,
            lrar_tracking_number="1A12345678901",
            lrar_date_posted="2026-05-04",
        )
        self.assertFalse(notice.payment_deadline)
        self.assertEqual(notice._letter_payment_deadline(), date(2026, 5, 12), "the earliest: 04/05 + 8 days")
        notice.lrar_date_acknowledged = date(2026, 5, 6)
        # 14/05/2026 is Ascension Thursday.
        self.assertEqual(notice.payment_deadline, date(2026, 5, 15))
        self.assertEqual(notice._letter_payment_deadline(), date(2026, 5, 15))
        # A letter printed once the receipt is known states the record's deadline, the same rule.
        text = pdf_text(self.render_pdf(notice).raw)
        self.assertIn(
            "à compter de la réception de la présente, reçue le 06/05/2026, soit au plus tard le 15/05/2026.", text
        )
        # Returned unclaimed: from the first presentation, 08/05 + 8 = Saturday 16/05 → Monday 18/05/2026.
        notice.write({"lrar_returned": True, "lrar_date_first_presented": "2026-05-08"})
        self.assertEqual(notice.payment_deadline, date(2026, 5, 18))
        self.assertEqual(notice.payment_deadline, french_law.deadline(date(2026, 5, 8), days=8))

    # ---- Kept letters --------------------------------------------------------------------------------------

    def test_letter_kept_and_reused_once_sent(self):
        invoice = self.make_invoice(self.customer_pro, 100, "2026-03-01", "2026-03-31")
        letter = self.make_reminder(self.customer_pro, self.level_litigation, "2026-05-06", invoice)
        attachment = letter._render_letter()
        self.assertEqual(letter.letter_attachment_id, attachment)
        self.assertEqual((attachment.res_model, attachment.res_id), (letter._name, letter.id))
        self.assertIn(b"Atelier Dupont", attachment.raw)
        self.company.name = "Atelier Dupont et Fils"
        self.assertEqual(letter._render_letter(), attachment, "a reprint before sending updates the kept letter")
        self.assertIn(b"Atelier Dupont et Fils", attachment.raw)
        letter.action_mark_sent()
        self.company.name = "Nouveau Nom"
        self.assertEqual(letter._render_letter(), attachment)
        self.assertNotIn(b"Nouveau Nom", attachment.raw, "a sent letter is printed as it was sent")

    def test_reminder_letter_content(self):
        first = self.make_invoice(self.customer_pro, 1000, "2026-01-05", "2026-02-04")
        second = self.make_invoice(self.customer_pro, 1028.80, "2026-02-01", "2026-03-03")
        letter = self.make_reminder(self.customer_pro, self.level_third, "2026-04-03", first | second)
        text = pdf_text(self.render_pdf(letter).raw)
        self.assertIn("Relance", text)
        self.assertIn("En dépit de nos relances", text, "the tone of the level")
        self.assertIn("Paris, le 03/04/2026", text)
        self.assertIn("Boulangerie Martin SARL", text)
        for line in letter.line_ids:
            for mention in (
                line.move_id.name,
                euros(line.amount_residual),
                euros(line.amount_penalty),
                str(line.days_late),
            ):
                self.assertIn(mention, text)
        self.assertIn(euros(1234.56), text, "1 028,80 € + 20 % VAT")
        self.assertIn(f"Total dû {euros(letter.amount_total)}", text)
        self.assertIn(f"Référence à rappeler avec votre paiement : {first.name}, {second.name}", text)
        self.assertIn("IBAN FR76 3000 6000 0112 3456 7890 189", text)

    def test_each_document_names_the_sender_on_its_first_page(self):
        """Debian's wkhtmltopdf drops header documents: the letter of every level with one, the statement, the
        déclaration de créance and an invoice without a stored PDF print the company's SIREN in their body."""
        invoice = self.make_invoice(self.customer_pro, 1000, "2026-01-05", "2026-02-04")
        self.assertFalse(invoice.invoice_pdf_report_id, "no stored PDF: the invoice is rendered")
        self.customer_pro.write(
            {"dunning_insolvent": True, "dunning_insolvency_date": "2026-03-02", "dunning_bodacc_date": "2026-03-10"}
        )
        report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        letter_levels = self.ladder.filtered("report_id")
        self.assertEqual(letter_levels, self.level_third | self.level_notice | self.level_litigation)
        documents = {
            level.name: self.render_pdf(self.make_reminder(self.customer_pro, level, day, invoice)).raw
            for level, day in zip(letter_levels, ("2026-04-03", "2026-04-13", "2026-04-23"), strict=True)
        }
        documents["statement"] = report._render_qweb_pdf(
            "l10n_fr_dunning.action_report_statement", self.customer_pro.ids
        )[0]
        documents["déclaration de créance"] = report._render_qweb_pdf(
            "l10n_fr_dunning.action_report_claim_declaration", self.customer_pro.ids
        )[0]
        wizard = self.env["l10n_fr_dunning.print.wizard"].with_context(force_report_rendering=True)
        documents["invoice"] = wizard._invoice_pdfs(invoice)[invoice.id]
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
                self.assertIn("Atelier Dupont, SAS", first_page)
                self.assertIn("SIREN : 123456789", first_page)

    # ---- Batch printing ------------------------------------------------------------------------------------

    def test_batch_print_one_pdf_in_customer_order(self):
        day = "2026-05-06"
        invoices = {
            partner: self.make_invoice(partner, 100 * (index + 1), "2026-03-01", "2026-03-31")
            for index, partner in enumerate((self.customer_third, self.customer_consumer, self.customer_pro))
        }
        letter_third = self.make_reminder(
            self.customer_third, self.level_litigation, day, invoices[self.customer_third]
        )
        notice = self.make_reminder(self.customer_consumer, self.level_notice, day, invoices[self.customer_consumer])
        call = self.make_reminder(self.customer_pro, self.level_third, day, invoices[self.customer_pro])
        reminders = letter_third | notice | call
        wizard = self.env["l10n_fr_dunning.print.wizard"].create(
            {
                "reminder_ids": [Command.set(reminders.ids)],
                "include_invoices": True,
            }
        )
        self.assertEqual((wizard.letter_count, wizard.registered_count), (3, 1))
        action = wizard.with_context(force_report_rendering=True).action_print()
        self.assertEqual(action["type"], "ir.actions.act_url")
        merged = self.env["ir.attachment"].browse(int(action["url"].split("/")[3].split("?")[0]))
        text = pdf_text(merged.raw)
        # By customer name: Boulangerie, Jeanne, Zinc; each letter followed by its invoice.
        order = [
            text.index("Boulangerie Martin SARL"),
            text.index(invoices[self.customer_pro].name),
            text.index("MISE EN DEMEURE"),
            text.index(invoices[self.customer_consumer].name),
            text.index("Zinc Atelier"),
            text.index(invoices[self.customer_third].name),
        ]
        self.assertEqual(order, sorted(order))
        # Each kept letter holds only its own customer (the one wkhtmltopdf run was split per letter).
        for reminder, other in ((call, "Zinc Atelier"), (letter_third, "Boulangerie Martin"), (notice, "Zinc Atelier")):
            kept = pdf_text(reminder.letter_attachment_id.raw)
            self.assertIn(reminder.partner_id.name, kept)
            self.assertNotIn(other, kept)
        letters_pages = sum(page_count(reminder.letter_attachment_id.raw) for reminder in reminders)
        self.assertGreater(page_count(merged.raw), letters_pages, "the invoices follow the letters")
        self.assertEqual(
            reminders.mapped("state"),
            ["sent", "to_send", "to_send"],
            "the registered letter waits for its proof of posting, the phone level for its call",
        )

    def test_print_refuses_level_without_letter(self):
        invoice = self.make_invoice(self.customer_pro, 100, "2026-03-01", "2026-03-31")
        email = self.make_reminder(self.customer_pro, self.level_first, "2026-04-02", invoice)
        with self.assertRaisesRegex(UserError, "has no letter"):
            email._render_letters()
        self.assertFalse(email.letter_attachment_id)

    # ---- Statement -----------------------------------------------------------------------------------------

    def test_statement_of_account(self):
        first = self.make_invoice(self.customer_pro, 1000, "2026-01-10", "2026-02-09")
        second = self.make_invoice(self.customer_pro, 500, "2026-02-10", "2026-03-12")
        self.pay(first, 300, "2026-02-20")
        refund = self.env["account.move"].create(
            {
                "move_type": "out_refund",
                "partner_id": self.customer_pro.id,
                "invoice_date": "2026-02-15",
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Avoir",
                            "quantity": 1,
                            "price_unit": 100,
                            "tax_ids": [Command.set(self.tax_20.ids)],
                        }
                    )
                ],
            }
        )
        refund.action_post()
        other = self.make_invoice(self.customer_consumer, 999, "2026-01-10")
        content, _type = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("l10n_fr_dunning.action_report_statement", self.customer_pro.ids)
        )
        text = pdf_text(content)
        self.assertIn("Relevé de compte", text)
        for mention in (first.name, second.name, refund.name, euros(900), euros(600), euros(120)):
            self.assertIn(mention, text)
        self.assertNotIn(other.name, text)
        self.assertIn(f"Solde dû {euros(1380)}", text)
        # By date, with the running balance: 900, then 900 + 600, then 1 500 - 120.
        self.assertLess(text.index(first.name), text.index(second.name))
        self.assertLess(text.index(second.name), text.index(refund.name))
        self.assertIn(f"{euros(600)} {euros(1500)}", text)
        self.assertIn(f"{euros(120)} {euros(1380)}", text)

    # ---- Access rights -------------------------------------------------------------------------------------

    def test_plain_invoicing_user_cannot_print_letters(self):
        invoice = self.make_invoice(self.customer_pro, 100, "2026-03-01", "2026-03-31")
        letter = self.make_reminder(self.customer_pro, self.level_litigation, "2026-05-06", invoice)
        clerk = self.make_user("invoicing.clerk", "account.group_account_invoice")
        with self.assertRaises(AccessError):
            letter.with_user(clerk).read(["state"])
        with self.assertRaises(AccessError):
            letter.with_user(clerk)._render_letters()
        with self.assertRaises(AccessError):
            self.env["l10n_fr_dunning.print.wizard"].with_user(clerk).create(
                {"reminder_ids": [Command.set(letter.ids)]}
            )
        accountant = self.make_user("accountant", "account.group_account_user")
        self.assertTrue(letter.with_user(accountant)._render_letters())


@tagged("post_install", "-at_install")
class TestPrintFromLists(DunningTestCommon):
    def test_print_from_invoice_and_customer_lists(self):
        """From invoices or customers, the batch print picks each customer's latest letter."""
        other = self.env["res.partner"].create({"name": "Zinc SARL", "is_company": True, "email": "z@zinc.fr"})
        invoices = self.make_invoice(self.customer_pro, 1000, "2025-03-01", "2025-03-31") | self.make_invoice(
            other, 500, "2025-03-01", "2025-03-31"
        )
        for day in ("2025-04-01", "2025-04-15", "2025-04-30"):
            self.run_dunning(day)
        Reminder = self.env["l10n_fr_dunning.reminder"]
        letters = Reminder._letters_of_customers(invoices.commercial_partner_id)
        self.assertEqual(letters.partner_id, self.customer_pro | other)
        self.assertEqual(set(letters.mapped("level_id")), {self.level_third})
        action = letters.action_print_letter()
        self.assertEqual(action["res_model"], "l10n_fr_dunning.print.wizard")
        self.assertEqual(action["context"]["default_reminder_ids"], letters.ids)
        with self.assertRaisesRegex(UserError, "has no dunning letter|None of these customers"):
            Reminder._letters_of_customers(self.customer_consumer)
