from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..lib import french_law


class DunningReminder(models.Model):
    """One reminder sent (or to send) to one customer, for one or more invoices."""

    _name = "l10n_fr_dunning.reminder"
    _description = "Dunning reminder"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, readonly=True,
        help="The commercial entity the reminder is addressed to.",
    )
    contact_id = fields.Many2one("res.partner", string="Sent to", readonly=True)
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    level_id = fields.Many2one("l10n_fr_dunning.level", string="Level", required=True, readonly=True, index=True)
    channel = fields.Selection(related="level_id.channel", store=True)
    is_formal_notice = fields.Boolean(related="level_id.is_formal_notice", store=True)
    date = fields.Date(required=True, readonly=True, index=True, default=fields.Date.context_today)
    user_id = fields.Many2one("res.users", string="Responsible", readonly=True)
    state = fields.Selection(
        [("to_send", "To send"), ("sent", "Sent"), ("cancelled", "Cancelled"), ("failed", "Failed")],
        required=True, default="to_send", readonly=True, tracking=True, index=True,
    )
    failure_reason = fields.Text(readonly=True)
    sent_date = fields.Date(readonly=True, help="When the email left or the letter was posted.")
    line_ids = fields.One2many("l10n_fr_dunning.reminder.line", "reminder_id", string="Invoices", readonly=True)
    amount_residual = fields.Monetary(string="Amount due", compute="_compute_amounts", store=True)
    amount_penalty = fields.Monetary(string="Penalties", compute="_compute_amounts", store=True)
    amount_indemnity = fields.Monetary(string="Recovery indemnities", compute="_compute_amounts", store=True)
    amount_total = fields.Monetary(string="Total claimed", compute="_compute_amounts", store=True)
    mail_message_id = fields.Many2one("mail.message", string="Email", readonly=True)
    # Registered letter with acknowledgment of receipt (LRAR) or electronic registered letter (CPCE L100).
    lrar_tracking_number = fields.Char(string="Registered letter number", tracking=True, copy=False)
    lrar_date_posted = fields.Date(string="Posted on", tracking=True, copy=False)
    lrar_date_acknowledged = fields.Date(string="Acknowledged on", tracking=True, copy=False)
    lrar_returned = fields.Boolean(
        string="Returned undelivered", tracking=True, copy=False,
        help="The letter came back unclaimed (non réclamé): the deadline runs from its first presentation.",
    )
    lrar_date_first_presented = fields.Date(string="First presented on", copy=False)
    lrar_posting_proof_id = fields.Many2one("ir.attachment", string="Proof of posting", copy=False)
    lrar_acknowledgment_id = fields.Many2one("ir.attachment", string="Acknowledgment of receipt", copy=False)
    payment_deadline = fields.Date(
        compute="_compute_payment_deadline", store=True,
        help="Deadline to pay given by a mise en demeure: from receipt (or first presentation), "
        "moved to the next working day (Code de procédure civile 642).",
    )
    letter_attachment_id = fields.Many2one("ir.attachment", string="Letter (PDF)", readonly=True)

    def init(self):
        # Exactly once: one live reminder per customer and day, whatever runs concurrently.
        self.env.cr.execute(f"""
            CREATE UNIQUE INDEX IF NOT EXISTS l10n_fr_dunning_reminder_once_a_day
                ON {self._table} (company_id, partner_id, date) WHERE state != 'cancelled'
        """)

    @api.depends("lrar_date_acknowledged", "lrar_returned", "lrar_date_first_presented", "level_id.payment_deadline_days")
    def _compute_payment_deadline(self):
        for reminder in self:
            received = reminder.lrar_date_first_presented if reminder.lrar_returned else reminder.lrar_date_acknowledged
            days = reminder.level_id.payment_deadline_days or reminder.company_id.dunning_payment_deadline_days
            reminder.payment_deadline = received and days and french_law.deadline(received, days=days)

    @api.depends("line_ids.amount_residual", "line_ids.amount_penalty", "line_ids.amount_indemnity")
    def _compute_amounts(self):
        for reminder in self:
            lines = reminder.line_ids
            reminder.amount_residual = sum(lines.mapped("amount_residual"))
            reminder.amount_penalty = sum(lines.mapped("amount_penalty"))
            reminder.amount_indemnity = sum(lines.mapped("amount_indemnity"))
            reminder.amount_total = reminder.amount_residual + reminder.amount_penalty + reminder.amount_indemnity

    @api.depends("partner_id", "level_id", "date")
    def _compute_display_name(self):
        for reminder in self:
            reminder.display_name = f"{reminder.level_id.name} – {reminder.partner_id.name} ({reminder.date})"

    def _log_on_documents(self, body_by_reminder):
        """Log one note per reminder on its customer and on each of its invoices."""
        partner_bodies, move_bodies = {}, {}
        for reminder in self:
            body = body_by_reminder[reminder.id]
            partner_bodies[reminder.partner_id.id] = body
            for move_id in reminder.line_ids.move_id.ids:
                move_bodies[move_id] = body
        self.partner_id._message_log_batch(partner_bodies)
        self.line_ids.move_id._message_log_batch(move_bodies)

    def _describe(self, what):
        return Markup("%s <a href='#' data-oe-model='%s' data-oe-id='%s'>%s</a>") % (
            what, self._name, self.id, self.display_name,
        )

    def _dispatch(self):
        """Send what is sent automatically (emails of automatic levels); plan the rest for a person."""
        automatic = self.filtered(lambda reminder: reminder.channel == "email" and reminder.level_id.auto_send)
        automatic._send_emails()
        (self - automatic)._plan_manual_work()

    def _send_emails(self):
        """Queue the email of each reminder from its level's template; a missing address fails the reminder."""
        bodies = {}
        for reminder in self:
            template = reminder.level_id.mail_template_id
            contact = reminder.contact_id
            if not template:
                reminder._mark_failed(_("The level %(level)s has no email template: choose one in its configuration.",
                                        level=reminder.level_id.name))
            elif not contact.email:
                reminder._mark_failed(_(
                    "%(contact)s has no email address: add one, or choose another reminder contact on %(customer)s.",
                    contact=contact.display_name, customer=reminder.partner_id.display_name,
                ))
            else:
                email_values = {"attachment_ids": reminder._invoice_attachment_ids()}
                mail = self.env["mail.mail"].browse(template.send_mail(reminder.id, email_values=email_values))
                reminder.write({
                    "state": "sent", "sent_date": reminder.date, "mail_message_id": mail.mail_message_id.id,
                })
                bodies[reminder.id] = reminder._describe(_("Reminder emailed to %s:", contact.email))
                continue
            bodies[reminder.id] = reminder._describe(_("Reminder failed (%s):", reminder.failure_reason))
        self._log_on_documents(bodies)

    def _invoice_attachment_ids(self):
        """The invoice PDFs to attach when the company asks for them."""
        if not self.company_id.dunning_attach_invoices:
            return []
        moves = self.line_ids.move_id
        pdfs = moves.invoice_pdf_report_id
        missing = moves.filtered(lambda move: not move.invoice_pdf_report_id)
        if missing:
            content, _report_type = self.env["ir.actions.report"]._render_qweb_pdf("account.account_invoices", missing.ids)
            pdfs |= self.env["ir.attachment"].create({
                "name": _("Invoices %s.pdf", ", ".join(missing.mapped("name"))),
                "raw": content, "res_model": self._name, "res_id": self.id, "mimetype": "application/pdf",
            })
        return pdfs.ids

    def _mark_failed(self, reason):
        self.write({"state": "failed", "failure_reason": reason})

    def _plan_manual_work(self):
        """Letters, registered letters, phone calls and manual emails wait for a person: one dated activity each."""
        call = self.env.ref("mail.mail_activity_data_call")
        todo = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id(self._name)
        summaries = {
            "phone": _("Call the customer about the overdue invoices"),
            "letter": _("Print and post the reminder letter"),
            "lrar": _("Print and send the registered letter with acknowledgment of receipt"),
            "email": _("Check and send the reminder email"),
        }
        self.env["mail.activity"].create([{
            "res_model_id": model_id,
            "res_id": reminder.id,
            "activity_type_id": (call if reminder.channel == "phone" else todo).id,
            "summary": summaries[reminder.channel],
            "date_deadline": reminder.date,
            "user_id": reminder.user_id.id or self.env.uid,
        } for reminder in self])
        self._log_on_documents({
            reminder.id: reminder._describe(_("Reminder to send (%s):", summaries[reminder.channel].lower()))
            for reminder in self
        })

    # ---- Actions -------------------------------------------------------------------------------------------

    def action_send(self):
        """Send a reminder that waits for a person: the email now, or confirm a letter or call was done."""
        if any(reminder.state not in ("to_send", "failed") for reminder in self):
            raise UserError(_("Only reminders to send or failed ones can be sent."))
        emails = self.filtered(lambda reminder: reminder.channel == "email")
        emails.write({"state": "to_send", "failure_reason": False})
        emails._send_emails()
        (self - emails).action_mark_sent()
        self.activity_ids.action_done()
        return True

    def action_mark_sent(self):
        """Record that the letter was posted or the call made."""
        if any(reminder.state != "to_send" for reminder in self):
            raise UserError(_("Only reminders to send can be marked as sent."))
        self.write({"state": "sent", "sent_date": fields.Date.context_today(self)})
        self.activity_ids.action_done()
        self._log_on_documents({reminder.id: reminder._describe(_("Reminder sent:")) for reminder in self})
        return True

    def action_cancel(self):
        """Cancel a reminder that was not sent: its invoices go back to their previous level."""
        if any(reminder.state == "sent" for reminder in self):
            raise UserError(_("A reminder that was sent cannot be cancelled: it is part of the customer's file."))
        self.write({"state": "cancelled"})
        self.activity_ids.unlink()
        self._log_on_documents({reminder.id: reminder._describe(_("Reminder cancelled:")) for reminder in self})
        return True

    def action_open_invoices(self):
        return {
            "type": "ir.actions.act_window",
            "name": _("Invoices"),
            "res_model": "account.move",
            "view_mode": "list,form",
            "domain": [("id", "in", self.line_ids.move_id.ids)],
        }
