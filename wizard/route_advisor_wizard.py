from decimal import Decimal

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date

from ..lib import route_advisor
from ..models.dunning_route import ROUTE_LABELS

FITS = [("yes", "Fits"), ("caution", "With caution"), ("no", "Does not fit")]


class RouteAdvisor(models.TransientModel):
    """Lists every route after the mise en demeure for one customer, with why it fits or not: it explains,
    the user decides."""

    _name = "l10n_fr_dunning.route.advisor"
    _description = "Routes after the mise en demeure"
    _check_company_auto = True

    partner_id = fields.Many2one("res.partner", string="Customer", required=True, readonly=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, default=lambda self: self.env.company)
    dispute_serious = fields.Boolean(
        string="The dispute bears on the debt itself",
        help="Quality, price or delivery contested in substance: a judge would not call the debt obvious.",
    )
    recovery_at_risk = fields.Boolean(
        string="Recovery at risk",
        help="Signals the debtor may empty its assets: business for sale, moves, cheques returned, promises broken.",
    )
    line_ids = fields.One2many(
        "l10n_fr_dunning.route.advisor.line",
        "advisor_id",
        string="Routes",
        compute="_compute_line_ids",
        store=True,
        readonly=True,
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        model, active_ids = self.env.context.get("active_model"), self.env.context.get("active_ids") or []
        if model == "res.partner" and active_ids:
            partner = self.env["res.partner"].browse(active_ids).commercial_partner_id
        elif model == "l10n_fr_dunning.court.file" and active_ids:
            partner = self.env["l10n_fr_dunning.court.file"].browse(active_ids).partner_id
        else:
            partner = self.env["res.partner"]
        if len(partner) != 1:
            raise UserError(self.env._("Open the routes of one customer at a time."))
        values["partner_id"] = partner.id
        values["dispute_serious"] = bool(self._open_invoices(partner).filtered("dunning_disputed"))
        return values

    def _open_invoices(self, partner):
        return self.env["account.move"].search(
            [
                ("commercial_partner_id", "=", partner.id),
                ("company_id", "=", self.env.company.id),
                ("dunning_active", "=", True),
            ]
        )

    def _facts(self, today):
        """The facts of this customer's open invoices that the advisor weighs."""
        self.ensure_one()
        partner = self.partner_id
        moves = self._open_invoices(partner)
        court_files = self.env["l10n_fr_dunning.court.file"].search([("partner_id", "=", partner.id)])
        return route_advisor.ClaimFacts(
            today=today,
            amount=sum((Decimal(str(amount)) for amount in moves.mapped("dunning_total_claimable")), Decimal(0)),
            oldest_due_date=min(moves.mapped("dunning_date_due"), default=today),
            debtor_kind=partner.dunning_debtor_kind or "commercial",
            debtor_country=partner.country_id.code or "FR",
            disputed=any(moves.mapped("dunning_disputed")),
            dispute_serious=self.dispute_serious,
            broken_promises=len(
                moves.filtered(lambda move: move.dunning_promise_date and move.dunning_promise_date < today)
            ),
            insolvency_date=partner.dunning_insolvent and partner.dunning_insolvency_date or None,
            claim_declaration_deadline=partner.dunning_claim_declaration_deadline or None,
            prescription_date=min(filter(None, moves.mapped("dunning_prescription_date")), default=None),
            formal_notice_received=any(moves.mapped("dunning_formal_notice_received_date")),
            recovery_at_risk=self.recovery_at_risk,
            has_title=any(state == "enforceable" for state in court_files.mapped("state")),
        )

    @api.depends("partner_id", "dispute_serious", "recovery_at_risk")
    def _compute_line_ids(self):
        routes = {route.code: route for route in self.env["l10n_fr_dunning.route"].search([])}
        today = fields.Date.context_today(self)
        for advisor in self:
            if not advisor.partner_id:
                advisor.line_ids = [Command.clear()]
                continue
            advisor.line_ids = [Command.clear()] + [
                Command.create(
                    {
                        "route_id": routes[verdict.code].id if verdict.code in routes else False,
                        "code": verdict.code,
                        "fit": verdict.fit,
                        "explanation": "\n".join(self._reason_text(reason) for reason in verdict.reasons),
                        "authority": self._authority_text(verdict.authority),
                        "deadline": verdict.deadline,
                        "deadline_kind": verdict.deadline_kind or False,
                        "source": verdict.source,
                    }
                )
                for verdict in route_advisor.advise(advisor._facts(today))
            ]

    def _authority_text(self, authority):
        return {
            "commerce": self.env._("Tribunal de commerce (tribunal des activités économiques in the pilot courts)"),
            "judiciaire": self.env._("Tribunal judiciaire"),
            "administrative": self.env._("Tribunal administratif"),
            "juge_execution": self.env._("Juge de l'exécution of the tribunal judiciaire"),
            "commissaire_justice": self.env._("Commissaire de justice"),
            "collection_agency": self.env._("Collection agency"),
            "mandataire": self.env._("Mandataire judiciaire"),
            "court_abroad": self.env._("Competent court of the debtor's country"),
            "lawyer_abroad": self.env._("A lawyer in the debtor's country (international jurisdiction to check)"),
        }[authority]

    def _reason_text(self, reason):
        """One sentence of explanation for a reason code of the advisor, with its values."""
        params = {
            name: format_date(self.env, value) if hasattr(value, "isoformat") else value
            for name, value in reason.params
        }
        texts = {
            "insolvency": self.env._(
                "Insolvency proceedings opened on %(date)s: the claims born before are declared to the mandataire, "
                "not pursued (french-law.md §12)."
            ),
            "public_buyer": self.env._(
                "A public buyer: the route is the administrative court's référé-provision, not the civil courts "
                "(french-law.md §12, CJA R541-1)."
            ),
            "abroad": self.env._(
                "The debtor is established abroad (%(country)s): this French route is not available "
                "(french-law.md §12)."
            ),
            "dispute_serious": self.env._(
                "The debt is disputed in substance: a judge must weigh it in a full trial (french-law.md §7, §12)."
            ),
            "dispute_light": self.env._(
                "A dispute is open but does not bear on the debt itself: answer it in writing and keep the answer "
                "as a piece (french-law.md §7)."
            ),
            "no_formal_notice_consumer": self.env._(
                "No mise en demeure received yet: a consumer owes interest only from it; send it first "
                "(french-law.md §3, §12)."
            ),
            "no_formal_notice": self.env._(
                "No mise en demeure received yet: not required by law, but courts expect it (french-law.md §6)."
            ),
            "injonction_undisputed": self.env._(
                "An undisputed claim with its invoices and mise en demeure: the requête is examined without a "
                "hearing, no lawyer needed (french-law.md §7)."
            ),
            "promises_broken": self.env._(
                "%(count)s payment promises broken: the amicable route is exhausted (french-law.md §6)."
            ),
            "small_claim_alternative": self.env._(
                "Up to 5,000 €, the petites créances procedure is an alternative (french-law.md §8)."
            ),
            "refere_undisputed": self.env._(
                "An obligation that is not seriously contestable: the juge des référés may grant a provision "
                "within weeks (CPC 835, 873; not in french-law.md: to check)."
            ),
            "assignation_contested": self.env._(
                "A full trial with a lawyer settles the dispute and may add damages (french-law.md §12, CPC 1409)."
            ),
            "assignation_slower": self.env._(
                "Possible, but slower and dearer than the injonction de payer or the référé for an undisputed debt "
                "(french-law.md §12, CPC 1409)."
            ),
            "no_risk_signal": self.env._(
                "No sign that recovery is at risk: a saisie conservatoire needs circumstances threatening it "
                "(CPCE L511-1; not in french-law.md: to check)."
            ),
            "recovery_at_risk": self.env._(
                "Recovery seems at risk: the juge de l'exécution may authorise freezing the debtor's accounts "
                "before judgment; a title must then be sought (CPCE L511-1; not in french-law.md: to check)."
            ),
            "saisie_needs_follow_up": self.env._(
                "Follow it with a court claim for a title within the month (CPCE R511-7; not in french-law.md: "
                "to check)."
            ),
            "above_small_claim_limit": self.env._(
                "Above %(limit)s €, principal and interest: the petites créances procedure is closed "
                "(french-law.md §8)."
            ),
            "small_claim": self.env._(
                "Up to 5,000 €: a commissaire de justice of the debtor's cour d'appel area invites the debtor to "
                "agree (french-law.md §8)."
            ),
            "small_claim_acceptance": self.env._(
                "The debtor has one month to accept; its agreement gives an enforceable title, its refusal leaves "
                "the court routes (french-law.md §8)."
            ),
            "title_enforcement": self.env._(
                "An enforceable title exists: a commissaire de justice can enforce it (french-law.md §12)."
            ),
            "no_title_yet": self.env._(
                "No enforceable title yet: a commissaire de justice can only recover amicably or run the petites "
                "créances procedure (french-law.md §8, §12)."
            ),
            "agency_commission": self.env._(
                "Amicable recovery for a commission on what is recovered; it gives no title and does not stop the "
                "prescription (french-law.md §5, §10)."
            ),
            "agency_consumer": self.env._(
                "Against a consumer the agency's costs stay with you and its letters must follow CPCE R124-4 "
                "(french-law.md §3, §10)."
            ),
            "not_insolvent": self.env._("No insolvency proceedings: nothing to declare (french-law.md §12)."),
            "declare_claims": self.env._(
                "Proceedings opened on %(date)s: declare the claims born before it to the mandataire judiciaire "
                "(french-law.md §12, Code de commerce L622-24)."
            ),
            "debtor_in_france": self.env._("The debtor is in France: the French routes apply (french-law.md §12)."),
            "outside_eu": self.env._(
                "The debtor is outside the European order's area (%(country)s): ask a lawyer of its country "
                "(french-law.md §12)."
            ),
            "european_order": self.env._(
                "A debtor in the EU (%(country)s): the European order for payment (Regulation 1896/2006) replaces "
                "the injonction de payer (french-law.md §12)."
            ),
            "not_public": self.env._("Not a public buyer: the civil courts are competent (french-law.md §12)."),
            "administrative_referee": self.env._(
                "The tribunal administratif's juge des référés may grant a provision on an obligation not seriously "
                "contestable (french-law.md §12, CJA R541-1)."
            ),
            "time_barred": self.env._(
                "Time-barred since %(date)s: the claim can no longer be claimed (french-law.md §5, §12)."
            ),
            "prescription_near_court": self.env._(
                "Prescribed after %(date)s: file before then, a court claim interrupts the prescription "
                "(french-law.md §5, §12; Code civil 2241)."
            ),
            "prescription_near_amicable": self.env._(
                "Prescribed after %(date)s and amicable steps do not interrupt it: prefer a court route "
                "(french-law.md §5)."
            ),
        }
        return texts[reason.code] % params if params else texts[reason.code]


class RouteAdvisorLine(models.TransientModel):
    _name = "l10n_fr_dunning.route.advisor.line"
    _description = "Route and how it fits"
    _order = "id"

    advisor_id = fields.Many2one("l10n_fr_dunning.route.advisor", required=True, ondelete="cascade")
    route_id = fields.Many2one("l10n_fr_dunning.route", string="Route data", readonly=True)
    code = fields.Selection(
        [(code, ROUTE_LABELS[code]) for code in route_advisor.ROUTES], string="Route", readonly=True
    )
    fit = fields.Selection(FITS, readonly=True)
    explanation = fields.Text(readonly=True)
    authority = fields.Char(string="Court or professional", readonly=True)
    deadline = fields.Date(string="Act before", readonly=True)
    deadline_kind = fields.Selection(
        [("prescription", "Prescription"), ("claim_declaration", "Déclaration de créance")], readonly=True
    )
    source = fields.Char(string="Source (french-law.md)", readonly=True)
    typical_cost = fields.Char(related="route_id.typical_cost")
    typical_delay = fields.Char(related="route_id.typical_delay")
