"""Table-driven tests of lib/french_law.py; every expected value is computed by hand.

Interest amounts: base × rate% × days / 365, rounded to the cent (half up) per line.
"""

from datetime import date
from decimal import Decimal as D

import pytest

from odoo.addons.l10n_fr_dunning.lib import french_law

# ECB main refinancing rate by effective date (ecb_mro_rates.csv), newest first
# on purpose: the engine must not rely on the order.
ECB_RATES = (
    (date(2025, 6, 11), D("2.15")),
    (date(2025, 4, 23), D("2.40")),
    (date(2025, 3, 12), D("2.65")),
    (date(2025, 2, 5), D("2.90")),
    (date(2024, 12, 18), D("3.15")),
    (date(2024, 10, 23), D("3.40")),
    (date(2024, 9, 18), D("3.65")),
    (date(2024, 6, 12), D("4.25")),
    (date(2023, 9, 20), D("4.50")),
    (date(2023, 8, 2), D("4.25")),
    (date(2023, 6, 21), D("4.00")),
    (date(2023, 5, 10), D("3.75")),
    (date(2023, 3, 22), D("3.50")),
    (date(2023, 2, 8), D("3.00")),
    (date(2022, 12, 21), D("2.50")),
    (date(2022, 11, 2), D("2.00")),
    (date(2022, 9, 14), D("1.25")),
    (date(2022, 7, 27), D("0.50")),
    (date(2016, 3, 16), D("0.00")),
)

# Taux légal (taux_legal.csv): (semester start, individual creditor, other cases).
LEGAL_RATES = (
    (date(2022, 7, 1), D("3.15"), D("0.77")),
    (date(2023, 1, 1), D("4.47"), D("2.06")),
    (date(2023, 7, 1), D("6.82"), D("4.22")),
    (date(2024, 1, 1), D("8.01"), D("5.07")),
    (date(2024, 7, 1), D("8.16"), D("4.92")),
    (date(2025, 1, 1), D("7.21"), D("3.71")),
    (date(2025, 7, 1), D("6.65"), D("2.76")),
    (date(2026, 1, 1), D("6.67"), D("2.62")),
)


def _lines(computation):
    return [(line.date_from, line.date_to, line.days, line.base, line.rate, line.amount) for line in computation.lines]


# --- Semesters and rate tables ---------------------------------------------------


@pytest.mark.parametrize(
    "day, expected",
    [
        (date(2025, 1, 1), date(2025, 1, 1)),
        (date(2025, 6, 30), date(2025, 1, 1)),
        (date(2025, 7, 1), date(2025, 7, 1)),
        (date(2025, 12, 31), date(2025, 7, 1)),
    ],
)
def test_semester_start(day, expected):
    assert french_law.semester_start(day) == expected


@pytest.mark.parametrize(
    "day, expected",
    [
        (date(2024, 12, 17), D("3.40")),  # the day before the 2024-12-18 change
        (date(2024, 12, 18), D("3.15")),  # a change counts from its effective date
        (date(2026, 2, 1), D("2.15")),  # latest row still in force
    ],
)
def test_ecb_rate_in_force(day, expected):
    assert french_law.ecb_rate_in_force(day, ECB_RATES) == expected


@pytest.mark.parametrize(
    "day, individual, expected",
    [
        (date(2025, 9, 30), False, D("2.76")),  # 2025 S2 other cases
        (date(2025, 9, 30), True, D("6.65")),  # 2025 S2 individual creditor
        (date(2026, 6, 30), False, D("2.62")),  # 2026 S1 other cases
    ],
)
def test_legal_rate(day, individual, expected):
    assert french_law.legal_rate(day, LEGAL_RATES, creditor_is_individual=individual) == expected


# --- Penalty rate (Code de commerce L441-10 II) ------------------------------------


@pytest.mark.parametrize(
    "on_date, expected",
    [
        (date(2019, 1, 1), D("10.00")),  # ECB 0.00 (2016-03-16) + 10
        (date(2019, 7, 1), D("10.00")),
        (date(2020, 3, 15), D("10.00")),
        (date(2020, 9, 15), D("10.00")),
        (date(2021, 1, 1), D("10.00")),
        (date(2021, 7, 1), D("10.00")),
        (date(2022, 1, 1), D("10.00")),
        (date(2022, 12, 31), D("10.00")),  # ECB still 0.00 on 2022-07-01 (0.50 from 2022-07-27)
        (date(2023, 1, 1), D("12.50")),  # 2.50 (2022-12-21) + 10
        (date(2023, 7, 1), D("14.00")),  # 4.00 (2023-06-21) + 10
        (date(2024, 1, 1), D("14.50")),  # 4.50 (2023-09-20) + 10
        (date(2024, 7, 1), D("14.25")),  # 4.25 (2024-06-12) + 10
        (date(2024, 12, 20), D("14.25")),  # 3.15 from 2024-12-18 waits for 1 January
        (date(2025, 1, 1), D("13.15")),  # 3.15 (2024-12-18) + 10
        (date(2025, 7, 1), D("12.15")),  # 2.15 (2025-06-11) + 10
        (date(2026, 1, 1), D("12.15")),  # 2.15 + 10
        (date(2026, 6, 30), D("12.15")),
    ],
)
def test_default_penalty_rate_per_semester(on_date, expected):
    assert french_law.penalty_rate(on_date, ECB_RATES) == expected


