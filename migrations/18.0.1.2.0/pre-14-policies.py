"""Issue 14: every level belongs to a policy (a required column).

An existing database gets one default "Professionals" policy per company holding all its levels, created here so
the column is filled before the ORM makes it NOT NULL; the main company's is bound to the shipped record
``policy_professional``. Reminders keep their level. post-14 archives the segment policies the upgrade adds.
"""

PROFESSIONALS = '{"en_US": "Professionals", "fr_FR": "Professionnels"}'


def migrate(cr, version):
    cr.execute("SELECT to_regclass('l10n_fr_dunning_policy')")
    if cr.fetchone()[0]:
        return
    cr.execute(
        """CREATE TABLE l10n_fr_dunning_policy (
               id SERIAL PRIMARY KEY,
               name JSONB NOT NULL,
               sequence INTEGER,
               active BOOLEAN,
               is_default BOOLEAN,
               company_id INTEGER NOT NULL
           )"""
    )
    cr.execute(
        """INSERT INTO l10n_fr_dunning_policy (name, sequence, active, is_default, company_id)
           SELECT %s::jsonb, 10, TRUE, TRUE, company_id
             FROM l10n_fr_dunning_level GROUP BY company_id ORDER BY company_id""",
        [PROFESSIONALS],
    )
    cr.execute("ALTER TABLE l10n_fr_dunning_level ADD COLUMN IF NOT EXISTS policy_id INTEGER")
    cr.execute(
        """UPDATE l10n_fr_dunning_level level SET policy_id = policy.id
             FROM l10n_fr_dunning_policy policy WHERE policy.company_id = level.company_id"""
    )
    cr.execute(
        """INSERT INTO ir_model_data (module, name, model, res_id, noupdate)
           SELECT 'l10n_fr_dunning', 'policy_professional', 'l10n_fr_dunning.policy', policy.id, TRUE
             FROM l10n_fr_dunning_policy policy
             JOIN ir_model_data company ON company.model = 'res.company' AND company.res_id = policy.company_id
            WHERE company.module = 'base' AND company.name = 'main_company'"""
    )
