"""Issue 13: exclusion and pause of a customer become a decision of each company (company-dependent fields).

Odoo stores a company-dependent field as a jsonb column keyed by company id and cannot cast the old boolean,
date and text columns to it: they are renamed here, and post-13 spreads their values to the companies.
"""

from odoo.tools import SQL

COLUMNS = ("dunning_excluded", "dunning_paused_until", "dunning_pause_reason")


def migrate(cr, version):
    for column in COLUMNS:
        cr.execute(
            """SELECT data_type FROM information_schema.columns
                WHERE table_name = 'res_partner' AND column_name = %s""",
            [column],
        )
        row = cr.fetchone()
        if row and row[0] != "jsonb":
            cr.execute(
                SQL(
                    "ALTER TABLE res_partner RENAME COLUMN %s TO %s",
                    SQL.identifier(column),
                    SQL.identifier(f"{column}_before_13"),
                )
            )
