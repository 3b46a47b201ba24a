from stdnum.fr import siren

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..lib import french_law
from .dunning_checks import check_date

COURT_KINDS = [
    ("commerce", "Tribunal de commerce"),
    ("judiciaire", "Tribunal judiciaire"),
    ("protection", "Juge des contentieux de la protection"),
]

PROCEDURES = [
    ("injonction", "Injonction de payer"),
    ("small_claim", "Petites créances"),
    ("claim_declaration", "Déclaration de créance"),
]

# The Cerfa form mirrored by the requête of each court (CPC 1407; using the form is not mandatory).
CERFA_BY_COURT_KIND = {
    "commerce": "12946*02",
    "judiciaire": "12948*06",
    "protection": "16040*01",
}

DECOMPTE_KINDS = [
    ("principal", "Principal"),
    ("penalty", "Late-payment penalties"),
    ("indemnity", "Recovery indemnity"),
    ("legal_interest", "Legal interest"),
    ("interest_paid", "Payments imputed to interest"),
    ("extra_costs", "Extra recovery costs"),
]


class DunningCourtFile(models.Model):
    """An injonction de payer filed against one customer, from the requête to the formule exécutoire."""

    _name = "l10n_fr_dunning.court.file"
    _description = "Injonction de payer court file"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, readonly=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        readonly=True,
        index=True,
        check_company=True,
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = fields.Many2one("res.users", string="Creditor's representative", readonly=True, check_company=True)
    date = fields.Date(string="Prepared on", required=True, readonly=True, help="Day the décompte is computed to.")
    move_ids = fields.One2many("account.move", "dunning_court_file_id", string="Invoices", readonly=True)
    formal_notice_ids = fields.Many2many(
        "l10n_fr_dunning.reminder",
        string="Mises en demeure",
        readonly=True,
        check_company=True,
    )
    procedure = fields.Selection(
        PROCEDURES,
        required=True,
        readonly=True,
        default="injonction",
        index=True,
        help="Injonction de payer before the court, petites créances through a commissaire de justice (CPCE L125-1) "
        "or déclaration de créance to the mandataire judiciaire (Code de commerce L622-24).",
    )
    court_kind = fields.Selection(COURT_KINDS, string="Court", required=True, readonly=True)
    court_id = fields.Many2one(
        "l10n_fr_dunning.court",
        string="Court record",
        readonly=True,
        ondelete="restrict",
        help="The court chosen; its name and address as printed are kept below and do not change with it.",
    )
    court_name = fields.Char(
        string="Addressee",
        required=True,
        readonly=True,
        help="Court, commissaire de justice or mandataire judiciaire, as printed on the documents sent.",
    )
    court_address = fields.Text(string="Addressee's address", required=True, readonly=True)
    cerfa = fields.Char(string="Cerfa mirrored", compute="_compute_cerfa")
    line_ids = fields.One2many("l10n_fr_dunning.court.file.line", "court_file_id", string="Décompte", readonly=True)
    document_ids = fields.One2many(
        "l10n_fr_dunning.court.file.document",
        "court_file_id",
        string="Pièces",
        readonly=True,
    )
    amount_principal = fields.Monetary(string="Principal", compute="_compute_amounts", store=True)
    amount_interest = fields.Monetary(string="Penalties and interest", compute="_compute_amounts", store=True)
    amount_indemnity = fields.Monetary(string="Recovery indemnities", compute="_compute_amounts", store=True)
    amount_extra_costs = fields.Monetary(string="Extra recovery costs", compute="_compute_amounts", store=True)
    amount_total = fields.Monetary(string="Total claimed", compute="_compute_amounts", store=True)
    extra_costs_justification = fields.Text(readonly=True)
    zip_attachment_id = fields.Many2one("ir.attachment", string="Court file (ZIP)", readonly=True)
    state = fields.Selection(
        [
            ("draft", "Prepared"),
            ("filed", "Filed"),
            ("ordonnance", "Ordonnance rendered"),
            ("served", "Served"),
            ("opposed", "Opposed"),
            ("enforceable", "Enforceable"),
            ("rejected", "Rejected"),
        ],
        required=True,
        default="draft",
        tracking=True,
        index=True,
    )
    filing_date = fields.Date(string="Filed on", tracking=True)
    ordonnance_date = fields.Date(string="Ordonnance date", tracking=True)
    ordonnance_number = fields.Char(string="Ordonnance number", tracking=True)
    amount_granted = fields.Monetary(string="Amount granted", tracking=True)
    ordonnance_scan = fields.Binary(string="Ordonnance (scan)", attachment=True)
    ordonnance_scan_name = fields.Char()
    service_date = fields.Date(string="Served on", tracking=True, help="Day the commissaire de justice served it.")
    served_in_person = fields.Boolean(
        string="Served to the debtor in person",
        default=True,
        tracking=True,
        help="Served otherwise (at home, at the town hall…), the opposition stays open until 1 month after the "
        "first act served to the debtor in person or the first enforcement measure (CPC 1416 al. 2).",
    )
    first_personal_act_date = fields.Date(
        string="First act to the debtor in person",
        tracking=True,
        help="First act served to the debtor in person, or first enforcement measure making its goods "
        "unavailable, after a service not made in person (CPC 1416 al. 2).",
    )
    debtor_location = fields.Selection(
        [("metropolitan", "Metropolitan France"), ("overseas", "Overseas"), ("abroad", "Abroad")],
        string="Debtor lives",
        compute="_compute_debtor_location",
        store=True,
        readonly=False,
        help="The opposition period is extended by 1 month overseas and 2 months abroad (CPC 643).",
    )
    request_transfer_on_opposition = fields.Boolean(
        string="Transfer to the competent court on opposition",
        default=True,
        readonly=True,
        help="Asked in the requête: on opposition, the case goes on before the competent court (CPC 1408).",
    )
    opposition_date = fields.Date(string="Opposition received on", tracking=True)
    hearing_date = fields.Date(string="Hearing on", tracking=True, help="Hearing set after the opposition.")
    enforceable_from = fields.Date(
        compute="_compute_deadlines",
        store=True,
        help="From when the ordonnance may be enforced without opposition: after the opposition period with the "
        "greffe's certificat de non-opposition; for ordonnances from 1 September 2026, 2 months after service "
        "unless the greffe reports an opposition (décret 2026-96: check the greffe's notice).",
    )
    service_deadline = fields.Date(
        compute="_compute_deadlines",
        store=True,
        help="Serve the ordonnance by this day or it is void: 6 months, 3 months for ordonnances rendered "
        "from 1 September 2026 (CPC 1411, décret 2026-96), moved to the next working day (CPC 642).",
    )
    opposition_deadline = fields.Date(
        compute="_compute_deadlines",
        store=True,
        help="The debtor may oppose until this day: 1 month from service to the person (CPC 1416), extended by "
        "1 month overseas and 2 months abroad (CPC 643), moved to the next working day (CPC 642).",
    )
    next_step = fields.Char(compute="_compute_deadlines", store=True)
    deadline = fields.Date(compute="_compute_deadlines", store=True, index=True, help="Deadline of the next step.")

    @api.depends("court_kind")
    def _compute_cerfa(self):
        for court_file in self:
            court_file.cerfa = CERFA_BY_COURT_KIND.get(court_file.court_kind, False)

    @api.depends("line_ids.kind", "line_ids.amount")
    def _compute_amounts(self):
        for court_file in self:
            totals = dict.fromkeys(dict(DECOMPTE_KINDS), 0.0)
            for line in court_file.line_ids:
                totals[line.kind] += line.amount
            court_file.amount_principal = totals["principal"]
            court_file.amount_interest = totals["penalty"] + totals["legal_interest"] + totals["interest_paid"]
            court_file.amount_indemnity = totals["indemnity"]
            court_file.amount_extra_costs = totals["extra_costs"]
            court_file.amount_total = sum(court_file.line_ids.mapped("amount"))

    @api.depends("partner_id.country_id", "partner_id.zip")
    def _compute_debtor_location(self):
        for court_file in self:
            partner = court_file.partner_id
            if partner.country_id and partner.country_id.code != "FR":
                court_file.debtor_location = "abroad"
            elif (partner.zip or "").startswith("97"):
                court_file.debtor_location = "overseas"
            else:
                court_file.debtor_location = "metropolitan"

    @api.depends(
        "state",
        "procedure",
        "ordonnance_date",
        "service_date",
        "served_in_person",
        "first_personal_act_date",
        "debtor_location",
        "hearing_date",
    )
    def _compute_deadlines(self):
        for court_file in self:
            court_file.service_deadline = court_file.ordonnance_date and french_law.ordonnance_service_deadline(
                court_file.ordonnance_date
            )
            court_file.opposition_deadline = court_file.service_date and french_law.opposition_deadline(
                court_file.service_date,
                court_file.served_in_person,
                court_file.debtor_location,
                court_file.first_personal_act_date,
            )
            court_file.enforceable_from = french_law.enforcement_date(
                court_file.ordonnance_date, court_file.service_date, court_file.opposition_deadline
            )
            court_file.next_step, court_file.deadline = court_file._next_step()

    def _next_step(self):
        """(what to do next, by when) in the procedure of the ordonnance's date (décrets 2021-1322, 2026-96)."""
        self.ensure_one()
        if self.procedure == "small_claim" and self.state == "draft":
            return self.env._("Send the request to the commissaire de justice (CPCE R125-1)"), False
        if self.procedure == "claim_declaration" and self.state == "draft":
            return (
                self.env._("Send the déclaration de créance to the mandataire judiciaire (R622-24)"),
                self.partner_id.dunning_claim_declaration_deadline,
            )
        if self.state == "served":
            if not self.enforceable_from:
                return self.env._(
                    "Opposition open until 1 month after the first act served to the debtor in person "
                    "(CPC 1416): record that act"
                ), False
            if self.ordonnance_date >= french_law.SHORT_ORDONNANCE_SERVICE_FROM:
                return self.env._(
                    "Enforce through a commissaire de justice unless the greffe reports an opposition (décret 2026-96)"
                ), self.enforceable_from
            return self.env._(
                "Ask the greffe for the certificat de non-opposition, then enforce"
            ), self.enforceable_from
        return {
            "draft": (self.env._("File the requête at the court"), False),
            "filed": (self.env._("Wait for the ordonnance"), False),
            "ordonnance": (self.env._("Have the ordonnance served by a commissaire de justice"), self.service_deadline),
            "opposed": (self.env._("Prepare the hearing before the court"), self.hearing_date),
            "enforceable": (self.env._("Enforce through a commissaire de justice"), False),
            "rejected": (self.env._("No appeal: sue by the ordinary route (CPC 1409)"), False),
        }.get(self.state, (False, False))

    @api.constrains("date", "filing_date", "ordonnance_date", "service_date", "amount_granted")
    def _check_court_dates(self):
        """Filing, ordonnance and service happened, in that order; the amount granted is not negative."""
        for court_file in self:
            check_date(court_file, "date")
            check_date(court_file, "filing_date", past_event=True, not_before="date")
            check_date(court_file, "ordonnance_date", past_event=True, not_before="filing_date")
            check_date(court_file, "service_date", past_event=True, not_before="ordonnance_date")
            if court_file.currency_id.compare_amounts(court_file.amount_granted, 0) < 0:
                raise ValidationError(
                    self.env._(
                        "The amount granted by the ordonnance cannot be negative: enter the amount it awards, or 0.",
                    )
                )

    def write(self, vals):
        if "state" in vals and not self.env.su:
            raise UserError(
                self.env._(
                    "The state of a court file changes only through its buttons (filed, ordonnance, served, "
                    "opposition, formule exécutoire, rejected), which check the dates each step needs."
                )
            )
        return super().write(vals)

    # ---- Actions -------------------------------------------------------------------------------------------

    def _write_state(self, vals):
        """Write ``vals`` (with the new ``state``) as the actions do, once the user's write access is checked."""
        self.check_access("write")
        return self.sudo().write(vals)

    def _check_state(self, allowed):
        if any(court_file.state not in allowed for court_file in self):
            labels = dict(self._fields["state"]._description_selection(self.env))
            raise UserError(
                self.env._(
                    "This step is only possible for court files in state: %s.",
                    ", ".join(labels[state] for state in allowed),
                )
            )

    def action_mark_filed(self):
        self._check_state(["draft"])
        self._write_state({"state": "filed", "filing_date": fields.Date.context_today(self)})

    def action_record_ordonnance(self):
        self._check_state(["filed"])
        missing = self.filtered(lambda court_file: not court_file.ordonnance_date)
        if missing:
            raise UserError(self.env._("Enter the date of the ordonnance first."))
        self._write_state({"state": "ordonnance"})

    def action_record_rejection(self):
        self._check_state(["filed"])
        self._write_state({"state": "rejected"})

    def action_mark_served(self):
        self._check_state(["ordonnance"])
        if any(not court_file.service_date for court_file in self):
            raise UserError(self.env._("Enter the date the ordonnance was served first."))
        self._write_state({"state": "served"})

    def action_record_opposition(self):
        self._check_state(["served"])
        if any(not court_file.opposition_date for court_file in self):
            raise UserError(self.env._("Enter the date the opposition was received first."))
        self._write_state({"state": "opposed"})

    def action_mark_enforceable(self):
        """No opposition came in time: the ordonnance may be enforced (never before its date)."""
        self._check_state(["served"])
        today = fields.Date.context_today(self)
        early = self.filtered(lambda court_file: not court_file.enforceable_from or court_file.enforceable_from > today)
        if early:
            raise UserError(
                self.env._(
                    "The ordonnance cannot be enforced yet: the opposition period runs until %s.",
                    ", ".join(
                        str(court_file.opposition_deadline or court_file.enforceable_from or "?")
                        for court_file in early
                    ),
                )
            )
        self._write_state({"state": "enforceable"})

    def _sent_reminders(self):
        """The reminders sent to the customer about the invoices of this court file, oldest first."""
        self.ensure_one()
        return self.env["l10n_fr_dunning.court.file.export"]._sent_reminders(
            self.partner_id, self.company_id, self.move_ids
        )

    def _creditor_iban(self):
        return self.company_id.partner_id.bank_ids.filtered(lambda bank: bank.acc_type == "iban")[:1]

    def _is_professional_claim(self):
        return self.partner_id._dunning_regime().text_variant == "professional"

    def _interest_after_text(self):
        """How interest runs after the décompte, in French (the shared export unit's wording)."""
        self.ensure_one()
        return self.env["l10n_fr_dunning.court.file.export"]._interest_after_text(
            self.partner_id, self.company_id, self.date
        )

    def _lines_by_invoice(self):
        """[(invoice, its décompte lines)] in décompte order, then the lines of no invoice (extra costs)."""
        groups = {}
        for line in self.line_ids.sorted("sequence"):
            groups.setdefault(line.move_id, self.env["l10n_fr_dunning.court.file.line"])
            groups[line.move_id] |= line
        return list(groups.items())

    def action_download_zip(self):
        """The ZIP downloads at once, instead of opening the attachment's technical form."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self.zip_attachment_id.id}?download=true",
            "target": "download",
        }

    def action_open_invoices(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Invoices"),
            "res_model": "account.move",
            "view_mode": "list,form",
            "domain": [("id", "in", self.move_ids.ids)],
        }

    def action_open_routes(self):
        """The other routes for this customer, explained (issue 16)."""
        return self.partner_id.action_dunning_routes()


class DunningCourtFileLine(models.Model):
    """One element of the décompte of the claim (CPC 1407): principal, a penalty period, an indemnity…"""

    _name = "l10n_fr_dunning.court.file.line"
    _description = "Element of the claim of a court file"
    _order = "court_file_id, sequence, id"
    _check_company_auto = True

    court_file_id = fields.Many2one("l10n_fr_dunning.court.file", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="court_file_id.company_id", store=True)
    currency_id = fields.Many2one(related="court_file_id.currency_id")
    sequence = fields.Integer()
    move_id = fields.Many2one("account.move", string="Invoice", ondelete="restrict", check_company=True)
    kind = fields.Selection(DECOMPTE_KINDS, required=True)
    date_from = fields.Date(string="From")
    date_to = fields.Date(string="To")
    days = fields.Integer()
    base = fields.Monetary()
    rate = fields.Float(string="Rate (%)", digits=(6, 3))
    amount = fields.Monetary(required=True)


class DunningCourtFileDocument(models.Model):
    """One numbered piece of the bordereau des pièces, with its file."""

    _name = "l10n_fr_dunning.court.file.document"
    _description = "Piece of a court file"
    _order = "court_file_id, number, id"

    court_file_id = fields.Many2one("l10n_fr_dunning.court.file", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="court_file_id.company_id", store=True)
    number = fields.Integer(required=True, help="Number of the piece, as in the bordereau and the ZIP.")
    name = fields.Char(string="Description", required=True)
    attachment_id = fields.Many2one("ir.attachment", string="File", required=True, ondelete="restrict")
    file_name = fields.Char(required=True, help="Name of the file in the ZIP.")
    user_added = fields.Boolean(help="Added by the user in the wizard, not produced by Odoo.")


class ReportCourtFile(models.AbstractModel):
    """Values of the requête, the bordereau and the reminder history: French formats for the court."""

    _name = "report.l10n_fr_dunning.report_requete"
    _description = "Requête en injonction de payer"

    @api.model
    def _get_report_values(self, docids, data=None):
        return {
            "doc_ids": docids,
            "doc_model": "l10n_fr_dunning.court.file",
            "docs": self.env["l10n_fr_dunning.court.file"].browse(docids),
            "fr_amount": self._fr_amount,
            "fr_date": self._fr_date,
            "fr_rate": self._fr_rate,
            "siren_format": self._siren_format,
        }

    @staticmethod
    def _fr_amount(amount):
        """1234.5 → '1 234,50 €' as written in French court documents."""
        return f"{amount:,.2f} €".replace(",", "\u00a0").replace(".", ",")

    @staticmethod
    def _siren_format(number):
        """'732829320' → '732 829 320', as the SIREN is printed."""
        digits = siren.compact(number or "")
        return " ".join(digits[index : index + 3] for index in range(0, len(digits), 3))

    @staticmethod
    def _fr_date(day):
        return day.strftime("%d/%m/%Y") if day else ""

    @staticmethod
    def _fr_rate(rate):
        return f"{rate:.2f} %".replace(".", ",")


class ReportCourtFileBordereau(models.AbstractModel):
    _name = "report.l10n_fr_dunning.report_bordereau"
    _inherit = "report.l10n_fr_dunning.report_requete"
    _description = "Bordereau des pièces"


class ReportCourtFileReminderHistory(models.AbstractModel):
    _name = "report.l10n_fr_dunning.report_reminder_history"
    _inherit = "report.l10n_fr_dunning.report_requete"
    _description = "History of the reminders sent"


class ReportCourtFileSmallClaim(models.AbstractModel):
    _name = "report.l10n_fr_dunning.report_small_claim"
    _inherit = "report.l10n_fr_dunning.report_requete"
    _description = "Petites créances request"
