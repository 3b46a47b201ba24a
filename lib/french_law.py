"""French rules for dunning unpaid invoices, as pure functions.

Nothing here imports Odoo: the models gather the data (amounts, dates, rate
tables) and pass it in, then turn a ``LawError`` into a ``UserError``.

Conventions:

* Money and rates are ``decimal.Decimal``; rates are in percent
  (``Decimal('12.15')`` means 12.15 %).  Ints, strings and floats are accepted
  too and converted through ``str`` (so ``12.15`` becomes ``Decimal('12.15')``).
* Dates are ``datetime.date``.
* Rates are data, never constants: ``ecb_rates`` is an iterable of
  ``(effective_date, rate_percent)`` and ``legal_rates`` an iterable of
  ``(semester_start, individual_creditor_percent, other_cases_percent)``;
  neither needs to be sorted.
* Interest is simple interest on actual days / 365 (365 in leap years too).
  It runs from the day after the start date (the due date, or the mise en
  demeure date) to ``until``, both days included.  A period is split at each
  1 January and 1 July (the rate is fixed per semester) and wherever a payment
  changes the unpaid amount.  A payment reduces the base from its payment date
  included; the base never goes below zero and a zero base gives no line.
  Each line is rounded to the cent (ROUND_HALF_UP); the total is the sum of
  the rounded lines.
* Procedure deadlines add the delay with ``relativedelta`` (a month delay
  ending on a missing day ends on the last day of the month) and then move to
  the next working day (Code de procédure civile 642).
"""
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from operator import itemgetter

from dateutil.easter import easter
from dateutil.relativedelta import relativedelta

RECOVERY_INDEMNITY_EUR = Decimal('40.00')
"""Indemnité forfaitaire pour frais de recouvrement, fixed by decree (D441-5)."""

DEFAULT_PENALTY_MARGIN_POINTS = Decimal('10')
"""Points added to the ECB rate for the default penalty rate (L441-10 II)."""

CONTRACTUAL_RATE_FLOOR_FACTOR = Decimal('3')
"""A contractual penalty rate is at least this many times the taux légal (L441-10 II)."""

DAYS_PER_YEAR = 365
PROFESSIONAL_PRESCRIPTION_YEARS = 5
CONSUMER_PRESCRIPTION_YEARS = 2
PAYMENT_TERM_MAX_DAYS = 60
PAYMENT_TERM_END_OF_MONTH_DAYS = 45

ORDONNANCE_SERVICE_MONTHS = 6
ORDONNANCE_SERVICE_MONTHS_SHORT = 3
SHORT_ORDONNANCE_SERVICE_FROM = date(2026, 9, 1)
"""Ordonnances rendered from this day must be served within 3 months (décret 2026-96)."""
OPPOSITION_MONTHS = 1

ECB_RATES_MENU = 'Invoicing > Configuration > Dunning > ECB rates'
LEGAL_RATES_MENU = 'Invoicing > Configuration > Dunning > Legal interest rates'

_CENT = Decimal('0.01')
_ONE_DAY = timedelta(days=1)


class LawError(ValueError):
    """The data given cannot produce a lawful result; the message says what to fix."""


class MissingRateError(LawError):
    """A rate table has no row for the date needed."""


class RateBelowFloorError(LawError):
    """A contractual penalty rate is below 3 × the taux légal (Code de commerce L441-10 II)."""


@dataclass(frozen=True)
class InterestLine:
    """One period of constant base and rate; ``days`` counts both ends."""

    date_from: date
    date_to: date
    days: int
    base: Decimal
    rate: Decimal
    amount: Decimal


@dataclass(frozen=True)
class InterestComputation:
    """The lines of an interest computation and their total (sum of the rounded lines)."""

    lines: tuple
    total: Decimal


def _decimal(value):
    return Decimal(str(value))


def _round_cents(amount):
    return amount.quantize(_CENT, rounding=ROUND_HALF_UP)