def test_default_penalty_rate_uses_a_change_effective_on_the_semester_start():
    # Unsorted table; the 1.00 row is effective on 2030-01-01 itself: 1.00 + 10 = 11.00.
    rates = [(date(2030, 1, 1), D("1.00")), (date(2029, 1, 1), D("0.50")), (date(2030, 1, 2), D("9.00"))]
    assert french_law.penalty_rate(date(2030, 6, 30), rates) == D("11.00")


def test_default_penalty_rate_is_not_bound_by_the_floor():
    # 2024 S1: default 14.50 is below the floor 3 × 5.07 = 15.21, and still applies.
    assert french_law.penalty_rate(date(2024, 3, 1), ECB_RATES, legal_rates=LEGAL_RATES) == D("14.50")


@pytest.mark.parametrize(
    "on_date, contractual, expected",
    [
        (date(2025, 9, 1), D("8.28"), D("8.28")),  # exactly 3 × 2.76 = 8.28
        (date(2025, 9, 1), D("15.00"), D("15.00")),  # above 8.28
        (date(2024, 3, 1), D("15.21"), D("15.21")),  # exactly 3 × 5.07 = 15.21
    ],
)
def test_contractual_rate_at_or_above_floor_applies(on_date, contractual, expected):
    assert french_law.penalty_rate(on_date, ECB_RATES, contractual, LEGAL_RATES) == expected


@pytest.mark.parametrize(
    "on_date, contractual, floor, semester",
    [
        (date(2025, 9, 1), D("8.27"), "8.28", "2025-07-01"),  # 3 × 2.76 = 8.28
        (date(2024, 3, 1), D("14.50"), "15.21", "2024-01-01"),  # 3 × 5.07 = 15.21
    ],
)
def test_contractual_rate_below_floor_is_refused(on_date, contractual, floor, semester):
    with pytest.raises(french_law.RateBelowFloorError) as error:
        french_law.penalty_rate(on_date, ECB_RATES, contractual, LEGAL_RATES)
    message = str(error.value)
    assert str(contractual) in message and floor in message and semester in message


def test_contractual_rate_needs_the_legal_rates():
    with pytest.raises(french_law.LawError):
        french_law.penalty_rate(date(2025, 9, 1), ECB_RATES, D("12.00"))


# --- Missing rates -----------------------------------------------------------------


def test_missing_ecb_rate():
    # The table starts on 2016-03-16; 2015 S2 needs the rate in force on 2015-07-01.
    with pytest.raises(french_law.MissingRateError) as error:
        french_law.penalty_rate(date(2015, 9, 1), ECB_RATES)
    assert "2015-07-01" in str(error.value)
    assert isinstance(error.value, french_law.LawError) and isinstance(error.value, ValueError)


def test_missing_legal_rate_semester_does_not_fall_back():
    # 2026 S2 is not published; 2026 S1 must not be used instead.
    with pytest.raises(french_law.MissingRateError) as error:
        french_law.legal_rate(date(2026, 8, 1), LEGAL_RATES)
    assert "2026-07-01" in str(error.value)


def test_missing_legal_rate_while_checking_a_contractual_rate():
    with pytest.raises(french_law.MissingRateError):
        french_law.penalty_rate(date(2026, 8, 1), ECB_RATES, D("12.00"), LEGAL_RATES)


# --- Late-payment penalties (professional debtor) ------------------------------------

