"""Figures as people write them: read and shown with thousands separators."""

from decimal import Decimal

import pytest

from core.figures import FigureError, format_figure, parse_figure


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1,131", Decimal("1131")),
        ("1 131", Decimal("1131")),
        ("1\u202f131", Decimal("1131")),
        ("12,345.67", Decimal("12345.67")),
        ("-3", Decimal("-3")),
        (" 2.5 ", Decimal("2.5")),
    ],
)
def test_parse_figure(text, value):
    assert parse_figure(text) == value


@pytest.mark.parametrize("text", ["2,5", "1,13", "1,131,1", "abc", "1e5", "", "1.2.3"])
def test_parse_figure_refuses_what_it_would_misread(text):
    with pytest.raises(FigureError):
        parse_figure(text)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("1131.0000"), "1,131"),
        (Decimal("100.0000"), "100"),
        (Decimal("2.5000"), "2.5"),
        (Decimal("12345.6700"), "12,345.67"),
        (Decimal("0.0000"), "0"),
    ],
)
def test_format_figure_round_trips(value, text):
    assert format_figure(value) == text
    assert parse_figure(text) == value
