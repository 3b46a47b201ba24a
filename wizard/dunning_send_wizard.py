import contextlib

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError


class DunningSendWizard(models.TransientModel):
    """Preview, then send, the next reminder of a customer.

    Opening the wizard creates no reminder and moves no level: it shows the level, the channel, the invoices with
    the amounts the reminder would freeze, the warnings (not due, promise, dispute, pause, minimum interval) and
    the email as the level's template renders it, or the letter's PDF on request. The email and the letter are
    rendered by the real code on a real reminder created inside a savepoint that is always rolled back
    (``_rolled_back_reminder``): the template and the report need a stored record (ids, lines, letter
    reference), and a savepoint leaves nothing behind, not even a draft to clean up if the user walks away.
    *Confirm and send* alone creates the reminder (``l10n_fr_dunning.run._create_next_reminder``) and sends it
    through the reminder's own actions: the email is sent, a letter goes to the print wizard, a call is planned.
    """

    _name = "l10n_fr_dunning.send.wizard"
    _description = "Preview and send the next reminder"

    partner_id = fields.Many2one("res.partner", string="Customer", required=True, readonly=True)
    contact_id = fields.Many2one("res.partner", string="Sent to", readonly=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    level_id = fields.Many2one("l10n_fr_dunning.level", readonly=True)
    channel = fields.Selection(related="level_id.channel")
    has_letter = fields.Boolean(compute="_compute_has_letter")
    line_ids = fields.One2many("l10n_fr_dunning.send.wizard.line", "wizard_id", string="Invoices", readonly=True)
    amount_credit = fields.Monetary(string="Credits to deduct", readonly=True)
    amount_residual = fields.Monetary(string="Amount due", compute="_compute_amounts")
    amount_penalty = fields.Monetary(string="Penalties", compute="_compute_amounts")
    amount_indemnity = fields.Monetary(string="Recovery indemnities", compute="_compute_amounts")
    amount_total = fields.Monetary(string="Total claimed", compute="_compute_amounts")
    mail_subject = fields.Char(string="Subject", readonly=True)
    mail_body = fields.Html(string="Email", readonly=True, sanitize=False)
    problem = fields.Char(string="Problem foreseen", readonly=True)
    warning_message = fields.Text(string="Warnings", readonly=True)
    override = fields.Boolean(string="Send anyway", help="Send this reminder despite the warnings above.")
    override_reason = fields.Char(string="Reason", help="Kept on the reminder and written in its chatter.")
    letter_preview = fields.Binary(string="Letter preview", readonly=True, attachment=False)

    @api.depends("level_id")
    def _compute_has_letter(self):
        for wizard in self:
            wizard.has_letter = bool(wizard.level_id.report_id)

    @api.depends("line_ids", "amount_credit")
    def _compute_amounts(self):
        for wizard in self:
            lines = wizard.line_ids
            wizard.amount_residual = sum(lines.mapped("amount_residual"))
            wizard.amount_penalty = sum(lines.mapped("amount_penalty"))
            wizard.amount_indemnity = sum(lines.mapped("amount_indemnity"))
            wizard.amount_total = (
                wizard.amount_residual + wizard.amount_penalty + wizard.amount_indemnity - wizard.amount_credit
            )

    @api.model
    def _open_for(self, customer):
        """Compute the preview of ``customer``'s next reminder and open it."""
        Run = self.env["l10n_fr_dunning.run"]
        values, invoices = Run._next_reminder_values(customer)
        level = self.env["l10n_fr_dunning.level"].browse(values["level_id"])
        line_values = [command[2] for command in values["line_ids"]]
        wizard_values = {
            "partner_id": customer.id,
            "contact_id": values["contact_id"],
            "company_id": values["company_id"],
            "level_id": level.id,
            "line_ids": [fields.Command.create(line) for line in line_values],
            "amount_credit": sum(command[2]["amount"] for command in values["credit_ids"]),
            "warning_message": "\n".join(Run._next_reminder_warnings(customer, level, invoices)) or False,
            "problem": self.env["l10n_fr_dunning.reminder"]._foreseen_problem(values, line_values) or False,
        }
        if level.channel == "email" and level.mail_template_id:
            with self._rolled_back_reminder(customer, values) as reminder:
                template = level.mail_template_id
                rendered = {
                    name: template._render_field(name, reminder.ids, compute_lang=True)[reminder.id]
                    for name in ("subject", "body_html")
                }
            wizard_values.update(mail_subject=rendered["subject"], mail_body=rendered["body_html"])
        wizard = self.create(wizard_values)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Next reminder: preview"),
            "res_model": self._name,
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }

    @contextlib.contextmanager
    def _rolled_back_reminder(self, customer, values):
        """The reminder of ``values``, created for rendering only, in a savepoint rolled back on exit (with the
        ORM cache and the commit hooks of what was done inside it). Like the confirmation, it first waits for a
        run's batch holding the customer: a reminder the batch creates meanwhile is then reported, not deadlocked."""
        self.env["l10n_fr_dunning.run"]._lock_customer(customer)
        savepoint = self.env.cr.savepoint()
        try:
            yield (
                self.env["l10n_fr_dunning.run"]
                .with_context(tracking_disable=True)
                ._create_reminder_once(customer, values)
            )
        finally:
            savepoint.close(rollback=True)

    def action_preview_letter(self):
        """Render the letter this reminder would print, without keeping anything but the preview on the wizard."""
        self.ensure_one()
        values, _invoices = self.env["l10n_fr_dunning.run"]._next_reminder_values(self.partner_id)
        report = self.level_id.report_id
        with self._rolled_back_reminder(self.partner_id, values) as reminder:
            reminder._check_amounts_computed()
            pdf = self.env["ir.actions.report"]._render_qweb_pdf(report, reminder.ids)[0]
        self.letter_preview = pdf
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content?model={self._name}&id={self.id}&field=letter_preview"
            f"&filename=apercu-{self.level_id.name}.pdf&download=false",
            "target": "new",
        }

    def _check_override(self, warnings):
        if warnings and not (self.override and (self.override_reason or "").strip()):
            raise UserError(
                self.env._(
                    "This reminder needs your confirmation:\n%s\nTick “Send anyway” and give the reason.",
                    "\n".join(f"• {warning}" for warning in warnings),
                )
            )

    def action_confirm(self):
        """Create the reminder as previewed and send it by its channel; refuses when the amounts changed since the
        preview or a warning is not overridden with a reason."""
        self.ensure_one()
        Run = self.env["l10n_fr_dunning.run"]
        values, invoices = Run._next_reminder_values(self.partner_id)
        warnings = Run._next_reminder_warnings(self.partner_id, self.level_id, invoices)
        self._check_override(warnings)
        previewed = {
            (line.move_id.id, line.amount_residual, line.amount_penalty, line.amount_indemnity)
            for line in self.line_ids
        }
        current = {
            (line[2]["move_id"], line[2]["amount_residual"], line[2]["amount_penalty"], line[2]["amount_indemnity"])
            for line in values["line_ids"]
        }
        if values["level_id"] != self.level_id.id or previewed != current:
            raise UserError(
                self.env._(
                    "The invoices or amounts of %s changed since this preview: close it and open it again.",
                    self.partner_id.display_name,
                )
            )
        reason = warnings and self.override_reason.strip()
        reminder = Run._create_next_reminder(self.partner_id, override_reason=reason or False)
        if reason:
            reminder.message_post(
                body=Markup("<p>%s</p><ul>%s</ul><p>%s</p>")
                % (
                    self.env._("Sent despite the warnings:"),
                    Markup().join(Markup("<li>%s</li>") % warning for warning in warnings),
                    self.env._("Reason: %s", reason),
                )
            )
        if reminder.extra_channel:
            reminder._plan_extra_channel()
        if reminder.channel == "email":
            reminder.action_send()
        else:
            reminder._plan_manual_work()
            if reminder.channel in ("letter", "lrar") and reminder.level_id.report_id:
                return reminder.action_print_letter()
        return {
            "type": "ir.actions.act_window",
            "res_model": reminder._name,
            "res_id": reminder.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }


class DunningSendWizardLine(models.TransientModel):
    """One invoice of the previewed reminder, with the amounts it would freeze."""

    _name = "l10n_fr_dunning.send.wizard.line"
    _description = "Invoice of a previewed reminder"

    wizard_id = fields.Many2one("l10n_fr_dunning.send.wizard", required=True, ondelete="cascade")
    move_id = fields.Many2one("account.move", string="Invoice", readonly=True)
    currency_id = fields.Many2one(related="wizard_id.currency_id")
    invoice_date_due = fields.Date(related="move_id.invoice_date_due")
    days_late = fields.Integer(readonly=True)
    late_instalments = fields.Char(readonly=True)
    amount_total = fields.Monetary(string="Invoice total", readonly=True)
    amount_residual = fields.Monetary(string="Amount due", readonly=True)
    amount_penalty = fields.Monetary(string="Penalties", readonly=True)
    amount_indemnity = fields.Monetary(string="Recovery indemnity", readonly=True)
    amount_error = fields.Char(string="Interest problem", readonly=True)
