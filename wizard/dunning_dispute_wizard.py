from markupsafe import Markup

from odoo import fields, models


class DunningDisputeWizard(models.TransientModel):
    """Mark invoices as disputed: dunning stops on them until the dispute is resolved."""

    _name = "l10n_fr_dunning.dispute.wizard"
    _inherit = "l10n_fr_dunning.invoice.wizard.mixin"
    _description = "Dispute invoices"

    reason = fields.Char(
        required=True, help="What the customer contests, e.g. goods not delivered, price disagreement."
    )

    def action_apply(self):
        self.ensure_one()
        self._check_open_invoices(self.move_ids)
        self.move_ids.write({"dunning_disputed": True, "dunning_dispute_reason": self.reason})
        customer_notes = {}
        for move in self.move_ids:
            body = Markup("%s") % self.env._("%(invoice)s disputed: %(reason)s", invoice=move.name, reason=self.reason)
            move._message_log(body=body)
            customer_notes.setdefault(move.commercial_partner_id, []).append(body)
        for customer, bodies in customer_notes.items():
            customer._message_log(body=Markup("<br/>").join(bodies))
        return {"type": "ir.actions.act_window_close"}
