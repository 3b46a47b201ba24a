from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    dunning_min_amount = fields.Monetary(related="company_id.dunning_min_amount", readonly=False)
    dunning_grace_days = fields.Integer(related="company_id.dunning_grace_days", readonly=False)
    dunning_payment_deadline_days = fields.Integer(related="company_id.dunning_payment_deadline_days", readonly=False)
    dunning_user_id = fields.Many2one(related="company_id.dunning_user_id", readonly=False)
    dunning_attach_invoices = fields.Boolean(related="company_id.dunning_attach_invoices", readonly=False)
    dunning_contractual_rate = fields.Float(related="company_id.dunning_contractual_rate", readonly=False)
    dunning_imputation = fields.Selection(related="company_id.dunning_imputation", readonly=False)
    dunning_representative_name = fields.Char(related="company_id.dunning_representative_name", readonly=False)
    dunning_representative_title = fields.Char(related="company_id.dunning_representative_title", readonly=False)
    dunning_cc_email = fields.Char(related="company_id.dunning_cc_email", readonly=False)
    dunning_portal_days = fields.Integer(related="company_id.dunning_portal_days", readonly=False)
    dunning_portal_max_answers = fields.Integer(related="company_id.dunning_portal_max_answers", readonly=False)
    dunning_recovery_days = fields.Integer(related="company_id.dunning_recovery_days", readonly=False)
