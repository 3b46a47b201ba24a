from datetime import datetime, timedelta

from markupsafe import Markup

from odoo import Command, fields, models
from odoo.exceptions import UserError
from odoo.tools import consteq, format_date, formatLang
from odoo.tools.misc import hmac

from odoo.addons.account.tools.structured_reference import format_structured_reference_iso

PORTAL_SCOPE = "l10n_fr_dunning.portal"
BOUNCE_CONTEXT = "l10n_fr_dunning_bounce"


class DunningReminder(models.Model):
    """The customer's side of a reminder: its signed link, payment link and QR code, bounces and replies."""

    _inherit = "l10n_fr_dunning.reminder"

    bounce_fallback_channel = fields.Selection(
        [("letter", "Letter"), ("lrar", "Registered letter (LRAR)"), ("phone", "Phone call")],
        string="Planned instead",
        readonly=True,
        copy=False,
        help="The email bounced: this is what was planned instead (the level's fallback channel).",
    )
    portal_answer_ids = fields.One2many(
        "l10n_fr_dunning.portal.answer", "reminder_id", string="Customer answers", readonly=True
    )
    portal_link = fields.Char(
        string="Customer page",
        compute="_compute_portal_link",
        help="The signed link printed in the email and the letter: the customer pays, promises, disputes or asks "
        "for a plan there, without an account.",
    )
    portal_expiry = fields.Date(string="Link valid until", compute="_compute_portal_link")

    # ---- Signed link to the customer page ------------------------------------------------------------------

    def _compute_portal_link(self):
        for reminder in self:
            saved = bool(reminder._origin.id)
            reminder.portal_link = saved and reminder._origin._portal_url()
            reminder.portal_expiry = saved and reminder._origin._portal_expiry()

    def _portal_expiry(self):
        """Last day the customer page link of this reminder works."""
        return self.date + timedelta(days=self.company_id.dunning_portal_days)

    def _portal_signature(self, expiry):
        """128 bits of the HMAC-SHA256 of the reminder and expiry: short enough for a printed link."""
        return hmac(self.env(su=True), PORTAL_SCOPE, (self.id, expiry.isoformat()))[:32]

    def _portal_token(self):
        """``<reminder id>-<expiry YYYYMMDD>-<HMAC of both>``: no account needed, cannot be forged nor extended."""
        self.ensure_one()
        expiry = self._portal_expiry()
        return f"{self.id}-{expiry:%Y%m%d}-{self._portal_signature(expiry)}"

    def _portal_from_token(self, token):
        """The reminder ``token`` opens (sudo), or an empty recordset if it is altered, expired or cancelled."""
        try:
            reminder_id, expiry, signature = token.split("-")
            reminder = self.sudo().browse(int(reminder_id)).exists()
            expiry = datetime.strptime(expiry, "%Y%m%d").date()
        except ValueError:
            return self.browse()
        if (
            not reminder
            or not consteq(signature, reminder._portal_signature(expiry))
            or expiry < fields.Date.context_today(self)
            or reminder.state == "cancelled"
        ):
            return self.browse()
        return reminder

    def _portal_url(self, suffix=""):
        self.ensure_one()
        return f"{self.get_base_url()}/relance/{self._portal_token()}{suffix}"

    def _portal_invoices(self):
        """The customer's overdue invoices in the reminder's company (the page lists nothing else)."""
        self.ensure_one()
        return (
            self.env["account.move"]
            .sudo()
            .search(
                [
                    ("commercial_partner_id", "=", self.partner_id.commercial_partner_id.id),
                    ("company_id", "=", self.company_id.id),
                    ("dunning_active", "=", True),
                    ("invoice_date_due", "<", fields.Date.context_today(self)),
                ],
                order="invoice_date_due, id",
            )
        )

    def _portal_answers_last_hour(self):
        since = fields.Datetime.now() - timedelta(hours=1)
        return (
            self.env["l10n_fr_dunning.portal.answer"]
            .sudo()
            .search_count(
                [
                    ("reminder_id", "=", self.id),
                    ("create_date", ">=", since),
                ]
            )
        )

    def _portal_can_answer(self):
        return self._portal_answers_last_hour() < self.company_id.dunning_portal_max_answers

    def _portal_responsible(self):
        return (
            self.user_id
            or self.company_id.dunning_user_id
            or self.partner_id.user_id
            or self.env.ref("base.user_admin")
        )

    def _portal_record_answer(self, kind, summary, attachments=None):
        """Log a customer's answer in the reminder's chatter and give its responsible an activity."""
        self.ensure_one()
        answer = (
            self.env["l10n_fr_dunning.portal.answer"]
            .sudo()
            .create(
                {
                    "reminder_id": self.id,
                    "kind": kind,
                    "summary": summary,
                }
            )
        )
        self.sudo().message_post(
            body=Markup("<p>%s</p><p>%s</p>") % (self.env._("Answer from the customer page:"), summary),
            author_id=self.partner_id.id,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
            attachment_ids=(attachments or self.env["ir.attachment"]).ids,
        )
        self.sudo().activity_schedule(
            "mail.mail_activity_data_todo",
            date_deadline=fields.Date.context_today(self),
            summary=self.env._("The customer answered the reminder from its page"),
            note=summary,
            user_id=self._portal_responsible().id,
        )
        return answer

    def _portal_promise(self, date, amount):
        """The customer promises to pay ``amount`` on ``date`` for its overdue invoices: the promise wizard's rules
        and notes, then the answer is recorded."""
        self.ensure_one()
        invoices = self._portal_invoices()
        if not invoices:
            raise UserError(self.env._("You have no overdue invoice left to promise a payment for."))
        if not date:
            raise UserError(self.env._("Choose the date you will pay."))
        wizard = (
            self.env["l10n_fr_dunning.promise.wizard"]
            .sudo()
            .create(
                {
                    "move_ids": [Command.set(invoices.ids)],
                    "date": date,
                    "amount": amount,
                    "note": self.env._("Promise made by the customer on the reminder page."),
                    "source": "portal",
                }
            )
        )
        wizard.action_apply()
        self._portal_record_answer(
            "promise",
            self.env._(
                "Promise to pay %(amount)s on %(date)s for %(invoices)s.",
                amount=formatLang(self.env, wizard.amount, currency_obj=wizard.currency_id),
                date=format_date(self.env, wizard.date),
                invoices=", ".join(invoices.mapped("name")),
            ),
        )

    def _portal_dispute(self, invoice, reason, document=None):
        """The customer disputes one of its overdue ``invoice`` (the dispute wizard's rules and notes), with an
        optional ``document`` (file name, content) kept on the invoice."""
        self.ensure_one()
        if len(invoice) != 1 or invoice not in self._portal_invoices():
            raise UserError(self.env._("Choose one of your overdue invoices."))
        if not reason:
            raise UserError(self.env._("Say what you dispute on this invoice."))
        self.env["l10n_fr_dunning.dispute.wizard"].sudo().create(
            {
                "move_ids": [Command.set(invoice.ids)],
                "reason": reason,
            }
        ).action_apply()
        attachments = self.env["ir.attachment"]
        if document:
            attachments = attachments.sudo().create(
                {
                    "name": document[0],
                    "raw": document[1],
                    "res_model": invoice._name,
                    "res_id": invoice.id,
                }
            )
            invoice.sudo().message_post(
                body=Markup("%s") % self.env._("Document sent by the customer with the dispute."),
                attachment_ids=attachments.ids,
                message_type="comment",
                subtype_xmlid="mail.mt_note",
                author_id=self.partner_id.id,
            )
        self._portal_record_answer(
            "dispute", self.env._("%(invoice)s disputed: %(reason)s", invoice=invoice.name, reason=reason), attachments
        )

    def _portal_plan_request(self, request_text, instalments=""):
        """The customer asks for a payment plan: recorded, and a draft plan for the responsible to complete and
        accept."""
        self.ensure_one()
        if not request_text:
            raise UserError(self.env._("Tell us what payment plan you need."))
        summary = self.env._("Payment plan requested: %s", request_text)
        if instalments:
            summary += "\n" + self.env._("Proposed instalments: %s", instalments)
        answer = self._portal_record_answer("plan", summary)
        Plan = self.env["l10n_fr_dunning.payment.plan"].sudo()
        draft = Plan.search([("reminder_id", "=", self.id), ("state", "=", "draft")], limit=1)
        if draft:
            draft.message_post(body=summary, message_type="comment", subtype_xmlid="mail.mt_note")
        else:
            Plan._new_from_reminder(self.sudo(), answer, summary)

    def _portal_payment_plan(self):
        """The customer's latest plan to show on the page (sudo), if any."""
        self.ensure_one()
        return (
            self.env["l10n_fr_dunning.payment.plan"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", self.partner_id.commercial_partner_id.id),
                    ("company_id", "=", self.company_id.id),
                    ("state", "!=", "cancelled"),
                ],
                limit=1,
            )
        )

    # ---- Paying ----------------------------------------------------------------------------------------------

    def _letter_amount_claimed(self):
        """What the email and letter ask to pay: the total claimed with interest when shown, otherwise the
        amounts due less unallocated credits."""
        self.ensure_one()
        if self._letter_shows_interest():
            return self.amount_total
        return self.amount_residual - self.amount_credit

    def _payment_amount(self):
        return self.currency_id.round(self._letter_amount_claimed())

    def _payment_link_params(self):
        """The query of Odoo's payment page (``/payment/pay``) for the reminder's total, without its access token
        (signed by the controller, ``payment.utils.generate_access_token`` needs a request)."""
        self.ensure_one()
        return {
            "reference": self._letter_reference(),
            "amount": self._payment_amount(),
            "currency_id": self.currency_id.id,
            "partner_id": self.partner_id.commercial_partner_id.id,
            "company_id": self.company_id.id,
            "dunning_token": self._portal_token(),
        }

    def _payment_structured_reference(self):
        """ISO 11649 creditor reference built from the letter's reference (``RF.. RL00 0012 3``)."""
        return format_structured_reference_iso(self._letter_reference())

    def _payment_bank_account(self):
        return self.company_id.partner_id.sudo().bank_ids[:1]

    def _payment_qr_args(self):
        return (
            self._payment_amount(),
            self._letter_payment_reference(),
            self._payment_structured_reference(),
            self.currency_id,
            self.partner_id,
        )

    def _payment_qr_values(self):
        """The EPC (SEPA credit transfer) QR code's lines, or None when the company's account cannot have one."""
        bank = self._payment_bank_account()
        args = self._payment_qr_args()
        if not bank or not bank._build_qr_code_vals(*args, qr_method="sct_qr"):
            return None
        amount, free, structured, currency, debtor = args
        return bank._get_qr_vals("sct_qr", amount, currency, debtor, free, structured)

    def _payment_qr_code_base64(self):
        """The EPC QR code as a data URI for the letters, or None."""
        bank = self._payment_bank_account()
        return bank and bank.build_qr_code_base64(*self._payment_qr_args(), qr_method="sct_qr")

    def _payment_qr_code_url(self):
        """The EPC QR code's absolute image URL for the emails (mail clients drop inline data images), or None."""
        bank = self._payment_bank_account()
        url = bank and bank.build_qr_code_url(*self._payment_qr_args(), qr_method="sct_qr")
        return url and f"{self.get_base_url()}{url}"

    # ---- Emails: copies, bounces, replies -------------------------------------------------------------------

    def _email_copy_recipients(self):
        """The CC of the reminder email: the company's copy address and the reminder's internal followers."""
        self.ensure_one()
        internal = self.message_partner_ids.filtered(
            lambda partner: partner.user_ids and not any(partner.user_ids.mapped("share")) and partner.email
        )
        addresses = [self.company_id.dunning_cc_email] if self.company_id.dunning_cc_email else []
        return ", ".join(addresses + internal.mapped("email_formatted"))

    def _letter_report(self):
        """A bounced email's letter: the level's, or the standard reminder letter when the level has none."""
        if self.bounce_fallback_channel and not self.level_id.report_id:
            return self.env.ref("l10n_fr_dunning.action_report_reminder_letter")
        return super()._letter_report()

    def _check_history_unchanged(self, vals):
        """A bounce may fail a sent email reminder: it never reached the customer."""
        if (
            self.env.context.get(BOUNCE_CONTEXT)
            and vals.get("state") == "failed"
            and set(vals) <= {"state", "failure_reason", "bounce_fallback_channel"}
        ):
            return
        super()._check_history_unchanged(vals)

    def _message_receive_bounce(self, email, partner):
        """The reminder email bounced: it never reached the customer."""
        result = super()._message_receive_bounce(email, partner)
        self._fail_undelivered_email(self.env._("The email to %s bounced: it did not reach the customer.", email))
        return result

    def _fail_undelivered_email(self, reason):
        """Fail the sent email reminders (a failed reminder does not count for the level) and plan their level's
        fallback channel instead, by default its letter."""
        for reminder in self.filtered(lambda reminder: reminder.channel == "email" and reminder.state == "sent"):
            reminder.with_context(**{BOUNCE_CONTEXT: True}).sudo().write(
                {
                    "state": "failed",
                    "failure_reason": reason,
                    "bounce_fallback_channel": reminder.level_id.fallback_channel or "letter",
                }
            )
            reminder._plan_fallback(reason)

    def _plan_fallback(self, reason):
        self.ensure_one()
        summaries = {
            "letter": self.env._("The email bounced: print and post the reminder letter instead"),
            "lrar": self.env._("The email bounced: send the registered letter instead"),
            "phone": self.env._("The email bounced: call the customer instead"),
        }
        activity = (
            "mail.mail_activity_data_call"
            if self.bounce_fallback_channel == "phone"
            else "mail.mail_activity_data_todo"
        )
        self.sudo().activity_schedule(
            activity,
            date_deadline=fields.Date.context_today(self),
            note=reason,
            summary=summaries[self.bounce_fallback_channel],
            user_id=self._portal_responsible().id,
        )
        self._log_on_documents({self.id: self._describe(self.env._("Reminder email bounced (%s):", reason))})

    def action_send(self):
        """Emailing a bounced reminder again (its address corrected) drops the fallback planned instead."""
        self.filtered("bounce_fallback_channel").sudo().write({"bounce_fallback_channel": False})
        return super().action_send()

    def action_mark_sent(self):
        """A bounced email's fallback (letter, call) is recorded as sent like any letter or call."""
        self.filtered(lambda reminder: reminder.state == "failed" and reminder.bounce_fallback_channel)._write_state(
            {"state": "to_send"}
        )
        return super().action_mark_sent()

    def message_update(self, msg_dict, update_vals=None):
        """A customer's reply lands in the reminder's chatter (routed by its email's Message-Id) and reaches
        the responsible as an activity."""
        result = super().message_update(msg_dict, update_vals=update_vals)
        for reminder in self:
            reminder.sudo().activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=fields.Date.context_today(self),
                summary=self.env._("The customer replied to the reminder"),
                note=msg_dict.get("subject") or "",
                user_id=reminder._portal_responsible().id,
            )
        return result
