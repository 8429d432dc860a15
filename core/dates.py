"""Dates known to a precision: "1863", "May 2023", "25 January 2026".

Pure functions, no ORM. A partial date is stored as the first day of its period plus
a precision; the period it covers runs to the last day of that year, month or day.
"""

import calendar
import datetime as dt
from dataclasses import dataclass
from enum import StrEnum


class Precision(StrEnum):
    YEAR = "year"
    MONTH = "month"
    DAY = "day"


PRECISION_CHOICES = [(p.value, p.value.capitalize()) for p in Precision]


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to a year, a month or a day."""

    date: dt.date
    precision: Precision = Precision.DAY

    def __post_init__(self) -> None:
        object.__setattr__(self, "precision", Precision(self.precision))
        object.__setattr__(self, "date", truncate(self.date, self.precision))

    @property
    def first_day(self) -> dt.date:
        return self.date

    @property
    def last_day(self) -> dt.date:
        return period_end(self.date, self.precision)

    def display(self) -> str:
        return format_partial_date(self.date, self.precision)

    def isoformat(self) -> str:
        """ISO 8601 reduced precision: 1863, 2023-05, 2026-01-25."""
        if self.precision is Precision.YEAR:
            return f"{self.date.year:04d}"
        if self.precision is Precision.MONTH:
            return f"{self.date.year:04d}-{self.date.month:02d}"
        return self.date.isoformat()

    def __str__(self) -> str:
        return self.display()


def truncate(date: dt.date, precision: str) -> dt.date:
    """The first day of the period that `date` falls in at `precision`."""
    precision = Precision(precision)
    if precision is Precision.YEAR:
        return date.replace(month=1, day=1)
    if precision is Precision.MONTH:
        return date.replace(day=1)
    return date


def period_end(date: dt.date, precision: str) -> dt.date:
    """The last day of the period that `date` falls in at `precision`."""
    precision = Precision(precision)
    if precision is Precision.YEAR:
        return date.replace(month=12, day=31)
    if precision is Precision.MONTH:
        return date.replace(day=calendar.monthrange(date.year, date.month)[1])
    return date


def format_partial_date(date: dt.date, precision: str) -> str:
    """Render as "1863", "May 2023" or "25 January 2026" (day without a leading zero)."""
    precision = Precision(precision)
    if precision is Precision.YEAR:
        return str(date.year)
    month = calendar.month_name[date.month]
    if precision is Precision.MONTH:
        return f"{month} {date.year}"
    return f"{date.day} {month} {date.year}"


def format_span(start: PartialDate, end: PartialDate | None) -> str:
    """Render a period: "June 2025", "1863–1864", "24 February 2022 – 2025"."""
    if end is None or end == start:
        return start.display()
    separator = (
        "–" if start.precision is Precision.YEAR and end.precision is Precision.YEAR else " – "
    )
    return f"{start.display()}{separator}{end.display()}"


def overlaps(
    start: PartialDate,
    end: PartialDate | None,
    range_from: dt.date | None,
    range_to: dt.date | None,
) -> bool:
    """Whether the period from `start` to `end` (or `start` alone) meets [range_from, range_to]."""
    first = start.first_day
    last = (end or start).last_day
    if range_from is not None and last < range_from:
        return False
    return not (range_to is not None and first > range_to)
