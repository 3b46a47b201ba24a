from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date, formatLang


class DunningInvoiceWizardMixin(models.AbstractModel):
    """A wizard working on the open customer invoices selected by the user."""

    _name = "l10n_fr_dunning.invoice.wizard.mixin"
    _description = "Dunning wizard on invoices"

    move_ids = fields.Many2many(
        "account.move",
        string="Invoices",
        required=True,
        default=lambda self: self._default_move_ids(),
    )

    @api.model
    def _default_move_ids(self):
        if self.env.context.get("active_model") != "account.move":
            return False
        return self._check_open_invoices(self.env["account.move"].browse(self.env.context.get("active_ids", [])))

    @api.model
    def _check_open_invoices(self, moves):
        """``moves``, if all are posted customer invoices still due; otherwise say which to remove."""
        closed = moves.filtered(lambda move: not move.dunning_active)
        if closed:
            raise UserError(
                self.env._(
                    "Only posted customer invoices with an amount due can be dunned; remove: %s",
                    ", ".join(closed.mapped("display_name")),
                )
            )
        return moves


class DunningPromiseWizard(models.TransientModel):
    """Record the customer's promise to pay: no reminder for these invoices until the promised date."""

    _name = "l10n_fr_dunning.promise.wizard"
    _inherit = "l10n_fr_dunning.invoice.wizard.mixin"
    _description = "Promise to pay"

    currency_id = fields.Many2one("res.currency", compute="_compute_amount_residual")
    amount_residual = fields.Monetary(string="Amount due", compute="_compute_amount_residual")
    date = fields.Date(string="Promised payment date", required=True)
    amount = fields.Monetary(
        string="Promised amount",
        required=True,
        compute="_compute_amount",
        store=True,
        readonly=False,
        help="Allocated to the oldest invoices first; invoices it does not reach keep being dunned.",
    )
    note = fields.Text(help="How and when the customer made the promise.")
    source = fields.Selection(
        [("user", "Recorded by a user"), ("portal", "Made on the reminder page")],
        required=True,
        default="user",
    )

    @api.depends("move_ids")
    def _compute_amount_residual(self):
        for wizard in self:
            wizard.currency_id = wizard.move_ids.company_currency_id[:1] or self.env.company.currency_id
            wizard.amount_residual = sum(abs(amount) for amount in wizard.move_ids.mapped("amount_residual_signed"))

    @api.depends("move_ids")
    def _compute_amount(self):
        for wizard in self:
            wizard.amount = wizard.amount_residual

    @api.constrains("date", "amount", "move_ids")
    def _check_promise(self):
        today = fields.Date.context_today(self)
        for wizard in self:
            if wizard.date < today:
                raise ValidationError(self.env._("The promised payment date must be today or later."))
            if wizard.currency_id.compare_amounts(wizard.amount, 0) <= 0:
                raise ValidationError(self.env._("The promised amount must be positive."))
            if wizard.currency_id.compare_amounts(wizard.amount, wizard.amount_residual) > 0:
                raise ValidationError(
                    self.env._(
                        "The promised amount (%(amount)s) is above what the invoices still owe (%(due)s): lower it.",
                        amount=formatLang(self.env, wizard.amount, currency_obj=wizard.currency_id),
                        due=formatLang(self.env, wizard.amount_residual, currency_obj=wizard.currency_id),
                    )
                )

    def action_apply(self):
        """Spread the amount over the oldest invoices and note the promise on them and their customer."""
        self.ensure_one()
        self._check_open_invoices(self.move_ids)
        remaining = self.amount
        customer_notes = {}
        promises = []
        for move in self.move_ids.sorted(lambda move: (move.invoice_date_due, move.id)):
            if self.currency_id.is_zero(remaining):
                break
            allocated = min(remaining, abs(move.amount_residual_signed))
            remaining -= allocated
            promises.append(self._promise_values(move, allocated))
            move.write({"dunning_promise_date": self.date, "dunning_promise_amount": allocated})
            body = self._note_body(move, allocated)
            move._message_log(body=body)
            customer_notes.setdefault(move.commercial_partner_id, []).append(body)
        for customer, bodies in customer_notes.items():
            customer._message_log(body=Markup("<br/>").join(bodies))
        self.env["l10n_fr_dunning.promise"].create(promises)
        return {"type": "ir.actions.act_window_close"}

    def _promise_values(self, move, amount):
        """The history row of the promise of ``amount`` on ``move``, with what the invoice owed then."""
        return {
            "move_id": move.id,
            "date": self.date,
            "amount": amount,
            "amount_due": abs(move.amount_residual_signed),
            "source": self.source,
        }

    def _note_body(self, move, amount):
        body = self.env._(
            "Promise to pay %(amount)s on %(date)s for %(invoice)s.",
            amount=formatLang(self.env, amount, currency_obj=self.currency_id),
            date=format_date(self.env, self.date),
            invoice=move.name,
        )
        if self.note:
            return Markup("%s<br/>%s") % (body, self.note)
        return Markup("%s") % body
