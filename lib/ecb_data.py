"""The ECB main refinancing rate as the ECB Data Portal publishes it: pure functions, no Odoo import.

The series FM.B.U2.EUR.4F.KR.MRR_FR.LEV ("Main refinancing operations - fixed
rate tenders (fixed rate) (date of changes) - Level") is a level by date, in
percent.  Its ``format=csvdata`` answer is an SDMX CSV with one observation per
line and, among its columns, ``KEY``, ``TIME_PERIOD`` (YYYY-MM-DD) and
``OBS_VALUE``.
"""

import csv
import io
from datetime import date
from decimal import Decimal, InvalidOperation

ECB_MRO_SERIES = "FM.B.U2.EUR.4F.KR.MRR_FR.LEV"
ECB_MRO_URL = "https://data-api.ecb.europa.eu/service/data/FM/B.U2.EUR.4F.KR.MRR_FR.LEV"
REQUIRED_COLUMNS = {"KEY", "TIME_PERIOD", "OBS_VALUE"}


class EcbDataError(ValueError):
    """The answer is not an ECB Data Portal CSV of the series, or holds no observation."""


def parse_observations(csv_text, series=ECB_MRO_SERIES):
    """(date, rate) of each observation of ``series`` in a ``csvdata`` answer, oldest first.

    Observations without a value (empty or NaN) are left out.
    """
    reader = csv.DictReader(io.StringIO(csv_text))
    if not REQUIRED_COLUMNS <= set(reader.fieldnames or ()):
        raise EcbDataError(f"not an ECB Data Portal CSV: the columns {sorted(REQUIRED_COLUMNS)} are missing")
    observations = {}
    try:
        for row in reader:
            value = (row["OBS_VALUE"] or "").strip()
            if row["KEY"] != series or not value or value.lower() == "nan":
                continue
            observations[date.fromisoformat(row["TIME_PERIOD"].strip())] = Decimal(value)
    except (ValueError, InvalidOperation, AttributeError) as error:
        raise EcbDataError(f"unreadable observation in the ECB answer: {error}") from error
    if not observations:
        raise EcbDataError(f"the ECB answer holds no observation of {series}")
    return sorted(observations.items())


def new_rate_changes(observations, known_rates):
    """The observations that change the rate and whose date is not yet in ``known_rates``.

    ``known_rates`` is an iterable of (effective_date, rate).  A date already known is
    never proposed again, whatever its rate (the administrator's row wins); an
    observation that repeats the rate in force the day before is not a change.
    """
    table = dict(known_rates)
    changes = []
    for day, rate in sorted(observations):
        if day in table:
            continue
        earlier = [known_day for known_day in table if known_day < day]
        if not earlier or Decimal(str(table[max(earlier)])) != rate:
            changes.append((day, rate))
            table[day] = rate
    return changes


def start_period(known_rates, default=date(1999, 1, 1)):
    """First day to ask the ECB for: the earliest known effective date (older history is not added)."""
    days = [day for day, _rate in known_rates]
    return min(days) if days else default
