from itertools import pairwise

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import format_amount, format_date

from ..lib import sending_window
from .dunning_checks import check_name, check_range

CALL_SCRIPT_PLACEHOLDERS = ("{customer}", "{contact}", "{invoices}", "{amount}", "{date}", "{user}")


class DunningLevel(models.Model):
    """One step of a policy's dunning ladder, from the courteous reminder to the court stage."""

    _name = "l10n_fr_dunning.level"
    _description = "Dunning level"
    _order = "company_id, policy_id, sequence, delay_days, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    policy_id = fields.Many2one(
        "l10n_fr_dunning.policy",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
        help="The customer segment whose ladder this level belongs to.",
    )
    delay_days = fields.Integer(
        string="Delay (days)",
        required=True,
        help="Days after the due date from which an invoice reaches this level; negative before the due date.",
    )
    min_interval_days = fields.Integer(
        string="Minimum interval (days)",
        default=10,
        help="Days that must have passed since the customer's previous reminder.",
    )
    channel = fields.Selection(
        [("email", "Email"), ("letter", "Letter"), ("lrar", "Registered letter (LRAR)"), ("phone", "Phone call")],
        required=True,
        default="email",
    )
    fallback_channel = fields.Selection(
        [("letter", "Letter"), ("lrar", "Registered letter (LRAR)"), ("phone", "Phone call")],
        string="If the email bounces",
        default="letter",
        help="When the reminder email of this level bounces, the reminder is marked failed and this is planned "
        "instead.",
    )
    extra_channel = fields.Selection(
        [("letter", "Letter"), ("lrar", "Registered letter (LRAR)"), ("phone", "Phone call")],
        string="Also",
        help="Done together with the email, in the same reminder: the letter or registered letter is printed and "
        "posted as well, or the customer is called with the call script.",
    )
    mail_template_id = fields.Many2one(
        "mail.template",
        string="Email template",
        domain=[("model", "=", "l10n_fr_dunning.reminder")],
    )
    report_id = fields.Many2one(
        "ir.actions.report",
        string="Letter",
        domain=[("model", "=", "l10n_fr_dunning.reminder")],
    )
    auto_send = fields.Boolean(
        string="Sent automatically",
        default=True,
        help="Emails of this level are sent by the scheduled run; otherwise the reminder waits for a person to "
        "validate it.",
    )
    stops_automation = fields.Boolean(
        string="Court stage",
        help="Reaching this level stops automatic dunning: the customer's file goes to litigation.",
    )
    is_formal_notice = fields.Boolean(
        string="Mise en demeure",
        help="This level is the formal notice (Code civil 1344): it starts legal interest for consumers.",
    )
    payment_deadline_days = fields.Integer(
        string="Payment deadline (days)",
        help="Days given to pay, from receipt of the letter (mise en demeure).",
    )
    recall_penalties = fields.Boolean(
        string="Recall penalties",
        help="The email shows days late and the penalties due (Code de commerce L441-10); "
        "off for the courteous first reminder.",
    )
    note = fields.Html(
        string="Letter text",
        translate=True,
        help="Paragraph printed in the letter or email of this level to professional customers.",
    )
    note_consumer = fields.Html(
        string="Letter text for consumers",
        translate=True,
        help="The same paragraph for consumers and non-professionals: never cite the Code de commerce, the "
        "late-payment penalties or the 40 € indemnity to them (Code des procédures civiles d'exécution L111-8).",
    )
    note_public = fields.Html(
        string="Letter text for public buyers",
        translate=True,
        help="The same paragraph for public buyers: intérêts moratoires and the 40 € of the Code de la commande "
        "publique (L2192-13, R2192-31).",
    )
    reminder_count = fields.Integer(compute="_compute_reminder_count")
    call_script = fields.Text(
        help="Put in the note of the call task. Placeholders: {customer}, {contact} (the reminder contact), "
        "{invoices} (numbers), {amount} (total claimed), {date} (payment date to obtain: in 8 days), {user}.",
    )
    skip_weekends = fields.Boolean(
        string="Not on weekends",
        help="Reminders of this level are not sent on Saturdays and Sundays: the run postpones them to Monday.",
    )
    quiet_last_days = fields.Integer(
        string="Quiet days at month end",
        help="Reminders of this level are not sent in the last days of the month, when accounts departments "
        "close their books: the run postpones them to the 1st.",
    )

    _sql_constraints = [
        ("min_interval_positive", "CHECK(min_interval_days >= 0)", "The minimum interval cannot be negative."),
    ]

    @api.constrains("name")
    def _check_name(self):
        for level in self:
            check_name(level)

    @api.constrains("delay_days", "min_interval_days", "payment_deadline_days", "quiet_last_days")
    def _check_days(self):
        """A year before the due date to ten years after it: beyond, a delay is a typo that stalls every run."""
        for level in self:
            check_range(level, "delay_days", -365, 3650)
            check_range(level, "min_interval_days", 0, 3650)
            check_range(level, "payment_deadline_days", 0, 365)
            check_range(level, "quiet_last_days", 0, 20)

    @api.constrains("channel", "extra_channel", "report_id")
    def _check_extra_channel(self):
        for level in self:
            if level.extra_channel and level.channel != "email":
                raise ValidationError(
                    self.env._(
                        "The level %s adds a second channel to an email only: clear “Also” or make it an email level.",
                        level.name,
                    )
                )
            if level.extra_channel in ("letter", "lrar") and not level.report_id:
                raise ValidationError(
                    self.env._("The level %s also sends a letter: choose the letter to print.", level.name)
                )

    @api.constrains("sequence", "delay_days", "active", "policy_id")
    def _check_ladder_order(self):
        """In a policy's active ladder, sequences are distinct and a later level never comes sooner."""
        for policy in self.policy_id:
            ladder = self.sudo()._ladder(policy)
            for previous, level in pairwise(ladder):
                if level.sequence == previous.sequence:
                    raise ValidationError(
                        self.env._(
                            "The levels %(first)s and %(second)s of %(policy)s have the same sequence (%(sequence)s): "
                            "give each level its own place in the ladder.",
                            first=previous.name,
                            second=level.name,
                            policy=policy.display_name,
                            sequence=level.sequence,
                        )
                    )
                if level.delay_days < previous.delay_days:
                    raise ValidationError(
                        self.env._(
                            "The level %(later)s comes after %(earlier)s in the ladder of %(policy)s but its delay "
                            "(%(later_delay)s days) is shorter than %(earlier_delay)s days: lengthen it or move it up.",
                            later=level.name,
                            earlier=previous.name,
                            policy=policy.display_name,
                            later_delay=level.delay_days,
                            earlier_delay=previous.delay_days,
                        )
                    )

    @api.depends_context("company")
    def _compute_reminder_count(self):
        counts = dict(
            self.env["l10n_fr_dunning.reminder"]._read_group(
                [("level_id", "in", self.ids)],
                ["level_id"],
                ["__count"],
            )
        )
        for level in self:
            level.reminder_count = counts.get(level, 0)

    def _note_for(self, regime):
        """This level's paragraph in the wording of the debtor's regime (no fallback across wordings)."""
        self.ensure_one()
        return {"consumer": self.note_consumer, "public": self.note_public}.get(regime.text_variant, self.note)

    def _ladder(self, policy):
        """The active levels of ``policy``, in escalation order."""
        return self.search([("policy_id", "=", policy.id)], order="sequence, delay_days, id")

    def _sends_on(self, day):
        """Whether this level's sending window lets a reminder go out on ``day``."""
        self.ensure_one()
        return sending_window.is_sending_day(day, self.skip_weekends, self.quiet_last_days)

    def _next_sending_day(self, day):
        """``day`` or the first day after it on which this level's sending window lets a reminder go out."""
        self.ensure_one()
        return sending_window.next_sending_day(day, self.skip_weekends, self.quiet_last_days)

    def _render_call_script(self, reminder):
        """The call script with the reminder's customer, invoices, amount and the date to obtain."""
        self.ensure_one()
        if not self.call_script:
            return ""
        values = {
            "customer": reminder.partner_id.name or "",
            "contact": reminder.contact_id.name or reminder.partner_id.name or "",
            "invoices": ", ".join(reminder.line_ids.move_id.mapped("name")),
            "amount": format_amount(self.env, reminder.amount_total, reminder.currency_id),
            "date": format_date(self.env, fields.Date.add(reminder.date, days=8)),
            "user": reminder.user_id.name or self.env.user.name,
        }
        script = self.call_script
        for key, value in values.items():
            script = script.replace(f"{{{key}}}", value)
        return script
