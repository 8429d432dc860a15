"""Typographic quotes and dashes for rendered text (core.typography.smarten)."""

import pytest

from core.typography import smarten


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ('"On behalf of Belarusians," she wrote.', "“On behalf of Belarusians,” she wrote."),
        ("He said 'no' twice.", "He said ‘no’ twice."),
        ("Zelenskyy's visit, don't", "Zelenskyy’s visit, don’t"),
        ("in the '90s", "in the ’90s"),
        ('("quoted")', "(“quoted”)"),
        ("Vilnius - Kyiv", "Vilnius – Kyiv"),
        ("Jean-Claude, 2023-2025", "Jean-Claude, 2023-2025"),
        ("She said: \"'Yes,' he said.\"", "She said: “‘Yes,’ he said.”"),
        ("plain text", "plain text"),
        ("", ""),
    ],
)
def test_smarten(typed, shown):
    assert smarten(typed) == shown


@pytest.mark.parametrize("text", ["\"a\" - 'b'", "'''\"\"\"---", " - ", "x'y\"z-"])
def test_smarten_keeps_the_length_so_spans_stay_valid(text):
    assert len(smarten(text)) == len(text)
