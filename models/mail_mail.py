from odoo import models

# Odoo's failure types when the recipient's address is refused (mail/models/mail_mail.py): not a server outage.
RECIPIENT_FAILURES = ("mail_email_invalid", "mail_email_missing")


class MailMail(models.Model):
    _inherit = "mail.mail"

    def _postprocess_sent_message(self, success_pids, failure_reason=False, failure_type=None):
        """A reminder email whose address is refused at sending fails its reminder, as a bounce does."""
        if failure_type in RECIPIENT_FAILURES:
            reminder_ids = [mail.res_id for mail in self if mail.model == "l10n_fr_dunning.reminder" and mail.res_id]
            self.env["l10n_fr_dunning.reminder"].sudo().browse(reminder_ids).exists()._fail_undelivered_email(
                self.env._("The email could not be sent: %s", failure_reason or failure_type)
            )
        return super()._postprocess_sent_message(success_pids, failure_reason=failure_reason, failure_type=failure_type)
