"""Figures as people write them: "1,131", "2.5", "12,345.67". Pure functions, no ORM.

A statistic is stored as a decimal with four places (1131.0000) but shown and edited as
it was written. Commas are read only as thousands separators in groups of three, so a
decimal comma ("2,5") is refused rather than read as 25.
"""

import re
from decimal import Decimal, InvalidOperation

# Spaces people put between thousands: space, no-break space, thin and narrow no-break.
_GROUP_SPACES = re.compile("[ \u00a0\u2009\u202f]")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_PLAIN = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$")


class FigureError(ValueError):
    """Text that is not a figure; the message says how to write one."""


def format_figure(value: Decimal) -> str:
    """1131.0000 → "1,131"; 2.5000 → "2.5"; 12345.6700 → "12,345.67"."""
    value = value.normalize()
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return f"{value:,f}"


def parse_figure(text: str) -> Decimal:
    """ "1,131", "1 131", "1131", "2.5" → a Decimal; raises FigureError otherwise."""
    cleaned = _GROUP_SPACES.sub("", text.strip())
    if _GROUPED.match(cleaned):
        cleaned = cleaned.replace(",", "")
    elif "," in cleaned:
        raise FigureError(
            "Use a comma only between thousands (1,131) and a point for decimals (2.5)."
        )
    if not _PLAIN.match(cleaned):
        raise FigureError("Enter a number, written like 1,131 or 2.5.")
    try:
        return Decimal(cleaned)
    except InvalidOperation as error:  # pragma: no cover - the pattern admits only numbers
        raise FigureError("Enter a number, written like 1,131 or 2.5.") from error
