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

RECOVERY_INDEMNITY_EUR = Decimal("40.00")
"""Indemnité forfaitaire pour frais de recouvrement, fixed by decree (D441-5)."""

DEFAULT_PENALTY_MARGIN_POINTS = Decimal("10")
"""Points added to the ECB rate for the default penalty rate (L441-10 II)."""

PUBLIC_PROCUREMENT_MARGIN_POINTS = Decimal("8")
"""Points added to the ECB rate for the intérêts moratoires of public buyers (Code de la commande publique R2192-31)."""

CONTRACTUAL_RATE_FLOOR_FACTOR = Decimal("3")
"""A contractual penalty rate is at least this many times the taux légal (L441-10 II)."""

DAYS_PER_YEAR = 365
PAYMENT_TERM_MAX_DAYS = 60
PAYMENT_TERM_END_OF_MONTH_DAYS = 45

ORDONNANCE_SERVICE_MONTHS = 6
ORDONNANCE_SERVICE_MONTHS_SHORT = 3
SHORT_ORDONNANCE_SERVICE_FROM = date(2026, 9, 1)
"""Ordonnances rendered from this day must be served within 3 months (décret 2026-96)."""
OPPOSITION_MONTHS = 1
DISTANCE_EXTRA_MONTHS = {"overseas": 1, "abroad": 2}
"""Months added to the opposition period for a debtor living overseas or abroad (Code de procédure civile 643)."""
ENFORCEMENT_WITHOUT_NOTICE_MONTHS = 2
"""Ordonnances from 1 September 2026: enforceable 2 months after service without notice of opposition
(décret 2026-96)."""

ECB_RATES_MENU = "Invoicing > Configuration > Dunning > ECB rates"
LEGAL_RATES_MENU = "Invoicing > Configuration > Dunning > Legal interest rates"

_CENT = Decimal("0.01")
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
    """The lines of an interest computation and their total (sum of the rounded lines).

    ``interest_paid`` is the part of the payments imputed to interest (Code civil 1343-1), so that
    ``total - interest_paid`` is the interest still due and ``principal_due`` the principal still due.
    """

    lines: tuple
    total: Decimal
    interest_paid: Decimal = Decimal("0.00")
    principal_due: Decimal = Decimal("0.00")

    @property
    def interest_due(self):
        return self.total - self.interest_paid


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
            f"No ECB main refinancing rate is recorded on or before {day.isoformat()}: add it under {ECB_RATES_MENU}."
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
        f"No taux légal is recorded for the semester starting {semester.isoformat()}: add it under {LEGAL_RATES_MENU}."
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


def _payments_by_day(payments):
    """{payment date: total paid that day}, amounts as Decimals."""
    by_day = {}
    for paid_on, amount in payments:
        by_day[paid_on] = by_day.get(paid_on, Decimal(0)) + _decimal(amount)
    return by_day


def _simple_interest(amount_due, start_date, until, payments, rate_on, interest_first=False, suspensions=()):
    """Simple interest from the day after ``start_date`` to ``until`` on what is unpaid.

    ``rate_on(day)`` gives the rate of the line starting on ``day``.  A payment counts from its date
    included.  With ``interest_first`` a payment pays the interest accrued until the day before first and
    the principal with the rest (Code civil 1343-1); otherwise it pays the principal.  Lines split at each
    1 January and 1 July and where the principal changes; with ``interest_first`` at each payment too.
    ``suspensions`` are ``(first_day, last_day)`` periods, both included, during which nothing accrues: lines
    split at their first day and the day after their last, and no line covers them.
    """
    paid_by_day = _payments_by_day(payments)
    first_day = start_date + _ONE_DAY
    suspensions = tuple(suspensions)
    suspension_edges = {
        day for first, last in suspensions for day in (first, last + _ONE_DAY) if first_day < day <= until
    }
    principal = max(
        Decimal(0),
        _decimal(amount_due)
        - sum((amount for day, amount in paid_by_day.items() if day <= min(first_day, until)), Decimal(0)),
    )
    lines, interest_paid = [], Decimal("0.00")

    def close(line_start, line_end, base):
        suspended = any(first <= line_start <= last for first, last in suspensions)
        if base and line_end >= line_start and not suspended:
            rate = rate_on(line_start)
            days = (line_end - line_start).days + 1
            lines.append(
                InterestLine(
                    line_start, line_end, days, base, rate, _round_cents(base * rate * days / (100 * DAYS_PER_YEAR))
                )
            )

    if until >= first_day:
        boundaries = set(_semester_starts_after(first_day, until))
        boundaries.update(day for day in paid_by_day if first_day < day <= until)
        boundaries.update(suspension_edges)
        line_start, base = first_day, principal
        for day in sorted(boundaries):
            paid = paid_by_day.get(day, Decimal(0))
            if interest_first and paid:
                close(line_start, day - _ONE_DAY, base)
                line_start = day
                to_interest = min(paid, sum((line.amount for line in lines), Decimal(0)) - interest_paid)
                interest_paid += to_interest
                paid -= to_interest
            principal = max(Decimal(0), principal - paid)
            if day == semester_start(day) or principal != base or day in suspension_edges:
                close(line_start, day - _ONE_DAY, base)
                line_start = day
            base = principal
        close(line_start, until, base)
    return InterestComputation(
        lines=tuple(lines),
        total=sum((line.amount for line in lines), Decimal("0.00")),
        interest_paid=interest_paid,
        principal_due=principal,
    )


