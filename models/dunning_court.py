import re
import unicodedata

from odoo import api, fields, models

COURT_RECORD_KINDS = [
    ("judiciaire", "Tribunal judiciaire"),
    ("proximite", "Tribunal de proximité"),
    ("commerce", "Tribunal de commerce"),
    ("tae", "Tribunal des activités économiques"),
]

# Court kinds that may hear the requête of each kind of case (CPC 1406; Code de commerce L721-3): the juge des
# contentieux de la protection sits in the tribunal judiciaire (or its tribunal de proximité).
RECORD_KINDS_BY_CASE = {
    "commerce": ("commerce", "tae"),
    "judiciaire": ("judiciaire", "proximite"),
    "protection": ("judiciaire", "proximite"),
}

# Départements and collectivities of France whose addresses Odoo may file under their own country code.
FRENCH_COUNTRY_CODES = frozenset({"FR", "GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF"})


def commune_key(name):
    """'Saint-Denis', 'ST DENIS' and 'saint denis' give the same key."""
    plain = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode().lower()
    words = [word for word in re.split(r"[^a-z0-9]+", plain) if word and word != "cedex" and not word.isdigit()]
    return " ".join("saint" if word == "st" else "sainte" if word == "ste" else word for word in words)


class DunningCourt(models.Model):
    """A French court that hears injonctions de payer, with its greffe and the communes of its ressort."""

    _name = "l10n_fr_dunning.court"
    _description = "Court"
    _order = "name"

    name = fields.Char(required=True, help="As printed on the requête, e.g. Tribunal judiciaire de Nanterre.")
    kind = fields.Selection(COURT_RECORD_KINDS, required=True)
    address = fields.Text(string="Greffe address", help="Where the requête is sent or filed.")
    active = fields.Boolean(default=True)
    commune_ids = fields.One2many("l10n_fr_dunning.court.commune", "court_id", string="Ressort")
    commune_count = fields.Integer(compute="_compute_commune_count", string="Communes")

    @api.depends("commune_ids")
    def _compute_commune_count(self):
        counts = dict(
            self.env["l10n_fr_dunning.court.commune"]._read_group(
                [("court_id", "in", self.ids)], ["court_id"], ["__count"]
            )
        )
        for court in self:
            court.commune_count = counts.get(court, 0)

    @api.model
    def _competent_for(self, partner, case_kind):
        """The courts whose ressort covers ``partner``'s commune for a case of ``case_kind`` (CPC 1406): by INSEE
        code or postal code, narrowed by the city name when the postal code covers several communes. Empty for an
        address abroad or without a postal code: the caller names the route."""
        partner = partner.commercial_partner_id
        if partner.country_id and partner.country_id.code not in FRENCH_COUNTRY_CODES:
            return self.browse()
        postcode = re.sub(r"\s", "", partner.zip or "")
        if not postcode:
            return self.browse()
        communes = self.env["l10n_fr_dunning.court.commune"].search(
            [
                "|",
                ("postcode", "=", postcode),
                ("insee_code", "=", postcode),
                ("court_id.kind", "in", RECORD_KINDS_BY_CASE[case_kind]),
                ("court_id.active", "=", True),
            ]
        )
        same_city = communes.filtered(lambda commune: commune_key(commune.name) == commune_key(partner.city))
        return (same_city or communes).court_id.sorted("name")

    @api.model
    def _is_french_address(self, partner):
        country = partner.commercial_partner_id.country_id
        return not country or country.code in FRENCH_COUNTRY_CODES


class DunningCourtCommune(models.Model):
    """One commune (and one of its postal codes) of a court's ressort."""

    _name = "l10n_fr_dunning.court.commune"
    _description = "Commune of a court's ressort"
    _order = "court_id, postcode, name"

    court_id = fields.Many2one("l10n_fr_dunning.court", required=True, ondelete="cascade", index=True)
    insee_code = fields.Char(string="INSEE code", required=True, index=True, size=5)
    postcode = fields.Char(required=True, index=True, size=5)
    name = fields.Char(string="Commune", required=True)

    _sql_constraints = [
        (
            "court_commune_unique",
            "unique(court_id, insee_code, postcode)",
            "A commune is listed once per postal code in a court's ressort.",
        ),
    ]
