import io
import re
from collections import defaultdict
from datetime import timedelta

import lxml.html
from markupsafe import Markup

from odoo import api, fields, models, tools
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, plaintext2html
from odoo.tools.pdf import PdfFileReader, PdfFileWriter

from odoo.addons.base.models.ir_model import MODULE_UNINSTALL_FLAG

from ..lib import french_law, french_words
from .account_move import UNCOUNTED_REMINDER_STATES
from .dunning_checks import check_date

# La Poste registered letter number: two letters, or a digit and a letter, then digits ("1A 123 456 7890 1").
LRAR_NUMBER = re.compile(r"^([A-Z]{2}|[0-9][A-Z])[0-9]{9,13}$")


def _one_document(bodies):
    """One HTML document holding every body's content, each starting on a new page."""
    documents = [lxml.html.fromstring(body) for body in bodies]
    target = documents[0].find("body")
    for document in documents[1:]:
        page_break = lxml.html.Element("div", style="page-break-before: always;")
        page_break.extend(document.find("body"))
        target.append(page_break)
    return lxml.html.tostring(documents[0], encoding="unicode")


def _cut_pdf_at_markers(pdf, markers):
    """{key: PDF bytes}: ``pdf`` cut before the first page showing each marker, markers in page order."""
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    texts = [page.extract_text() or "" for page in reader.pages]
    keys = list(markers)
    starts = []
    page = 0
    for key in keys:
        while page < len(texts) and markers[key] not in texts[page]:
            page += 1
        if page == len(texts):
            return {}
        starts.append(page)
        page += 1
    if starts[0] != 0:
        return {}
    result = {}
    for index, key in enumerate(keys):
        end = starts[index + 1] if index + 1 < len(starts) else len(texts)
        writer = PdfFileWriter()
        for number in range(starts[index], end):
            writer.add_page(reader.pages[number])
        stream = io.BytesIO()
        writer.write(stream)
        result[key] = stream.getvalue()
    return result


