"""Dates with precision render and filter by the period they cover."""

import datetime as dt

import pytest

from core.dates import PartialDate, Precision, format_span, overlaps
from entities.models import Entity, EntityKind
from tests.factories import make_entity


@pytest.mark.parametrize(
    ("date", "precision", "expected"),
    [
        (dt.date(1863, 1, 1), "year", "1863"),
        (dt.date(2023, 5, 1), "month", "May 2023"),
        (dt.date(2026, 1, 25), "day", "25 January 2026"),
        (dt.date(2026, 1, 5), "day", "5 January 2026"),
        (dt.date(2023, 5, 14), "month", "May 2023"),  # extra precision is dropped
    ],
)
def test_partial_dates_render_at_their_precision(date, precision, expected):
    assert PartialDate(date, precision).display() == expected


def test_partial_date_covers_its_whole_period():
    assert PartialDate(dt.date(2024, 2, 10), "month").last_day == dt.date(2024, 2, 29)
    assert PartialDate(dt.date(1863, 6, 1), "year").first_day == dt.date(1863, 1, 1)
    assert PartialDate(dt.date(1863, 6, 1), "year").last_day == dt.date(1863, 12, 31)
    assert PartialDate(dt.date(2026, 1, 25), "day").isoformat() == "2026-01-25"
    assert PartialDate(dt.date(2023, 5, 1), "month").isoformat() == "2023-05"


def test_spans_render_both_ends():
    start = PartialDate(dt.date(1863, 1, 1), Precision.YEAR)
    end = PartialDate(dt.date(1864, 1, 1), Precision.YEAR)
    assert format_span(start, end) == "1863–1864"
    assert format_span(start, None) == "1863"


def test_overlap_is_precision_aware():
    may_2023 = PartialDate(dt.date(2023, 5, 1), "month")
    assert overlaps(may_2023, None, dt.date(2023, 5, 31), dt.date(2023, 6, 30))
    assert not overlaps(may_2023, None, dt.date(2023, 6, 1), None)
    assert overlaps(may_2023, None, None, dt.date(2023, 5, 1))
    assert not overlaps(may_2023, None, None, dt.date(2023, 4, 30))


@pytest.mark.django_db
def test_events_filter_by_range_overlap_in_the_database():
    make_entity("Uprising", EntityKind.EVENT, start=dt.date(1863, 1, 1), start_precision="year")
    make_entity("Ceremony", EntityKind.EVENT, start=dt.date(2023, 5, 1), start_precision="month")
    make_entity(
        "War",
        EntityKind.EVENT,
        start=dt.date(2022, 2, 24),
        start_precision="day",
        end=dt.date(2025, 1, 1),
        end_precision="year",
    )

    def names(date_from, date_to):
        return set(Entity.objects.overlapping(date_from, date_to).values_list("name", flat=True))

    assert names(dt.date(1863, 12, 31), dt.date(1863, 12, 31)) == {"Uprising"}
    assert names(dt.date(2023, 5, 31), dt.date(2023, 5, 31)) == {"Ceremony", "War"}
    assert names(dt.date(2023, 6, 1), dt.date(2023, 12, 31)) == {"War"}
    assert names(dt.date(2025, 12, 31), None) == {"War"}
    assert names(dt.date(2026, 1, 1), None) == set()
    assert names(None, dt.date(1800, 1, 1)) == set()
