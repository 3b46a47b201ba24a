from odoo import api, models

SUMMARY_LANG = "fr_FR"
"""The summary is written in French, like the letters when their recipient has no language."""


class ReportRecoverySummary(models.AbstractModel):
    """Values of the dunning summary: the wizard's figures, French formats, and the labels of the channels and of
    the promises' outcomes, the selections' own translated in French."""

    _name = "report.l10n_fr_dunning.report_recovery_summary"
    _inherit = "report.l10n_fr_dunning.report_requete"
    _description = "Dunning summary"

    @api.model
    def _get_report_values(self, docids, data=None):
        values = super()._get_report_values(docids, data)
        french = self.with_context(lang=self._summary_lang())
        docs = french.env["l10n_fr_dunning.recovery.summary.wizard"].browse(docids)
        values.update(
            doc_model=docs._name,
            docs=docs,
            summaries={doc.id: doc._summary() for doc in docs},
            channels=dict(french._selection_labels("l10n_fr_dunning.level", "channel")),
            promise_statuses=french._selection_labels("l10n_fr_dunning.promise.report", "status"),
        )
        return values

    @api.model
    def _summary_lang(self):
        """French when it is installed (a database without it falls back to the user's language)."""
        return SUMMARY_LANG if SUMMARY_LANG in dict(self.env["res.lang"].get_installed()) else self.env.lang

    @api.model
    def _selection_labels(self, model, name):
        """[(value, label)] of selection field ``name`` of ``model``, in the context's language."""
        return self.env[model]._fields[name]._description_selection(self.env)
