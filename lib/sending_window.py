"""When a reminder may go out: the sending window of a level, as pure functions (no Odoo import).

French collection guidance advises against reminders that land on a weekend or in the last days of the month,
when the customer's accounts department closes its books. These are the company's choices, set per level; no
law imposes them (french-law.md §10 finds no calling-hours rule for debt collection).
"""

from datetime import timedelta

from dateutil.relativedelta import relativedelta


def is_sending_day(day, skip_weekends=False, quiet_last_days=0):
    """Whether a reminder may go out on ``day``: not on a Saturday or Sunday when ``skip_weekends``, not in
    the last ``quiet_last_days`` days of the month."""
    if skip_weekends and day.weekday() >= 5:
        return False
    if quiet_last_days > 0:
        month_end = day + relativedelta(day=31)
        if (month_end - day).days < quiet_last_days:
            return False
    return True


def next_sending_day(day, skip_weekends=False, quiet_last_days=0):
    """``day`` itself when it is a sending day, else the next one (the reminder is postponed to it)."""
    for _attempt in range(62):
        if is_sending_day(day, skip_weekends, quiet_last_days):
            return day
        day += timedelta(days=1)
    raise ValueError(f"No sending day in the two months from {day}: {quiet_last_days} quiet days is too many.")
