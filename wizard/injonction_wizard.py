import csv
import io
import mimetypes
import re
import unicodedata
import zipfile
from decimal import Decimal

from stdnum.fr import siren

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_amount

from ..models.dunning_court_file import CERFA_BY_COURT_KIND, COURT_KINDS

# Tribunaux de commerce renamed "tribunal des activités économiques" for the experiment of the loi 2023-1059
# of 20 November 2023 (art. 26): 12 pilot courts since 1 January 2025 (list of décret 2024-674).
ECONOMIC_ACTIVITY_COURT_CITIES = frozenset({
    "avignon", "auxerre", "le havre", "le mans", "limoges", "lyon", "marseille", "nancy", "nanterre", "paris",
    "saint nazaire", "versailles",
})
SMALL_CLAIM_LIMIT = 5000
"""Petites créances up to 5,000 € may go to a commissaire de justice instead (CPCE L125-1, R125-1)."""
ECONOMIC_JUSTICE_CONTRIBUTION_THRESHOLD = 50000
"""Claims above this before a TAE may owe the contribution pour la justice économique (loi 2023-1059 art. 27,
décret 2024-1225; uncertain thresholds, shown as a warning to check)."""

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


def _city_key(city):
    """'Saint-Nazaire' and 'SAINT NAZAIRE' give the same key."""
    plain = unicodedata.normalize("NFKD", city or "").encode("ascii", "ignore").decode()
    return " ".join(re.split(r"[\s\-']+", plain.lower())).strip()


def _of_city(city):
    """French 'de' before a city name: du Mans, du Havre, des Sables, d'Avignon, de Lyon."""
    for article, contracted in (("Le ", "du "), ("Les ", "des ")):
        if city.startswith(article):
            return contracted + city[len(article):]
    if _city_key(city)[:1] in "aeiouyh" and city:
        return "d'" + city
    return "de " + city


def _file_safe(text):
    """A name usable in a ZIP on every system: 'INV/2025/00001' → 'INV-2025-00001'."""
    plain = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "-", plain).strip("-")


