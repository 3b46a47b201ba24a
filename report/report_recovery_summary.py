from odoo import api, models


class ReportRecoverySummary(models.AbstractModel):
    """Values of the dunning summary: the wizard's figures and French formats."""

    _name = "report.l10n_fr_dunning.report_recovery_summary"
    _inherit = "report.l10n_fr_dunning.report_requete"
    _description = "Dunning summary"

    @api.model
    def _get_report_values(self, docids, data=None):
        values = super()._get_report_values(docids, data)
        docs = self.env["l10n_fr_dunning.recovery.summary.wizard"].browse(docids)
        values.update(doc_model=docs._name, docs=docs, summaries={doc.id: doc._summary() for doc in docs})
        return values