def late_payment_penalties(
    amount_due,
    due_date,
    until,
    ecb_rates,
    payments=(),
    contractual_rate=None,
    legal_rates=None,
    interest_first=False,
    suspensions=(),
):
    """Late-payment penalties owed by a professional debtor (Code de commerce L441-10 II).

    Due without reminder from the day after ``due_date`` to ``until`` on the
    unpaid amount including VAT, at ``penalty_rate`` of each semester;
    ``payments`` is an iterable of ``(payment_date, amount)``.  Not incurred
    during the ``suspensions`` periods: a court's grace (Code civil 1343-5 al. 4).
    """
    ecb_rates = tuple(ecb_rates)
    legal_rates = None if legal_rates is None else tuple(legal_rates)
    return _simple_interest(
        amount_due,
        due_date,
        until,
        payments,
        lambda day: penalty_rate(day, ecb_rates, contractual_rate, legal_rates),
        interest_first,
        suspensions,
    )


def public_procurement_rate(first_day_late, ecb_rates):
    """Rate of the intérêts moratoires owed by a public buyer (Code de la commande publique R2192-31).

    The ECB rate in force on the first day of the semester in which the interest started to run, plus
    8 points, kept for the whole period (unlike L441-10, it is not read again each semester).
    """
    return ecb_rate_in_force(semester_start(first_day_late), ecb_rates) + PUBLIC_PROCUREMENT_MARGIN_POINTS


def public_procurement_interest(
    amount_due, due_date, until, ecb_rates, payments=(), interest_first=False, suspensions=()
):
    """Intérêts moratoires owed by a public buyer paying late (Code de la commande publique L2192-13, R2192-31).

    From the day after ``due_date`` to ``until`` at ``public_procurement_rate``; periods still split at
    each semester for reading, all at the same rate.  Being increased interest due for the delay, they are
    not incurred during the ``suspensions`` periods of a court's grace (Code civil 1343-5 al. 4).
    """
    rate = public_procurement_rate(due_date + _ONE_DAY, tuple(ecb_rates))
    return _simple_interest(amount_due, due_date, until, payments, lambda day: rate, interest_first, suspensions)


def legal_interest(
    amount_due, start_date, until, legal_rates, payments=(), creditor_is_individual=False, interest_first=False
):
    """Interest at the taux légal owed by a consumer debtor (Code civil 1231-6, 1344-1).

    Runs from the day after the mise en demeure (``start_date``) to ``until``
    at the taux légal of each semester ("autres cas" unless the creditor is an
    individual); ``payments`` is an iterable of ``(payment_date, amount)``.
    A court's grace does not stop it: only penalties and increased interest are
    not incurred (Code civil 1343-5 al. 4); a reduced rate needs a special
    decision of the judge (al. 2).
    """
    legal_rates = tuple(legal_rates)
    return _simple_interest(
        amount_due,
        start_date,
        until,
        payments,
        lambda day: legal_rate(day, legal_rates, creditor_is_individual),
        interest_first,
    )


def recovery_indemnity(debtor_owes_it, insolvent=False, currency_rate=Decimal(1)):
    """Indemnité forfaitaire de recouvrement of one unpaid invoice (Code de commerce L441-10 II, D441-5;
    Code de la commande publique L2192-13 for public buyers).

    40 € owed by a professional or public debtor (``debtor_owes_it``), nothing by a consumer, nothing when an
    insolvency judgment forbids paying the invoice at its due date (``insolvent``: see ``insolvency_effects``).
    ``currency_rate`` is the number of invoice-currency units per 1 EUR; the result is in the invoice currency,
    rounded to the cent.
    """
    currency_rate = _decimal(currency_rate)
    if currency_rate <= 0:
        raise LawError(
            f"The currency rate must be positive (invoice-currency units per 1 EUR), got {currency_rate}: "
            f"fix the rate of the invoice currency."
        )
    if not debtor_owes_it or insolvent:
        return Decimal("0.00")
    return _round_cents(RECOVERY_INDEMNITY_EUR * currency_rate)


@dataclass(frozen=True)
class InsolvencyEffects:
    """What an opening judgment does to one claim (Code de commerce L622-7, L622-17, L622-28, L441-10 II)."""

    pre_opening: bool
    """Born before the judgment: declared to the mandataire, not chased."""
    interest_until: date
    """Last day interest runs (the day before the judgment for a pre-opening claim), or None."""
    indemnity_owed: bool
    """The 40 € stays when the claim was already late before the judgment."""


