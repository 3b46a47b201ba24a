from odoo import api, models


class DunningRateTable(models.AbstractModel):
    """A table of rates the law engine reads (ECB, taux légal): correcting it outdates the invoices' stored
    amounts to date (``account.move.dunning_stored_on``)."""

    _name = "l10n_fr_dunning.rate.table"
    _description = "Dunning rate table"

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        self.env["account.move"]._dunning_outdate_all_stored_amounts()
        return records

    def write(self, vals):
        result = super().write(vals)
        self.env["account.move"]._dunning_outdate_all_stored_amounts()
        return result

    def unlink(self):
        result = super().unlink()
        self.env["account.move"]._dunning_outdate_all_stored_amounts()
        return result
