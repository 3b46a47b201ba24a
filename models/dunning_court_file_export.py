import csv
import io
import mimetypes
import re
import unicodedata
import zipfile
from datetime import timedelta
from decimal import Decimal

from odoo import api, models

from ..lib import french_law, french_words

CSV_KIND_LABELS = {
    "principal": "Principal",
    "penalty": "Pénalités de retard",
    "legal_interest": "Intérêts au taux légal",
    "interest_paid": "Paiements imputés sur les intérêts",
    "indemnity": "Indemnité forfaitaire pour frais de recouvrement",
    "extra_costs": "Frais de recouvrement supplémentaires",
}

FORMAL_NOTICE_REPORT = "l10n_fr_dunning.action_report_formal_notice"
REMINDER_LETTER_REPORT = "l10n_fr_dunning.action_report_reminder_letter"
STATEMENT_REPORT = "l10n_fr_dunning.action_report_statement"
HISTORY_REPORT = "l10n_fr_dunning.action_report_reminder_history"


def file_safe(text):
    """A name usable in a ZIP on every system: 'INV/2025/00001' → 'INV-2025-00001'."""
    plain = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "-", plain).strip("-")


class DunningCourtFileExport(models.AbstractModel):
    """What every export of a claim shares (requête, petites créances, déclaration de créance, hand-over files):
    the décompte, the numbered pieces and the ZIP stored on a record."""

    _name = "l10n_fr_dunning.court.file.export"
    _description = "Export of a claim file (décompte, pieces, ZIP)"

    # ---- Décompte ------------------------------------------------------------------------------------------

    @api.model
    def _sent_reminders(self, partner, company, moves):
        """The reminders sent to ``partner`` in ``company`` about ``moves``, oldest first."""
        return (
            self.env["l10n_fr_dunning.reminder"]
            .search(
                [
                    ("partner_id", "=", partner.id),
                    ("company_id", "=", company.id),
                    ("state", "=", "sent"),
                    ("line_ids.move_id", "in", moves.ids),
                ]
            )
            .sorted(lambda reminder: (reminder.sent_date or reminder.date, reminder.id))
        )

    @api.model
    def _decompte(self, partner, moves, today, extra_costs=0.0):
        """The elements of the claim at ``today``, per invoice (CPC 1407): principal, penalties or legal
        interest per period, the 40 € indemnity, then the extra costs; amounts are Decimals."""
        elements = []
        interest_kind = "legal_interest" if partner._dunning_regime().interest == "legal" else "penalty"
        currency = moves.company_id.currency_id[:1] or self.env.company.currency_id
        rounding = currency.decimal_places
        euro_rates = moves._dunning_euro_rates(today)
        for move in moves.filtered("dunning_active").sorted(lambda move: (move.invoice_date_due, move.id)):
            interest = move._dunning_interest_breakdown(today)
            residual = Decimal(str(round(abs(move.amount_residual_signed), rounding))) + interest.interest_paid
            elements.append(
                self._element(move, "principal", residual, date_from=move.invoice_date, date_to=move.invoice_date_due)
            )
            for line in interest.lines:
                elements.append(
                    self._element(
                        move,
                        interest_kind,
                        line.amount,
                        date_from=line.date_from,
                        date_to=line.date_to,
                        days=line.days,
                        base=line.base,
                        rate=line.rate,
                    )
                )
            if interest.interest_paid:
                elements.append(self._element(move, "interest_paid", -interest.interest_paid))
            indemnity = move._dunning_indemnity(today, euro_rates[move.company_id])
            if indemnity:
                elements.append(self._element(move, "indemnity", indemnity))
        if extra_costs > 0:
            elements.append(
                self._element(self.env["account.move"], "extra_costs", Decimal(str(round(extra_costs, rounding))))
            )
        return elements

    @api.model
    def _element(self, move, kind, amount, date_from=False, date_to=False, days=0, base=Decimal(0), rate=Decimal(0)):
        return {
            "move": move,
            "kind": kind,
            "date_from": date_from,
            "date_to": date_to,
            "days": days,
            "base": base,
            "rate": rate,
            "amount": amount,
        }

    @api.model
    def _decompte_csv(self, elements):
        """One line per element of the claim, in French (headers, dates, decimal commas, for a French spreadsheet);
        the amounts add up to the total claimed."""

        def number(value):
            return f"{value:.2f}".replace(".", ",") if value else ""

        def day(value):
            return value.strftime("%d/%m/%Y") if value else ""

        output = io.StringIO()
        writer = csv.writer(output, delimiter=";", lineterminator="\n")
        writer.writerow(["Facture", "Nature", "Du", "Au", "Jours", "Base", "Taux (%)", "Montant"])
        for element in elements:
            writer.writerow(
                [
                    element["move"].name or "",
                    CSV_KIND_LABELS[element["kind"]],
                    day(element["date_from"]),
                    day(element["date_to"]),
                    element["days"] or "",
                    number(element["base"]),
                    f"{element['rate']}".replace(".", ",") if element["rate"] else "",
                    f"{element['amount']:.2f}".replace(".", ","),
                ]
            )
        return output.getvalue().encode("utf-8-sig")

    @api.model
    def _interest_after_text(self, partner, company, day):
        """How interest runs after the décompte of ``day``, with its rate and start date (else the court may grant
        only the taux légal), in French: legal interest for a consumer, else penalties (L441-10 Code de commerce)."""
        start = french_words.format_french_date(day + timedelta(days=1))
        if partner._dunning_regime().interest == "legal":
            return f"outre les intérêts au taux de l'intérêt légal à compter du {start}"
        contractual = partner._dunning_contractual_rate(company)
        if contractual:
            return (
                f"outre les pénalités de retard au taux contractuel de "
                f"{french_words.format_french_number(contractual)} % l'an à compter du {start}"
            )
        try:
            rate = french_law.penalty_rate(day, self.env["l10n_fr_dunning.ecb.rate"].sudo()._rate_table())
        except french_law.LawError:
            rate = None
        figure = f" (soit {french_words.format_french_number(rate)} % l'an au semestre en cours)" if rate else ""
        return (
            f"outre les pénalités de retard au taux de refinancement de la BCE majoré de 10 points{figure}, "
            f"à compter du {start}"
        )

    # ---- Pieces --------------------------------------------------------------------------------------------

    @api.model
    def _render_pdf(self, report, records, data=None):
        """The PDF of ``report`` (a report or its xml id) for ``records``."""
        content, _report_type = self.env["ir.actions.report"]._render_qweb_pdf(report, records.ids, data=data)
        return content

    @api.model
    def _claim_pieces(self, court_file, today):
        """The pieces Odoo holds about the claim of ``court_file``: invoices as sent, mises en demeure with their
        proofs, letters, the reminder history and the statement; [(description, file stem, attachment or PDF)]."""
        notices = court_file.formal_notice_ids
        pieces = self._sent_pieces(court_file.move_ids, notices, court_file._sent_reminders() - notices)
        pieces.append(
            (
                "Historique des relances envoyées (dates, moyens, destinataires)",
                "Historique-des-relances",
                self._render_pdf(HISTORY_REPORT, court_file),
            )
        )
        return pieces + self._statement_pieces(court_file.partner_id, today)

    @api.model
    def _sent_pieces(self, moves, notices, reminders):
        """The invoices ``moves`` as sent, the mises en demeure ``notices`` with their proofs, then the letters
        among the other sent ``reminders``; [(description, file stem, attachment or PDF)]."""
        pieces = []
        for move in moves.sorted(lambda move: (move.invoice_date_due, move.id)):
            # The invoice as sent (its stored PDF); without one, rendered with the letterhead in the body.
            pdf = move.invoice_pdf_report_id or self.with_context(l10n_fr_dunning_body_letterhead=True)._render_pdf(
                "account.account_invoices", move
            )
            pieces.append(
                (
                    f"Facture {move.name} du {move.invoice_date.strftime('%d/%m/%Y')}, échéance "
                    f"{move.invoice_date_due.strftime('%d/%m/%Y')}",
                    f"Facture-{file_safe(move.name)}",
                    pdf,
                )
            )
        for notice in notices.sorted(lambda notice: (notice.sent_date or notice.date, notice.id)):
            sent = (notice.sent_date or notice.date).strftime("%d/%m/%Y")
            pdf = notice.letter_attachment_id or self._render_pdf(
                notice.level_id.report_id or FORMAL_NOTICE_REPORT, notice
            )
            number = notice.lrar_tracking_number
            tracking = f" (lettre recommandée n° {number})" if number else ""
            pieces.append(
                (f"Mise en demeure du {sent}{tracking}", f"Mise-en-demeure-{notice.sent_date or notice.date}", pdf)
            )
            if notice.lrar_posting_proof_id:
                pieces.append(
                    (
                        f"Preuve de dépôt de la lettre recommandée du {sent}",
                        "Preuve-de-depot-LRAR",
                        notice.lrar_posting_proof_id,
                    )
                )
            if notice.lrar_acknowledgment_id:
                pieces.append(
                    (
                        f"Avis de réception de la lettre recommandée du {sent}",
                        "Avis-de-reception-LRAR",
                        notice.lrar_acknowledgment_id,
                    )
                )
        letter_report = self.env.ref(REMINDER_LETTER_REPORT, raise_if_not_found=False)
        for reminder in reminders:
            report = reminder.level_id.report_id or letter_report
            if reminder.letter_attachment_id or (reminder.channel in ("letter", "lrar") and report):
                pdf = reminder.letter_attachment_id or self._render_pdf(report, reminder)
                pieces.append(
                    (
                        f"Lettre de relance du {(reminder.sent_date or reminder.date).strftime('%d/%m/%Y')}",
                        f"Relance-{reminder.sent_date or reminder.date}",
                        pdf,
                    )
                )
        return pieces

    @api.model
    def _statement_pieces(self, partner, today):
        """The statement of account of ``partner`` at ``today``, when the statement report is installed."""
        if not self.env.ref(STATEMENT_REPORT, raise_if_not_found=False):
            return []
        return [
            (
                f"Relevé de compte au {today.strftime('%d/%m/%Y')}",
                "Releve-de-compte",
                self._render_pdf(STATEMENT_REPORT, partner),
            )
        ]

    @api.model
    def _store_pieces(self, record, pieces):
        """Number ``pieces`` [(description, file stem, attachment or PDF bytes, added by the user)] from 1 and keep
        a copy of each on ``record``: [{number, name, file_name, attachment_id, user_added}]."""
        values = []
        for number, (description, stem, content, user_added) in enumerate(pieces, start=1):
            if isinstance(content, bytes):
                file_name = f"Piece-{number:02d}-{stem}.pdf"
                attachment = self.env["ir.attachment"].create(
                    {
                        "name": file_name,
                        "raw": content,
                        "mimetype": "application/pdf",
                        "description": description,
                        "res_model": record._name,
                        "res_id": record.id,
                    }
                )
            else:
                # The record keeps its own copy: a proof uploaded by a colleague stays readable, and what was sent
                # does not change with its source.
                file_name = f"Piece-{number:02d}-{stem}{self._extension(content.sudo())}"
                attachment = content.sudo().copy(
                    {
                        "name": file_name,
                        "res_model": record._name,
                        "res_id": record.id,
                        "res_field": False,
                        "description": description,
                    }
                )
            values.append(
                {
                    "number": number,
                    "name": description,
                    "file_name": file_name,
                    "attachment_id": attachment.id,
                    "user_added": user_added,
                }
            )
        return values

    @staticmethod
    def _extension(attachment):
        _stem, dot, extension = (attachment.name or "").rpartition(".")
        if dot and extension.isalnum() and len(extension) <= 5:
            return "." + extension.lower()
        return mimetypes.guess_extension(attachment.mimetype or "") or ""

    # ---- ZIP -----------------------------------------------------------------------------------------------

    @api.model
    def _zip_attachment(self, record, file_name, members):
        """A ZIP of ``members`` [(name in the ZIP, bytes)], in that order, attached to ``record``."""
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, content in members:
                archive.writestr(name, content)
        return self.env["ir.attachment"].create(
            {
                "name": file_name,
                "raw": buffer.getvalue(),
                "res_model": record._name,
                "res_id": record.id,
                "mimetype": "application/zip",
            }
        )
