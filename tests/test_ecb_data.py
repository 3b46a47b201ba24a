"""lib/ecb_data.py on a recorded answer of the ECB Data Portal, and the half-year checks of lib/french_law.py.

tests/data/ecb_mro_csvdata.csv has the columns and layout of
https://data-api.ecb.europa.eu/service/data/FM/B.U2.EUR.4F.KR.MRR_FR.LEV?format=csvdata&startPeriod=2016-03-16
(one line per rate change, "date of changes"); its values are the ECB's decisions from 16 March 2016 to 11 June 2025.
"""

import os
from datetime import date
from decimal import Decimal as D

import pytest

from odoo.addons.l10n_fr_dunning.lib import ecb_data, french_law

RECORDED = os.path.join(os.path.dirname(__file__), "data", "ecb_mro_csvdata.csv")


def recorded_answer():
    with open(RECORDED, encoding="utf-8") as answer:
        return answer.read()


def test_parse_recorded_answer():
    observations = ecb_data.parse_observations(recorded_answer())
    assert len(observations) == 19
    assert observations[0] == (date(2016, 3, 16), D("0"))
    assert observations[-1] == (date(2025, 6, 11), D("2.15"))
    assert observations == sorted(observations)


def test_parse_skips_other_series_and_missing_values():
    answer = (
        "KEY,FREQ,TIME_PERIOD,OBS_VALUE,TITLE_COMPL\n"
        'FM.B.U2.EUR.4F.KR.MRR_FR.LEV,B,2025-06-11,2.15,"Euro area, provided by ECB"\n'
        "FM.B.U2.EUR.4F.KR.MRR_FR.LEV,B,2008-01-02,NaN,\n"
        "FM.B.U2.EUR.4F.KR.MRR_FR.LEV,B,2008-01-03,,\n"
        "FM.B.U2.EUR.4F.KR.DFR.LEV,B,2025-06-11,2.00,\n"
    )
    assert ecb_data.parse_observations(answer) == [(date(2025, 6, 11), D("2.15"))]


@pytest.mark.parametrize(
    "answer",
    [
        "",
        "<html><body>Service unavailable</body></html>",
        "KEY,TIME_PERIOD,OBS_VALUE\n",
        "KEY,TIME_PERIOD,OBS_VALUE\nFM.B.U2.EUR.4F.KR.MRR_FR.LEV,11/06/2025,2.15\n",
        "KEY,TIME_PERIOD,OBS_VALUE\nFM.B.U2.EUR.4F.KR.MRR_FR.LEV,2025-06-11,two\n",
    ],
)
def test_parse_rejects_what_is_not_the_series(answer):
    with pytest.raises(ecb_data.EcbDataError):
        ecb_data.parse_observations(answer)


def test_new_changes_only():
    observations = ecb_data.parse_observations(recorded_answer())
    known = [(day, rate) for day, rate in observations if day < date(2025, 1, 1)]
    assert ecb_data.new_rate_changes(observations, known) == [
        (date(2025, 2, 5), D("2.9")),
        (date(2025, 3, 12), D("2.65")),
        (date(2025, 4, 23), D("2.4")),
        (date(2025, 6, 11), D("2.15")),
    ]
    assert ecb_data.new_rate_changes(observations, observations) == []


def test_level_by_date_keeps_the_days_the_rate_changes():
    daily = [(date(2025, 6, 10), D("2.40")), (date(2025, 6, 11), D("2.15")), (date(2025, 6, 12), D("2.15"))]
    assert ecb_data.new_rate_changes(daily, [(date(2025, 4, 23), D("2.40"))]) == [(date(2025, 6, 11), D("2.15"))]


def test_a_known_date_is_never_overwritten():
    known = [(date(2025, 6, 11), D("2.20"))]  # an administrator's row, with another rate
    assert ecb_data.new_rate_changes([(date(2025, 6, 11), D("2.15"))], known) == []


def test_start_period():
    assert ecb_data.start_period([(date(2022, 7, 27), 0.5), (date(2016, 3, 16), 0)]) == date(2016, 3, 16)
    assert ecb_data.start_period([]) == date(1999, 1, 1)


@pytest.mark.parametrize(
    "day, expected",
    [
        (date(2026, 12, 16), None),
        (date(2026, 12, 17), date(2027, 1, 1)),  # 15 days before
        (date(2026, 12, 20), date(2027, 1, 1)),
        (date(2026, 12, 31), date(2027, 1, 1)),
        (date(2027, 1, 1), None),
        (date(2026, 6, 15), None),
        (date(2026, 6, 16), date(2026, 7, 1)),
        (date(2026, 6, 30), date(2026, 7, 1)),
    ],
)
def test_semester_to_check(day, expected):
    assert french_law.semester_to_check(day) == expected


@pytest.mark.parametrize(
    "evidence, expected",
    [
        ([date(2026, 7, 1)], True),
        ([date(2026, 6, 30)], False),
        ([date(2025, 6, 11), None, date(2026, 12, 20)], True),
        ([date(2027, 1, 2)], False),
        ([], False),
    ],
)
def test_ecb_rate_confirmed(evidence, expected):
    assert french_law.ecb_rate_confirmed(date(2027, 1, 1), evidence) is expected
