"""Readable differences between two article snapshots. Pure: no ORM, no Django models."""

import difflib
import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_TOKEN = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)


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


def snapshot_diff(before: dict, after: dict, labels: dict[str, dict] | None = None) -> list:
    """The fields that differ between two snapshots, in snapshot order.

    `labels` maps a field to {stored value: display text} (section pk → name, …).
    """
    labels = labels or {}
    changes = []
    for name in dict.fromkeys([*before, *after]):
        old, new = before.get(name), after.get(name)
        if old == new:
            continue
        shown = labels.get(name, {})
        old_text = "" if old is None else str(shown.get(old, old))
        new_text = "" if new is None else str(shown.get(new, new))
        changes.append(FieldChange(name, old_text, new_text, text_diff_html(old_text, new_text)))
    return changes
