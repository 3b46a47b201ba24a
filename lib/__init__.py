"""Pure-Python helpers of the dunning module; they import nothing from Odoo."""
