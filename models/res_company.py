from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..lib import french_law
from .dunning_checks import check_range

MAX_CONTRACTUAL_RATE = 100
"""Percent a year; no usury cap between professionals, but beyond 100 % the rate is a typo."""

DEFAULT_SEGMENT_LADDERS = {
    # The consumers' and public buyers' letters take their own wording from each level (note_consumer,
    # note_public): their ladders start as the professional one, for the administrator to adapt.
    "policy_consumer": {},
    "policy_public": {},
    # Key accounts: a fortnight more at each step after the due date, and every email checked by a person.
    "policy_key_account": {"extra_days": 15, "auto_send": False},
}
"""Changes to the professional ladder copied into the shipped segment policies at install."""


class ResCompany(models.Model):
    _inherit = "res.company"

    dunning_min_amount = fields.Monetary(
        string="Minimum amount to chase",
        currency_field="currency_id",
        help="A customer whose overdue total is below this amount gets no reminder.",
    )
    dunning_grace_days = fields.Integer(
        string="Grace days",
        help="Days added to the delay of every level after the due date.",
    )
    dunning_payment_deadline_days = fields.Integer(
        string="Payment deadline of the mise en demeure (days)",
        default=8,
        help="Days given to pay from receipt of the mise en demeure; the date printed moves to the next working day.",
    )
    dunning_user_id = fields.Many2one(
        "res.users",
        string="Dunning responsible",
        help="Signs the letters and receives the tasks to print, post and call.",
    )
    dunning_attach_invoices = fields.Boolean(string="Attach invoice PDFs to reminder emails", default=True)
    dunning_contractual_rate = fields.Float(
        string="Contractual penalty rate (%)",
        digits=(6, 3),
        groups="base.group_user",
        help="Late-payment rate of your terms of sale; empty for the statutory rate (ECB + 10 points). "
        "It may not be below three times the legal interest rate (Code de commerce L441-10 II).",
    )
    dunning_imputation = fields.Selection(
        [("interest_first", "Interest first (Code civil 1343-1)"), ("principal_first", "Principal first")],
        string="Imputation of partial payments",
        default="interest_first",
        required=True,
        help="A partial payment pays the interest due first, then the principal, unless the parties agreed "
        "otherwise (Code civil 1343-1); printed on the décompte.",
    )
    dunning_representative_name = fields.Char(
        string="Legal representative",
        help="Name of the person who legally represents the company (président, gérant…), named in the requête "
        "(Code de procédure civile 54 3° b).",
    )
    dunning_representative_title = fields.Char(string="Title of the legal representative", help="Président, gérant…")
    dunning_legal_form = fields.Char(string="Legal form", help="SAS, SARL, SA… printed in letters and court files.")
    dunning_cc_email = fields.Char(
        string="Copy reminder emails to",
        help="Address (or comma-separated addresses) receiving a copy of every reminder email, e.g. the accounting "
        "box.",
    )
    dunning_portal_days = fields.Integer(
        string="Customer link validity (days)",
        default=60,
        help="Days after the reminder's date during which its link to the customer page works.",
    )
    dunning_portal_max_answers = fields.Integer(
        string="Customer answers per hour",
        default=5,
        help="Answers (promise, dispute, plan request) one reminder link may send in an hour; more are refused.",
    )
    dunning_recovery_days = fields.Integer(
        string="Recovery window (days)",
        default=15,
        help="The dunning dashboard counts as recovered by a reminder the payments dated within this many days "
        "after it was sent.",
    )

    @api.constrains("dunning_contractual_rate")
    def _check_dunning_contractual_rate(self):
        self._check_dunning_rate_floor(
            [
                (company.name, company.dunning_contractual_rate)
                for company in self
                if 0 < company.dunning_contractual_rate <= MAX_CONTRACTUAL_RATE
            ]
        )

    @api.model
    def _check_dunning_rate_floor(self, named_rates):
        """A contractual penalty rate may not be below 3 × the taux légal (L441-10 II): checked against the latest
        semester known today (each semester is checked again when penalties are computed)."""
        legal_rates = self.env["l10n_fr_dunning.legal.rate"].sudo()._rate_table()
        today = fields.Date.context_today(self)
        known = [start for start, _individual, _other in legal_rates if start <= today]
        if not named_rates or not known:
            return
        for name, rate in named_rates:
            try:
                french_law.penalty_rate(max(known), (), contractual_rate=rate, legal_rates=legal_rates)
            except french_law.LawError as error:
                raise ValidationError(self.env._("%(who)s: %(problem)s", who=name, problem=str(error))) from error

    @api.constrains(
        "dunning_min_amount", "dunning_grace_days", "dunning_payment_deadline_days", "dunning_contractual_rate"
    )
    def _check_dunning_settings(self):
        for company in self:
            check_range(company, "dunning_min_amount", 0, 1_000_000_000)
            check_range(company, "dunning_grace_days", 0, 365)
            check_range(company, "dunning_payment_deadline_days", 0, 365)
            check_range(company, "dunning_contractual_rate", 0, MAX_CONTRACTUAL_RATE)

    @api.constrains("dunning_recovery_days")
    def _check_dunning_recovery_days(self):
        for company in self:
            check_range(company, "dunning_recovery_days", 1, 365)

    @api.constrains("dunning_portal_days", "dunning_portal_max_answers")
    def _check_dunning_portal_settings(self):
        for company in self:
            check_range(company, "dunning_portal_days", 1, 365)
            check_range(company, "dunning_portal_max_answers", 1, 100)

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        companies._dunning_copy_default_ladder()
        return companies

    def _dunning_copy_default_ladder(self):
        """Give each company the French default policies and their ladders, as shipped for the main company
        (editable copies); the main company's segment policies are filled from its professional ladder first."""
        Policy = self.env["l10n_fr_dunning.policy"].sudo().with_context(active_test=False)
        main_company = self.env.ref("base.main_company", raise_if_not_found=False)
        if main_company in self:
            main_company._dunning_fill_segment_ladders()
        templates = Policy.search([("company_id", "=", main_company.id)]) if main_company else Policy
        for company in self - main_company:
            if Policy.search_count([("company_id", "=", company.id)], limit=1):
                continue
            for template in templates:
                policy = template.copy({"company_id": company.id, "name": template.name})
                for level in template.level_ids:
                    level.copy({"company_id": company.id, "policy_id": policy.id, "name": level.name})

    def _dunning_fill_segment_ladders(self):
        """Fill the main company's shipped segment policies that have no level yet with a copy of its professional
        ladder, changed as ``DEFAULT_SEGMENT_LADDERS`` says."""
        professional = self.env.ref("l10n_fr_dunning.policy_professional", raise_if_not_found=False)
        if not professional:
            return
        levels = professional.sudo().with_context(active_test=False).level_ids
        for xmlid, changes in DEFAULT_SEGMENT_LADDERS.items():
            policy = self.env.ref(f"l10n_fr_dunning.{xmlid}", raise_if_not_found=False)
            if not policy or policy.sudo().with_context(active_test=False).level_ids:
                continue
            for level in levels:
                values = {"company_id": policy.company_id.id, "policy_id": policy.id, "name": level.name}
                if level.delay_days > 0:
                    values["delay_days"] = level.delay_days + changes.get("extra_days", 0)
                if level.channel == "email" and "auto_send" in changes:
                    values["auto_send"] = changes["auto_send"]
                level.copy(values)
