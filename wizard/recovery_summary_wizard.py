from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class DunningRecoverySummaryWizard(models.TransientModel):
    """Print the dunning summary of the current company for a period: what the reminders recovered, the promises
    falling due and the DSO trend."""

    _name = "l10n_fr_dunning.recovery.summary.wizard"
    _description = "Dunning summary"

    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    date_from = fields.Date(
        string="From",
        required=True,
        default=lambda self: fields.Date.context_today(self).replace(day=1) - relativedelta(months=2),
    )
    date_to = fields.Date(string="To", required=True, default=fields.Date.context_today)

    @api.constrains("date_from", "date_to")
    def _check_period(self):
        for wizard in self:
            if wizard.date_from > wizard.date_to:
                raise ValidationError(self.env._("The period must start before it ends."))

    def action_print(self):
        """Download the summary; the dialog closes once it is downloaded."""
        self.ensure_one()
        action = self.env.ref("l10n_fr_dunning.action_report_recovery_summary").report_action(self)
        return {**action, "close_on_report_download": True}

    def _summary(self):
        """The figures the printed summary shows, read in the wizard's company and period."""
        self.ensure_one()
        env = self.with_company(self.company_id).env
        return {
            "recovery": env["l10n_fr_dunning.recovery.report"]._totals_by_level_and_channel(
                self.company_id, self.date_from, self.date_to
            ),
            "promises": env["l10n_fr_dunning.promise.report"]._count_by_status(
                self.company_id, self.date_from, self.date_to
            ),
            "ageing": env["l10n_fr_dunning.ageing.report"]._series(self.company_id, self.date_from, self.date_to),
        }
