from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.tools import format_amount


class DunningRunLog(models.Model):
    """The summary one dunning run leaves for one company, manual or scheduled.

    Written by the run only (as superuser): created and committed when the run starts, completed in the
    transaction of each batch (a retried batch is counted once, a rolled-back one not at all), closed when the
    run ends. A run killed in the middle leaves its summary "running" with the batches it committed; the next run
    of the company marks it interrupted. Users read it; nobody edits it, only the system deletes it.
    """

    _name = "l10n_fr_dunning.run.log"
    _description = "Dunning run summary"
    _order = "date_start desc, id desc"
    _check_company_auto = True
    _rec_name = "date_start"

    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(string="Dunning date", required=True, readonly=True)
    date_start = fields.Datetime(string="Started", required=True, readonly=True)
    date_end = fields.Datetime(string="Ended", readonly=True)
    trigger = fields.Selection(
        [("scheduled", "Scheduled"), ("manual", "Manual")],
        required=True,
        readonly=True,
    )
    user_id = fields.Many2one("res.users", string="Started by", readonly=True)
    state = fields.Selection(
        [("running", "Running"), ("done", "Done"), ("interrupted", "Interrupted"), ("failed", "Failed")],
        required=True,
        default="running",
        readonly=True,
        index=True,
    )
    reminder_ids = fields.Many2many(
        "l10n_fr_dunning.reminder",
        string="Reminders",
        readonly=True,
        check_company=True,
    )
    reminder_count = fields.Integer(string="Reminders created", readonly=True)
    sent_count = fields.Integer(string="Emails sent", readonly=True)
    waiting_count = fields.Integer(
        string="Waiting for a person",
        readonly=True,
        help="Letters, registered letters, calls and manual emails.",
    )
    failed_count = fields.Integer(string="Failed", readonly=True)
    left_out_count = fields.Integer(string="Customers left out", readonly=True)
    amount_total = fields.Monetary(string="Total claimed", readonly=True)
    failure_note = fields.Text(string="Failures", readonly=True)
    has_failures = fields.Boolean(compute="_compute_has_failures", search="_search_has_failures")
    breakdown_html = fields.Html(string="Per level and channel", compute="_compute_breakdown_html", sanitize=False)

    @api.depends("failed_count", "left_out_count", "state")
    def _compute_has_failures(self):
        for log in self:
            log.has_failures = bool(log.failed_count or log.left_out_count or log.state == "failed")

    def _search_has_failures(self, operator, value):
        domain = ["|", "|", ("failed_count", ">", 0), ("left_out_count", ">", 0), ("state", "=", "failed")]
        return domain if (operator == "=") == bool(value) else ["!"] + domain

    @api.depends("reminder_ids")
    def _compute_breakdown_html(self):
        for log in self:
            log.breakdown_html = self._breakdown_table(
                [
                    (reminder.level_id, reminder.channel, reminder.amount_total, reminder.state == "failed")
                    for reminder in log.reminder_ids
                ],
                log.currency_id,
            )

    @api.model
    def _breakdown_table(self, rows, currency):
        """HTML table of (level, channel, amount, failed) rows counted per level and channel, ladder order."""
        channels = dict(self.env["l10n_fr_dunning.level"]._fields["channel"]._description_selection(self.env))
        totals = {}
        for level, channel, amount, failed in rows:
            count, total, failures = totals.get((level, channel), (0, 0.0, 0))
            totals[(level, channel)] = (count + 1, total + amount, failures + failed)
        body = Markup().join(
            Markup(
                "<tr><td>%s</td><td>%s</td><td class='text-end'>%s</td><td class='text-end'>%s</td>"
                "<td class='text-end'>%s</td></tr>"
            )
            % (level.name, channels.get(channel, channel), count, format_amount(self.env, total, currency), failures)
            for (level, channel), (count, total, failures) in sorted(
                totals.items(), key=lambda item: (item[0][0].sequence, item[0][0].id, item[0][1])
            )
        )
        return Markup(
            "<table class='table table-sm'><thead><tr><th>%s</th><th>%s</th><th class='text-end'>%s</th>"
            "<th class='text-end'>%s</th><th class='text-end'>%s</th></tr></thead><tbody>%s</tbody></table>"
        ) % (
            self.env._("Level"),
            self.env._("Channel"),
            self.env._("Customers"),
            self.env._("Amount"),
            self.env._("Failures"),
            body,
        )

    @api.model
    def _start(self, company, today, trigger):
        """The summary of a run starting now; a summary the company's previous run left running was killed."""
        logs = self.sudo()
        logs.search([("company_id", "=", company.id), ("state", "=", "running")]).write({"state": "interrupted"})
        return logs.create(
            {
                "company_id": company.id,
                "date": today,
                "date_start": fields.Datetime.now(),
                "trigger": trigger,
                "user_id": self.env.uid if trigger == "manual" else False,
            }
        )

    def _record_batch(self, reminders, left_out):
        """Count a batch's reminders and the customers it left out ({customer: reason}), in its transaction."""
        failed = reminders.filtered(lambda reminder: reminder.state == "failed")
        notes = [f"{reminder.partner_id.display_name}: {reminder.failure_reason}" for reminder in failed]
        notes += [f"{customer.display_name}: {reason}" for customer, reason in left_out.items()]
        self.write(
            {
                "reminder_ids": [Command.link(reminder.id) for reminder in reminders],
                "reminder_count": self.reminder_count + len(reminders),
                "sent_count": self.sent_count + len(reminders.filtered(lambda reminder: reminder.state == "sent")),
                "waiting_count": self.waiting_count
                + len(reminders.filtered(lambda reminder: reminder.state == "to_send")),
                "failed_count": self.failed_count + len(failed),
                "left_out_count": self.left_out_count + len(left_out),
                "amount_total": self.amount_total + sum(reminders.mapped("amount_total")),
                "failure_note": "\n".join(filter(None, [self.failure_note, *notes])) or False,
            }
        )

    def _finish(self, state, error=None):
        """Close the summary: done, or failed with the error that stopped the company's run."""
        values = {"state": state, "date_end": fields.Datetime.now()}
        if error is not None:
            values["failure_note"] = "\n".join(filter(None, [self.failure_note, str(error)]))
        self.write(values)
