from decimal import Decimal

from stdnum.fr import siren

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_amount

from ..models.dunning_court import RECORD_KINDS_BY_CASE
from ..models.dunning_court_file import CERFA_BY_COURT_KIND, COURT_KINDS, PROCEDURES
from ..models.dunning_court_file_export import FORMAL_NOTICE_REPORT, file_safe

SMALL_CLAIM_LIMIT = 5000
"""Petites créances up to 5,000 € in principal and interest may go to a commissaire de justice instead
(CPCE L125-1, R125-1)."""
ECONOMIC_JUSTICE_CONTRIBUTION_THRESHOLD = 50000
"""Claims above this before a TAE may owe the contribution pour la justice économique (loi 2023-1059 art. 27,
décret 2024-1225; uncertain thresholds, shown as a warning to check)."""

# What each procedure produces: (main document's report, its name in the ZIP, the ZIP's name prefix).
PROCEDURE_DOCUMENTS = {
    "injonction": ("l10n_fr_dunning.action_report_requete", "requete-injonction-de-payer.pdf", "Injonction-de-payer"),
    "small_claim": ("l10n_fr_dunning.action_report_small_claim", "demande-petites-creances.pdf", "Petites-creances"),
    "claim_declaration": (
        "l10n_fr_dunning.action_report_claim_declaration",
        "declaration-de-creance.pdf",
        "Declaration-de-creance",
    ),
}


