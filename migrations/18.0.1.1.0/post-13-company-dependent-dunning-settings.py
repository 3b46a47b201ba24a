"""Issue 13: give each company the exclusion and pause a customer had before they became company-dependent.

A value set before applied to every company: it is kept for each company that has invoices of the customer's
commercial entity, or for every company when it has none, then the old column is dropped.
"""

from odoo.tools import SQL

COLUMNS = ("dunning_excluded", "dunning_paused_until", "dunning_pause_reason")


def migrate(cr, version):
    for column in COLUMNS:
        old = f"{column}_before_13"
        cr.execute(
            "SELECT 1 FROM information_schema.columns WHERE table_name = 'res_partner' AND column_name = %s",
            [old],
        )
        if not cr.fetchone():
            continue
        cr.execute(
            SQL(
                """
            WITH kept AS (
                SELECT partner.id AS partner_id, company.id AS company_id, to_jsonb(partner.%(old)s) AS value
                  FROM res_partner partner
                  JOIN res_company company
                    ON company.id IN (SELECT move.company_id FROM account_move move
                                       WHERE move.commercial_partner_id = partner.commercial_partner_id)
                    OR NOT EXISTS (SELECT 1 FROM account_move move
                                    WHERE move.commercial_partner_id = partner.commercial_partner_id)
                 WHERE partner.%(old)s IS NOT NULL AND partner.%(old)s::text NOT IN ('false', '')
            )
            UPDATE res_partner partner
               SET %(column)s = COALESCE(partner.%(column)s, '{}'::jsonb) || by_partner.values
              FROM (SELECT partner_id, jsonb_object_agg(company_id::text, value) AS values
                      FROM kept GROUP BY partner_id) by_partner
             WHERE partner.id = by_partner.partner_id
        """,
                old=SQL.identifier(old),
                column=SQL.identifier(column),
            )
        )
        cr.execute(SQL("ALTER TABLE res_partner DROP COLUMN %s", SQL.identifier(old)))
