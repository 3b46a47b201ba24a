from odoo import api, models


class DunningReminderContent(models.AbstractModel):
    """What a reminder froze when it was sent (its invoices, its credits): history, never added, changed or
    deleted once the reminder is sent (``l10n_fr_dunning.reminder._check_content_editable``)."""

    _name = "l10n_fr_dunning.reminder.content"
    _description = "Frozen content of a dunning reminder"

    def _content_label(self):
        """What this content is called in the refusal message (plural, translated)."""
        raise NotImplementedError

    @api.model_create_multi
    def create(self, vals_list):
        self.env["l10n_fr_dunning.reminder"].browse(
            {vals["reminder_id"] for vals in vals_list if vals.get("reminder_id")}
        )._check_content_editable(self._content_label())
        return super().create(vals_list)

    def write(self, vals):
        self.reminder_id._check_content_editable(self._content_label())
        return super().write(vals)

    def unlink(self):
        # Before the access check of super(): whoever tries, the answer says why (history), not "no access".
        self.reminder_id._check_content_editable(self._content_label())
        return super().unlink()
