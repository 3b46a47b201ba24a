"""lib/payment_plans.py: splitting to the cent, allocating payments, the first missed instalment, 1343-5's limit."""

from datetime import date
from decimal import Decimal

import pytest

from odoo.addons.l10n_fr_dunning.lib import payment_plans


def test_split_to_the_cent_remainder_on_last():
    # 1 000,00 / 3 = 333,333…: 333,33 twice, then 1 000,00 - 666,66 = 333,34
    assert payment_plans.split_amount(1000, 3) == [Decimal("333.33"), Decimal("333.33"), Decimal("333.34")]
    # 100,01 / 4 = 25,0025: 25,00 three times, then 100,01 - 75,00 = 25,01
    assert payment_plans.split_amount("100.01", 4) == [Decimal("25.00")] * 3 + [Decimal("25.01")]
    assert payment_plans.split_amount("0.02", 3) == [Decimal("0.00"), Decimal("0.00"), Decimal("0.02")]


def test_split_refuses_nonsense():
    with pytest.raises(ValueError):
        payment_plans.split_amount(100, 0)
    with pytest.raises(ValueError):
        payment_plans.split_amount(0, 3)


def test_dates_every_month_keep_month_end():
    assert payment_plans.instalment_dates(date(2027, 1, 31), 3, 1, "months") == [
        date(2027, 1, 31),
        date(2027, 2, 28),
        date(2027, 3, 31),
    ]
    assert payment_plans.instalment_dates(date(2026, 12, 1), 3, 15, "days") == [
        date(2026, 12, 1),
        date(2026, 12, 16),
        date(2026, 12, 31),
    ]
    with pytest.raises(ValueError):
        payment_plans.instalment_dates(date(2026, 12, 1), 3, 1, "weeks")


def test_schedule():
    assert payment_plans.schedule("1200.00", date(2026, 12, 15), 3, 1, "months") == [
        (date(2026, 12, 15), Decimal("400.00")),
        (date(2027, 1, 15), Decimal("400.00")),
        (date(2027, 2, 15), Decimal("400.00")),
    ]


def test_allocate_in_due_date_order():
    amounts = [Decimal("400"), Decimal("400"), Decimal("400")]
    assert payment_plans.allocate_paid(amounts, "650.00") == [Decimal("400"), Decimal("250.00"), Decimal("0")]
    assert payment_plans.allocate_paid(amounts, 0) == [Decimal("0")] * 3
    assert payment_plans.allocate_paid(amounts, 1300) == [Decimal("400"), Decimal("400"), Decimal("500")]


def test_first_missed_after_the_grace_margin():
    instalments = [(date(2026, 12, 15), Decimal("400")), (date(2027, 1, 15), Decimal("400"))]
    # first instalment paid, second unpaid: not missed on its due date nor within 5 days of grace
    assert payment_plans.first_missed(instalments, 400, date(2027, 1, 15)) is None
    assert payment_plans.first_missed(instalments, 400, date(2027, 1, 16)) == 1
    assert payment_plans.first_missed(instalments, 400, date(2027, 1, 20), grace_days=5) is None
    assert payment_plans.first_missed(instalments, 400, date(2027, 1, 21), grace_days=5) == 1
    # 399,99 paid on the first: it is the one missed
    assert payment_plans.first_missed(instalments, "399.99", date(2026, 12, 16)) == 0
    assert payment_plans.first_missed(instalments, 800, date(2027, 6, 1)) is None


def test_court_grace_within_two_years():
    assert payment_plans.court_grace_end_allowed(date(2026, 11, 26), date(2028, 11, 26))
    assert not payment_plans.court_grace_end_allowed(date(2026, 11, 26), date(2028, 11, 27))


def test_court_grace_suspension_ends_at_the_last_or_the_missed_instalment():
    dues = [date(2026, 3, 1), date(2026, 4, 1), date(2026, 5, 1)]
    assert payment_plans.court_grace_suspension(date(2026, 2, 1), dues) == (date(2026, 2, 1), date(2026, 5, 1))
    assert payment_plans.court_grace_suspension(date(2026, 2, 1), dues, date(2026, 4, 1)) == (
        date(2026, 2, 1),
        date(2026, 4, 1),
    )