class InjonctionWizard(models.TransientModel):
    """Checks the prerequisites of an injonction de payer and exports the complete court file as a ZIP."""

    _name = "l10n_fr_dunning.injonction.wizard"
    _description = "Injonction de payer: prepare the court file"
    _check_company_auto = True

    partner_id = fields.Many2one("res.partner", string="Customer", required=True, readonly=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    move_ids = fields.Many2many(
        "account.move", string="Invoices", check_company=True,
        domain="[('commercial_partner_id', '=', partner_id), ('move_type', '=', 'out_invoice'), "
        "('state', '=', 'posted'), ('company_id', '=', company_id)]",
    )
    debtor_kind = fields.Selection(related="partner_id.dunning_debtor_kind")
    court_kind = fields.Selection(
        COURT_KINDS, string="Court", compute="_compute_court_kind", store=True, readonly=False, required=True, precompute=True,
        help="Tribunal de commerce between commercial companies, tribunal judiciaire otherwise; the juge des "
        "contentieux de la protection for consumer credit and similar claims (CPC 1406).",
    )
    court_name = fields.Char(compute="_compute_court_name", store=True, readonly=False, precompute=True,
                             help="Court of the debtor's domicile or seat (CPC 1406): check it.")
    court_address = fields.Text(help="Address of the court's greffe.")
    cerfa = fields.Char(string="Cerfa mirrored", compute="_compute_cerfa")
    claim_extra_costs = fields.Boolean(
        string="Claim extra recovery costs on justification",
        help="Costs beyond the 40 € indemnity, on justification (Code de commerce L441-10 II).",
    )
    extra_costs_amount = fields.Monetary(string="Extra costs")
    extra_costs_justification = fields.Text(string="Justification of the extra costs")
    document_ids = fields.One2many("l10n_fr_dunning.injonction.wizard.document", "wizard_id", string="Other documents")
    amount_principal = fields.Monetary(string="Principal", compute="_compute_amounts")
    amount_interest = fields.Monetary(string="Penalties and interest", compute="_compute_amounts")
    amount_indemnity = fields.Monetary(string="Recovery indemnities", compute="_compute_amounts")
    amount_total = fields.Monetary(string="Total claimed", compute="_compute_amounts")
    small_claim = fields.Boolean(compute="_compute_amounts")
    missing_prerequisites = fields.Text(compute="_compute_missing_prerequisites")
    warnings = fields.Text(compute="_compute_missing_prerequisites", help="Strong recommendations; they do not block.")
    request_transfer_on_opposition = fields.Boolean(
        string="On opposition, transfer to the competent court", default=True,
        help="Cerfa 12946 asks it: on opposition, the case goes on before the competent court (CPC 1408).",
    )
    power_of_attorney = fields.Binary(
        attachment=False,
        help="The signatory is not the company's legal representative: the power of attorney is a piece.",
    )
    power_of_attorney_name = fields.Char()

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        model, active_ids = self.env.context.get("active_model"), self.env.context.get("active_ids") or []
        if model == "res.partner" and active_ids:
            partner = self.env["res.partner"].browse(active_ids).commercial_partner_id
            if len(partner) != 1:
                raise UserError(self.env._("Prepare an injonction de payer for one customer at a time."))
            moves = self.env["account.move"].search([
                ("commercial_partner_id", "=", partner.id), ("company_id", "=", self.env.company.id),
                ("dunning_active", "=", True), ("dunning_court_file_id", "=", False),
            ], order="invoice_date_due, id")
            values.update(partner_id=partner.id, company_id=self.env.company.id, move_ids=[Command.set(moves.ids)])
        elif model == "account.move" and active_ids:
            moves = self.env["account.move"].browse(active_ids)
            if len(moves.commercial_partner_id) != 1 or len(moves.company_id) != 1:
                raise UserError(self.env._("Select invoices of one customer and one company."))
            values.update(partner_id=moves.commercial_partner_id.id, company_id=moves.company_id.id,
                          move_ids=[Command.set(moves.ids)])
        return values

    @api.depends("partner_id")
    def _compute_court_kind(self):
        for wizard in self:
            court = wizard.partner_id._dunning_regime().court
            wizard.court_kind = "commerce" if court == "commerce" else "judiciaire"

    @api.depends("court_kind", "partner_id.city")
    def _compute_court_name(self):
        for wizard in self:
            city = (wizard.partner_id.city or "").strip()
            if not city:
                wizard.court_name = False
            elif wizard.court_kind == "commerce":
                label = ("Tribunal des activités économiques" if _city_key(city) in ECONOMIC_ACTIVITY_COURT_CITIES
                         else "Tribunal de commerce")
                wizard.court_name = f"{label} {_of_city(city)}"
            elif wizard.court_kind == "protection":
                wizard.court_name = f"Juge des contentieux de la protection du Tribunal judiciaire {_of_city(city)}"
            else:
                wizard.court_name = f"Tribunal judiciaire {_of_city(city)}"

    @api.depends("court_kind")
    def _compute_cerfa(self):
        for wizard in self:
            wizard.cerfa = CERFA_BY_COURT_KIND.get(wizard.court_kind, False)

    @api.depends("move_ids", "claim_extra_costs", "extra_costs_amount")
    def _compute_amounts(self):
        today = fields.Date.context_today(self)
        for wizard in self:
            try:
                elements = wizard._decompte(today)
            except UserError:
                elements = []
            totals = {kind: sum((element["amount"] for element in elements if element["kind"] in kinds), Decimal(0))
                      for kind, kinds in (("principal", ("principal",)), ("interest", ("penalty", "legal_interest", "interest_paid")),
                                          ("indemnity", ("indemnity",)))}
            total = sum((element["amount"] for element in elements), Decimal(0))
            wizard.amount_principal = float(totals["principal"])
            wizard.amount_interest = float(totals["interest"])
            wizard.amount_indemnity = float(totals["indemnity"])
            wizard.amount_total = float(total)
            wizard.small_claim = bool(elements) and total <= SMALL_CLAIM_LIMIT

    @api.depends("move_ids", "court_name", "court_address", "claim_extra_costs", "extra_costs_amount",
                 "extra_costs_justification", "document_ids.name", "document_ids.file", "power_of_attorney")
    def _compute_missing_prerequisites(self):
        today = fields.Date.context_today(self)
        for wizard in self:
            wizard.missing_prerequisites = "\n".join(wizard._missing_prerequisites(today)) or False
            wizard.warnings = "\n".join(wizard._warnings(today)) or False

    def _warnings(self, today):
        """What practice strongly recommends but the law does not require, one sentence per item."""
        self.ensure_one()
        warnings = []
        if self.partner_id._dunning_regime().interest != "legal":
            warnings += self._formal_notice_checks(today)
        if (self.court_name or "").startswith("Tribunal des activités économiques") \
                and self.amount_total > ECONOMIC_JUSTICE_CONTRIBUTION_THRESHOLD:
            warnings.append(self.env._(
                "Before a tribunal des activités économiques, a claimant with 250 employees or more may owe the "
                "contribution pour la justice économique on a claim over 50,000 € (loi 2023-1059 art. 27, "
                "décret 2024-1225): check whether it applies to you."))
        return warnings

    def _signatory(self):
        return self.company_id.dunning_user_id or self.env.user

    def _needs_power_of_attorney(self):
        """The signatory is not the company's legal representative (CPC 54 3° b): a power of attorney is needed."""
        representative = (self.company_id.dunning_representative_name or "").strip().casefold()
        return bool(representative) and representative != (self._signatory().name or "").strip().casefold()

    # ---- Prerequisites -------------------------------------------------------------------------------------

    def _formal_notices(self):
        """{invoice: its latest sent mise en demeure} for the selected invoices."""
        lines = self.env["l10n_fr_dunning.reminder.line"].search([
            ("move_id", "in", self.move_ids.ids), ("state", "=", "sent"), ("reminder_id.is_formal_notice", "=", True),
        ])
        notices = {}
        for line in lines.sorted(lambda line: (line.reminder_id.sent_date or line.date, line.reminder_id.id)):
            notices[line.move_id] = line.reminder_id
        return notices

    def _missing_prerequisites(self, today):
        """Everything that keeps the court file from being filed, one sentence per item."""
        self.ensure_one()
        problems = []
        partner, company = self.partner_id, self.company_id
        if not self.move_ids:
            problems.append(self.env._("Select at least one invoice."))
        for move in self.move_ids:
            if not move.dunning_active:
                problems.append(self.env._("Invoice %s is not a posted customer invoice with an amount due.", move.name))
            if move.commercial_partner_id != partner:
                problems.append(self.env._("Invoice %(invoice)s is not addressed to %(customer)s.",
                                  invoice=move.name, customer=partner.display_name))
            if move.dunning_court_file_id:
                problems.append(self.env._("Invoice %(invoice)s is already in the court file %(file)s.",
                                  invoice=move.name, file=move.dunning_court_file_id.name))
            if move.dunning_disputed:
                problems.append(self.env._("Invoice %s is disputed: settle the dispute first.", move.name))
            if move.dunning_promise_date and move.dunning_promise_date >= today:
                problems.append(self.env._("Invoice %(invoice)s has a payment promise until %(date)s.",
                                  invoice=move.name, date=move.dunning_promise_date))
            if move.dunning_prescription_date and move.dunning_prescription_date < today:
                problems.append(self.env._(
                    "Invoice %(invoice)s is time-barred since %(date)s (Code de commerce L110-4, "
                    "Code de la consommation L218-2): it can no longer be claimed in court.",
                    invoice=move.name, date=move.dunning_prescription_date,
                ))
        if self.partner_id._dunning_regime().interest == "legal":
            # A consumer's legal interest runs only from the mise en demeure (Code civil 1344-1).
            problems += self._formal_notice_checks(today)
        if not company.dunning_representative_name or not company.dunning_representative_title:
            problems.append(self.env._(
                "Enter your company's legal representative (name and title, e.g. Président) in the dunning "
                "settings: the requête names it (CPC 54 3° b)."))
        elif self._needs_power_of_attorney() and not self.power_of_attorney:
            problems.append(self.env._(
                "%(signatory)s signs for %(company)s but is not its legal representative (%(representative)s): "
                "attach a power of attorney.", signatory=self._signatory().name, company=company.name,
                representative=company.dunning_representative_name))
        regime = partner._dunning_regime()
        if regime.court == "administrative":
            problems.append(self.env._(
                "%s is a public buyer: an injonction de payer cannot be filed against it. Ask the administrative "
                "court's juge des référés for a provision (Code de justice administrative R541-1).",
                partner.display_name,
            ))
        for move in self.move_ids.filtered(lambda move: move._dunning_insolvency().pre_opening):
            problems.append(self.env._(
                "Invoice %(invoice)s was born before the opening of %(customer)s's insolvency proceedings "
                "(%(date)s): do not file it in court, declare it to the mandataire judiciaire within 2 months of "
                "the BODACC publication (Code de commerce L622-24, R622-24).",
                invoice=move.name, customer=partner.display_name, date=partner.dunning_insolvency_date,
            ))
        credits = self.env["l10n_fr_dunning.reminder.credit"]._open_credits(company, partner.ids).get(partner.id)
        if credits:
            problems.append(self.env._(
                "%(customer)s has credit notes or payments not reconciled with an invoice (%(documents)s): reconcile "
                "them first, the court file claims only what is owed.",
                customer=partner.display_name, documents=", ".join(credit["name"] for credit in credits),
            ))
        problems += self._identity_problems(partner, self.env._("The customer"), regime.text_variant == "professional")
        problems += self._identity_problems(company.partner_id, self.env._("Your company"), True,
                                            legal_form=company.dunning_legal_form, registry=company.company_registry)
        if not company.partner_id.bank_ids.filtered(lambda bank: bank.acc_type == "iban"):
            problems.append(self.env._("Your company has no IBAN: add a bank account to %s.", company.name))
        if not self.court_name:
            problems.append(self.env._("Enter the name of the court."))
        if not self.court_address:
            problems.append(self.env._("Enter the address of the court (its greffe)."))
        if self.claim_extra_costs:
            if not partner._dunning_regime().owes_recovery_indemnity:
                problems.append(self.env._("Recovery costs cannot be claimed from a consumer: they stay with the creditor "
                                  "(Code des procédures civiles d'exécution L111-8)."))
            if self.extra_costs_amount <= 0:
                problems.append(self.env._("Enter the amount of the extra recovery costs."))
            if not self.extra_costs_justification:
                problems.append(self.env._("Justify the extra recovery costs (Code de commerce L441-10 II)."))
        for document in self.document_ids:
            if not document.file or not document.name:
                problems.append(self.env._("Give each added document a description and a file."))
                break
        try:
            self._decompte(today)
        except UserError as error:
            problems.append(error.args[0])
        return problems

    def _formal_notice_checks(self, today):
        """What is missing in the proof of the mise en demeure: not required before an injonction de payer (Cass.
        avis 25 Sept 2025, n° 25-70.013) but expected by courts; required for a consumer's legal interest."""
        problems = []
        notices = self._formal_notices()
        for move in self.move_ids.filtered(lambda move: move not in notices):
            problems.append(self.env._("Invoice %s is not covered by a mise en demeure that was sent.", move.name))
        for notice in sorted(set(notices.values()), key=lambda notice: notice.id):
            sent = notice.sent_date or notice.date
            if not notice.lrar_tracking_number:
                problems.append(self.env._("The mise en demeure of %s has no reference of its proof of sending.", sent))
            if notice.lrar_returned and not notice.lrar_date_first_presented:
                problems.append(self.env._("The mise en demeure of %s came back unclaimed: enter the date it was first "
                                  "presented.", sent))
            elif not notice.lrar_returned and not notice.lrar_date_acknowledged:
                problems.append(self.env._("The mise en demeure of %s has no acknowledgment of receipt date.", sent))
            if notice.payment_deadline and notice.payment_deadline >= today:
                problems.append(self.env._("The payment deadline of the mise en demeure of %(sent)s runs until %(deadline)s: "
                                  "wait until it has passed.", sent=sent, deadline=notice.payment_deadline))
            if not notice.letter_attachment_id and not self.env.ref(FORMAL_NOTICE_REPORT, raise_if_not_found=False):
                problems.append(self.env._("The letter of the mise en demeure of %s cannot be produced: its PDF was not kept "
                                  "and the mise en demeure report is not installed.", sent))
        return problems

    def _identity_problems(self, partner, who, professional, legal_form=None, registry=None):
        """Identity a requête must give of each party (CPC 57, 1407): name, address, form and SIREN."""
        problems = []
        labels = {"name": self.env._("name"), "street": self.env._("street"), "zip": self.env._("postcode"), "city": self.env._("city")}
        for field_name, label in labels.items():
            if not partner[field_name]:
                problems.append(self.env._("%(who)s (%(name)s) has no %(field)s.", who=who, name=partner.display_name or "",
                                  field=label))
        if professional:
            legal_form = partner.dunning_legal_form if legal_form is None else legal_form
            registry = partner.company_registry if registry is None else registry
            if not legal_form:
                problems.append(self.env._("%(who)s (%(name)s) has no legal form (SAS, SARL…).", who=who, name=partner.name))
            if not registry or not siren.is_valid(registry):
                problems.append(self.env._("%(who)s (%(name)s) has no valid SIREN in its company registry number.",
                                  who=who, name=partner.name))
        return problems

    # ---- Décompte ------------------------------------------------------------------------------------------

    def _decompte(self, today):
        """The elements of the claim at ``today``, per invoice (CPC 1407): principal, penalties or legal
        interest per period, the 40 € indemnity, then the extra costs; amounts are Decimals."""
        elements = []
        interest_kind = "legal_interest" if self.partner_id._dunning_regime().interest == "legal" else "penalty"
        rounding = self.currency_id.decimal_places
        euro_rates = self.move_ids._dunning_euro_rates(today)
        for move in self.move_ids.filtered("dunning_active").sorted(lambda move: (move.invoice_date_due, move.id)):
            interest = move._dunning_interest_breakdown(today)
            residual = Decimal(str(round(abs(move.amount_residual_signed), rounding))) + interest.interest_paid
            elements.append({"move": move, "kind": "principal", "date_from": move.invoice_date,
                             "date_to": move.invoice_date_due, "days": 0, "base": residual, "rate": Decimal(0),
                             "amount": residual})
            for line in interest.lines:
                elements.append({"move": move, "kind": interest_kind, "date_from": line.date_from,
                                 "date_to": line.date_to, "days": line.days, "base": line.base, "rate": line.rate,
                                 "amount": line.amount})
            if interest.interest_paid:
                elements.append({"move": move, "kind": "interest_paid", "date_from": False, "date_to": False,
                                 "days": 0, "base": Decimal(0), "rate": Decimal(0), "amount": -interest.interest_paid})
            indemnity = move._dunning_indemnity(today, euro_rates[move.company_id])
            if indemnity:
                elements.append({"move": move, "kind": "indemnity", "date_from": False, "date_to": False, "days": 0,
                                 "base": Decimal(0), "rate": Decimal(0), "amount": indemnity})
        if self.claim_extra_costs and self.extra_costs_amount > 0:
            extra = Decimal(str(round(self.extra_costs_amount, rounding)))
            elements.append({"move": self.env["account.move"], "kind": "extra_costs", "date_from": False,
                             "date_to": False, "days": 0, "base": Decimal(0), "rate": Decimal(0), "amount": extra})
        return elements

    # ---- Export --------------------------------------------------------------------------------------------

    def action_export(self):
        """Check everything, then store the court file with its pieces and the ZIP for the court."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        problems = self._missing_prerequisites(today)
        if problems:
            raise UserError(self.env._("The injonction de payer cannot be prepared yet:\n%s",
                              "\n".join(f"• {problem}" for problem in problems)))
        elements = self._decompte(today)
        notices = self._formal_notices()
        court_file = self.env["l10n_fr_dunning.court.file"].create({
            "name": self.env._("Injonction de payer %(customer)s %(date)s", customer=self.partner_id.name, date=today),
            "partner_id": self.partner_id.id,
            "company_id": self.company_id.id,
            "user_id": (self.company_id.dunning_user_id or self.env.user).id,
            "date": today,
            "formal_notice_ids": [Command.set([notice.id for notice in notices.values()])],
            "court_kind": self.court_kind,
            "court_name": self.court_name,
            "court_address": self.court_address,
            "request_transfer_on_opposition": self.request_transfer_on_opposition,
            "extra_costs_justification": self.claim_extra_costs and self.extra_costs_justification,
            "line_ids": [Command.create({
                "sequence": index,
                "move_id": element["move"].id,
                "kind": element["kind"],
                "date_from": element["date_from"],
                "date_to": element["date_to"],
                "days": element["days"],
                "base": float(element["base"]),
                "rate": float(element["rate"]),
                "amount": float(element["amount"]),
            }) for index, element in enumerate(elements)],
        })
        self.move_ids.dunning_court_file_id = court_file
        self._add_pieces(court_file, today)
        archive = self.env["ir.attachment"].create({
            "name": f"Injonction-de-payer-{_file_safe(self.partner_id.name)}-{today}.zip",
            "raw": self._zip(court_file, elements),
            "res_model": court_file._name,
            "res_id": court_file.id,
            "mimetype": "application/zip",
        })
        court_file.zip_attachment_id = archive
        body = self.env._("Injonction de payer court file prepared for %(court)s: %(total)s claimed.", court=court_file.court_name,
                 total=format_amount(self.env, court_file.amount_total, court_file.currency_id))
        for record in [court_file, self.partner_id, *self.move_ids]:
            record._message_log(body=body, attachment_ids=[Command.link(archive.id)])
        return {
            "type": "ir.actions.act_window",
            "res_model": court_file._name,
            "res_id": court_file.id,
            "view_mode": "form",
        }

    def _render_pdf(self, report, records):
        """The PDF of ``report`` (a report or its xml id) for ``records``."""
        content, _report_type = self.env["ir.actions.report"]._render_qweb_pdf(report, records.ids)
        return content

    def _add_pieces(self, court_file, today):
        """The pieces of the bordereau, numbered from 1 (the requête and the bordereau are not pieces)."""
        pieces = []  # (description, file stem, attachment or rendered PDF bytes, added by the user)
        for move in self.move_ids.sorted(lambda move: (move.invoice_date_due, move.id)):
            # The invoice as sent (its stored PDF); without one, rendered with the letterhead in the body.
            pdf = move.invoice_pdf_report_id or self.with_context(l10n_fr_dunning_body_letterhead=True)._render_pdf(
                "account.account_invoices", move)
            pieces.append((f"Facture {move.name} du {move.invoice_date.strftime('%d/%m/%Y')}, échéance "
                           f"{move.invoice_date_due.strftime('%d/%m/%Y')}", f"Facture-{_file_safe(move.name)}", pdf,
                           False))
        notices = court_file.formal_notice_ids.sorted(lambda notice: (notice.sent_date or notice.date, notice.id))
        for notice in notices:
            sent = (notice.sent_date or notice.date).strftime("%d/%m/%Y")
            pdf = notice.letter_attachment_id or self._render_pdf(
                notice.level_id.report_id or FORMAL_NOTICE_REPORT, notice)
            pieces.append((f"Mise en demeure du {sent} (lettre recommandée n° {notice.lrar_tracking_number})",
                           f"Mise-en-demeure-{notice.sent_date or notice.date}", pdf, False))
            if notice.lrar_posting_proof_id:
                pieces.append((f"Preuve de dépôt de la lettre recommandée du {sent}",
                               "Preuve-de-depot-LRAR", notice.lrar_posting_proof_id, False))
            if notice.lrar_acknowledgment_id:
                pieces.append((f"Avis de réception de la lettre recommandée du {sent}",
                               "Avis-de-reception-LRAR", notice.lrar_acknowledgment_id, False))
        letter_report = self.env.ref(REMINDER_LETTER_REPORT, raise_if_not_found=False)
        for reminder in court_file._sent_reminders() - notices:
            report = reminder.level_id.report_id or letter_report
            if reminder.letter_attachment_id or (reminder.channel in ("letter", "lrar") and report):
                pdf = reminder.letter_attachment_id or self._render_pdf(report, reminder)
                pieces.append((f"Lettre de relance du {(reminder.sent_date or reminder.date).strftime('%d/%m/%Y')}",
                               f"Relance-{reminder.sent_date or reminder.date}", pdf, False))
        pieces.append(("Historique des relances envoyées (dates, moyens, destinataires)", "Historique-des-relances",
                       self._render_pdf("l10n_fr_dunning.action_report_reminder_history", court_file), False))
        if self.env.ref(STATEMENT_REPORT, raise_if_not_found=False):
            pieces.append((f"Relevé de compte au {today.strftime('%d/%m/%Y')}", "Releve-de-compte",
                           self._render_pdf(STATEMENT_REPORT, self.partner_id), False))
        if self._needs_power_of_attorney() and self.power_of_attorney:
            attachment = self.env["ir.attachment"].create({
                "name": self.power_of_attorney_name or "pouvoir.pdf", "datas": self.power_of_attorney,
                "res_model": court_file._name, "res_id": court_file.id,
            })
            pieces.append((f"Pouvoir donné à {self._signatory().name} par {self.company_id.dunning_representative_name}, "
                           f"{self.company_id.dunning_representative_title}", "Pouvoir", attachment, True))
        for document in self.document_ids:
            attachment = self.env["ir.attachment"].create({
                "name": document.file_name or document.name, "datas": document.file,
                "res_model": court_file._name, "res_id": court_file.id,
            })
            pieces.append((document.name, _file_safe(document.name), attachment, True))

        values = []
        for number, (description, stem, pdf, user_added) in enumerate(pieces, start=1):
            if isinstance(pdf, bytes):
                file_name = f"Piece-{number:02d}-{stem}.pdf"
                pdf = self.env["ir.attachment"].create({
                    "name": file_name, "raw": pdf, "mimetype": "application/pdf",
                    "res_model": court_file._name, "res_id": court_file.id,
                })
            else:
                # The court file keeps its own copy: a proof uploaded by a colleague stays readable, and what was
                # filed does not change with its source.
                pdf = pdf.sudo().copy({"res_model": court_file._name, "res_id": court_file.id, "res_field": False})
                file_name = f"Piece-{number:02d}-{stem}{self._extension(pdf)}"
            values.append({"court_file_id": court_file.id, "number": number, "name": description,
                           "file_name": file_name, "attachment_id": pdf.id,
                           "user_added": user_added})
        self.env["l10n_fr_dunning.court.file.document"].create(values)

    @staticmethod
    def _extension(attachment):
        _stem, dot, extension = (attachment.name or "").rpartition(".")
        if dot and extension.isalnum() and len(extension) <= 5:
            return "." + extension.lower()
        return mimetypes.guess_extension(attachment.mimetype or "") or ""

    def _zip(self, court_file, elements):
        """The ZIP for the court: requête, bordereau, the numbered pieces, then the décompte as CSV."""
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("requete-injonction-de-payer.pdf",
                             self._render_pdf("l10n_fr_dunning.action_report_requete", court_file))
            archive.writestr("bordereau-des-pieces.pdf",
                             self._render_pdf("l10n_fr_dunning.action_report_bordereau", court_file))
            for document in court_file.document_ids.sorted("number"):
                archive.writestr(document.file_name, document.attachment_id.raw)
            archive.writestr("decompte.csv", self._decompte_csv(elements))
        return buffer.getvalue()

    @staticmethod
    def _decompte_csv(elements):
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
            writer.writerow([
                element["move"].name or "", CSV_KIND_LABELS[element["kind"]],
                day(element["date_from"]), day(element["date_to"]), element["days"] or "",
                number(element["base"]), f"{element['rate']}".replace(".", ",") if element["rate"] else "",
                f"{element['amount']:.2f}".replace(".", ","),
            ])
        return output.getvalue().encode("utf-8-sig")


class InjonctionWizardDocument(models.TransientModel):
    """A document the user adds to the court file (contract, CGV, Kbis, purchase order…)."""

    _name = "l10n_fr_dunning.injonction.wizard.document"
    _description = "Document added to an injonction de payer"

    wizard_id = fields.Many2one("l10n_fr_dunning.injonction.wizard", required=True, ondelete="cascade")
    name = fields.Char(string="Description", required=True, help="As listed in the bordereau des pièces.")
    file = fields.Binary(required=True)
    file_name = fields.Char()
