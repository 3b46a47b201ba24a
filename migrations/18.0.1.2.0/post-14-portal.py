from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    """The reminder email template (noupdate) gets its copy recipients: the company's CC and internal followers."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    template = env.ref("l10n_fr_dunning.mail_template_reminder", raise_if_not_found=False)
    if template and not template.email_cc:
        template.email_cc = "{{ object._email_copy_recipients() }}"