PENALTY_CASES = [
    pytest.param(
        dict(amount_due=D("10000"), due_date=date(2025, 6, 15), until=date(2025, 7, 20)),
        [
            # 16–30 Jun = 15 days: 10000 × 13.15% × 15/365 = 54.041 → 54.04
            (date(2025, 6, 16), date(2025, 6, 30), 15, D("10000"), D("13.15"), D("54.04")),
            # 1–20 Jul = 20 days: 10000 × 12.15% × 20/365 = 66.575 → 66.58
            (date(2025, 7, 1), date(2025, 7, 20), 20, D("10000"), D("12.15"), D("66.58")),
        ],
        D("120.62"),  # 54.04 + 66.58
        id="across-1-july-2025",
    ),
    pytest.param(
        dict(
            amount_due=D("12000"),
            due_date=date(2025, 5, 31),
            until=date(2025, 7, 10),
            payments=[(date(2025, 6, 16), D("5000"))],
        ),
        [
            # 1–15 Jun = 15 days: 12000 × 13.15% × 15/365 = 64.849 → 64.85
            (date(2025, 6, 1), date(2025, 6, 15), 15, D("12000"), D("13.15"), D("64.85")),
            # 16–30 Jun = 15 days, 5000 paid on the 16th: 7000 × 13.15% × 15/365 = 37.829 → 37.83
            (date(2025, 6, 16), date(2025, 6, 30), 15, D("7000"), D("13.15"), D("37.83")),
            # 1–10 Jul = 10 days: 7000 × 12.15% × 10/365 = 23.301 → 23.30
            (date(2025, 7, 1), date(2025, 7, 10), 10, D("7000"), D("12.15"), D("23.30")),
        ],
        D("125.98"),  # 64.85 + 37.83 + 23.30
        id="partial-payment-then-semester",
    ),
    pytest.param(
        dict(
            amount_due=D("3000"),
            due_date=date(2025, 9, 30),
            until=date(2025, 10, 31),
            payments=[(date(2025, 10, 21), D("1000")), (date(2025, 10, 11), D("1000"))],
        ),
        [
            # 1–10 Oct = 10 days: 3000 × 12.15% × 10/365 = 9.986 → 9.99
            (date(2025, 10, 1), date(2025, 10, 10), 10, D("3000"), D("12.15"), D("9.99")),
            # 11–20 Oct = 10 days: 2000 × 12.15% × 10/365 = 6.658 → 6.66
            (date(2025, 10, 11), date(2025, 10, 20), 10, D("2000"), D("12.15"), D("6.66")),
            # 21–31 Oct = 11 days: 1000 × 12.15% × 11/365 = 3.662 → 3.66
            (date(2025, 10, 21), date(2025, 10, 31), 11, D("1000"), D("12.15"), D("3.66")),
        ],
        D("20.31"),  # 9.99 + 6.66 + 3.66
        id="two-unsorted-partial-payments",
    ),
    pytest.param(
        dict(amount_due=D("5000"), due_date=date(2022, 6, 30), until=date(2023, 12, 31)),
        [
            # 2022 S2, ECB 0.00 on 1 Jul 2022: 184 days: 5000 × 10% × 184/365 = 252.055 → 252.05
            (date(2022, 7, 1), date(2022, 12, 31), 184, D("5000"), D("10.00"), D("252.05")),
            # 2023 S1, 181 days: 5000 × 12.50% × 181/365 = 309.932 → 309.93
            (date(2023, 1, 1), date(2023, 6, 30), 181, D("5000"), D("12.50"), D("309.93")),
            # 2023 S2, 184 days: 5000 × 14% × 184/365 = 352.877 → 352.88
            (date(2023, 7, 1), date(2023, 12, 31), 184, D("5000"), D("14.00"), D("352.88")),
        ],
        D("914.86"),  # 252.05 + 309.93 + 352.88
        id="2022-through-2023",
    ),
    pytest.param(
        dict(amount_due=D("10000"), due_date=date(2024, 2, 15), until=date(2024, 3, 15)),
        [
            # 16 Feb–15 Mar 2024 = 14 + 15 = 29 days (29 Feb included), still / 365:
            # 10000 × 14.50% × 29/365 = 115.205 → 115.21
            (date(2024, 2, 16), date(2024, 3, 15), 29, D("10000"), D("14.50"), D("115.21")),
        ],
        D("115.21"),
        id="leap-day-still-365",
    ),
    pytest.param(
        dict(amount_due=D("1000"), due_date=date(2023, 12, 31), until=date(2024, 12, 31)),
        [
            # 2024 S1 = 182 days: 1000 × 14.50% × 182/365 = 72.301 → 72.30
            (date(2024, 1, 1), date(2024, 6, 30), 182, D("1000"), D("14.50"), D("72.30")),
            # 2024 S2 = 184 days: 1000 × 14.25% × 184/365 = 71.836 → 71.84
            (date(2024, 7, 1), date(2024, 12, 31), 184, D("1000"), D("14.25"), D("71.84")),
        ],
        D("144.14"),  # 72.30 + 71.84 (366 days over 365)
        id="whole-leap-year",
    ),
    pytest.param(
        dict(
            amount_due=D("1000"),
            due_date=date(2025, 9, 30),
            until=date(2025, 10, 30),
            payments=[(date(2025, 9, 15), D("400")), (date(2025, 11, 5), D("600"))],
        ),
        [
            # 400 paid before the due date, 600 after `until`: 600 × 12.15% × 30/365 = 5.992 → 5.99
            (date(2025, 10, 1), date(2025, 10, 30), 30, D("600"), D("12.15"), D("5.99")),
        ],
        D("5.99"),
        id="payment-before-due-date-and-after-until",
    ),
    pytest.param(
        dict(
            amount_due=D("1000"),
            due_date=date(2025, 1, 31),
            until=date(2025, 3, 31),
            payments=[(date(2025, 2, 11), D("1200"))],
        ),
        [
            # 1–10 Feb = 10 days: 1000 × 13.15% × 10/365 = 3.603 → 3.60; overpaid from 11 Feb: no line
            (date(2025, 2, 1), date(2025, 2, 10), 10, D("1000"), D("13.15"), D("3.60")),
        ],
        D("3.60"),
        id="paid-off-no-zero-line",
    ),
    pytest.param(
        dict(
            amount_due=D("1000"),
            due_date=date(2025, 9, 30),
            until=date(2025, 10, 30),
            payments=[(date(2025, 10, 15), D("0"))],
        ),
        [
            # a zero payment does not split: 1000 × 12.15% × 30/365 = 9.986 → 9.99
            (date(2025, 10, 1), date(2025, 10, 30), 30, D("1000"), D("12.15"), D("9.99")),
        ],
        D("9.99"),
        id="same-base-one-line",
    ),
    pytest.param(
        dict(amount_due=D("18.25"), due_date=date(2020, 6, 29), until=date(2020, 7, 1)),
        [
            # 18.25 × 10% × 1/365 = 0.005 exactly → 0.01 (half up) on each line
            (date(2020, 6, 30), date(2020, 6, 30), 1, D("18.25"), D("10.00"), D("0.01")),
            (date(2020, 7, 1), date(2020, 7, 1), 1, D("18.25"), D("10.00"), D("0.01")),
        ],
        D("0.02"),  # sum of rounded lines, not round(0.010) = 0.01
        id="half-up-rounding-per-line",
    ),
    pytest.param(
        dict(
            amount_due=D("1000"),
            due_date=date(2025, 6, 30),
            until=date(2025, 7, 30),
            contractual_rate=D("9.00"),
            legal_rates=LEGAL_RATES,
        ),
        [
            # contractual 9.00 ≥ 3 × 2.76: 1000 × 9% × 30/365 = 7.397 → 7.40
            (date(2025, 7, 1), date(2025, 7, 30), 30, D("1000"), D("9.00"), D("7.40")),
        ],
        D("7.40"),
        id="contractual-rate",
    ),
    pytest.param(
        dict(amount_due=D("1000"), due_date=date(2025, 6, 30), until=date(2025, 6, 30)),
        [],
        D("0"),
        id="not-late-yet",
    ),
]