class DunningReminder(models.Model):
    """One reminder sent (or to send) to one customer, for one or more invoices."""

    _name = "l10n_fr_dunning.reminder"
    _description = "Dunning reminder"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        readonly=True,
        check_company=True,
        help="The commercial entity the reminder is addressed to.",
    )
    contact_id = fields.Many2one("res.partner", string="Sent to", readonly=True, check_company=True)
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    level_id = fields.Many2one(
        "l10n_fr_dunning.level",
        required=True,
        readonly=True,
        index=True,
        check_company=True,
    )
    channel = fields.Selection(related="level_id.channel", store=True)
    extra_channel = fields.Selection(related="level_id.extra_channel", store=True, string="Also")
    extra_done = fields.Boolean(
        string="Second channel done",
        readonly=True,
        copy=False,
        help="The letter that goes with the email was posted (a registered letter: its posting recorded), or the "
        "call that goes with it made.",
    )
    extra_activity_id = fields.Many2one("mail.activity", readonly=True, copy=False, ondelete="set null")
    policy_id = fields.Many2one(related="level_id.policy_id", store=True)
    is_formal_notice = fields.Boolean(related="level_id.is_formal_notice", store=True)
    date = fields.Date(required=True, readonly=True, index=True, default=fields.Date.context_today)
    # Not company-checked: the customer's salesperson may work in another company.
    user_id = fields.Many2one("res.users", string="Responsible", readonly=True)
    state = fields.Selection(
        [("to_send", "To send"), ("sent", "Sent"), ("cancelled", "Cancelled"), ("failed", "Failed")],
        required=True,
        default="to_send",
        readonly=True,
        tracking=True,
        index=True,
    )
    failure_reason = fields.Text(readonly=True)
    sent_date = fields.Date(readonly=True, help="When the email left or the letter was posted.")
    line_ids = fields.One2many("l10n_fr_dunning.reminder.line", "reminder_id", string="Invoices", readonly=True)
    amount_residual = fields.Monetary(string="Amount due", compute="_compute_amounts", store=True)
    amount_penalty = fields.Monetary(string="Penalties", compute="_compute_amounts", store=True)
    amount_indemnity = fields.Monetary(string="Recovery indemnities", compute="_compute_amounts", store=True)
    credit_ids = fields.One2many(
        "l10n_fr_dunning.reminder.credit",
        "reminder_id",
        string="Credits not allocated",
        readonly=True,
        help="Credit notes and payments of the customer not reconciled with an invoice: they reduce the total claimed.",
    )
    amount_credit = fields.Monetary(string="Credits to deduct", compute="_compute_amounts", store=True)
    amount_total = fields.Monetary(string="Total claimed", compute="_compute_amounts", store=True)
    amount_error = fields.Char(
        string="Interest problem",
        compute="_compute_amounts",
        store=True,
        help="A rate is missing: add it, then print the letter again (its amounts are computed again).",
    )
    mail_message_id = fields.Many2one("mail.message", string="Email", readonly=True)
    # Registered letter with acknowledgment of receipt (LRAR) or electronic registered letter (CPCE L100).
    lrar_kind = fields.Selection(
        [
            ("postal", "Registered letter (La Poste)"),
            ("electronic", "Electronic registered letter"),
            ("bailiff", "Commissaire de justice's act"),
        ],
        string="Sent by",
        default="postal",
        required=True,
        tracking=True,
        help="How the mise en demeure was sent: a registered letter with acknowledgment of receipt, an electronic "
        "registered letter (CPCE L100; a consumer must have agreed to it) or a sommation by a commissaire de "
        "justice (Code civil 1344).",
    )
    lrar_tracking_number = fields.Char(string="Registered letter number", tracking=True, copy=False)
    lrar_date_posted = fields.Date(string="Posted on", tracking=True, copy=False)
    lrar_date_acknowledged = fields.Date(string="Acknowledged on", tracking=True, copy=False)
    lrar_returned = fields.Boolean(
        string="Returned undelivered",
        tracking=True,
        copy=False,
        help="The letter came back unclaimed (non réclamé): the deadline runs from its first presentation.",
    )
    lrar_date_first_presented = fields.Date(string="First presented on", copy=False)
    lrar_posting_proof_id = fields.Many2one("ir.attachment", string="Proof of posting", copy=False)
    lrar_acknowledgment_id = fields.Many2one("ir.attachment", string="Acknowledgment of receipt", copy=False)
    received_date = fields.Date(
        string="Received on",
        compute="_compute_received_date",
        store=True,
        help="Receipt of the registered letter, or its first presentation when it came back unclaimed.",
    )
    payment_deadline = fields.Date(
        compute="_compute_payment_deadline",
        store=True,
        help="Deadline to pay given by a mise en demeure: from receipt (or first presentation), "
        "moved to the next working day (Code de procédure civile 642).",
    )
    letter_attachment_id = fields.Many2one("ir.attachment", string="Letter (PDF)", readonly=True)
    override_reason = fields.Text(
        string="Sent despite the warnings",
        readonly=True,
        help="Why a person sent this reminder although the preview warned (invoice not yet due, promise to pay, "
        "dispute, pause, minimum interval).",
    )

    def init(self):
        # Exactly once: one live reminder per customer and day, whatever runs concurrently.
        self.env.cr.execute(f"""
            CREATE UNIQUE INDEX IF NOT EXISTS l10n_fr_dunning_reminder_once_a_day
                ON {self._table} (company_id, partner_id, date) WHERE state != 'cancelled'
        """)

    @api.depends("lrar_date_acknowledged", "lrar_returned", "lrar_date_first_presented")
    def _compute_received_date(self):
        for reminder in self:
            reminder.received_date = (
                reminder.lrar_date_first_presented if reminder.lrar_returned else reminder.lrar_date_acknowledged
            )

    @api.depends("received_date", "level_id.payment_deadline_days")
    def _compute_payment_deadline(self):
        for reminder in self:
            days = reminder.level_id.payment_deadline_days or reminder.company_id.dunning_payment_deadline_days
            received = reminder.received_date
            reminder.payment_deadline = received and days and french_law.deadline(received, days=days)

    @api.model
    def _create_in_batch(self, vals_list, lines_list):
        """Reminders of a run's batch with their invoice lines (``lines_list[i]``: line values of ``vals_list[i]``).

        The same records as ``create`` with line commands, faster: no creation note nor follower per reminder,
        one INSERT for the lines, and each invoice's dunning level and last reminder date set to its new line's
        unless the reminder is cancelled or failed (what ``account.move._compute_dunning_level`` gives: the new
        line is the newest, one live reminder per customer and day). They are set as that compute would set them,
        so the ORM writes them with the invoices' next reminder date, which it recomputes from them, in one UPDATE
        per invoice at the flush; a recomputation of the level (a reminder sent or failing later through the ORM,
        ``_mark_failed``) finds them in the cache. The reminders' totals are then recomputed by the ORM.
        """
        reminders = self.with_context(tracking_disable=True).create(vals_list)
        rows = [(reminder.id, line) for reminder, lines in zip(reminders, lines_list, strict=True) for line in lines]
        if not rows:
            return reminders
        self.flush_model(["company_id", "level_id", "state", "date"])
        self.env["account.move"].flush_model(["invoice_date_due", "dunning_level_id", "dunning_last_date"])
        now = self.env.cr.now()
        columns = (
            "move_id",
            "amount_total",
            "amount_residual",
            "amount_penalty",
            "amount_indemnity",
            "days_late",
            "late_instalments",
            "amount_error",
        )
        self.env.cr.execute(
            SQL(
                """
            INSERT INTO l10n_fr_dunning_reminder_line (
                   reminder_id, move_id, company_id, level_id, state, date, invoice_date_due, amount_total,
                   amount_residual, amount_penalty, amount_indemnity, days_late, late_instalments, amount_error,
                   create_uid, create_date, write_uid, write_date)
            SELECT reminder.id, line.move_id, reminder.company_id, reminder.level_id, reminder.state, reminder.date,
                   move.invoice_date_due, line.amount_total, line.amount_residual, line.amount_penalty,
                   line.amount_indemnity, line.days_late, line.late_instalments, line.amount_error,
                   %(uid)s, %(now)s, %(uid)s, %(now)s
              FROM unnest(%(reminder_ids)s::int[], %(move_id)s::int[], %(amount_total)s::numeric[],
                          %(amount_residual)s::numeric[], %(amount_penalty)s::numeric[],
                          %(amount_indemnity)s::numeric[], %(days_late)s::int[], %(late_instalments)s::varchar[],
                          %(amount_error)s::varchar[])
                   AS line(reminder_id, move_id, amount_total, amount_residual, amount_penalty, amount_indemnity,
                           days_late, late_instalments, amount_error)
              JOIN l10n_fr_dunning_reminder reminder ON reminder.id = line.reminder_id
              JOIN account_move move ON move.id = line.move_id
            """,
                uid=self.env.uid,
                now=now,
                reminder_ids=[reminder_id for reminder_id, _line in rows],
                **{
                    column: [
                        line[column] or None if column in ("late_instalments", "amount_error") else line[column]
                        for _id, line in rows
                    ]
                    for column in columns
                },
            )
        )
        moves = self.env["account.move"].browse({line["move_id"] for _id, line in rows})
        reminders.invalidate_recordset(["line_ids"])
        moves.invalidate_recordset(["dunning_line_ids"])
        self._set_invoice_levels(reminders, lines_list)
        reminders.modified(["line_ids"])
        moves.modified(["dunning_level_id", "dunning_last_date"])
        return reminders

    @api.model
    def _set_invoice_levels(self, reminders, lines_list):
        """Set the invoices' level and last reminder date of the new lines as ``_compute_dunning_level`` does
        (protected, written at the next flush), one assignment per level and date."""
        Move = self.env["account.move"]
        move_ids = defaultdict(list)
        for reminder, lines in zip(reminders, lines_list, strict=True):
            if reminder.state not in UNCOUNTED_REMINDER_STATES:
                move_ids[reminder.level_id, reminder.date].extend(line["move_id"] for line in lines)
        computed = [Move._fields["dunning_level_id"], Move._fields["dunning_last_date"]]
        with self.env.protecting(computed, Move.browse({move_id for ids in move_ids.values() for move_id in ids})):
            for (level, date), ids in move_ids.items():
                invoices = Move.browse(ids)
                invoices.dunning_level_id = level
                invoices.dunning_last_date = date

    # ---- Registered letter (LRAR) --------------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._normalise_lrar_number(vals)
        reminders = super().create(vals_list)
        reminders._link_proofs()
        return reminders

    def write(self, vals):
        self._check_state_written_by_action(vals)
        self._check_history_unchanged(vals)
        self._normalise_lrar_number(vals)
        result = super().write(vals)
        if {"lrar_posting_proof_id", "lrar_acknowledgment_id"} & set(vals):
            self._link_proofs()
        if {"lrar_date_acknowledged", "lrar_returned", "lrar_date_first_presented"} & set(vals):
            # A consumer's legal interest runs from the receipt of the mise en demeure (Code civil 1231-6).
            self.line_ids.move_id._dunning_outdate_stored_amounts()
        self._send_posted_registered_letters(vals)
        return result

    def _link_proofs(self):
        """Attach the scans of the registered letter's proofs to their reminder: whoever may read the reminder
        reads them (the court file exports them), not only the user who uploaded them."""
        for reminder in self:
            proofs = (reminder.lrar_posting_proof_id | reminder.lrar_acknowledgment_id).sudo()
            proofs.filtered(lambda proof: not proof.res_model).write({"res_model": self._name, "res_id": reminder.id})

    @api.ondelete(at_uninstall=False)
    def _unlink_except_sent(self):
        if any(reminder.state == "sent" for reminder in self):
            raise UserError(
                self.env._(
                    "A reminder that was sent cannot be deleted: it is part of the customer's file, as the court "
                    "will read it. Only a reminder not sent yet can be cancelled."
                )
            )

    # ---- Immutable history ---------------------------------------------------------------------------------

    def _writable_after_sending(self):
        """Fields that record what happens AFTER a reminder is sent, the only ones writable once it is sent.

        The registered letter's delivery (acknowledgment, first presentation, returned unclaimed) and the scans
        of its proofs arrive days after posting; chatter, followers and activities are the record's life, not
        its content. Everything else (customer, level, date, amounts, lines, number and posting date, the
        letter and the email) is what the customer received and stays as sent.
        """
        chatter = set(self.env["mail.thread"]._fields) | set(self.env["mail.activity.mixin"]._fields)
        return chatter - set(models.MAGIC_COLUMNS) - {"display_name"} | {
            "extra_done",
            "extra_activity_id",
            "lrar_date_acknowledged",
            "lrar_returned",
            "lrar_date_first_presented",
            "lrar_posting_proof_id",
            "lrar_acknowledgment_id",
        }

    def _check_history_unchanged(self, vals):
        """A sent reminder is history: refuse any change but what happens after sending (anyone, sudo included).

        The letter PDF may still be kept once, on a reminder sent without one (a call made, then its letter
        printed).
        """
        changed = set(vals) - self._writable_after_sending()
        if vals.get("letter_attachment_id") and not self.filtered("letter_attachment_id"):
            changed.discard("letter_attachment_id")
        if all(reminder.extra_channel == "lrar" and not reminder.extra_done for reminder in self):
            changed -= {"lrar_kind", "lrar_tracking_number", "lrar_date_posted"}  # the email's registered letter
        sent = self.filtered(lambda reminder: reminder.state == "sent")
        if sent and changed:
            raise UserError(
                self.env._(
                    "%(reminders)s was sent: it is part of the customer's file and cannot be changed (%(fields)s). "
                    "Only its delivery (acknowledgment, first presentation, returned letter) and proofs can be "
                    "recorded.",
                    reminders=", ".join(sent.mapped("display_name")),
                    fields=", ".join(self._fields[name]._description_string(self.env) for name in sorted(changed)),
                )
            )

    def _check_content_editable(self, what):
        """Refuse to change ``what`` (lines, credits) of a sent reminder, unless the module is uninstalled."""
        sent = self.filtered(lambda reminder: reminder.state == "sent")
        if sent and not self.env.context.get(MODULE_UNINSTALL_FLAG):
            raise UserError(
                self.env._(
                    "%(reminders)s was sent: its %(what)s are part of the customer's file and cannot be changed.",
                    reminders=", ".join(sent.mapped("display_name")),
                    what=what,
                )
            )

    def _check_state_written_by_action(self, vals):
        """The state moves only through the actions (send, mark sent, record the posting, cancel), which write it
        as superuser (``_write_state``): a direct write, over RPC or an import, is refused."""
        if "state" in vals and not self.env.su:
            raise UserError(
                self.env._(
                    "The state of a reminder changes only through its buttons: Send, Call made, Mark as sent, "
                    "Record the posting or Cancel."
                )
            )

    def _write_state(self, vals):
        """Write ``vals`` (with the new ``state``) as the actions do, once the user's write access is checked."""
        self.check_access("write")
        return self.sudo().write(vals)

    @api.model
    def _normalise_lrar_number(self, vals):
        """Store the registered letter number as La Poste prints it on the proof, without spaces, upper-case."""
        if vals.get("lrar_tracking_number"):
            vals["lrar_tracking_number"] = re.sub(r"\s+", "", vals["lrar_tracking_number"]).upper()

    @api.constrains("lrar_tracking_number")
    def _check_lrar_tracking_number(self):
        for reminder in self:
            number = reminder.lrar_tracking_number
            if number and reminder.lrar_kind == "postal" and not LRAR_NUMBER.match(number):
                raise ValidationError(
                    self.env._(
                        "“%(number)s” is not a registered letter number: it starts with two letters or a digit and a "
                        "letter, followed by 9 to 13 digits, as printed on the proof of posting (e.g. 1A 123 456 7890 "
                        "1).",
                        number=number,
                    )
                )

    @api.constrains("date", "lrar_date_posted", "lrar_date_acknowledged", "lrar_date_first_presented")
    def _check_lrar_dates(self):
        for reminder in self:
            for name in ("lrar_date_posted", "lrar_date_acknowledged", "lrar_date_first_presented"):
                # A posting or a receipt already happened, and never before the letter's date.
                check_date(reminder, name, past_event=True, not_before="date")
            posted = reminder.lrar_date_posted
            for received in (reminder.lrar_date_acknowledged, reminder.lrar_date_first_presented):
                if received and not posted:
                    raise ValidationError(
                        self.env._("Enter the date the registered letter was posted before its receipt.")
                    )
                if received and received < posted:
                    raise ValidationError(
                        self.env._(
                            "The registered letter cannot be received (%(received)s) before it was posted "
                            "(%(posted)s).",
                            received=received,
                            posted=posted,
                        )
                    )

    @api.constrains("partner_id", "contact_id")
    def _check_contact(self):
        for reminder in self:
            contact = reminder.contact_id
            if contact and contact.commercial_partner_id != reminder.partner_id.commercial_partner_id:
                raise ValidationError(
                    self.env._(
                        "%(contact)s is not a contact of %(customer)s: a reminder goes to the customer or one of its "
                        "contacts.",
                        contact=contact.display_name,
                        customer=reminder.partner_id.display_name,
                    )
                )

    def action_record_lrar(self, tracking_number=None, date_posted=None):
        """The "Record the posting" button: the number and date from the proof of posting send the registered
        letter (``write`` marks it sent); says what is missing otherwise."""
        values = {
            key: value
            for key, value in (("lrar_tracking_number", tracking_number), ("lrar_date_posted", date_posted))
            if value
        }
        if values:
            self.write(values)
        self.filtered(lambda reminder: reminder.state == "to_send" and reminder.channel != "email").action_mark_sent()
        self.filtered(lambda reminder: reminder.extra_channel == "lrar" and not reminder.extra_done)._raise_unposted()
        return True

    def _raise_unposted(self):
        if self:
            raise UserError(
                self.env._(
                    "Record the registered letter number and the date it was posted before marking these reminders "
                    "as sent: %s",
                    ", ".join(self.mapped("display_name")),
                )
            )

    def _send_posted_registered_letters(self, vals):
        """Recording a registered letter's number and posting date is its sending: one step, no second button."""
        if not {"lrar_tracking_number", "lrar_date_posted"} & set(vals):
            return
        self.filtered(
            lambda reminder: (
                reminder.extra_channel == "lrar"
                and not reminder.extra_done
                and reminder.lrar_tracking_number
                and reminder.lrar_date_posted
            )
        )._mark_extra_done()
        self.filtered(
            lambda reminder: (
                reminder.state == "to_send"
                and reminder.channel == "lrar"
                and reminder.lrar_tracking_number
                and reminder.lrar_date_posted
            )
        ).action_mark_sent()

    @api.depends(
        "line_ids.amount_residual",
        "line_ids.amount_penalty",
        "line_ids.amount_indemnity",
        "line_ids.amount_error",
        "credit_ids.amount",
    )
    def _compute_amounts(self):
        for reminder in self:
            lines = reminder.line_ids
            reminder.amount_residual = sum(lines.mapped("amount_residual"))
            reminder.amount_penalty = sum(lines.mapped("amount_penalty"))
            reminder.amount_indemnity = sum(lines.mapped("amount_indemnity"))
            reminder.amount_credit = sum(reminder.credit_ids.mapped("amount"))
            reminder.amount_total = (
                reminder.amount_residual + reminder.amount_penalty + reminder.amount_indemnity - reminder.amount_credit
            )
            reminder.amount_error = "\n".join(dict.fromkeys(filter(None, lines.mapped("amount_error")))) or False

    @api.depends("partner_id", "level_id", "date")
    def _compute_display_name(self):
        for reminder in self:
            reminder.display_name = f"{reminder.level_id.name} – {reminder.partner_id.name} ({reminder.date})"

    def _log_on_documents(self, body_by_reminder):
        """Log one note per reminder on its customer and on each of its invoices.

        The notes are the ones ``mail.thread._message_log_batch`` writes (internal note by the current user), in
        one INSERT: through the ORM each body is sanitized again, which took a third of a daily run. The bodies
        are built by ``_describe`` with Markup escaping, so the sanitizer would leave them unchanged (tested).
        """
        documents = []
        for reminder in self:
            body = body_by_reminder[reminder.id]
            documents.append(("res.partner", reminder.partner_id.id, body))
            documents.extend(("account.move", move_id, body) for move_id in reminder.line_ids.move_id.ids)
        if not documents:
            return
        author = self.env.user.partner_id
        email_from = author.email_formatted
        now = self.env.cr.now()
        models_, res_ids, bodies = zip(*documents, strict=True)
        self.env.cr.execute(
            SQL(
                """
            INSERT INTO mail_message (model, res_id, body, message_type, subtype_id, is_internal,
                                      email_add_signature, author_id, email_from, reply_to, message_id, date,
                                      create_uid, create_date, write_uid, write_date)
            SELECT doc.model, doc.res_id, doc.body, 'notification', %(subtype)s, TRUE, FALSE, %(author)s,
                   %(email_from)s, %(reply_to)s, %(message_id)s, %(now)s, %(uid)s, %(now)s, %(uid)s, %(now)s
              FROM unnest(%(models)s::varchar[], %(res_ids)s::int[], %(bodies)s::text[]) AS doc(model, res_id, body)
            """,
                subtype=self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note"),
                author=author.id,
                email_from=email_from,
                reply_to=self.env["mail.thread"]._notify_get_reply_to(default=email_from)[False],
                message_id=tools.mail.generate_tracking_message_id("message-notify"),
                now=now,
                uid=self.env.uid,
                models=list(models_),
                res_ids=list(res_ids),
                bodies=[str(body) for body in bodies],
            )
        )
        self.partner_id.invalidate_recordset(["message_ids"])
        self.line_ids.move_id.invalidate_recordset(["message_ids"])

    def _describe(self, what):
        return Markup('<p>%s <a href="#" data-oe-model="%s" data-oe-id="%s">%s</a></p>') % (
            what,
            self._name,
            self.id,
            self.display_name,
        )

    def _dispatch(self):
        """Send what is sent automatically (emails of automatic levels); plan the rest for a person."""
        automatic = self.filtered(lambda reminder: reminder.channel == "email" and reminder.level_id.auto_send)
        self.filtered("extra_channel")._plan_extra_channel()
        automatic._send_emails()
        (self - automatic)._plan_manual_work()

    def _send_emails(self):
        """Queue the email of each reminder from its level's template; a missing address fails the reminder."""
        ready_ids = []
        for reminder in self:
            problem = self._sending_problem(
                reminder.level_id, reminder.contact_id, reminder.partner_id, reminder.amount_error
            )
            if problem:
                reminder._mark_failed(problem)
            else:
                ready_ids.append(reminder.id)
        ready = self.browse(ready_ids)
        mails = ready._queue_emails()
        for reminder in ready:
            reminder.mail_message_id = mails[reminder.id].mail_message_id
        for sent_date, sent in ready.grouped("date").items():
            sent._write_state({"state": "sent", "sent_date": sent_date})
        self._log_on_documents(
            {
                reminder.id: reminder._describe(self.env._("Reminder emailed to %s:", reminder.contact_id.email))
                if reminder.state == "sent"
                else reminder._describe(self.env._("Reminder failed (%s):", reminder.failure_reason))
                for reminder in self
            }
        )

    @api.model
    def _sending_problem(self, level, contact, customer, amount_error):
        """Why a reminder of ``level`` to ``contact`` cannot go out as it is, or False: what fails an email
        (``_send_emails``) and what keeps a letter from being printed or addressed. The dry run foresees with it."""
        if level.channel == "email":
            if not level.mail_template_id:
                return self.env._(
                    "The level %(level)s has no email template: choose one in its configuration.", level=level.name
                )
            if amount_error and level.recall_penalties:
                return self.env._(
                    "The interest could not be computed: %(problem)s Fix it, then send the reminder again.",
                    problem=amount_error,
                )
            if not contact.email:
                return self.env._(
                    "%(contact)s has no email address: add one, or choose another reminder contact on %(customer)s.",
                    contact=contact.display_name,
                    customer=customer.display_name,
                )
        elif level.channel in ("letter", "lrar"):
            if not level.report_id:
                return self.env._(
                    "The level %(level)s has no letter: choose one in its configuration.", level=level.name
                )
            if amount_error:
                return self.env._("The letter cannot be printed, its interest could not be computed: %s", amount_error)
            if not (contact.street and contact.zip and contact.city):
                return self.env._(
                    "%(contact)s has no full postal address: add it, or choose another reminder contact on "
                    "%(customer)s.",
                    contact=contact.display_name,
                    customer=customer.display_name,
                )
        return False

    @api.model
    def _foreseen_problem(self, values, line_values):
        """``_sending_problem`` of a reminder the dry run would create (its values and its lines' values)."""
        customer = self.env["res.partner"].browse(values["partner_id"])
        errors = "\n".join(dict.fromkeys(filter(None, (line["amount_error"] for line in line_values))))
        return self._sending_problem(
            self.env["l10n_fr_dunning.level"].browse(values["level_id"]),
            self.env["res.partner"].browse(values["contact_id"]),
            customer,
            errors,
        )

    def _queue_emails(self):
        """{reminder id: mail.mail} rendered from each level's template and queued.

        Reminders without attachments are rendered together, one send_mail_batch per template (the same mails as
        send_mail one by one); those with invoice PDFs keep their own call.
        """
        mails = {}
        batches = defaultdict(list)
        for reminder in self:
            template = reminder.level_id.mail_template_id
            attachment_ids = reminder._invoice_attachment_ids()
            if attachment_ids:
                mails[reminder.id] = self.env["mail.mail"].browse(
                    template.send_mail(reminder.id, email_values={"attachment_ids": attachment_ids})
                )
            else:
                batches[template].append(reminder.id)
        for template, reminder_ids in batches.items():
            batch_mails = template.send_mail_batch(reminder_ids, email_values={"attachment_ids": []})
            mails.update(zip(reminder_ids, batch_mails, strict=True))
        return mails

    def _invoice_attachment_ids(self):
        """The invoice PDFs to attach when the company asks for them."""
        if not self.company_id.dunning_attach_invoices:
            return []
        moves = self.line_ids.move_id
        pdfs = moves.invoice_pdf_report_id
        missing = moves.filtered(lambda move: not move.invoice_pdf_report_id)
        if missing:
            content, _report_type = self.env["ir.actions.report"]._render_qweb_pdf(
                "account.account_invoices", missing.ids
            )
            pdfs |= self.env["ir.attachment"].create(
                {
                    "name": self.env._("Invoices %s.pdf", ", ".join(missing.mapped("name"))),
                    "raw": content,
                    "res_model": self._name,
                    "res_id": self.id,
                    "mimetype": "application/pdf",
                }
            )
        return pdfs.ids

    def _mark_failed(self, reason):
        self._write_state({"state": "failed", "failure_reason": reason})

    def _plan_manual_work(self):
        """Letters, registered letters, phone calls and manual emails wait for a person: one dated activity each."""
        summaries = {
            "phone": self.env._("Call the customer about the overdue invoices"),
            "letter": self.env._("Print and post the reminder letter"),
            "lrar": self.env._("Print and send the registered letter with acknowledgment of receipt"),
            "email": self.env._("Check and send the reminder email"),
        }
        self._schedule_tasks(self.mapped("channel"), summaries)
        self._log_on_documents(
            {
                reminder.id: reminder._describe(
                    self.env._("Reminder to send (%s):", summaries[reminder.channel].lower())
                )
                for reminder in self
            }
        )

    def _plan_extra_channel(self):
        """The letter, registered letter or call a level adds to its email: one dated task each, done by its own
        action (``Letter posted``, ``Record the posting``, ``Call made``, or printing the letter from the queue)."""
        summaries = {
            "phone": self.env._("Call the customer about the reminder emailed"),
            "letter": self.env._("Print and post the letter that goes with the reminder email"),
            "lrar": self.env._("Print and send the registered letter that goes with the reminder email"),
        }
        activities = self._schedule_tasks(self.mapped("extra_channel"), summaries)
        for reminder, activity in zip(self, activities, strict=True):
            reminder.extra_activity_id = activity

    def _schedule_tasks(self, channels, summaries):
        """One dated activity per reminder for its responsible, the call script in a call's note; ``channels``: the
        channel of each reminder's task, in order. One notification email per task would flood the responsible
        every morning: the tasks are in their activity menu."""
        call = self.env.ref("mail.mail_activity_data_call")
        todo = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id(self._name)
        return (
            self.env["mail.activity"]
            .with_context(mail_activity_quick_update=True)
            .create(
                [
                    {
                        "res_model_id": model_id,
                        "res_id": reminder.id,
                        "activity_type_id": (call if channel == "phone" else todo).id,
                        "summary": summaries[channel],
                        "date_deadline": reminder.date,
                        "user_id": reminder.user_id.id or self.env.uid,
                        "note": channel == "phone" and plaintext2html(reminder.level_id._render_call_script(reminder)),
                    }
                    for reminder, channel in zip(self, channels, strict=True)
                ]
            )
        )

    def _mark_extra_done(self):
        self.write({"extra_done": True})
        self.extra_activity_id.action_done()

    # ---- Actions -------------------------------------------------------------------------------------------

    def action_extra_done(self):
        """Record that the letter going with the email was posted, or the call going with it made."""
        if any(not reminder.extra_channel or reminder.extra_done or reminder.state == "cancelled" for reminder in self):
            raise UserError(self.env._("Only a second channel still to do can be marked as done."))
        self.filtered(lambda reminder: reminder.extra_channel == "lrar")._raise_unposted()
        self._mark_extra_done()
        self._log_on_documents(
            {reminder.id: reminder._describe(self.env._("Second channel done:")) for reminder in self}
        )
        return True

    def action_send(self):
        """Send the email of a reminder that waits for a person (or failed). Each channel is done by its own
        action: a call by "Call made", a letter by "Mark as sent", a registered letter by "Record the posting"."""
        if any(reminder.state not in ("to_send", "failed") for reminder in self):
            raise UserError(self.env._("Only reminders to send or failed ones can be sent."))
        if any(reminder.channel != "email" for reminder in self):
            raise UserError(
                self.env._(
                    "Only an email reminder is sent from here. For a phone call, use “Call made” once the call is "
                    "made; "
                    "for a letter, “Mark as sent” once it is posted; for a registered letter, “Record the posting”."
                )
            )
        self._write_state({"state": "to_send", "failure_reason": False})
        self._send_emails()
        sent = self.filtered(lambda reminder: reminder.state == "sent")
        (sent.activity_ids - sent.extra_activity_id).action_done()
        return True

    def action_mark_sent(self):
        """Record that the call was made or the letter posted (closing its task); a registered letter is sent once
        its number and posting date are recorded (``action_record_lrar``)."""
        if any(reminder.state != "to_send" for reminder in self):
            raise UserError(self.env._("Only reminders to send can be marked as sent."))
        registered = self.filtered(lambda reminder: reminder.channel == "lrar")
        unproven = registered.filtered(
            lambda reminder: not (reminder.lrar_tracking_number and reminder.lrar_date_posted)
        )
        if unproven:
            raise UserError(
                self.env._(
                    "Record the registered letter number and the date it was posted before marking these reminders "
                    "as sent: %s",
                    ", ".join(unproven.mapped("display_name")),
                )
            )
        (self - registered)._write_state({"state": "sent", "sent_date": fields.Date.context_today(self)})
        for reminder in registered:
            reminder._write_state({"state": "sent", "sent_date": reminder.lrar_date_posted})
        self.activity_ids.action_done()
        self._log_on_documents({reminder.id: reminder._describe(self.env._("Reminder sent:")) for reminder in self})
        return True

    def action_cancel(self):
        """Cancel a reminder that was not sent: its invoices go back to their previous level."""
        if any(reminder.state == "sent" for reminder in self):
            raise UserError(
                self.env._("A reminder that was sent cannot be cancelled: it is part of the customer's file.")
            )
        self._write_state({"state": "cancelled"})
        self.activity_ids.unlink()
        self._log_on_documents(
            {reminder.id: reminder._describe(self.env._("Reminder cancelled:")) for reminder in self}
        )
        return True

    @api.model
    def action_run_dunning_now(self):
        """Run-now button of the reminder list (managers)."""
        return self.env["l10n_fr_dunning.run"].action_run_now()

    def action_open_invoices(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Invoices"),
            "res_model": "account.move",
            "view_mode": "list,form",
            "domain": [("id", "in", self.line_ids.move_id.ids)],
        }

    @api.model
    def _letters_of_customers(self, customers):
        """The latest letter of each customer, for batch printing from the invoice or customer list."""
        reminders = self.search(
            [
                ("partner_id", "in", customers.ids),
                ("state", "in", ("to_send", "sent")),
                ("level_id.report_id", "!=", False),
            ],
            order="date desc, id desc",
        )
        latest = {}
        for reminder in reminders:
            latest.setdefault(reminder.partner_id, reminder)
        if not latest:
            raise UserError(
                self.env._(
                    "None of these customers has a dunning letter: run the dunning, or send them their next reminder."
                )
            )
        return self.browse([reminder.id for reminder in latest.values()])

    def action_print_letter(self):
        """Print the letters of these reminders into one PDF (print wizard)."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Print letters"),
            "res_model": "l10n_fr_dunning.print.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_reminder_ids": self.ids},
        }

    # ---- Letters -------------------------------------------------------------------------------------------

    def _render_letter(self):
        """The PDF letter of this reminder, kept as its attachment."""
        self.ensure_one()
        return self._render_letters()

    def _render_letters(self):
        """The PDF letter of each reminder, kept on it as ``letter_attachment_id``, in the order of ``self``.

        A sent letter is never rendered again: its kept PDF is exactly what the customer received (court file).
        The letters of one report are rendered together, by one wkhtmltopdf run.
        """
        if any(reminder.state == "cancelled" for reminder in self):
            raise UserError(self.env._("A cancelled reminder has no letter to print."))
        to_render = self.filtered(lambda reminder: not (reminder.state == "sent" and reminder.letter_attachment_id))
        to_render._check_amounts_computed()
        for report, reminders in to_render.grouped(lambda reminder: reminder._letter_report()).items():
            pdfs = self._render_pdf_per_record(report, reminders)
            for reminder in reminders:
                reminder._keep_letter(pdfs[reminder.id])
        return self.letter_attachment_id

    def _check_amounts_computed(self):
        """A letter never claims an interest it could not compute: unsent reminders whose rate was missing are
        computed again (the rate may have been added since); if a rate is still missing, nothing is printed."""
        stale = self.filtered(lambda reminder: reminder.amount_error and reminder.state in ("to_send", "failed"))
        for reminder in stale:
            reminder._recompute_lines()
        blocked = self.filtered("amount_error")
        if blocked:
            raise UserError(
                self.env._(
                    "These letters cannot be printed, their interest could not be computed:\n%s",
                    "\n".join(f"• {reminder.display_name}: {reminder.amount_error}" for reminder in blocked),
                )
            )

    def _recompute_lines(self):
        """Compute the frozen amounts of an unsent reminder again, at its date."""
        self.ensure_one()
        moves = self.line_ids.move_id
        amounts = moves._dunning_amounts(self.date)
        by_move = {values["move_id"]: values for values in moves._dunning_reminder_line_values(amounts, self.date)}
        for line in self.line_ids:
            line.write({key: value for key, value in by_move[line.move_id.id].items() if key != "move_id"})

    def _regime(self):
        """The customer's debtor regime (lib/debtor_regimes.py): the letters choose their wording by it."""
        return self.partner_id._dunning_regime()

    def _letter_report(self):
        self.ensure_one()
        if not self.level_id.report_id:
            raise UserError(
                self.env._(
                    "The level %s has no letter: choose one in its configuration, or send this reminder another way.",
                    self.level_id.name,
                )
            )
        return self.level_id.report_id

    @api.model
    def _render_pdf_per_record(self, report, records):
        """{record id: PDF bytes} of ``report`` for ``records``, from one wkhtmltopdf run when possible."""
        Report = self.env["ir.actions.report"]
        if len(records) > 1 and records._name == self._name and not Report._is_invoice_report(report):
            pdfs = records._render_letters_in_one_run(report)
            if pdfs:
                return pdfs
        return {record.id: Report._render_qweb_pdf(report, record.ids)[0] for record in records}

    def _render_letters_in_one_run(self, report):
        """{reminder id: PDF bytes}: the letters laid one after the other in ONE document, one wkhtmltopdf
        run, then the PDF cut where each letter's reference first appears.

        Debian's wkhtmltopdf (unpatched Qt) takes a single input document and writes no outlines, so Odoo
        renders several records one process each (about a second apiece). Returns {} when the PDF cannot
        be cut (no text, a reference missing): the caller then renders letter by letter.
        """
        Report = self.env["ir.actions.report"]
        report = Report._get_report(report)
        if tools.config["test_enable"] and not self.env.context.get("force_report_rendering"):
            return {}
        html = report._render_qweb_html(report.report_name, self.ids, data={"report_type": "pdf"})[0]
        bodies, html_ids, header, footer, specific_args = report._prepare_html(html, report_model=report.model)
        if html_ids != self.ids:
            return {}
        pdf = report._run_wkhtmltopdf(
            [_one_document(bodies)],
            report_ref=report.report_name,
            header=header,
            footer=footer,
            landscape=self.env.context.get("landscape"),
            specific_paperformat_args=specific_args,
            set_viewport_size=self.env.context.get("set_viewport_size"),
        )
        return _cut_pdf_at_markers(pdf, {reminder.id: reminder._letter_reference() for reminder in self})

    def _keep_letter(self, content):
        self.ensure_one()
        name = f"{self.level_id.name} - {self.partner_id.name} - {self.date}.pdf"
        if self.letter_attachment_id:
            self.letter_attachment_id.write({"name": name, "raw": content})
        else:
            self.letter_attachment_id = self.env["ir.attachment"].create(
                {
                    "name": name,
                    "raw": content,
                    "res_model": self._name,
                    "res_id": self.id,
                }
            )

    # Values printed by the letters (report/*.xml), in French whatever the user's language.

    def _letter_amount(self, amount):
        currency = self.currency_id or self.env.company.currency_id
        return french_words.format_french_amount(amount, currency.symbol)

    def _letter_date(self, day):
        return french_words.format_french_date(day)

    def _letter_total_in_words(self):
        return french_words.amount_in_french_words(self.amount_total)

    def _letter_reference(self):
        """Our reference printed on the first page of each letter (and used to cut batch PDFs per letter)."""
        return f"RL{self.id:06d}"

    def _letter_recipient(self):
        return self.contact_id or self.partner_id

    def _letter_signatory(self):
        return self.company_id.dunning_user_id or self.user_id or self.env.user

    def _letter_bank_accounts(self):
        return self.company_id.partner_id.sudo().bank_ids

    def _letter_payment_reference(self):
        return ", ".join(self.line_ids.move_id.mapped("name"))

    def _letter_previous_reminders(self):
        """Reminders already sent to this customer before this one, oldest first."""
        return self.search(
            [
                ("company_id", "=", self.company_id.id),
                ("partner_id", "=", self.partner_id.id),
                ("state", "=", "sent"),
                ("date", "<=", self.date),
                ("id", "!=", self.id),
            ],
            order="date, id",
        )

    def _letter_payment_deadline_days(self):
        return self.level_id.payment_deadline_days or self.company_id.dunning_payment_deadline_days

    def _letter_payment_deadline(self):
        """The last day to pay, by the rule of ``payment_deadline``: from the receipt when known; before it, the
        earliest it can be (from the posting when recorded, else the letter's date: a letter is never received
        before it is posted), which the letter prints as such ("au plus tôt"). Moved to the next working day
        (Code de procédure civile 642).
        """
        earliest_receipt = max(self.date, self.lrar_date_posted or self.date)
        return self.payment_deadline or french_law.deadline(earliest_receipt, days=self._letter_payment_deadline_days())

    def _letter_note(self):
        """The level's paragraph in the wording of this customer's regime."""
        return self.level_id._note_for(self._regime())

    def _letter_interest_title(self):
        """Title of the interest column: what this debtor owes is not called the same (and a consumer is never
        told of late-payment penalties)."""
        return {
            "consumer": "Intérêts au taux légal",
            "public": "Intérêts moratoires",
        }.get(self._regime().text_variant, "Pénalités de retard")

    def _letter_shows_interest(self):
        """Whether the letter or email shows the interest column: levels that recall it, and for a consumer only
        once interest runs (from the receipt of the mise en demeure)."""
        return bool(
            self.level_id.recall_penalties and (self._regime().text_variant != "consumer" or self.amount_penalty)
        )

    def _letter_shows_indemnity(self):
        return self._regime().owes_recovery_indemnity

    def _letter_rate_text(self):
        """The interest rate as the letter states it, in French; the formula alone when a rate is missing."""
        regime = self._regime()
        if regime.interest == "legal":
            return "au taux de l'intérêt légal"
        ecb_rates = self.env["l10n_fr_dunning.ecb.rate"].sudo()._rate_table()
        if regime.interest == "public":
            formula = (
                "au taux de la BCE en vigueur au premier jour du semestre où ils ont commencé à courir, "
                "majoré de 8 points"
            )
            try:
                rates = {
                    french_law.public_procurement_rate(day + timedelta(days=1), ecb_rates)
                    for day in self.line_ids.move_id._dunning_due_dates()
                    if day < self.date
                }
            except french_law.LawError:
                return formula
            if len(rates) != 1:
                return formula
            return f"{formula}, soit {french_words.format_french_number(rates.pop())} % l'an"
        contractual = self.partner_id._dunning_contractual_rate(self.company_id)
        if contractual:
            return f"au taux contractuel de {french_words.format_french_number(contractual)} % l'an"
        formula = "au taux de la BCE majoré de 10 points"
        try:
            rate = french_law.penalty_rate(self.date, ecb_rates)
        except french_law.LawError:
            return formula
        semester = french_law.semester_start(self.date)
        return (
            f"{formula}, soit {french_words.format_french_number(rate)} % l'an depuis le "
            f"{french_words.format_french_date(semester)}"
        )

    def _letter_interest_breakdowns(self):
        """[(reminder line, french_law.InterestComputation)] of the invoices at the letter's date."""
        return [(line, line.move_id._dunning_interest_breakdown(self.date)) for line in self.line_ids]

    def _letter_grace_suspensions(self):
        """[(invoice names, first day, last day)]: the court graces that the breakdown leaves out (Code civil
        1343-5 al. 4)."""
        by_window = defaultdict(list)
        for move_id, windows in self.line_ids.move_id._dunning_grace_suspensions(self.date).items():
            for window in windows:
                by_window[window].append(self.env["account.move"].browse(move_id).name)
        return [(", ".join(names), first, last) for (first, last), names in sorted(by_window.items())]
