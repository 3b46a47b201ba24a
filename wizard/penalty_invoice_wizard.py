from collections import defaultdict

from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from ..lib import french_words


class PenaltyInvoiceWizard(models.TransientModel):
    """Invoice the late-payment penalties and 40 € of invoices paid late: a preview, then one draft invoice per
    customer through Odoo's normal invoicing (no VAT: compensation, not the price of a supply)."""

    _name = "l10n_fr_dunning.penalty.invoice.wizard"
    _description = "Invoice late-payment penalties"

    move_ids = fields.Many2many(
        "account.move",
        string="Invoices paid late",
        required=True,
        default=lambda self: self._default_move_ids(),
    )
    preview = fields.Html(compute="_compute_preview", sanitize=False)

    @api.model
    def _default_move_ids(self):
        if self.env.context.get("active_model") != "account.move":
            return False
        moves = self.env["account.move"].browse(self.env.context.get("active_ids", []))
        return self._check_paid_late(moves)

    @api.model
    def _check_paid_late(self, moves):
        not_late = moves - moves.filtered_domain([("dunning_paid_late", "=", True)])
        if not_late:
            raise UserError(
                self.env._(
                    "Only invoices paid after their due date, without a penalty invoice yet, can be invoiced "
                    "penalties; "
                    "remove: %s",
                    ", ".join(not_late.mapped("display_name")),
                )
            )
        return moves

    @api.depends("move_ids")
    def _compute_preview(self):
        for wizard in self:
            rows = []
            for move, lines in wizard._penalty_lines().items():
                for line in lines:
                    rows.append(
                        Markup("<tr><td>%s</td><td>%s</td><td class='text-end'>%s</td></tr>")
                        % (move.name, line["name"], french_words.format_french_amount(line["price_unit"]))
                    )
            wizard.preview = Markup(
                "<table class='table table-sm'><thead><tr><th>Facture</th><th>Ligne</th>"
                "<th class='text-end'>Montant</th></tr></thead><tbody>%s</tbody></table>"
            ) % Markup("").join(rows)

    def _penalty_lines(self):
        """{paid invoice: [invoice line values]}: one line for the interest, one for the 40 €, in French."""
        result = {}
        for move in self.move_ids:
            interest, indemnity = move._dunning_late_payment_claim()
            regime = move.commercial_partner_id._dunning_regime()
            lines = []
            if interest.total:
                label = {"legal": "Intérêts au taux légal", "public": "Intérêts moratoires"}.get(
                    regime.interest, "Pénalités de retard"
                )
                periods = "; ".join(
                    f"du {line.date_from:%d/%m/%Y} au {line.date_to:%d/%m/%Y}, {line.days} j, "
                    f"{french_words.format_french_amount(line.base)} à {french_words.format_french_number(line.rate)} %"
                    for line in interest.lines
                )
                lines.append(
                    {"name": f"{label} sur la facture {move.name} ({periods})", "price_unit": float(interest.total)}
                )
            if indemnity:
                lines.append(
                    {
                        "name": f"Indemnité forfaitaire pour frais de recouvrement, facture {move.name}",
                        "price_unit": float(indemnity),
                    }
                )
            result[move] = lines
        return result

    def action_create_invoices(self):
        """One draft invoice per customer and company, linked from each invoice it claims penalties for."""
        self.ensure_one()
        self._check_paid_late(self.move_ids)
        lines_by_move = self._penalty_lines()
        groups = defaultdict(lambda: self.env["account.move"])
        for move in self.move_ids:
            if lines_by_move[move]:
                groups[(move.commercial_partner_id, move.company_id)] |= move
        if not groups:
            raise UserError(self.env._("Nothing to invoice: no penalty nor indemnity is owed on these invoices."))
        penalty_invoices = self.env["account.move"]
        for (customer, company), moves in groups.items():
            penalty_invoice = (
                self.env["account.move"]
                .with_company(company)
                .create(
                    {
                        "move_type": "out_invoice",
                        "partner_id": customer.id,
                        "company_id": company.id,
                        "dunning_is_penalty_invoice": True,
                        "invoice_origin": ", ".join(moves.mapped("name")),
                        "narration": Markup("<p>%s</p>")
                        % self.env._("Late-payment penalties and recovery indemnities, outside the scope of VAT."),
                        "invoice_line_ids": [
                            Command.create({**values, "quantity": 1, "tax_ids": [Command.clear()]})
                            for move in moves
                            for values in lines_by_move[move]
                        ],
                    }
                )
            )
            moves.write({"dunning_penalty_invoice_id": penalty_invoice.id})
            for move in moves:
                move._message_log(
                    body=self.env._("Late-payment penalties invoiced in %s.", penalty_invoice.display_name)
                )
            penalty_invoices |= penalty_invoice
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Penalty invoices"),
            "res_model": "account.move",
            "view_mode": "list,form",
            "domain": [("id", "in", penalty_invoices.ids)],
        }
