from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..lib import french_law
from .dunning_checks import check_date, check_range
from .ecb_rate import MAX_REFERENCE_RATE


class LegalRate(models.Model):
    """Taux de l'intérêt légal, published per half-year by arrêté
    (Code monétaire et financier L313-2); "other cases" is the rate a company
    charges a consumer (Code civil 1231-6, 1344-1)."""

    _name = "l10n_fr_dunning.legal.rate"
    _inherit = ["l10n_fr_dunning.rate.table"]
    _description = "French legal interest rate (taux légal)"
    _order = "semester_start desc"
    _rec_name = "semester_start"

    semester_start = fields.Date(required=True, help="1 January or 1 July of the half-year the rate applies to.")
    rate_individual = fields.Float(
        string="Rate for individual creditors (%)",
        digits=(6, 3),
        required=True,
        help="Rate when the creditor is a person not acting for professional needs.",
    )
    rate_other = fields.Float(
        string="Rate for other cases (%)",
        digits=(6, 3),
        required=True,
        help="Rate in all other cases, the one a company charges its customers; "
        "three times it is the floor of a contractual penalty rate (L441-10 II).",
    )
    source = fields.Char(help="The arrêté that published the rate.")

    _sql_constraints = [
        ("semester_start_unique", "unique(semester_start)", "There is already a legal rate for this half-year."),
    ]

    @api.constrains("semester_start", "rate_individual", "rate_other")
    def _check_semester_start(self):
        for rate in self:
            check_date(rate, "semester_start")
            check_range(rate, "rate_individual", 0, MAX_REFERENCE_RATE)
            check_range(rate, "rate_other", 0, MAX_REFERENCE_RATE)
            if rate.semester_start != french_law.semester_start(rate.semester_start):
                raise ValidationError(
                    self.env._(
                        "The legal rate of %(date)s must start on 1 January or 1 July.",
                        date=rate.semester_start,
                    )
                )

    @api.model
    def _rate_table(self):
        """All rates as the law engine reads them: (semester_start, individual, other cases)."""
        self.env.cr.execute(f"SELECT semester_start, rate_individual, rate_other FROM {self._table}")
        return [
            (day, Decimal(str(individual)), Decimal(str(other))) for day, individual, other in self.env.cr.fetchall()
        ]
