"""Bounds shared by the constraints of the module: dates, day counts and rates a person types in."""

from datetime import date

from odoo import fields
from odoo.exceptions import ValidationError

EARLIEST_DATE = date(2000, 1, 1)
"""No dunning record of this module predates the euro and the ECB rates it is computed with."""
MAX_YEARS_AHEAD = 3
"""A promise, a pause or a published rate is never planned further ahead; 9999-12-31 is a typo."""


def _label(record, field_name):
    return record._fields[field_name]._description_string(record.env)


def check_date(record, field_name, past_event=False, not_before=None):
    """Raise a ValidationError when ``record[field_name]`` is out of bounds.

    Every date lies between 2000 and 3 years from today; a ``past_event`` (a posting, a receipt, a court
    decision) is not in the future; ``not_before``: the field name of the date it cannot precede.
    """
    day = record[field_name]
    if not day:
        return
    env = record.env
    today = fields.Date.context_today(record)
    label = _label(record, field_name)
    if day < EARLIEST_DATE:
        raise ValidationError(env._("%(field)s (%(date)s) is before 2000: check the year.", field=label, date=day))
    if past_event and day > today:
        raise ValidationError(
            env._(
                "%(field)s (%(date)s) is in the future: enter the day it happened, today (%(today)s) at the latest.",
                field=label,
                date=day,
                today=today,
            )
        )
    latest = fields.Date.add(today, years=MAX_YEARS_AHEAD)
    if day > latest:
        raise ValidationError(
            env._(
                "%(field)s (%(date)s) is more than %(years)s years ahead (after %(latest)s): check the year.",
                field=label,
                date=day,
                years=MAX_YEARS_AHEAD,
                latest=latest,
            )
        )
    if not_before and record[not_before] and day < record[not_before]:
        raise ValidationError(
            env._(
                "%(field)s (%(date)s) cannot be before %(other)s (%(other_date)s).",
                field=label,
                date=day,
                other=_label(record, not_before),
                other_date=record[not_before],
            )
        )


def check_range(record, field_name, minimum, maximum):
    """Raise a ValidationError when the number ``record[field_name]`` is outside [minimum, maximum]."""
    value = record[field_name]
    if value is not False and value is not None and not minimum <= value <= maximum:
        raise ValidationError(
            record.env._(
                "%(field)s must be between %(minimum)s and %(maximum)s (got %(value)s).",
                field=_label(record, field_name),
                minimum=minimum,
                maximum=maximum,
                value=value,
            )
        )


def check_name(record, field_name="name"):
    """Raise a ValidationError when a required text is only spaces."""
    if not (record[field_name] or "").strip():
        raise ValidationError(record.env._("%s cannot be empty.", _label(record, field_name)))
