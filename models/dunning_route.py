from odoo import fields, models

from ..lib.route_advisor import ROUTES

ROUTE_LABELS = {
    "injonction": "Injonction de payer",
    "refere_provision": "Référé-provision",
    "assignation": "Assignation en paiement",
    "saisie_conservatoire": "Saisie conservatoire",
    "petites_creances": "Petites créances (commissaire de justice)",
    "commissaire_justice": "Hand-over to a commissaire de justice",
    "collection_agency": "Collection agency",
    "claim_declaration": "Déclaration de créance",
    "european_order": "European order for payment",
    "administrative": "Administrative court (public buyers)",
}


class DunningRoute(models.Model):
    """A route after the mise en demeure, with its typical cost and delay: facts of practice that a dunning
    manager corrects, shipped with their source and date."""

    _name = "l10n_fr_dunning.route"
    _description = "Route after the mise en demeure"
    _order = "sequence, id"

    code = fields.Selection([(code, ROUTE_LABELS[code]) for code in ROUTES], required=True, readonly=True)
    name = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    typical_cost = fields.Char(help="Fees and costs usually met, with who bears them.")
    typical_delay = fields.Char(help="Usual time until a decision or a payment.")
    notes = fields.Text()
    source = fields.Char(help="Where the cost and delay come from.")
    source_date = fields.Date(string="Checked on")

    _sql_constraints = [("code_unique", "UNIQUE(code)", "Each route is described once.")]
