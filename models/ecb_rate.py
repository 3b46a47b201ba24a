from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import UserError

from .dunning_checks import check_date, check_range

MAX_REFERENCE_RATE = 20
"""Percent: the ECB refinancing rate and the taux légal have stayed between 0 and 10 %; 20 catches a missed comma."""

from ..lib import french_law


class EcbRate(models.Model):
    """ECB main refinancing operations rate, the base of the statutory penalty
    rate between professionals (Code de commerce L441-10 II)."""

    _name = "l10n_fr_dunning.ecb.rate"
    _description = "ECB main refinancing rate"
    _order = "effective_date desc"
    _rec_name = "effective_date"

    effective_date = fields.Date(required=True, help="Date from which the ECB applies this rate.")
    rate = fields.Float(string="Rate (%)", digits=(6, 3), required=True)
    source = fields.Char(help="Where the rate was read (ECB press release, Banque de France page).")

    _sql_constraints = [
        ("effective_date_unique", "unique(effective_date)", "There is already an ECB rate for this effective date."),
    ]

    @api.constrains("effective_date", "rate")
    def _check_rate(self):
        for rate in self:
            check_date(rate, "effective_date")
            check_range(rate, "rate", 0, MAX_REFERENCE_RATE)

    @api.model
    def _rate_table(self):
        """All rates as the law engine reads them: (effective_date, rate)."""
        self.env.cr.execute(f"SELECT effective_date, rate FROM {self._table}")
        return [(day, Decimal(str(rate))) for day, rate in self.env.cr.fetchall()]

    @api.model
    def _statutory_penalty_rate(self, day):
        """Default rate of L441-10 II for the half-year of ``day``, as a UserError when a rate is missing."""
        try:
            return french_law.penalty_rate(day, self._rate_table())
        except french_law.LawError as error:
            raise UserError(str(error)) from error