class InjonctionWizard(models.TransientModel):
    """Checks the prerequisites of a claim file and exports it as a ZIP: requête en injonction de payer, petites
    créances request or déclaration de créance."""

    _name = "l10n_fr_dunning.injonction.wizard"
    _description = "Injonction de payer: prepare the court file"
    _check_company_auto = True

    partner_id = fields.Many2one("res.partner", string="Customer", required=True, readonly=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    move_ids = fields.Many2many(
        "account.move",
        string="Invoices",
        check_company=True,
        domain="[('commercial_partner_id', '=', partner_id), ('move_type', '=', 'out_invoice'), "
        "('state', '=', 'posted'), ('company_id', '=', company_id)]",
    )
    debtor_kind = fields.Selection(related="partner_id.dunning_debtor_kind")
    procedure = fields.Selection(
        PROCEDURES,
        required=True,
        compute="_compute_procedure",
        store=True,
        readonly=False,
        precompute=True,
        help="Injonction de payer before the court; petites créances (up to 5,000 €) through a commissaire de "
        "justice (CPCE L125-1); déclaration de créance to the mandataire judiciaire of an insolvent debtor.",
    )
    court_kind = fields.Selection(
        COURT_KINDS,
        string="Court",
        compute="_compute_court_kind",
        store=True,
        readonly=False,
        required=True,
        precompute=True,
        help="Tribunal de commerce between commercial companies, tribunal judiciaire otherwise; the juge des "
        "contentieux de la protection for consumer credit and similar claims (CPC 1406).",
    )
    court_candidate_ids = fields.Many2many(
        "l10n_fr_dunning.court",
        compute="_compute_court_candidate_ids",
        help="Courts whose ressort covers the debtor's commune; every court of the kind when none is found.",
    )
    court_found = fields.Boolean(compute="_compute_court_candidate_ids")
    court_id = fields.Many2one(
        "l10n_fr_dunning.court",
        string="Competent court",
        compute="_compute_court_id",
        store=True,
        readonly=False,
        precompute=True,
        domain="[('id', 'in', court_candidate_ids)]",
        help="Court of the debtor's domicile or seat (CPC 1406), from the courts' ressorts. A manager corrects a "
        "court or its ressort in Configuration > Courts.",
    )
    court_name = fields.Char(compute="_compute_court_print", help="As printed on the requête.")
    court_address = fields.Text(compute="_compute_court_print", help="Address of the court's greffe.")
    bailiff_id = fields.Many2one(
        "res.partner",
        string="Commissaire de justice",
        check_company=True,
        help="Petites créances: a commissaire de justice of the debtor's cour d'appel area (CPCE R125-1).",
    )
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
        string="On opposition, transfer to the competent court",
        default=True,
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
            moves = self.env["account.move"].search(
                [
                    ("commercial_partner_id", "=", partner.id),
                    ("company_id", "=", self.env.company.id),
                    ("dunning_active", "=", True),
                    ("dunning_court_file_id", "=", False),
                ],
                order="invoice_date_due, id",
            )
            values.update(partner_id=partner.id, company_id=self.env.company.id, move_ids=[Command.set(moves.ids)])
        elif model == "account.move" and active_ids:
            moves = self.env["account.move"].browse(active_ids)
            if len(moves.commercial_partner_id) != 1 or len(moves.company_id) != 1:
                raise UserError(self.env._("Select invoices of one customer and one company."))
            values.update(
                partner_id=moves.commercial_partner_id.id,
                company_id=moves.company_id.id,
                move_ids=[Command.set(moves.ids)],
            )
        return values

    @api.depends("partner_id")
    def _compute_court_kind(self):
        for wizard in self:
            court = wizard.partner_id._dunning_regime().court
            wizard.court_kind = "commerce" if court == "commerce" else "judiciaire"

    @api.depends("move_ids")
    def _compute_procedure(self):
        for wizard in self:
            insolvent = wizard.move_ids.filtered(lambda move: move._dunning_insolvency().pre_opening)
            wizard.procedure = "claim_declaration" if insolvent else "injonction"

    @api.depends("court_kind", "partner_id.zip", "partner_id.city", "partner_id.country_id")
    def _compute_court_candidate_ids(self):
        Court = self.env["l10n_fr_dunning.court"]
        for wizard in self:
            found = Court._competent_for(wizard.partner_id, wizard.court_kind) if wizard.court_kind else Court
            wizard.court_found = bool(found)
            wizard.court_candidate_ids = found or Court.search(
                [("kind", "in", RECORD_KINDS_BY_CASE.get(wizard.court_kind, ()))]
            )

    @api.depends("court_kind", "partner_id.zip", "partner_id.city", "partner_id.country_id")
    def _compute_court_id(self):
        for wizard in self:
            found = wizard.court_kind and self.env["l10n_fr_dunning.court"]._competent_for(
                wizard.partner_id, wizard.court_kind
            )
            wizard.court_id = found if found and len(found) == 1 else False

    @api.depends("court_id", "court_kind")
    def _compute_court_print(self):
        for wizard in self:
            name = wizard.court_id.name
            if name and wizard.court_kind == "protection":
                name = f"Juge des contentieux de la protection du {name}"
            wizard.court_name = name or False
            wizard.court_address = wizard.court_id.address or False

    @api.depends("court_kind")
    def _compute_cerfa(self):
        for wizard in self:
            wizard.cerfa = CERFA_BY_COURT_KIND.get(wizard.court_kind, False)

    @api.depends("move_ids", "procedure", "claim_extra_costs", "extra_costs_amount")
    def _compute_amounts(self):
        today = fields.Date.context_today(self)
        for wizard in self:
            try:
                elements = wizard._decompte(today)
            except UserError:
                elements = []
            totals = {
                kind: sum((element["amount"] for element in elements if element["kind"] in kinds), Decimal(0))
                for kind, kinds in (
                    ("principal", ("principal",)),
                    ("interest", ("penalty", "legal_interest", "interest_paid")),
                    ("indemnity", ("indemnity",)),
                )
            }
            total = sum((element["amount"] for element in elements), Decimal(0))
            wizard.amount_principal = float(totals["principal"])
            wizard.amount_interest = float(totals["interest"])
            wizard.amount_indemnity = float(totals["indemnity"])
            wizard.amount_total = float(total)
            wizard.small_claim = bool(elements) and totals["principal"] + totals["interest"] <= SMALL_CLAIM_LIMIT

    @api.depends(
        "move_ids",
        "procedure",
        "court_id",
        "court_kind",
        "bailiff_id",
        "claim_extra_costs",
        "extra_costs_amount",
        "extra_costs_justification",
        "document_ids.name",
        "document_ids.file",
        "power_of_attorney",
    )
    def _compute_missing_prerequisites(self):
        today = fields.Date.context_today(self)
        for wizard in self:
            wizard.missing_prerequisites = "\n".join(wizard._missing_prerequisites(today)) or False
            wizard.warnings = "\n".join(wizard._warnings(today)) or False

    def _warnings(self, today):
        """What practice strongly recommends but the law does not require, one sentence per item."""
        self.ensure_one()
        warnings = []
        if self.partner_id._dunning_regime().interest != "legal" and self.procedure != "claim_declaration":
            warnings += self._formal_notice_checks(today)
        if (
            self.procedure == "injonction"
            and self.court_id.kind == "tae"
            and self.amount_total > ECONOMIC_JUSTICE_CONTRIBUTION_THRESHOLD
        ):
            warnings.append(
                self.env._(
                    "Before a tribunal des activités économiques, a claimant with 250 employees or more may owe the "
                    "contribution pour la justice économique on a claim over 50,000 € (loi 2023-1059 art. 27, "
                    "décret 2024-1225): check whether it applies to you."
                )
            )
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
        lines = self.env["l10n_fr_dunning.reminder.line"].search(
            [
                ("move_id", "in", self.move_ids.ids),
                ("state", "=", "sent"),
                ("reminder_id.is_formal_notice", "=", True),
            ]
        )
        notices = {}
        for line in lines.sorted(lambda line: (line.reminder_id.sent_date or line.date, line.reminder_id.id)):
            notices[line.move_id] = line.reminder_id
        return notices

    def _missing_prerequisites(self, today):
        """Everything that keeps the file from being prepared, one sentence per item."""
        self.ensure_one()
        partner, company = self.partner_id, self.company_id
        regime = partner._dunning_regime()
        problems = self._invoice_problems(today)
        if regime.interest == "legal" and self.procedure != "claim_declaration":
            # A consumer's legal interest runs only from the mise en demeure (Code civil 1344-1).
            problems += self._formal_notice_checks(today)
        problems += self._signatory_problems()
        if regime.court == "administrative":
            problems.append(
                self.env._(
                    "%s is a public buyer: an injonction de payer cannot be filed against it. Ask the administrative "
                    "court's juge des référés for a provision (Code de justice administrative R541-1).",
                    partner.display_name,
                )
            )
        if self.procedure == "claim_declaration":
            problems += self._claim_declaration_problems()
        else:
            for move in self.move_ids.filtered(lambda move: move._dunning_insolvency().pre_opening):
                problems.append(
                    self.env._(
                        "Invoice %(invoice)s was born before the opening of %(customer)s's insolvency proceedings "
                        "(%(date)s): do not file it in court, declare it to the mandataire judiciaire within 2 months "
                        "of the BODACC publication (Code de commerce L622-24, R622-24).",
                        invoice=move.name,
                        customer=partner.display_name,
                        date=partner.dunning_insolvency_date,
                    )
                )
        credits = self.env["l10n_fr_dunning.reminder.credit"]._open_credits(company, partner.ids).get(partner.id)
        if credits:
            problems.append(
                self.env._(
                    "%(customer)s has credit notes or payments not reconciled with an invoice (%(documents)s): "
                    "reconcile "
                    "them first, the court file claims only what is owed.",
                    customer=partner.display_name,
                    documents=", ".join(credit["name"] for credit in credits),
                )
            )
        problems += self._identity_problems(partner, self.env._("The customer"), regime.text_variant == "professional")
        problems += self._identity_problems(
            company.partner_id,
            self.env._("Your company"),
            True,
            legal_form=company.dunning_legal_form,
            registry=company.company_registry,
        )
        if not company.partner_id.bank_ids.filtered(lambda bank: bank.acc_type == "iban"):
            problems.append(self.env._("Your company has no IBAN: add a bank account to %s.", company.name))
        if self.procedure == "injonction":
            problems += self._court_problems()
        elif self.procedure == "small_claim":
            problems += self._small_claim_problems()
        if self.claim_extra_costs:
            if not partner._dunning_regime().owes_recovery_indemnity:
                problems.append(
                    self.env._(
                        "Recovery costs cannot be claimed from a consumer: they stay with the creditor "
                        "(Code des procédures civiles d'exécution L111-8)."
                    )
                )
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

    def _invoice_problems(self, today):
        """The selected invoices: due, of this customer, in no other file, claimable; for a court or a commissaire
        de justice also neither disputed nor promised."""
        partner = self.partner_id
        problems = [] if self.move_ids else [self.env._("Select at least one invoice.")]
        for move in self.move_ids:
            if not move.dunning_active:
                problems.append(
                    self.env._("Invoice %s is not a posted customer invoice with an amount due.", move.name)
                )
            if move.commercial_partner_id != partner:
                problems.append(
                    self.env._(
                        "Invoice %(invoice)s is not addressed to %(customer)s.",
                        invoice=move.name,
                        customer=partner.display_name,
                    )
                )
            if move.dunning_court_file_id:
                problems.append(
                    self.env._(
                        "Invoice %(invoice)s is already in the court file %(file)s.",
                        invoice=move.name,
                        file=move.dunning_court_file_id.name,
                    )
                )
            if move.dunning_prescription_date and move.dunning_prescription_date < today:
                problems.append(
                    self.env._(
                        "Invoice %(invoice)s is time-barred since %(date)s (Code de commerce L110-4, "
                        "Code de la consommation L218-2): it can no longer be claimed in court.",
                        invoice=move.name,
                        date=move.dunning_prescription_date,
                    )
                )
            if self.procedure == "claim_declaration":
                continue  # Disputed or promised, a claim born before the opening is declared all the same.
            if move.dunning_disputed:
                problems.append(self.env._("Invoice %s is disputed: settle the dispute first.", move.name))
            if move.dunning_promise_date and move.dunning_promise_date >= today:
                problems.append(
                    self.env._(
                        "Invoice %(invoice)s has a payment promise until %(date)s.",
                        invoice=move.name,
                        date=move.dunning_promise_date,
                    )
                )
        return problems

    def _signatory_problems(self):
        """The company's legal representative named (CPC 54 3° b), or the signatory's power of attorney."""
        company = self.company_id
        if not company.dunning_representative_name or not company.dunning_representative_title:
            return [
                self.env._(
                    "Enter your company's legal representative (name and title, e.g. Président) in the dunning "
                    "settings: the requête names it (CPC 54 3° b)."
                )
            ]
        if self._needs_power_of_attorney() and not self.power_of_attorney:
            return [
                self.env._(
                    "%(signatory)s signs for %(company)s but is not its legal representative (%(representative)s): "
                    "attach a power of attorney.",
                    signatory=self._signatory().name,
                    company=company.name,
                    representative=company.dunning_representative_name,
                )
            ]
        return []

    def _court_problems(self):
        """No competent court: say why and name the route (CPC 1406; Reg. (EC) 1896/2006 within the EU)."""
        if not self.court_id:
            partner = self.partner_id
            if not self.env["l10n_fr_dunning.court"]._is_french_address(partner):
                if partner.country_id in self.env.ref("base.europe").country_ids:
                    return [
                        self.env._(
                            "%(customer)s is in %(country)s: a French court cannot issue an injonction de payer "
                            "against "
                            "it. Use the European order for payment (regulation (EC) 1896/2006, CPC 1424-1 and "
                            "following).",
                            customer=partner.display_name,
                            country=partner.country_id.name,
                        )
                    ]
                return [
                    self.env._(
                        "%(customer)s is in %(country)s, outside the European Union: sue before the courts of that "
                        "country, or enforce there under its rules.",
                        customer=partner.display_name,
                        country=partner.country_id.name,
                    )
                ]
            if not self.court_found:
                return [
                    self.env._(
                        "No court found for this commune (%(postcode)s %(city)s) in the court list: choose the "
                        "competent court. A manager can add the commune to its ressort in Configuration > Courts.",
                        postcode=partner.zip or "",
                        city=partner.city or "",
                    )
                ]
            return [
                self.env._(
                    "The postal code %s is shared by several courts' ressorts: choose the court of the debtor's "
                    "commune.",
                    partner.zip,
                )
            ]
        if not self.court_id.address:
            return [
                self.env._(
                    "%s has no greffe address: a manager enters it in Configuration > Courts.", self.court_id.name
                )
            ]
        return []

    def _small_claim_problems(self):
        """Petites créances: at most 5,000 € in principal and interest, a commissaire de justice (CPCE R125-1)."""
        problems = []
        if not self.small_claim:
            problems.append(
                self.env._(
                    "The petites créances procedure is limited to 5,000 € in principal and interest (CPCE R125-1): "
                    "file an injonction de payer."
                )
            )
        bailiff = self.bailiff_id
        if not bailiff or not (bailiff.street and bailiff.zip and bailiff.city):
            problems.append(self.env._("Choose the commissaire de justice, with his or her address."))
        return problems

    def _claim_declaration_problems(self):
        """Déclaration de créance: an insolvent debtor, its mandataire, claims born before the opening (L622-24)."""
        partner = self.partner_id
        if not (partner.dunning_insolvent and partner.dunning_insolvency_date):
            return [
                self.env._(
                    "%s has no insolvency proceedings recorded: a déclaration de créance is made only to the "
                    "mandataire "
                    "judiciaire of an opened procedure.",
                    partner.display_name,
                )
            ]
        problems = []
        mandataire = partner.dunning_mandataire_id
        if not mandataire or not (mandataire.street and mandataire.zip and mandataire.city):
            problems.append(
                self.env._("Enter the mandataire judiciaire of %s, with his or her address.", partner.display_name)
            )
        for move in self.move_ids.filtered(lambda move: not move._dunning_insolvency().pre_opening):
            problems.append(
                self.env._(
                    "Invoice %s was born after the opening judgment: it is paid at its due date, claim it by the usual "
                    "route, not in the déclaration de créance (Code de commerce L622-17).",
                    move.name,
                )
            )
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
                problems.append(
                    self.env._(
                        "The mise en demeure of %s came back unclaimed: enter the date it was first presented.", sent
                    )
                )
            elif not notice.lrar_returned and not notice.lrar_date_acknowledged:
                problems.append(self.env._("The mise en demeure of %s has no acknowledgment of receipt date.", sent))
            if notice.payment_deadline and notice.payment_deadline >= today:
                problems.append(
                    self.env._(
                        "The payment deadline of the mise en demeure of %(sent)s runs until %(deadline)s: "
                        "wait until it has passed.",
                        sent=sent,
                        deadline=notice.payment_deadline,
                    )
                )
            if not notice.letter_attachment_id and not self.env.ref(FORMAL_NOTICE_REPORT, raise_if_not_found=False):
                problems.append(
                    self.env._(
                        "The letter of the mise en demeure of %s cannot be produced: its PDF was not kept "
                        "and the mise en demeure report is not installed.",
                        sent,
                    )
                )
        return problems

    def _identity_problems(self, partner, who, professional, legal_form=None, registry=None):
        """Identity a requête must give of each party (CPC 57, 1407): name, address, form and SIREN."""
        problems = []
        labels = {
            "name": self.env._("name"),
            "street": self.env._("street"),
            "zip": self.env._("postcode"),
            "city": self.env._("city"),
        }
        for field_name, label in labels.items():
            if not partner[field_name]:
                problems.append(
                    self.env._(
                        "%(who)s (%(name)s) has no %(field)s.", who=who, name=partner.display_name or "", field=label
                    )
                )
        if professional:
            legal_form = partner.dunning_legal_form if legal_form is None else legal_form
            registry = partner.company_registry if registry is None else registry
            if not legal_form:
                problems.append(
                    self.env._("%(who)s (%(name)s) has no legal form (SAS, SARL…).", who=who, name=partner.name)
                )
            if not registry or not siren.is_valid(registry):
                problems.append(
                    self.env._(
                        "%(who)s (%(name)s) has no valid SIREN in its company registry number.",
                        who=who,
                        name=partner.name,
                    )
                )
        return problems

    # ---- Décompte ------------------------------------------------------------------------------------------

    def _decompte(self, today):
        """The elements of the claim: at ``today`` before a court or a commissaire de justice; for a déclaration de
        créance, to the day before the opening judgment (Code de commerce L622-28)."""
        Export = self.env["l10n_fr_dunning.court.file.export"]
        if self.procedure != "claim_declaration":
            extra = self.extra_costs_amount if self.claim_extra_costs else 0.0
            return Export._decompte(self.partner_id, self.move_ids, today, extra)
        interest_kind = "legal_interest" if self.partner_id._dunning_regime().interest == "legal" else "penalty"
        elements = []
        for claim in self.partner_id._dunning_claim_declaration_lines(self.company_id):
            if claim["move"] not in self.move_ids:
                continue
            move = claim["move"]
            elements.append(
                Export._element(
                    move, "principal", claim["principal"], date_from=move.invoice_date, date_to=move.invoice_date_due
                )
            )
            for kind, amount in ((interest_kind, claim["interest"]), ("indemnity", claim["indemnity"])):
                if amount:
                    elements.append(Export._element(move, kind, amount))
        return elements

    # ---- Export --------------------------------------------------------------------------------------------

    def _addressee(self):
        """(name, address) of whom the file goes to: the court, the commissaire de justice or the mandataire."""
        if self.procedure == "injonction":
            return self.court_name, self.court_address
        person = self.bailiff_id if self.procedure == "small_claim" else self.partner_id.dunning_mandataire_id
        address = "\n".join(filter(None, [person.street, person.street2, f"{person.zip} {person.city}"]))
        return person.name, address

    def action_export(self):
        """Check everything, then store the court file with its pieces and the ZIP: the requête, the petites
        créances request or the déclaration de créance, the bordereau, the numbered pieces and the décompte."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        problems = self._missing_prerequisites(today)
        if problems:
            raise UserError(
                self.env._(
                    "The court file cannot be prepared yet:\n%s", "\n".join(f"• {problem}" for problem in problems)
                )
            )
        elements = self._decompte(today)
        notices = self._formal_notices()
        procedure_label = dict(self._fields["procedure"]._description_selection(self.env))[self.procedure]
        addressee_name, addressee_address = self._addressee()
        court_file = self.env["l10n_fr_dunning.court.file"].create(
            {
                "name": f"{procedure_label} {self.partner_id.name} {today}",
                "procedure": self.procedure,
                "partner_id": self.partner_id.id,
                "company_id": self.company_id.id,
                "user_id": self._signatory().id,
                "date": today,
                "formal_notice_ids": [Command.set([notice.id for notice in notices.values()])],
                "court_kind": self.court_kind,
                "court_id": self.procedure == "injonction" and self.court_id.id,
                "court_name": addressee_name,
                "court_address": addressee_address,
                "request_transfer_on_opposition": self.request_transfer_on_opposition,
                "extra_costs_justification": self.claim_extra_costs and self.extra_costs_justification,
                "line_ids": [
                    Command.create(
                        {
                            "sequence": index,
                            "move_id": element["move"].id,
                            "kind": element["kind"],
                            "date_from": element["date_from"],
                            "date_to": element["date_to"],
                            "days": element["days"],
                            "base": float(element["base"]),
                            "rate": float(element["rate"]),
                            "amount": float(element["amount"]),
                        }
                    )
                    for index, element in enumerate(elements)
                ],
            }
        )
        self.move_ids.dunning_court_file_id = court_file
        Export = self.env["l10n_fr_dunning.court.file.export"]
        pieces = [(*piece, False) for piece in Export._claim_pieces(court_file, today)] + self._user_pieces(court_file)
        self.env["l10n_fr_dunning.court.file.document"].create(
            [{"court_file_id": court_file.id, **values} for values in Export._store_pieces(court_file, pieces)]
        )
        report, main_name, prefix = PROCEDURE_DOCUMENTS[self.procedure]
        main_records = self.partner_id if self.procedure == "claim_declaration" else court_file
        bordereau = Export._render_pdf("l10n_fr_dunning.action_report_bordereau", court_file)
        members = [(main_name, Export._render_pdf(report, main_records)), ("bordereau-des-pieces.pdf", bordereau)]
        members += [
            (document.file_name, document.attachment_id.raw) for document in court_file.document_ids.sorted("number")
        ]
        members.append(("decompte.csv", Export._decompte_csv(elements)))
        archive = Export._zip_attachment(court_file, f"{prefix}-{file_safe(self.partner_id.name)}-{today}.zip", members)
        court_file.zip_attachment_id = archive
        body = self.env._(
            "%(procedure)s prepared for %(addressee)s: %(total)s claimed.",
            procedure=procedure_label,
            addressee=court_file.court_name,
            total=format_amount(self.env, court_file.amount_total, court_file.currency_id),
        )
        for record in [court_file, self.partner_id, *self.move_ids]:
            record._message_log(body=body, attachment_ids=[Command.link(archive.id)])
        return {
            "type": "ir.actions.act_window",
            "res_model": court_file._name,
            "res_id": court_file.id,
            "view_mode": "form",
        }

    def _user_pieces(self, court_file):
        """The pieces the user adds: the power of attorney, then the other documents, as attachments."""
        pieces = []
        if self._needs_power_of_attorney() and self.power_of_attorney:
            attachment = self.env["ir.attachment"].create(
                {
                    "name": self.power_of_attorney_name or "pouvoir.pdf",
                    "datas": self.power_of_attorney,
                    "res_model": court_file._name,
                    "res_id": court_file.id,
                }
            )
            company = self.company_id
            pieces.append(
                (
                    f"Pouvoir donné à {self._signatory().name} par {company.dunning_representative_name}, "
                    f"{company.dunning_representative_title}",
                    "Pouvoir",
                    attachment,
                    True,
                )
            )
        for document in self.document_ids:
            attachment = self.env["ir.attachment"].create(
                {
                    "name": document.file_name or document.name,
                    "datas": document.file,
                    "res_model": court_file._name,
                    "res_id": court_file.id,
                }
            )
            pieces.append((document.name, file_safe(document.name), attachment, True))
        return pieces


class InjonctionWizardDocument(models.TransientModel):
    """A document the user adds to the court file (contract, CGV, Kbis, purchase order…)."""

    _name = "l10n_fr_dunning.injonction.wizard.document"
    _description = "Document added to an injonction de payer"

    wizard_id = fields.Many2one("l10n_fr_dunning.injonction.wizard", required=True, ondelete="cascade")
    name = fields.Char(string="Description", required=True, help="As listed in the bordereau des pièces.")
    file = fields.Binary(required=True)
    file_name = fields.Char()
