"""18.0.1.1.0: the shipped levels get their consumer and public-buyer wordings.

The ladder is noupdate data, so an upgrade does not write the new fields: fill them from the data file for
the shipped levels and their copies in other companies (same name and sequence), where they are still empty.
"""

import os

from lxml import etree

from odoo import SUPERUSER_ID, api

VARIANTS = ("note_consumer", "note_public")


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    data_file = os.path.join(os.path.dirname(__file__), os.pardir, os.pardir, "data", "dunning_level_data.xml")
    Level = env["l10n_fr_dunning.level"].with_context(active_test=False)
    for record in etree.parse(data_file).iter("record"):
        shipped = env.ref(f"l10n_fr_dunning.{record.get('id')}", raise_if_not_found=False)
        if not shipped:
            continue
        texts = {}
        for field in record.iter("field"):
            if field.get("name") in VARIANTS:
                texts[field.get("name")] = "".join(etree.tostring(child, encoding="unicode") for child in field)
        copies = Level.search([("name", "=", shipped.name), ("sequence", "=", shipped.sequence)])
        for level in shipped | copies:
            level.write({name: text for name, text in texts.items() if not level[name]})
