"""18.0.1.1.0: the debtor kind 'professional' splits into commercial and other professionals.

Before, every professional went to the tribunal de commerce: carry them over as commercial professionals, the
kind that keeps that behaviour. Civil companies, associations and public buyers are then set by the user.
"""


def migrate(cr, version):
    cr.execute("UPDATE res_partner SET dunning_debtor_kind = 'commercial' WHERE dunning_debtor_kind = 'professional'")
