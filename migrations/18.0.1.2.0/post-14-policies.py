from odoo import SUPERUSER_ID, api

SEGMENT_POLICIES = ("policy_consumer", "policy_public", "policy_key_account")


def migrate(cr, version):
    """An existing database keeps its single ladder: the segment policies the upgrade adds to the main company
    (empty) are archived, for the administrator to fill and activate."""
    env = api.Environment(cr, SUPERUSER_ID, {"active_test": False})
    for xmlid in SEGMENT_POLICIES:
        policy = env.ref(f"l10n_fr_dunning.{xmlid}", raise_if_not_found=False)
        if policy and not policy.level_ids:
            policy.active = False