@pytest.mark.parametrize("kwargs, expected_lines, expected_total", PENALTY_CASES)
def test_late_payment_penalties(kwargs, expected_lines, expected_total):
    computation = french_law.late_payment_penalties(ecb_rates=ECB_RATES, **kwargs)
    assert _lines(computation) == expected_lines
    assert computation.total == expected_total


def test_late_payment_penalties_with_contractual_rate_below_a_later_floor():
    # 7.50 ≥ 3 × 2.06 = 6.18 in 2023 S1, but < 3 × 4.22 = 12.66 in 2023 S2, which the period reaches.
    with pytest.raises(french_law.RateBelowFloorError):
        french_law.late_payment_penalties(
            D("1000"),
            date(2022, 12, 31),
            date(2023, 7, 15),
            ECB_RATES,
            contractual_rate=D("7.50"),
            legal_rates=LEGAL_RATES,
        )


def test_late_payment_penalties_missing_ecb_rate():
    with pytest.raises(french_law.MissingRateError):
        french_law.late_payment_penalties(D("1000"), date(2015, 1, 31), date(2015, 3, 1), ECB_RATES)


def test_late_payment_penalties_accepts_float_amounts_and_generators():
    # 1000.0 as an Odoo float field gives it: 1000 × 12.15% × 30/365 = 9.986 → 9.99
    computation = french_law.late_payment_penalties(
        1000.0, date(2025, 9, 30), date(2025, 10, 30), (row for row in ECB_RATES)
    )
    assert computation.total == D("9.99")


# --- Legal interest (consumer debtor) -----------------------------------------------

LEGAL_INTEREST_CASES = [
    pytest.param(
        dict(amount_due=D("2000"), start_date=date(2025, 6, 10), until=date(2025, 7, 31)),
        [
            # 11–30 Jun = 20 days: 2000 × 3.71% × 20/365 = 4.066 → 4.07
            (date(2025, 6, 11), date(2025, 6, 30), 20, D("2000"), D("3.71"), D("4.07")),
            # 1–31 Jul = 31 days: 2000 × 2.76% × 31/365 = 4.688 → 4.69
            (date(2025, 7, 1), date(2025, 7, 31), 31, D("2000"), D("2.76"), D("4.69")),
        ],
        D("8.76"),  # 4.07 + 4.69
        id="other-cases-across-semester",
    ),
    pytest.param(
        dict(amount_due=D("2000"), start_date=date(2025, 6, 10), until=date(2025, 7, 31), creditor_is_individual=True),
        [
            # 2000 × 7.21% × 20/365 = 7.901 → 7.90
            (date(2025, 6, 11), date(2025, 6, 30), 20, D("2000"), D("7.21"), D("7.90")),
            # 2000 × 6.65% × 31/365 = 11.296 → 11.30
            (date(2025, 7, 1), date(2025, 7, 31), 31, D("2000"), D("6.65"), D("11.30")),
        ],
        D("19.20"),  # 7.90 + 11.30
        id="individual-creditor",
    ),
    pytest.param(
        dict(
            amount_due=D("2000"),
            start_date=date(2025, 6, 10),
            until=date(2025, 7, 31),
            payments=[(date(2025, 7, 1), D("500"))],
        ),
        [
            # 2000 × 3.71% × 20/365 = 4.066 → 4.07
            (date(2025, 6, 11), date(2025, 6, 30), 20, D("2000"), D("3.71"), D("4.07")),
            # 500 paid on 1 Jul: 1500 × 2.76% × 31/365 = 3.516 → 3.52
            (date(2025, 7, 1), date(2025, 7, 31), 31, D("1500"), D("2.76"), D("3.52")),
        ],
        D("7.59"),  # 4.07 + 3.52
        id="payment-on-semester-start",
    ),
]


@pytest.mark.parametrize("kwargs, expected_lines, expected_total", LEGAL_INTEREST_CASES)
def test_legal_interest(kwargs, expected_lines, expected_total):
    computation = french_law.legal_interest(legal_rates=LEGAL_RATES, **kwargs)
    assert _lines(computation) == expected_lines
    assert computation.total == expected_total


def test_legal_interest_missing_semester():
    # The period reaches 2026 S2, whose taux légal is not in the table.
    with pytest.raises(french_law.MissingRateError):
        french_law.legal_interest(D("2000"), date(2026, 6, 1), date(2026, 7, 15), LEGAL_RATES)


