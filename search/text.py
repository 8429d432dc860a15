"""Search text: fold documents and queries to the same word keys, and highlight snippets.

Pure functions, no ORM. Documents and queries are indexed as the word keys of
`core.text` (case-, diacritic-, script- and spelling-folded), so "Lukashenko",
"Лукашэнка" and "Łukašenka" all find an article that writes "Lukashenka".
"""

import datetime as dt
from html import escape

from core.text import fold_word, split_words, words

# Hostile input is cut before any work: a query is at most this many characters and words.
MAX_QUERY_CHARS = 300
MAX_QUERY_WORDS = 8
SNIPPET_CHARS = 220


def month_key(when: dt.datetime) -> str:
    """The index's word for an article's publication month (UTC), "@m202611". No query
    can produce it (query words are letters and digits), so it never matches a reader's
    words; search uses it to find the newest matches without reading older ones."""
    return f"@m{when.astimezone(dt.UTC):%Y%m}"


def recent_months(now: dt.datetime, months: int) -> tuple[list[str], dt.datetime]:
    """The month keys of `now`'s month and the `months - 1` before it, and the instant
    the first of them starts."""
    year, month = now.astimezone(dt.UTC).year, now.astimezone(dt.UTC).month
    keys = []
    for _ in range(months):
        keys.append(f"@m{year:04d}{month:02d}")
        start = dt.datetime(year, month, 1, tzinfo=dt.UTC)
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return keys, start


def clean_query(raw: str | None) -> str:
    """The query as typed, trimmed to a sane size, without NUL or control characters."""
    if not raw:
        return ""
    raw = raw[: MAX_QUERY_CHARS * 4]
    cleaned = "".join(ch if ch.isprintable() else " " for ch in raw)
    return " ".join(cleaned.split())[:MAX_QUERY_CHARS]


def query_keys(raw: str | None) -> list[str]:
    """Distinct word keys of a query, in order; empty for punctuation-only input."""
    keys: list[str] = []
    for word in words(clean_query(raw)):
        key = fold_word(word)
        if key and key.isalnum() and key not in keys:
            keys.append(key)
        if len(keys) >= MAX_QUERY_WORDS:
            break
    return keys


def fold_document(text: str) -> str:
    """A text as its word keys separated by spaces: what the index stores."""
    return " ".join(key for key in map(fold_word, words(text)) if key)


def highlight(text: str, keys: list[str], limit: int | None = None) -> str:
    """Escaped HTML of `text` (cut around the first hit when `limit` is set), with every
    word whose key is in `keys` wrapped in <mark>."""
    wanted = set(keys)
    pieces = _pieces(text)
    if limit is not None and len(text) > limit:
        start = 0
        for offset, piece, is_word in pieces:
            if is_word and fold_word(piece) in wanted:
                start = max(0, offset - limit // 3)
                break
        end = start + limit
        pieces = [p for p in pieces if p[0] >= start and p[0] + len(p[1]) <= end]
        prefix = "… " if start > 0 else ""
        suffix = " …" if end < len(text) else ""
    else:
        prefix = suffix = ""
    out = []
    for _offset, piece, is_word in pieces:
        if is_word and fold_word(piece) in wanted:
            out.append(f"<mark>{escape(piece)}</mark>")
        else:
            out.append(escape(piece))
    return prefix + "".join(out).strip() + suffix


def _pieces(text: str) -> list[tuple[int, str, bool]]:
    result = []
    offset = 0
    for index, piece in enumerate(split_words(text)):
        if piece:
            result.append((offset, piece, index % 2 == 1))
        offset += len(piece)
    return result


def contains_any(text: str, keys: list[str]) -> bool:
    """Whether any word of `text` folds to one of `keys`."""
    wanted = set(keys)
    return any(fold_word(word) in wanted for word in words(text))
