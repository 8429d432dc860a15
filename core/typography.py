"""Typographic quotes and dashes for text as readers see it; stored text stays as typed.

Pure and length-preserving: every character maps to exactly one character, so offsets
into the stored text (entity mention spans, search highlights) stay valid in the result.

- `"` and `'` become “ ” and ‘ ’: opening at the start, after a blank or after an opening
  bracket, dash or quote; closing otherwise. An apostrophe inside or after a word (don't,
  Zelenskyy's) and before a digit ('90s) is ’.
- A hyphen with a blank on both sides ("Vilnius - Kyiv") is an en dash, the spaced dash
  of European typography; hyphens inside words (Jean-Claude, 2023-2025) stay hyphens.
"""

__all__ = ["smarten"]

_OPENING_CONTEXT = frozenset("([{<“‘«–—-/")


def _opens(previous: str) -> bool:
    return previous == "" or previous.isspace() or previous in _OPENING_CONTEXT


def smarten(text: str) -> str:
    """`text` with typographic quotes and spaced dashes, the same length."""
    if not any(ch in text for ch in "\"'-"):
        return text
    out = list(text)
    for index, ch in enumerate(text):
        previous = out[index - 1] if index else ""
        following = text[index + 1] if index + 1 < len(text) else ""
        if ch == '"':
            out[index] = "“" if _opens(previous) and following and not following.isspace() else "”"
        elif ch == "'":
            opening = _opens(previous) and following and not following.isspace()
            out[index] = "‘" if opening and not following.isdigit() else "’"
        elif ch == "-" and previous in (" ", "\u00a0") and following in (" ", "\u00a0"):
            out[index] = "–"
    return "".join(out)