# --- Recovery indemnity (D441-5) ----------------------------------------------------


@pytest.mark.parametrize(
    "professional, insolvent, currency_rate, expected",
    [
        (True, False, D("1"), D("40.00")),
        (False, False, D("1"), D("0.00")),  # consumer
        (True, True, D("1"), D("0.00")),  # insolvency proceedings
        (True, False, D("1.0842"), D("43.37")),  # 40 × 1.0842 = 43.368 → 43.37
        (True, False, D("0.8567"), D("34.27")),  # 40 × 0.8567 = 34.268 → 34.27
    ],
)
def test_recovery_indemnity(professional, insolvent, currency_rate, expected):
    assert french_law.recovery_indemnity(professional, insolvent, currency_rate) == expected


def test_recovery_indemnity_refuses_a_non_positive_currency_rate():
    with pytest.raises(french_law.LawError):
        french_law.recovery_indemnity(True, currency_rate=D("0"))


# --- Prescription ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "start, years, interruptions, from_next_year, expected",
    [
        (date(2025, 3, 15), 5, (), False, date(2030, 3, 15)),  # professional: + 5 years, last day included
        (date(2025, 3, 15), 2, (), False, date(2027, 3, 15)),  # consumer: + 2 years
        (date(2025, 2, 10), 5, (), False, date(2030, 2, 10)),  # from the performance when known
        (date(2024, 2, 29), 5, (), False, date(2029, 2, 28)),  # no 29 Feb in 2029
        (date(2024, 2, 29), 2, (), False, date(2026, 2, 28)),
        # a partial payment on 10 Jan 2026 (Code civil 2240) starts a new 5-year period
        (date(2025, 3, 15), 5, (date(2026, 1, 10), date(2025, 9, 1)), False, date(2031, 1, 10)),
        # an interruption before the start changes nothing
        (date(2025, 3, 15), 5, (date(2025, 1, 2),), False, date(2030, 3, 15)),
        # public person: 4 years from 1 January 2026 → 31 December 2029 (loi 68-1250)
        (date(2025, 3, 15), 4, (), True, date(2029, 12, 31)),
        (date(2025, 3, 15), 4, (date(2027, 6, 1),), True, date(2031, 12, 31)),
    ],
)
def test_prescription_date(start, years, interruptions, from_next_year, expected):
    assert french_law.prescription_date(start, years, interruptions, from_next_year) == expected


# --- Imputation of partial payments (Code civil 1343-1) ------------------------------------


def test_interest_first_imputation():
    """12,000 due 31 May 2025, 5,000 paid on 16 June, computed to 10 July."""
    computation = french_law.late_payment_penalties(
        D("12000"),
        date(2025, 5, 31),
        date(2025, 7, 10),
        ECB_RATES,
        payments=[(date(2025, 6, 16), D("5000"))],
        interest_first=True,
    )
    assert _lines(computation) == [
        # 1–15 Jun: 12000 × 13.15% × 15/365 = 64.849 → 64.85
        (date(2025, 6, 1), date(2025, 6, 15), 15, D("12000"), D("13.15"), D("64.85")),
        # the 5000 pays the 64.85 of interest first, the principal with 4935.15: 7064.85 left
        # 16–30 Jun: 7064.85 × 13.15% × 15/365 = 38.179 → 38.18
        (date(2025, 6, 16), date(2025, 6, 30), 15, D("7064.85"), D("13.15"), D("38.18")),
        # 1–10 Jul: 7064.85 × 12.15% × 10/365 = 23.517 → 23.52
        (date(2025, 7, 1), date(2025, 7, 10), 10, D("7064.85"), D("12.15"), D("23.52")),
    ]
    assert computation.total == D("126.55")  # 64.85 + 38.18 + 23.52
    assert computation.interest_paid == D("64.85")
    assert computation.interest_due == D("61.70")  # 126.55 − 64.85
    assert computation.principal_due == D("7064.85")
    # what is claimed is the same whichever way it is read: 7000 (Odoo's residual) + 126.55
    assert computation.principal_due + computation.interest_due == D("7126.55")


def test_principal_first_keeps_the_principal_of_the_accounts():
    computation = french_law.late_payment_penalties(
        D("12000"),
        date(2025, 5, 31),
        date(2025, 7, 10),
        ECB_RATES,
        payments=[(date(2025, 6, 16), D("5000"))],
    )
    assert computation.total == D("125.98")  # as in the 'partial-payment-then-semester' case
    assert computation.interest_paid == D("0.00")
    assert computation.principal_due == D("7000")


def test_interest_first_payment_smaller_than_the_interest():
    """1000 due 31 Jan 2025; 2 paid on 11 Feb goes wholly to the 3.60 of interest: the base does not move."""
    computation = french_law.late_payment_penalties(
        D("1000"),
        date(2025, 1, 31),
        date(2025, 2, 20),
        ECB_RATES,
        payments=[(date(2025, 2, 11), D("2"))],
        interest_first=True,
    )
    assert _lines(computation) == [
        # 1–10 Feb: 1000 × 13.15% × 10/365 = 3.603 → 3.60
        (date(2025, 2, 1), date(2025, 2, 10), 10, D("1000"), D("13.15"), D("3.60")),
        # 11–20 Feb: 1000 × 13.15% × 10/365 = 3.603 → 3.60
        (date(2025, 2, 11), date(2025, 2, 20), 10, D("1000"), D("13.15"), D("3.60")),
    ]
    assert computation.interest_paid == D("2")
    assert computation.interest_due == D("5.20")  # 7.20 − 2
    assert computation.principal_due == D("1000")


