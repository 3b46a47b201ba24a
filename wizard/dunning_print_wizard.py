from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.pdf import merge_pdf


class DunningPrintWizard(models.TransientModel):
    """Print many reminder letters into one PDF to post, optionally each followed by its invoices."""

    _name = "l10n_fr_dunning.print.wizard"
    _description = "Print dunning letters"

    reminder_ids = fields.Many2many("l10n_fr_dunning.reminder", string="Reminders", required=True)
    include_invoices = fields.Boolean(
        string="Add the invoices",
        help="Print the PDF of each invoice behind the letter that claims it.",
    )
    letter_count = fields.Integer(compute="_compute_counts")
    registered_count = fields.Integer(
        compute="_compute_counts",
        help="Registered letters stay to send until their number and posting date are recorded.",
    )

    @api.depends("reminder_ids")
    def _compute_counts(self):
        for wizard in self:
            wizard.letter_count = len(wizard.reminder_ids)
            wizard.registered_count = len(
                wizard.reminder_ids.filtered(lambda reminder: "lrar" in (reminder.channel, reminder.extra_channel))
            )

    def _reminders_in_print_order(self):
        """One letter per reminder, by customer then date: the order of the envelopes."""
        return self.reminder_ids.sorted(lambda reminder: (reminder.partner_id.name or "", reminder.date, reminder.id))

    def _invoice_pdfs(self, invoices):
        """{invoice id: PDF bytes}: the invoice's own PDF when it has one, else rendered now with the letterhead
        in the body (all at once)."""
        pdfs = {invoice.id: invoice.invoice_pdf_report_id.raw for invoice in invoices if invoice.invoice_pdf_report_id}
        missing = invoices.filtered(lambda invoice: invoice.id not in pdfs)
        if missing:
            pdfs.update(
                self.env["l10n_fr_dunning.reminder"]
                .with_context(l10n_fr_dunning_body_letterhead=True)
                ._render_pdf_per_record("account.account_invoices", missing)
            )
        return pdfs

    def action_print(self):
        """Merge the letters (and invoices) into one PDF to download; plain letters are marked sent."""
        self.ensure_one()
        reminders = self._reminders_in_print_order()
        if not reminders:
            raise UserError(self.env._("Select the reminders whose letters to print."))
        reminders._render_letters()
        invoice_pdfs = self._invoice_pdfs(reminders.line_ids.move_id) if self.include_invoices else {}
        documents = []
        for reminder in reminders:
            documents.append(reminder.letter_attachment_id.raw)
            if self.include_invoices:
                documents.extend(invoice_pdfs[invoice.id] for invoice in reminder.line_ids.move_id)
        merged = self.env["ir.attachment"].create(
            {
                "name": self.env._("Dunning letters %s.pdf", fields.Date.to_string(fields.Date.context_today(self))),
                "raw": merge_pdf(documents),
                "mimetype": "application/pdf",
            }
        )
        # Printing sends a plain letter only: a registered letter is sent when its posting is recorded, and the
        # letter of a phone level never makes the call (each channel is done by its own action).
        reminders.filtered(
            lambda reminder: reminder.state == "to_send" and reminder.channel == "letter"
        ).action_mark_sent()
        reminders.filtered(
            lambda reminder: reminder.extra_channel == "letter" and not reminder.extra_done
        )._mark_extra_done()
        # Odoo's own idiom (account's send & print wizard): the PDF downloads in a new tab, the dialog closes and
        # the list it was opened from reloads, without the letters just sent.
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{merged.id}?download=true",
            "close": True,
        }
