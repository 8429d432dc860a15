"""Search keys for the admin: find an entity by any name, in any script, with or without
diacritics. Pure functions, no ORM.

`normalize` (core.text) folds scripts and romanisations but, by design, keeps a
stripped Łacinka or Polish spelling ("Lukasenka") apart from its sh/ch transliteration
("Lukashenka"), since for the finder that would also merge Shell with sell. An editor
typing into a search box drops diacritics all the time, so a search key holds both the
strict key and the key of the name with its diacritics removed.
"""

import unicodedata
from collections.abc import Iterable

from core.text import normalize

SEPARATOR = " | "
_EXTRA_LETTERS = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D"})


def strip_diacritics(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.translate(_EXTRA_LETTERS))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def term_keys(term: str) -> list[str]:
    """The keys a search term may match: strict, and with diacritics removed."""
    term = term.strip()
    if not term:
        return []
    keys = [normalize(term), normalize(strip_diacritics(term))]
    return list(dict.fromkeys(key for key in keys if key))


def search_key(name: str, max_length: int = 420) -> str:
    """The stored key of a name: its term keys joined, for a `contains` lookup."""
    return SEPARATOR.join(term_keys(name))[:max_length]


def name_keys(names: Iterable[str]) -> list[str]:
    """Every term key of some names, in order, each once."""
    return list(dict.fromkeys(key for name in names for key in term_keys(name)))


def key_parts(stored: str) -> set[str]:
    """The term keys held in a stored search key."""
    return {part for part in stored.split(SEPARATOR) if part}