# --- Public buyers (Code de la commande publique R2192-31) ------------------------------------


def test_public_procurement_rate_is_fixed_at_the_first_semester():
    # interest starts 16 Jun 2025: ECB in force on 1 Jan 2025 = 3.15 (18 Dec 2024) + 8 = 11.15, kept in July
    assert french_law.public_procurement_rate(date(2025, 6, 16), ECB_RATES) == D("11.15")
    computation = french_law.public_procurement_interest(D("10000"), date(2025, 6, 15), date(2025, 7, 20), ECB_RATES)
    assert _lines(computation) == [
        # 16–30 Jun: 10000 × 11.15% × 15/365 = 45.822 → 45.82
        (date(2025, 6, 16), date(2025, 6, 30), 15, D("10000"), D("11.15"), D("45.82")),
        # 1–20 Jul, same rate: 10000 × 11.15% × 20/365 = 61.096 → 61.10 (a company would pay 12.15 %)
        (date(2025, 7, 1), date(2025, 7, 20), 20, D("10000"), D("11.15"), D("61.10")),
    ]
    assert computation.total == D("106.92")


# --- Instalments (L441-10 II: each instalment late from its own date) ------------------------


def test_instalments_each_from_its_own_due_date():
    """1,200 TTC, 600 due 31 Jul 2025 and 600 due 30 Aug 2025, computed to 29 Oct 2025 (12.15 %)."""
    first = french_law.late_payment_penalties(D("600"), date(2025, 7, 31), date(2025, 10, 29), ECB_RATES)
    second = french_law.late_payment_penalties(D("600"), date(2025, 8, 30), date(2025, 10, 29), ECB_RATES)
    assert first.total == D("17.98")  # 600 × 12.15% × 90/365 = 17.975 → 17.98
    assert second.total == D("11.98")  # 600 × 12.15% × 60/365 = 11.984 → 11.98
    assert first.total + second.total == D("29.96")
    # read from the last instalment only, the claim would be 1200 × 12.15% × 60/365 = 23.97
    assert french_law.late_payment_penalties(D("1200"), date(2025, 8, 30), date(2025, 10, 29), ECB_RATES).total == D(
        "23.97"
    )


# --- Insolvency (Code de commerce L622-28, L622-17, L441-10 II, R622-24) ----------------------


@pytest.mark.parametrize(
    "born_on, due_date, pre_opening, interest_until, indemnity_owed",
    [
        # born and late before the opening of 1 Jun 2025: interest stops on 31 May, the 40 € stays
        (date(2025, 3, 1), date(2025, 4, 30), True, date(2025, 5, 31), True),
        # born before, due after the opening: the judgment forbids paying it at its date, no 40 €
        (date(2025, 5, 15), date(2025, 6, 14), True, date(2025, 5, 31), False),
        # born on the day of the opening or after: chased as usual
        (date(2025, 6, 1), date(2025, 7, 1), False, None, True),
        (date(2025, 6, 10), date(2025, 7, 10), False, None, True),
    ],
)
def test_insolvency_effects(born_on, due_date, pre_opening, interest_until, indemnity_owed):
    effects = french_law.insolvency_effects(born_on, due_date, date(2025, 6, 1))
    assert (effects.pre_opening, effects.interest_until, effects.indemnity_owed) == (
        pre_opening,
        interest_until,
        indemnity_owed,
    )


def test_no_insolvency_no_effect():
    effects = french_law.insolvency_effects(date(2025, 3, 1), date(2025, 4, 30), None)
    assert not effects.pre_opening and effects.interest_until is None and effects.indemnity_owed


@pytest.mark.parametrize(
    "publication, abroad, expected",
    [
        (date(2025, 6, 20), False, date(2025, 8, 20)),  # + 2 months, a Wednesday
        (date(2025, 6, 15), False, date(2025, 8, 18)),  # 15 Aug is a holiday (Friday): Monday 18
        (date(2025, 6, 20), True, date(2025, 10, 20)),  # + 4 months outside metropolitan France, a Monday
    ],
)
def test_claim_declaration_deadline(publication, abroad, expected):
    assert french_law.claim_declaration_deadline(publication, abroad) == expected


# --- Payment terms (L441-10 I) ----------------------------------------------------------


@pytest.mark.parametrize(
    "invoice_date, due_date, expected",
    [
        # 10 Jan + 60 days = 11 Mar
        (date(2025, 1, 10), date(2025, 3, 11), False),
        # 31 Jan: + 60 = 1 Apr; +45 = 17 Mar → 31 Mar; 31 Jan + 45 = 17 Mar
        (date(2025, 1, 31), date(2025, 4, 1), False),
        (date(2025, 1, 31), date(2025, 4, 2), True),  # 61 days, beyond every limit
        # 20 Jan: + 60 = 21 Mar; +45 = 6 Mar → 31 Mar; 31 Jan + 45 = 17 Mar
        (date(2025, 1, 20), date(2025, 3, 31), False),  # only "+45 then end of month" allows it
        (date(2025, 1, 20), date(2025, 4, 1), True),
        # 1 Jan: + 60 = 2 Mar; +45 = 15 Feb → 28 Feb; 31 Jan + 45 = 17 Mar
        (date(2025, 1, 1), date(2025, 3, 17), False),  # only "end of month then +45" allows it
        (date(2025, 1, 1), date(2025, 3, 18), True),
    ],
)
def test_exceeds_payment_term_limit(invoice_date, due_date, expected):
    assert french_law.exceeds_payment_term_limit(invoice_date, due_date) is expected


