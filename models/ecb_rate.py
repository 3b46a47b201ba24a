import logging
from decimal import Decimal

import requests

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date, str2bool

from ..lib import ecb_data, french_law
from .dunning_checks import check_date, check_range

_logger = logging.getLogger(__name__)

ECB_FETCH_PARAM = "l10n_fr_dunning.ecb_fetch"
ECB_CHECKED_PARAM = "l10n_fr_dunning.ecb_checked_on"
ECB_TIMEOUT_SECONDS = 10
MAX_REFERENCE_RATE = 20
"""Percent: the ECB refinancing rate and the taux légal have stayed between 0 and 10 %; 20 catches a missed comma."""


class EcbRate(models.Model):
    """ECB main refinancing operations rate, the base of the statutory penalty
    rate between professionals (Code de commerce L441-10 II)."""

    _name = "l10n_fr_dunning.ecb.rate"
    _inherit = ["l10n_fr_dunning.rate.table"]
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

    # ---- Fetching from the ECB Data Portal -----------------------------------------------------------------

    @api.model
    def _cron_fetch_ecb_rates(self):
        """Add the ECB rate changes missing from the table.

        Offline or on any error, log a warning and change nothing."""
        params = self.env["ir.config_parameter"].sudo()
        if not str2bool(params.get_param(ECB_FETCH_PARAM, "True"), True):
            return self.browse()
        known = self._rate_table()
        try:
            observations = ecb_data.parse_observations(self._fetch_ecb_csv(ecb_data.start_period(known)))
        except (requests.RequestException, ecb_data.EcbDataError) as error:
            _logger.warning("ECB rates not updated from %s: %s", ecb_data.ECB_MRO_URL, error)
            return self.browse()
        rates = self._create_fetched_rates(ecb_data.new_rate_changes(observations, known))
        params.set_param(ECB_CHECKED_PARAM, fields.Date.to_string(fields.Date.context_today(self)))
        return rates

    @api.model
    def _fetch_ecb_csv(self, start):
        """The ECB series from ``start`` on, as the CSV text of the ECB Data Portal."""
        response = requests.get(
            ecb_data.ECB_MRO_URL,
            params={"format": "csvdata", "startPeriod": start.isoformat()},
            timeout=ECB_TIMEOUT_SECONDS,
        )
        response.raise_for_status()
        return response.text

    @api.model
    def _create_fetched_rates(self, changes):
        source = self.env._(
            "ECB Data Portal, series %(series)s, fetched on %(date)s",
            series=ecb_data.ECB_MRO_SERIES,
            date=fields.Date.context_today(self).isoformat(),
        )
        return self.sudo().create(
            [{"effective_date": day, "rate": float(rate), "source": source} for day, rate in changes]
        )

    # ---- Warning before a half-year starts without its rates -----------------------------------------------

    @api.model
    def _cron_check_coming_rates(self):
        """Near 1 January and 1 July, give each dunning manager one to-do per rate the coming half-year lacks."""
        semester = french_law.semester_to_check(fields.Date.context_today(self))
        if not semester:
            return
        missing = self._missing_rate_kinds(semester)
        managers = self.env.ref("l10n_fr_dunning.group_dunning_manager").users.filtered(lambda user: not user.share)
        for kind in missing:
            for user in managers:
                self._schedule_rate_activity(user, kind, semester)

    @api.model
    def _missing_rate_kinds(self, semester):
        """The rates the half-year lacks: "legal" without its taux légal, "ecb" when its ECB rate is not confirmed."""
        missing = []
        if not self.env["l10n_fr_dunning.legal.rate"].sudo().search_count([("semester_start", "=", semester)]):
            missing.append("legal")
        if not french_law.ecb_rate_confirmed(semester, self._confirmation_days()):
            missing.append("ecb")
        return missing

    @api.model
    def _confirmation_days(self):
        """Days the ECB rate table was confirmed: rates taking effect, rows recorded or edited, ECB checks."""
        rates = self.sudo().search_fetch([], ["effective_date", "write_date"])  # a few rows per year
        checked = self.env["ir.config_parameter"].sudo().get_param(ECB_CHECKED_PARAM)
        return [
            *rates.mapped("effective_date"),
            *(rate.write_date.date() for rate in rates),
            fields.Date.to_date(checked) if checked else None,
        ]

    @api.model
    def _schedule_rate_activity(self, user, kind, semester):
        """A to-do for ``user`` on their company, due on the first day of the half-year, unless already open."""
        summary, note = self.with_context(lang=user.lang)._rate_activity_texts(kind, semester)
        partner = user.company_id.partner_id
        todo = self.env.ref("mail.mail_activity_data_todo")
        if (
            self.env["mail.activity"]
            .sudo()
            .search_count(
                [
                    ("res_model", "=", "res.partner"),
                    ("res_id", "=", partner.id),
                    ("user_id", "=", user.id),
                    ("activity_type_id", "=", todo.id),
                    ("summary", "=", summary),
                ]
            )
        ):
            return
        partner.sudo().activity_schedule(
            act_type_xmlid="mail.mail_activity_data_todo",
            date_deadline=semester,
            summary=summary,
            note=note,
            user_id=user.id,
        )

    @api.model
    def _rate_activity_texts(self, kind, semester):
        """Summary and note of the to-do for a missing rate, in the context's language."""
        day = format_date(self.env, semester)
        if kind == "legal":
            return self.env._("Record the taux légal of the half-year starting %(date)s", date=day), self.env._(
                "The arrêté fixing it is published in the Journal officiel at the end of June and December: "
                "add it under %(menu)s.",
                menu=french_law.LEGAL_RATES_MENU,
            )
        return self.env._("Check the ECB rate in force on %(date)s", date=day), self.env._(
            "No ECB main refinancing rate was recorded, edited or fetched from the ECB in the 6 months "
            "before %(date)s: check the ECB decisions and record any change under %(menu)s.",
            date=day,
            menu=french_law.ECB_RATES_MENU,
        )
