from werkzeug.urls import url_encode

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.http import request, route

from odoo.addons.account_payment.controllers.payment import PaymentPortal
from odoo.addons.payment import utils as payment_utils

PORTAL_LANG = "fr_FR"


class DunningCustomerPortal(PaymentPortal):
    """The page a reminder links to: the customer's overdue invoices, paying, promising, disputing, asking for a plan.

    Every route opens the reminder from its signed token first (``_dunning_reminder``: altered, expired or
    cancelled gives 404) and reads only that reminder's customer's invoices; ``sudo`` comes after that check.
    """

    def _dunning_reminder(self, token):
        reminder = request.env["l10n_fr_dunning.reminder"]._portal_from_token(token)
        if not reminder:
            return reminder
        return reminder.with_context(lang=reminder.partner_id.lang or PORTAL_LANG)

    def _dunning_page(self, reminder, token, message=None, error=None, status=200, answered=None):
        invoices = reminder._portal_invoices()
        values = {
            "reminder": reminder,
            "token": token,
            "partner": reminder.partner_id,
            "company": reminder.company_id,
            "invoices": invoices,
            "invoice_pdf_urls": {move.id: move.get_portal_url(report_type="pdf", download=True) for move in invoices},
            "amount_due": sum(invoices.mapped("amount_residual_signed")),
            "amount_penalties": sum(invoices.mapped("dunning_penalty_amount")),
            "can_pay": reminder.line_ids.move_id.filtered("dunning_active") and reminder._payment_amount() > 0,
            "qr_code": reminder._payment_qr_code_base64(),
            "can_answer": reminder._portal_can_answer(),
            "payment_plan": reminder._portal_payment_plan(),
            "today": fields.Date.context_today(reminder),
            "message": message,
            "answered": answered,
            "error": error,
            "format_amount": reminder._letter_amount,
            "format_date": reminder._letter_date,
        }
        return request.render("l10n_fr_dunning.portal_reminder_page", values, status=status)

    @route("/relance/<string:token>", type="http", auth="public", methods=["GET"], sitemap=False)
    def dunning_portal_page(self, token, **kwargs):
        reminder = self._dunning_reminder(token)
        if not reminder:
            return request.not_found()
        return self._dunning_page(reminder, token)

    @route("/relance/<string:token>/lettre", type="http", auth="public", methods=["GET"], sitemap=False)
    def dunning_portal_letter(self, token, **kwargs):
        """The reminder's letter: the one kept when it was printed, otherwise rendered now (email reminders)."""
        reminder = self._dunning_reminder(token)
        if not reminder:
            return request.not_found()
        if reminder.letter_attachment_id:
            content = reminder.letter_attachment_id.raw
        else:
            report = reminder.level_id.report_id or request.env.ref("l10n_fr_dunning.action_report_reminder_letter")
            content = request.env["ir.actions.report"].sudo()._render_qweb_pdf(report, reminder.ids)[0]
        return request.make_response(
            content,
            headers=[
                ("Content-Type", "application/pdf"),
                ("Content-Disposition", f'inline; filename="{reminder._letter_reference()}.pdf"'),
            ],
        )

    @route("/relance/<string:token>/payer", type="http", auth="public", methods=["GET"], sitemap=False)
    def dunning_portal_pay(self, token, **kwargs):
        """Odoo's payment page for the reminder's total."""
        reminder = self._dunning_reminder(token)
        if not reminder:
            return request.not_found()
        params = reminder._payment_link_params()
        params["access_token"] = payment_utils.generate_access_token(
            params["partner_id"], params["amount"], params["currency_id"]
        )
        return request.redirect(f"/payment/pay?{url_encode(params)}")

    def _dunning_answer(self, token, kind, apply):
        """Check the token and the rate limit, then ``apply(reminder)`` in a savepoint: an answer refused by the
        rules writes nothing."""
        reminder = self._dunning_reminder(token)
        if not reminder:
            return request.not_found()
        if not reminder._portal_can_answer():
            return self._dunning_page(
                reminder,
                token,
                status=429,
                error=request.env._(
                    "Too many answers were sent from this link in the last hour: try again later, or contact us."
                ),
            )
        try:
            with request.env.cr.savepoint():
                apply(reminder)
        except (UserError, ValidationError) as error:
            return self._dunning_page(reminder, token, error=error.args[0], status=400)
        return self._dunning_page(
            reminder, token, message=request.env._("Thank you, your answer was sent to us."), answered=kind
        )

    @route("/relance/<string:token>/promesse", type="http", auth="public", methods=["POST"], sitemap=False)
    def dunning_portal_promise(self, token, date=None, amount=None, **kwargs):
        return self._dunning_answer(
            token, "promise", lambda reminder: reminder._portal_promise(_parse_date(date), _parse_amount(amount))
        )

    @route("/relance/<string:token>/litige", type="http", auth="public", methods=["POST"], sitemap=False)
    def dunning_portal_dispute(self, token, invoice_id=None, reason=None, attachment=None, **kwargs):
        def apply(reminder):
            invoice = reminder._portal_invoices().filtered(lambda move: str(move.id) == str(invoice_id))
            document = None
            if attachment and getattr(attachment, "filename", None):
                document = (attachment.filename, attachment.read())
            reminder._portal_dispute(invoice, (reason or "").strip(), document)

        return self._dunning_answer(token, "dispute", apply)

    @route("/relance/<string:token>/echeancier", type="http", auth="public", methods=["POST"], sitemap=False)
    def dunning_portal_plan(self, token, request_text=None, instalments=None, **kwargs):
        return self._dunning_answer(
            token,
            "plan",
            lambda reminder: reminder._portal_plan_request((request_text or "").strip(), (instalments or "").strip()),
        )

    # ---- Online payment of the reminder's total through Odoo's payment page ---------------------------------

    def _get_extra_payment_form_values(self, dunning_token=None, **kwargs):
        """On Odoo's payment page opened from a reminder, pay through the reminder's transaction route, which
        links the transaction to the reminder's invoices (Odoo reconciles them when the payment is done)."""
        values = super()._get_extra_payment_form_values(**kwargs)
        reminder = dunning_token and self._dunning_reminder(dunning_token)
        if reminder:
            values.update(
                {
                    "transaction_route": f"/relance/{dunning_token}/transaction",
                    "landing_route": f"/relance/{dunning_token}",
                }
            )
        return values

    @route("/relance/<string:token>/transaction", type="json", auth="public")
    def dunning_portal_transaction(self, token, access_token=None, amount=None, **kwargs):
        """Create the payment transaction of the reminder's total, on its invoices still due."""
        reminder = self._dunning_reminder(token)
        if not reminder:
            raise ValidationError(request.env._("This link is no longer valid."))
        partner = reminder.partner_id.commercial_partner_id
        amount = amount and float(amount)
        if not payment_utils.check_access_token(access_token, partner.id, amount, reminder.currency_id.id):
            raise ValidationError(request.env._("The access token is invalid."))
        invoices = reminder.line_ids.move_id.filtered("dunning_active")
        if not invoices:
            raise ValidationError(request.env._("The invoices of this reminder are already paid."))
        self._validate_transaction_kwargs(kwargs)
        return self._process_transaction(
            partner.id, reminder.currency_id.id, invoices.ids, reminder._letter_reference(), amount=amount, **kwargs
        )


def _parse_date(value):
    try:
        return fields.Date.to_date(value or None)
    except ValueError:
        raise UserError(request.env._("Choose the date you will pay.")) from None


def _parse_amount(value):
    """An amount typed in French or English (``1 234,50`` or ``1234.50``)."""
    try:
        return float("".join((value or "").split()).replace(",", "."))
    except ValueError:
        raise UserError(request.env._("Enter the amount you will pay, e.g. 1250,00.")) from None