def semester_start(day):
    """First day of the half-year containing ``day``: 1 January or 1 July.

    Penalty rates and the taux légal are fixed per semester (Code de commerce
    L441-10 II; Code monétaire et financier L313-2).
    """
    return date(day.year, 1 if day.month <= 6 else 7, 1)


def ecb_rate_in_force(day, ecb_rates):
    """ECB main refinancing rate in force on ``day`` (Code de commerce L441-10 II).

    That is the rate of the latest row whose effective date is on or before
    ``day``.  Raises MissingRateError when there is none.
    """
    known = [(effective_date, rate) for effective_date, rate in ecb_rates if effective_date <= day]
    if not known:
        raise MissingRateError(
            f"No ECB main refinancing rate is recorded on or before {day.isoformat()}: "
            f"add it under {ECB_RATES_MENU}."
        )
    return _decimal(max(known, key=itemgetter(0))[1])


def legal_rate(day, legal_rates, creditor_is_individual=False):
    """Taux d'intérêt légal of the semester containing ``day`` (Code monétaire et financier L313-2).

    The "autres cas" rate, or the rate for a creditor who is an individual
    not acting for professional needs.  The rate is published per semester,
    so a semester without a row raises MissingRateError rather than falling
    back on an older one.
    """
    semester = semester_start(day)
    for start, individual_creditor_rate, other_cases_rate in legal_rates:
        if start == semester:
            return _decimal(individual_creditor_rate if creditor_is_individual else other_cases_rate)
    raise MissingRateError(
        f"No taux légal is recorded for the semester starting {semester.isoformat()}: "
        f"add it under {LEGAL_RATES_MENU}."
    )


def penalty_rate(on_date, ecb_rates, contractual_rate=None, legal_rates=None):
    """Late-payment penalty rate between professionals for ``on_date`` (Code de commerce L441-10 II).

    Without a contractual rate: the ECB rate in force on the first day of the
    semester (1 January or 1 July) plus 10 points.  A contractual rate applies
    instead but may not be lower than 3 × the taux légal "autres cas" of the
    semester (RateBelowFloorError); ``legal_rates`` is then required.  The
    floor does not bind the default rate.
    """
    semester = semester_start(on_date)
    if contractual_rate is None:
        return ecb_rate_in_force(semester, ecb_rates) + DEFAULT_PENALTY_MARGIN_POINTS
    if legal_rates is None:
        raise LawError(
            "A contractual penalty rate must be checked against its legal floor "
            "(3 × taux légal, Code de commerce L441-10 II): provide the taux légal table."
        )
    rate = _decimal(contractual_rate)
    taux_legal = legal_rate(semester, legal_rates)
    floor = CONTRACTUAL_RATE_FLOOR_FACTOR * taux_legal
    if rate < floor:
        raise RateBelowFloorError(
            f"The contractual penalty rate of {rate} % is below the legal floor of {floor} % "
            f"(3 × taux légal {taux_legal} %) for the semester starting {semester.isoformat()} "
            f"(Code de commerce L441-10 II): raise it to at least {floor} % "
            f"or remove it to apply the default rate."
        )
    return rate


def _semester_starts_after(first_day, last_day):
    """1 January and 1 July falling in (first_day, last_day]."""
    start = semester_start(first_day) + relativedelta(months=6)
    while start <= last_day:
        yield start
        start += relativedelta(months=6)


def _unpaid_segments(amount_due, first_day, last_day, payments):
    """Yield ``(date_from, date_to, base)`` for the days first_day..last_day where something is unpaid.

    A new segment starts at each semester start and at each payment date that
    changes the base; a payment counts from its date included.
    """
    amount_due = _decimal(amount_due)
    payments = [(paid_on, _decimal(amount)) for paid_on, amount in payments]

    def base_on(day):
        paid = sum((amount for paid_on, amount in payments if paid_on <= day), Decimal(0))
        return max(Decimal(0), amount_due - paid)

    starts = {first_day, *_semester_starts_after(first_day, last_day)}
    starts.update(
        paid_on for paid_on, _amount in payments
        if first_day < paid_on <= last_day and base_on(paid_on) != base_on(paid_on - _ONE_DAY)
    )
    starts = sorted(starts)
    for date_from, next_start in zip(starts, starts[1:] + [last_day + _ONE_DAY]):
        base = base_on(date_from)
        if base:
            yield date_from, next_start - _ONE_DAY, base


