"""Readable differences between two article snapshots. Pure: no ORM, no Django models.

Values are compared, not their spelling: a time written in another zone (or with "Z"
for "+00:00") is the same instant, text that differs only in line breaks or invisible
characters is the same text, and a foreign key stored as 5 or "5" is the same row.
Times are shown in the zone the caller passes (the newsroom's), whole, never as a
character diff.
"""

import datetime as dt
import difflib
import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from core.text import clean_text

_TOKEN = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)
# An ISO 8601 date and time with its offset, as snapshots store aware datetimes.
_ISO_INSTANT = re.compile(
    r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$"
)
TIME_FORMAT = "%Y-%m-%d %H:%M:%S %Z"


@dataclass(frozen=True)
class FieldChange:
    name: str
    before: object
    after: object
    html: SafeString  # the change marked up with <del> and <ins>, everything escaped


def text_diff_html(before: str, after: str) -> SafeString:
    """Word-level diff of two texts as escaped HTML with <del>/<ins> around changes."""
    old, new = _TOKEN.findall(before or ""), _TOKEN.findall(after or "")
    parts = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(escape("".join(old[a1:a2])))
            continue
        if a2 > a1:
            parts.append(f"<del>{escape(''.join(old[a1:a2]))}</del>")
        if b2 > b1:
            parts.append(f"<ins>{escape(''.join(new[b1:b2]))}</ins>")
    return mark_safe("".join(parts))  # every piece is escaped above


def _instant(value) -> dt.datetime | None:
    """The aware datetime a snapshot value spells, or None if it spells none."""
    if isinstance(value, dt.datetime):
        return value if value.tzinfo is not None else None
    if not isinstance(value, str) or not _ISO_INSTANT.match(value.strip()):
        return None
    try:
        return dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None


def _comparable(value):
    """What a snapshot value means, for equality: an instant, clean text, or the value."""
    instant = _instant(value)
    if instant is not None:
        return instant
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)  # a foreign key, whether stored as 5 or "5"
    return value


def _time_text(value, zone: dt.tzinfo | None) -> str:
    instant = _instant(value)
    if instant is None:
        return "" if value is None else str(value)
    return instant.astimezone(zone or dt.UTC).strftime(TIME_FORMAT)


def _whole_change_html(before: str, after: str) -> SafeString:
    parts = []
    if before:
        parts.append(f"<del>{escape(before)}</del>")
    if after:
        parts.append(f"<ins>{escape(after)}</ins>")
    return mark_safe(" → ".join(parts))  # every piece is escaped above


def snapshot_diff(
    before: dict,
    after: dict,
    labels: dict[str, dict] | None = None,
    zone: dt.tzinfo | None = None,
) -> list:
    """The fields whose values differ between two snapshots, in snapshot order.

    `labels` maps a field to {stored value: display text} (section pk → name, …); `zone`
    is where times are shown (UTC if not given).
    """
    labels = labels or {}
    changes = []
    for name in dict.fromkeys([*before, *after]):
        old, new = before.get(name), after.get(name)
        if _comparable(old) == _comparable(new):
            continue
        if _instant(old) is not None or _instant(new) is not None:
            old_text, new_text = _time_text(old, zone), _time_text(new, zone)
            changes.append(
                FieldChange(name, old_text, new_text, _whole_change_html(old_text, new_text))
            )
            continue
        shown = labels.get(name, {})
        old_text = "" if old is None else str(shown.get(old, old))
        new_text = "" if new is None else str(shown.get(new, new))
        changes.append(
            FieldChange(
                name,
                old_text,
                new_text,
                text_diff_html(clean_text(old_text), clean_text(new_text)),
            )
        )
    return changes
