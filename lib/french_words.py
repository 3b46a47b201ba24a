"""French wording of amounts and dates for letters: pure functions, no Odoo import.

A mise en demeure states the sum claimed in figures and in words; French
typography writes 1 234,56 € and 15/05/2026 whatever the user's language.
"""

from decimal import ROUND_HALF_UP, Decimal

from num2words import num2words

NO_BREAK_SPACE = "\u00a0"


def _cents(amount):
    return int((Decimal(str(amount)) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def amount_in_french_words(amount):
    """``amount`` euros in French words: 1234.56 → "mille deux cent trente-quatre euros et cinquante-six centimes".

    Takes "d'euros" after an exact number of millions or milliards ("un million d'euros"), the singular
    for one euro or one centime, and omits whichever part is zero ("un centime", "quatre-vingts euros").
    """
    cents = _cents(amount)
    if cents < 0:
        raise ValueError(f"Cannot write a negative amount in words: {amount}")
    euros, centimes = divmod(cents, 100)
    parts = []
    if euros or not centimes:
        words = num2words(euros, lang="fr")
        if euros <= 1:
            unit = "euro"
        elif words.endswith(("million", "millions", "milliard", "milliards")):
            unit = "d'euros"
        else:
            unit = "euros"
        parts.append(f"{words} {unit}")
    if centimes:
        parts.append(f"{num2words(centimes, lang='fr')} {'centime' if centimes == 1 else 'centimes'}")
    return " et ".join(parts)


def format_french_amount(amount, symbol="€"):
    """``amount`` written the French way: -1234.5 → "-1 234,50 €" (no-break spaces)."""
    cents = _cents(amount)
    euros, centimes = divmod(abs(cents), 100)
    grouped = f"{euros:,}".replace(",", NO_BREAK_SPACE)
    sign = "-" if cents < 0 else ""
    return f"{sign}{grouped},{centimes:02d}{NO_BREAK_SPACE}{symbol}"


def format_french_date(day):
    """``day`` as dd/mm/yyyy; empty for no date."""
    return day.strftime("%d/%m/%Y") if day else ""


def format_french_number(number):
    """A rate or quantity the French way, without trailing zeros: 12.150 → "12,15", 10.0 → "10"."""
    text = f"{Decimal(str(number)).normalize():f}"
    return text.replace(".", ",")
