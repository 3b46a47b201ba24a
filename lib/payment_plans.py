"""Payment plans (échéanciers) as pure functions (no Odoo import): splitting a debt into dated instalments,
allocating what the debtor paid to them, and finding the first instalment missed.

An agreed plan is a contract between creditor and debtor (Code civil 1103). A court may grant the debtor up to two
years of grace, postponing or spreading the payment of what is due (Code civil 1343-5 al. 1).
"""

from decimal import ROUND_DOWN, Decimal

from dateutil.relativedelta import relativedelta

CENT = Decimal("0.01")
COURT_GRACE_MAX_MONTHS = 24
"""Code civil 1343-5 al. 1: the judge may postpone or spread the payment "dans la limite de deux années"."""


def instalment_dates(first_date, count, every, unit):
    """``count`` due dates from ``first_date``, one every ``every`` days or months (``unit``: "days"/"months");
    a month-end date stays at the month's end when the next month is shorter (31 Jan → 28 Feb → 31 Mar)."""
    if count < 1 or every < 1:
        raise ValueError("A plan has at least one instalment, at least one day or month apart.")
    if unit not in ("days", "months"):
        raise ValueError(f"Unknown unit {unit!r}: days or months.")
    return [first_date + relativedelta(**{unit: every * index}) for index in range(count)]


def split_amount(total, count):
    """``total`` in ``count`` instalments to the cent: equal amounts rounded down, the remainder on the last one."""
    total = Decimal(str(total)).quantize(CENT)
    if count < 1:
        raise ValueError("A plan has at least one instalment.")
    if total <= 0:
        raise ValueError("Nothing is left to pay.")
    share = (total / count).quantize(CENT, rounding=ROUND_DOWN)
    return [share] * (count - 1) + [total - share * (count - 1)]


def schedule(total, first_date, count, every, unit):
    """[(due date, amount)] of a plan of ``count`` instalments of ``total`` from ``first_date``."""
    return list(zip(instalment_dates(first_date, count, every, unit), split_amount(total, count), strict=True))


def allocate_paid(amounts, paid):
    """What the debtor paid (``paid``, all payments together) allocated to the instalments in due-date order
    (``amounts``, already ordered): [paid on each instalment]. A surplus stays on the last instalment."""
    left = Decimal(str(paid)).quantize(CENT)
    allocated = []
    for amount in amounts:
        share = min(max(left, Decimal(0)), Decimal(str(amount)))
        allocated.append(share)
        left -= share
    if allocated and left > 0:
        allocated[-1] += left
    return allocated


def first_missed(instalments, paid, today, grace_days=0):
    """Index of the first instalment not fully paid ``grace_days`` after its due date, on ``today``, or None.

    ``instalments``: [(due date, amount)] in due-date order; ``paid``: all payments together since the plan."""
    allocated = allocate_paid([amount for _due, amount in instalments], paid)
    for index, ((due, amount), share) in enumerate(zip(instalments, allocated, strict=True)):
        if share < Decimal(str(amount)) and (today - due).days > grace_days:
            return index
    return None


def court_grace_end_allowed(decision_date, last_due_date):
    """Whether a court grace ending on ``last_due_date`` stays within the two years of Code civil 1343-5 al. 1
    from the decision."""
    return last_due_date <= decision_date + relativedelta(months=COURT_GRACE_MAX_MONTHS)


def court_grace_suspension(decision_date, due_dates, missed_due_date=None):
    """``(first_day, last_day)`` during which late-payment penalties and increased interest are not incurred
    (Code civil 1343-5 al. 4: "ne sont pas encourues pendant le délai fixé par le juge"): from the decision to
    the last instalment's due date or, when a missed instalment ended the grace, to that instalment's due date."""
    return decision_date, missed_due_date or max(due_dates)