def _simple_interest(amount_due, start_date, until, payments, rate_on):
    """Simple interest from the day after ``start_date`` to ``until``.

    ``rate_on(day)`` gives the rate of the segment starting on ``day``.
    """
    lines = []
    if until > start_date:
        for date_from, date_to, base in _unpaid_segments(amount_due, start_date + _ONE_DAY, until, payments):
            rate = rate_on(date_from)
            days = (date_to - date_from).days + 1
            amount = _round_cents(base * rate * days / (100 * DAYS_PER_YEAR))
            lines.append(InterestLine(date_from, date_to, days, base, rate, amount))
    return InterestComputation(
        lines=tuple(lines),
        total=sum((line.amount for line in lines), Decimal('0.00')),
    )


def late_payment_penalties(amount_due, due_date, until, ecb_rates, payments=(),
                           contractual_rate=None, legal_rates=None):
    """Late-payment penalties owed by a professional debtor (Code de commerce L441-10 II).

    Due without reminder from the day after ``due_date`` to ``until`` on the
    unpaid amount including VAT, at ``penalty_rate`` of each semester;
    ``payments`` is an iterable of ``(payment_date, amount)``.
    """
    ecb_rates = tuple(ecb_rates)
    legal_rates = None if legal_rates is None else tuple(legal_rates)
    return _simple_interest(
        amount_due, due_date, until, payments,
        lambda day: penalty_rate(day, ecb_rates, contractual_rate, legal_rates),
    )


def legal_interest(amount_due, start_date, until, legal_rates, payments=(), creditor_is_individual=False):
    """Interest at the taux légal owed by a consumer debtor (Code civil 1231-6, 1344-1).

    Runs from the day after the mise en demeure (``start_date``) to ``until``
    at the taux légal of each semester ("autres cas" unless the creditor is an
    individual); ``payments`` is an iterable of ``(payment_date, amount)``.
    """
    legal_rates = tuple(legal_rates)
    return _simple_interest(
        amount_due, start_date, until, payments,
        lambda day: legal_rate(day, legal_rates, creditor_is_individual),
    )


def recovery_indemnity(debtor_is_professional, insolvent=False, currency_rate=Decimal(1)):
    """Indemnité forfaitaire de recouvrement of one unpaid invoice (Code de commerce L441-10 II, D441-5).

    40 € owed by a professional debtor, nothing by a consumer, nothing while
    the debtor is under sauvegarde, redressement or liquidation judiciaire.
    ``currency_rate`` is the number of invoice-currency units per 1 EUR; the
    result is in the invoice currency, rounded to the cent.
    """
    currency_rate = _decimal(currency_rate)
    if currency_rate <= 0:
        raise LawError(
            f"The currency rate must be positive (invoice-currency units per 1 EUR), got {currency_rate}: "
            f"fix the rate of the invoice currency."
        )
    if not debtor_is_professional or insolvent:
        return Decimal('0.00')
    return _round_cents(RECOVERY_INDEMNITY_EUR * currency_rate)


def prescription_date(invoice_date, debtor_is_professional, performance_date=None):
    """Day on which the claim becomes time-barred (at the end of that day).

    5 years against a professional (Code de commerce L110-4, Code civil 2224),
    2 years against a consumer (Code de la consommation L218-2), counted from
    the performance (delivery or service) when known, else the invoice date.
    """
    start = performance_date or invoice_date
    years = PROFESSIONAL_PRESCRIPTION_YEARS if debtor_is_professional else CONSUMER_PRESCRIPTION_YEARS
    return start + relativedelta(years=years)