# --- Holidays and procedure deadlines ----------------------------------------------------


def test_french_public_holidays_2026():
    # Easter 2026 = 5 April: Monday 6 Apr, Ascension 14 May (+39), Whit Monday 25 May (+50).
    assert french_law.french_public_holidays(2026) == frozenset(
        {
            date(2026, 1, 1),
            date(2026, 4, 6),
            date(2026, 5, 1),
            date(2026, 5, 8),
            date(2026, 5, 14),
            date(2026, 5, 25),
            date(2026, 7, 14),
            date(2026, 8, 15),
            date(2026, 11, 1),
            date(2026, 11, 11),
            date(2026, 12, 25),
        }
    )


def test_french_public_holidays_moveable_feasts_2024():
    # Easter 2024 = 31 March.
    holidays = french_law.french_public_holidays(2024)
    assert {date(2024, 4, 1), date(2024, 5, 9), date(2024, 5, 20)} <= holidays
    assert date(2024, 3, 29) not in holidays  # Good Friday: Alsace-Moselle only


@pytest.mark.parametrize(
    "day, expected",
    [
        (date(2026, 5, 13), date(2026, 5, 13)),  # Wednesday
        (date(2026, 5, 14), date(2026, 5, 15)),  # Ascension Thursday → Friday
        (date(2026, 5, 16), date(2026, 5, 18)),  # Saturday → Monday
        (date(2026, 5, 23), date(2026, 5, 26)),  # Saturday, Sunday, Whit Monday 25 → Tuesday
        (date(2026, 12, 25), date(2026, 12, 28)),  # Christmas Friday → Monday
        (date(2027, 1, 1), date(2027, 1, 4)),  # New Year Friday → Monday
    ],
)
def test_next_working_day(day, expected):
    assert french_law.next_working_day(day) == expected


@pytest.mark.parametrize(
    "start, days, months, expected",
    [
        (date(2026, 4, 29), 15, 0, date(2026, 5, 15)),  # 14 May = Ascension → 15 May
        (date(2026, 1, 31), 0, 1, date(2026, 3, 2)),  # 28 Feb 2026 (Saturday) → Monday 2 Mar
        (date(2026, 6, 1), 8, 0, date(2026, 6, 9)),  # Tuesday, no move
    ],
)
def test_deadline(start, days, months, expected):
    assert french_law.deadline(start, days=days, months=months) == expected


@pytest.mark.parametrize(
    "ordonnance_date, expected",
    [
        (date(2026, 3, 14), date(2026, 9, 14)),  # 6 months, Monday
        (date(2026, 8, 31), date(2027, 3, 1)),  # 6 months → 28 Feb 2027 (Sunday) → Monday 1 Mar
        (date(2026, 9, 1), date(2026, 12, 1)),  # from 2026-09-01: 3 months, Tuesday
        (date(2026, 11, 14), date(2027, 2, 15)),  # 3 months → 14 Feb 2027 (Sunday) → Monday 15 Feb
    ],
)
def test_ordonnance_service_deadline(ordonnance_date, expected):
    assert french_law.ordonnance_service_deadline(ordonnance_date) == expected


@pytest.mark.parametrize(
    "service_date, expected",
    [
        (date(2026, 6, 10), date(2026, 7, 10)),  # 1 month, Friday
        (date(2026, 4, 14), date(2026, 5, 15)),  # 14 May = Ascension → 15 May
        (date(2026, 3, 31), date(2026, 4, 30)),  # 31 Apr does not exist → 30 Apr (Thursday)
    ],
)
def test_opposition_deadline(service_date, expected):
    assert french_law.opposition_deadline(service_date) == expected


@pytest.mark.parametrize(
    "kwargs, expected",
    [
        (dict(served_in_person=True), date(2026, 8, 3)),  # 01/08/2026 Saturday → Monday 03/08
        (dict(served_in_person=False), None),  # open until an act to the person
        (dict(served_in_person=False, first_personal_act_date=date(2026, 7, 20)), date(2026, 8, 20)),
        (dict(debtor_location="overseas"), date(2026, 9, 1)),  # CPC 643: + 1 month
        (dict(debtor_location="abroad"), date(2026, 10, 1)),  # CPC 643: + 2 months
    ],
)
def test_opposition_deadline_by_service_and_distance(kwargs, expected):
    assert french_law.opposition_deadline(date(2026, 7, 1), **kwargs) == expected


@pytest.mark.parametrize(
    "ordonnance_date, service_date, opposition_last_day, expected",
    [
        # before 1 Sept 2026: the day after the opposition period (certificat de non-opposition)
        (date(2026, 6, 10), date(2026, 7, 1), date(2026, 8, 3), date(2026, 8, 4)),
        (date(2026, 6, 10), date(2026, 7, 1), None, None),
        # from 1 Sept 2026 (décret 2026-96): 2 months after service without notice of opposition
        (date(2026, 9, 10), date(2026, 10, 11), date(2026, 11, 12), date(2026, 12, 11)),
        (date(2026, 9, 10), None, None, None),
    ],
)
def test_enforcement_date(ordonnance_date, service_date, opposition_last_day, expected):
    assert french_law.enforcement_date(ordonnance_date, service_date, opposition_last_day) == expected


