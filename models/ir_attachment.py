from odoo import models
from odoo.exceptions import UserError

from odoo.addons.base.models.ir_model import MODULE_UNINSTALL_FLAG


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    def write(self, vals):
        if set(vals) - {"access_token"}:
            self._check_not_a_sent_letter()
        return super().write(vals)

    def unlink(self):
        self._check_not_a_sent_letter()
        return super().unlink()

    def _check_not_a_sent_letter(self):
        """The PDF of a sent reminder letter is what the customer received: nobody changes or deletes it."""
        letters = self.filtered(lambda attachment: attachment.res_model == "l10n_fr_dunning.reminder")
        if not letters or self.env.context.get(MODULE_UNINSTALL_FLAG):
            return
        sent = (
            self.env["l10n_fr_dunning.reminder"]
            .sudo()
            .search(
                [
                    ("letter_attachment_id", "in", letters.ids),
                    ("state", "=", "sent"),
                ]
            )
        )
        if sent:
            raise UserError(
                self.env._(
                    "The letter of %s was sent: its PDF is kept as the customer received it and cannot be changed "
                    "or deleted.",
                    ", ".join(sent.mapped("display_name")),
                )
            )