def exceeds_payment_term_limit(invoice_date, due_date):
    """Whether ``due_date`` is later than every agreed payment term allowed (Code de commerce L441-10 I).

    The allowed limits are 60 days from the invoice date, or 45 days end of
    month read either way: invoice date + 45 days then end of that month, or
    end of the invoice month then + 45 days.
    """
    latest_allowed = max(
        invoice_date + timedelta(days=PAYMENT_TERM_MAX_DAYS),
        invoice_date + timedelta(days=PAYMENT_TERM_END_OF_MONTH_DAYS) + relativedelta(day=31),
        invoice_date + relativedelta(day=31) + timedelta(days=PAYMENT_TERM_END_OF_MONTH_DAYS),
    )
    return due_date > latest_allowed


def french_public_holidays(year):
    """The 11 national public holidays of ``year`` (Code du travail L3133-1).

    Alsace-Moselle's extra days (Good Friday, 26 December) are not included.
    Ascension can fall on 1 May, so the set may hold only 10 days.
    """
    easter_sunday = easter(year)
    return frozenset({
        date(year, 1, 1),
        easter_sunday + timedelta(days=1),   # Easter Monday
        date(year, 5, 1),
        date(year, 5, 8),
        easter_sunday + timedelta(days=39),  # Ascension Thursday
        easter_sunday + timedelta(days=50),  # Whit Monday
        date(year, 7, 14),
        date(year, 8, 15),
        date(year, 11, 1),
        date(year, 11, 11),
        date(year, 12, 25),
    })


def next_working_day(day):
    """``day`` itself if it is a working day, else the next one (Code de procédure civile 642).

    A deadline ending on a Saturday, Sunday or public holiday is extended to
    the next working day.
    """
    while day.weekday() >= 5 or day in french_public_holidays(day.year):
        day += _ONE_DAY
    return day


def deadline(start, days=0, months=0):
    """Last day of a delay of ``months`` then ``days`` from ``start`` (Code de procédure civile 641, 642).

    A month delay ending on a day the month lacks ends on its last day; the
    result moves to the next working day.
    """
    return next_working_day(start + relativedelta(months=months, days=days))


def ordonnance_service_deadline(ordonnance_date):
    """Last day to serve an injonction de payer (Code de procédure civile 1411, décret 2026-96).

    6 months from the ordonnance, 3 months for one rendered from 1 September
    2026; moved to the next working day (CPC 642).  Past it, the ordonnance is
    void ("non avenue").
    """
    months = (ORDONNANCE_SERVICE_MONTHS_SHORT if ordonnance_date >= SHORT_ORDONNANCE_SERVICE_FROM
              else ORDONNANCE_SERVICE_MONTHS)
    return deadline(ordonnance_date, months=months)


def opposition_deadline(service_date):
    """Last day for the debtor to oppose an injonction de payer (Code de procédure civile 1416).

    1 month from service of the ordonnance, moved to the next working day (CPC 642).
    """
    return deadline(service_date, months=OPPOSITION_MONTHS)


RATE_WARNING_DAYS = 21
"""From this many days before 1 January or 1 July, a half-year without its rates is reported."""
ECB_CONFIRMATION_MONTHS = 6


def semester_to_check(day):
    """Start of the coming half-year when ``day`` is close enough to it to check its rates, else None.

    The taux légal arrêté is published in the last days of June and December
    (Code monétaire et financier L313-2); the window opens RATE_WARNING_DAYS before.
    """
    coming = semester_start(day) + relativedelta(months=6)
    return coming if (coming - day).days <= RATE_WARNING_DAYS else None


def ecb_rate_confirmed(semester, evidence_days):
    """Whether the ECB rate in force on ``semester`` can be trusted (Code de commerce L441-10 II).

    An ECB rate always exists by carry-over, so a missing row proves nothing: the rate
    is taken as confirmed when one of ``evidence_days`` (a rate taking effect, a row
    recorded or edited, a successful check against the ECB) falls in the
    ECB_CONFIRMATION_MONTHS before the half-year starts.
    """
    since = semester - relativedelta(months=ECB_CONFIRMATION_MONTHS)
    return any(since <= day <= semester for day in evidence_days if day)
