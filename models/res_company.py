from odoo import api, fields, models

from .dunning_checks import check_range

MAX_CONTRACTUAL_RATE = 100
"""Percent a year; no usury cap between professionals, but beyond 100 % the rate is a typo."""


class ResCompany(models.Model):
    _inherit = "res.company"

    dunning_min_amount = fields.Monetary(
        string="Minimum amount to chase", currency_field="currency_id",
        help="A customer whose overdue total is below this amount gets no reminder.",
    )
    dunning_grace_days = fields.Integer(
        string="Grace days", help="Days added to the delay of every level after the due date.",
    )
    dunning_payment_deadline_days = fields.Integer(
        string="Payment deadline of the mise en demeure (days)", default=8,
        help="Days given to pay from receipt of the mise en demeure; the date printed moves to the next working day.",
    )
    dunning_user_id = fields.Many2one(
        "res.users", string="Dunning responsible",
        help="Signs the letters and receives the tasks to print, post and call.",
    )
    dunning_attach_invoices = fields.Boolean(string="Attach invoice PDFs to reminder emails", default=True)
    dunning_contractual_rate = fields.Float(
        string="Contractual penalty rate (%)", digits=(6, 3), groups="base.group_user",
        help="Late-payment rate of your terms of sale; empty for the statutory rate (ECB + 10 points). "
        "It may not be below three times the legal interest rate (Code de commerce L441-10 II).",
    )
    dunning_legal_form = fields.Char(string="Legal form", help="SAS, SARL, SA… printed in letters and court files.")

    @api.constrains("dunning_min_amount", "dunning_grace_days", "dunning_payment_deadline_days",
                    "dunning_contractual_rate")
    def _check_dunning_settings(self):
        for company in self:
            check_range(company, "dunning_min_amount", 0, 1_000_000_000)
            check_range(company, "dunning_grace_days", 0, 365)
            check_range(company, "dunning_payment_deadline_days", 0, 365)
            check_range(company, "dunning_contractual_rate", 0, MAX_CONTRACTUAL_RATE)

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        companies._dunning_copy_default_ladder()
        return companies

    def _dunning_copy_default_ladder(self):
        """Give each company the French default ladder, as shipped for the main company (editable copies)."""
        Level = self.env["l10n_fr_dunning.level"].sudo().with_context(active_test=False)
        main_company = self.env.ref("base.main_company", raise_if_not_found=False)
        template_levels = Level.search([("company_id", "=", main_company.id)]) if main_company else Level
        for company in self - main_company:
            if not Level.search_count([("company_id", "=", company.id)], limit=1):
                for level in template_levels:
                    level.copy({"company_id": company.id, "name": level.name})