def insolvency_effects(born_on, due_date, opening_date):
    """Effects of an insolvency opening judgment of ``opening_date`` on a claim born on ``born_on``.

    A claim born before the judgment stops bearing interest at the judgment (L622-28) and is declared, not
    chased (L622-7, L622-24); its 40 € stays only if it was already late (due before the judgment), since the
    judgment "interdit le paiement à son échéance" otherwise (L441-10 II). A claim born on or after the
    judgment is paid at its due date and accrues normally (L622-17).
    """
    if not opening_date or born_on >= opening_date:
        return InsolvencyEffects(pre_opening=False, interest_until=None, indemnity_owed=True)
    return InsolvencyEffects(
        pre_opening=True,
        interest_until=opening_date - _ONE_DAY,
        indemnity_owed=due_date < opening_date,
    )


def claim_declaration_deadline(publication_date, creditor_outside_metropolitan_france=False):
    """Last day to declare a claim to the mandataire judiciaire (Code de commerce R622-24).

    2 months from the BODACC publication of the opening judgment, 4 for a creditor outside metropolitan
    France; moved to the next working day (Code de procédure civile 642).
    """
    return deadline(publication_date, months=4 if creditor_outside_metropolitan_france else 2)


def prescription_date(start, years, interruptions=(), from_next_year=False):
    """Last day to act: the claim is time-barred at the end of that day (Code civil 2228, 2229).

    ``years`` comes from the debtor's regime (5 between merchants, Code de commerce L110-4 and Code civil
    2224; 2 against a consumer, Code de la consommation L218-2; 4 against a public person, loi 68-1250).
    ``start`` is the performance (delivery or service, Cass. com. 26 Feb 2020, 18-25.036) or failing it the
    invoice date. An acknowledgment of the debt, which a partial payment is (Code civil 2240), or a court
    claim (2241) interrupts it: a new period starts from the latest of ``interruptions``.
    ``from_next_year``: the period runs from 1 January of the next year (loi 68-1250, art. 1 and 2), so it
    ends on 31 December.
    """
    start = max([start, *interruptions])
    if from_next_year:
        return date(start.year + years, 12, 31)
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
    return frozenset(
        {
            date(year, 1, 1),
            easter_sunday + timedelta(days=1),  # Easter Monday
            date(year, 5, 1),
            date(year, 5, 8),
            easter_sunday + timedelta(days=39),  # Ascension Thursday
            easter_sunday + timedelta(days=50),  # Whit Monday
            date(year, 7, 14),
            date(year, 8, 15),
            date(year, 11, 1),
            date(year, 11, 11),
            date(year, 12, 25),
        }
    )


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
    months = (
        ORDONNANCE_SERVICE_MONTHS_SHORT
        if ordonnance_date >= SHORT_ORDONNANCE_SERVICE_FROM
        else ORDONNANCE_SERVICE_MONTHS
    )
    return deadline(ordonnance_date, months=months)


def opposition_deadline(
    service_date, served_in_person=True, debtor_location="metropolitan", first_personal_act_date=None
):
    """Last day for the debtor to oppose an injonction de payer (Code de procédure civile 1416, 643, 642).

    1 month from service to the debtor in person. Served otherwise, the opposition stays open until 1 month
    after the first act served to the debtor in person, or the first enforcement measure making its goods
    unavailable (CPC 1416 al. 2): ``first_personal_act_date``, None while unknown. The month is extended by
    1 for a debtor living overseas and by 2 for one abroad (CPC 643); moved to the next working day (CPC 642).
    """
    start = service_date if served_in_person else first_personal_act_date
    if not start:
        return None
    return deadline(start, months=OPPOSITION_MONTHS + DISTANCE_EXTRA_MONTHS.get(debtor_location, 0))


def enforcement_date(ordonnance_date, service_date, opposition_last_day):
    """First day the creditor may enforce an ordonnance not opposed, or None while it cannot be known.

    Since 1 March 2022 the ordonnance carries the formule exécutoire (décret 2021-1322): for one rendered
    before 1 September 2026, enforcement follows the end of the opposition period, on the greffe's certificat
    de non-opposition. For one rendered from 1 September 2026, the greffe informs the creditor of an
    opposition, and without such notice the creditor may enforce 2 months after service (décret 2026-96;
    wording to be confirmed by the user, see shared/reference/french-law.md section 12).
    """
    if not ordonnance_date or not service_date:
        return None
    if ordonnance_date >= SHORT_ORDONNANCE_SERVICE_FROM:
        return service_date + relativedelta(months=ENFORCEMENT_WITHOUT_NOTICE_MONTHS)
    return opposition_last_day and opposition_last_day + _ONE_DAY


RATE_WARNING_DAYS = 15
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
