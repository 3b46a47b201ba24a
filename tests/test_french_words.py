"""Pure tests of lib/french_words.py: the sum of a mise en demeure in words and French figures."""

from datetime import date

import pytest

from odoo.addons.l10n_fr_dunning.lib.french_words import (
    amount_in_french_words,
    format_french_amount,
    format_french_date,
)


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (0.01, "un centime"),
        (1, "un euro"),
        (21, "vingt et un euros"),
        (80, "quatre-vingts euros"),
        (71.10, "soixante et onze euros et dix centimes"),
        (1000, "mille euros"),
        (1234.56, "mille deux cent trente-quatre euros et cinquante-six centimes"),
        (1000000, "un million d'euros"),
        (2000000, "deux millions d'euros"),
        (1000001, "un million un euros"),
        (200.80, "deux cents euros et quatre-vingts centimes"),
        (1.01, "un euro et un centime"),
        (0, "zéro euro"),
    ],
)
def test_amount_in_french_words(amount, words):
    assert amount_in_french_words(amount) == words


def test_negative_amount_refused():
    with pytest.raises(ValueError):
        amount_in_french_words(-1)


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (1234.56, "1\u00a0234,56\u00a0€"),
        (0.5, "0,50\u00a0€"),
        (-1234567, "-1\u00a0234\u00a0567,00\u00a0€"),
        (40, "40,00\u00a0€"),
    ],
)
def test_format_french_amount(amount, text):
    assert format_french_amount(amount) == text


def test_format_french_date():
    assert format_french_date(date(2026, 5, 6)) == "06/05/2026"
    assert format_french_date(False) == ""