# --- A court's grace (Code civil 1343-5 al. 4) --------------------------------------


SUSPENSION_CASES = [
    pytest.param(
        dict(
            amount_due=D("1000"),
            due_date=date(2026, 1, 31),
            until=date(2026, 3, 31),
            suspensions=[(date(2026, 2, 10), date(2026, 3, 10))],
        ),
        [
            # 1000 × 12.15 % × 9/365 = 2.9959 → 3.00 (1–9 Feb); nothing 10 Feb–10 Mar
            (date(2026, 2, 1), date(2026, 2, 9), 9, D("1000"), D("12.15"), D("3.00")),
            # 1000 × 12.15 % × 21/365 = 6.9904 → 6.99 (11–31 Mar)
            (date(2026, 3, 11), date(2026, 3, 31), 21, D("1000"), D("12.15"), D("6.99")),
        ],
        D("9.99"),
        id="grace-in-the-middle",
    ),
    pytest.param(
        dict(
            amount_due=D("1000"),
            due_date=date(2025, 5, 31),
            until=date(2025, 8, 31),
            payments=[(date(2025, 7, 1), D("400"))],
            suspensions=[(date(2025, 6, 16), date(2025, 7, 15))],
        ),
        [
            # 2025 S1: ECB 3.15 + 10; 1000 × 13.15 % × 15/365 = 5.4041 → 5.40 (1–15 Jun)
            (date(2025, 6, 1), date(2025, 6, 15), 15, D("1000"), D("13.15"), D("5.40")),
            # 400 paid on 1 Jul during the grace; 600 × 12.15 % × 47/365 = 9.3871 → 9.39 (16 Jul–31 Aug)
            (date(2025, 7, 16), date(2025, 8, 31), 47, D("600"), D("12.15"), D("9.39")),
        ],
        D("14.79"),
        id="payment-and-semester-during-the-grace",
    ),
    pytest.param(
        dict(
            amount_due=D("1000"),
            due_date=date(2026, 1, 31),
            until=date(2026, 2, 20),
            suspensions=[(date(2026, 2, 10), date(2026, 4, 30))],
        ),
        [(date(2026, 2, 1), date(2026, 2, 9), 9, D("1000"), D("12.15"), D("3.00"))],
        D("3.00"),
        id="grace-still-running",
    ),
    pytest.param(
        dict(
            amount_due=D("1000"),
            due_date=date(2026, 1, 31),
            until=date(2026, 3, 31),
            suspensions=[(date(2026, 1, 15), date(2026, 2, 28))],
        ),
        # the grace began before the first day late: 1000 × 12.15 % × 31/365 = 10.3192 → 10.32 (1–31 Mar)
        [(date(2026, 3, 1), date(2026, 3, 31), 31, D("1000"), D("12.15"), D("10.32"))],
        D("10.32"),
        id="grace-from-before-the-due-date",
    ),
]


@pytest.mark.parametrize("kwargs, expected_lines, expected_total", SUSPENSION_CASES)
def test_penalties_not_incurred_during_a_court_grace(kwargs, expected_lines, expected_total):
    computation = french_law.late_payment_penalties(ecb_rates=ECB_RATES, **kwargs)
    assert _lines(computation) == expected_lines
    assert computation.total == expected_total


def test_court_grace_with_interest_first_imputation():
    # 3.00 accrued 1–9 Feb; 100 paid on 20 Feb during the grace: 3.00 to the penalties, 97 to the principal;
    # 903 × 12.15 % × 21/365 = 6.3123 → 6.31 (11–31 Mar)
    computation = french_law.late_payment_penalties(
        D("1000"),
        date(2026, 1, 31),
        date(2026, 3, 31),
        ECB_RATES,
        payments=[(date(2026, 2, 20), D("100"))],
        interest_first=True,
        suspensions=[(date(2026, 2, 10), date(2026, 3, 10))],
    )
    assert _lines(computation) == [
        (date(2026, 2, 1), date(2026, 2, 9), 9, D("1000"), D("12.15"), D("3.00")),
        (date(2026, 3, 11), date(2026, 3, 31), 21, D("903.00"), D("12.15"), D("6.31")),
    ]
    assert (computation.total, computation.interest_paid, computation.principal_due) == (
        D("9.31"),
        D("3.00"),
        D("903.00"),
    )


def test_public_buyer_interest_not_incurred_during_a_court_grace():
    # ECB in force on 1 Jan 2026 (2.15) + 8 = 10.15: 1000 × 10.15 % × 9/365 = 2.5027 → 2.50 (1–9 Feb),
    # 1000 × 10.15 % × 21/365 = 5.8397 → 5.84 (11–31 Mar)
    computation = french_law.public_procurement_interest(
        D("1000"), date(2026, 1, 31), date(2026, 3, 31), ECB_RATES, suspensions=[(date(2026, 2, 10), date(2026, 3, 10))]
    )
    assert [line.amount for line in computation.lines] == [D("2.50"), D("5.84")]
    assert computation.total == D("8.34")
