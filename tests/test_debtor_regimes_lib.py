"""lib/debtor_regimes.py: the default debtor kind and what each regime means."""

import pytest

from odoo.addons.l10n_fr_dunning.lib import debtor_regimes


@pytest.mark.parametrize(
    "is_company, legal_form, siren, expected",
    [
        (False, "", "", "consumer"),
        (True, "SAS", "542051180", "commercial"),
        (True, "SARL", "", "commercial"),
        (True, "", "", "commercial"),
        (True, "SCI", "", "professional"),
        (True, "Société civile immobilière", "", "professional"),
        (True, "SELARL", "", "professional"),
        (True, "Association loi 1901", "", "professional"),
        (True, "Commune", "", "public"),
        (True, "Centre hospitalier", "", "public"),
        (True, "", "217 500 016", "public"),  # Ville de Paris: a SIREN starting with 2
        (True, "", "21750001600019", "public"),  # its SIRET
        (True, "SAS", "", "commercial"),
    ],
)
def test_default_debtor_kind(is_company, legal_form, siren, expected):
    assert debtor_regimes.default_debtor_kind(is_company, legal_form, siren) == expected


def test_regimes():
    consumer = debtor_regimes.regime_of("consumer")
    assert (consumer.interest, consumer.owes_recovery_indemnity, consumer.text_variant) == ("legal", False, "consumer")
    assert consumer.prescription_years == 2
    non_professional = debtor_regimes.regime_of("non_professional")
    assert (non_professional.interest, non_professional.owes_recovery_indemnity) == ("legal", False)
    assert non_professional.prescription_years == 5
    public = debtor_regimes.regime_of("public")
    assert (public.interest, public.owes_recovery_indemnity, public.court) == ("public", True, "administrative")
    assert not public.contractual_rate_applies and public.prescription_from_next_year
    assert debtor_regimes.regime_of("commercial").court == "commerce"
    assert debtor_regimes.regime_of("professional").court == "judiciaire"
    assert debtor_regimes.regime_of(False) is debtor_regimes.COMMERCIAL
    assert {kind for kind, _label in debtor_regimes.DEBTOR_KINDS} == set(debtor_regimes.REGIMES)
