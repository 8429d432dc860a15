"""Common English words: is a capitalised word in a text a name, or an ordinary word?

A capital letter is evidence of a name only in mid-sentence: "Memorial services were held"
opens a sentence with the adjective, not the rights group Memorial. The list is
Webster's Second International as the english-words package ships it (offline, loaded
once per process): a word counts as common when the dictionary has it in lowercase and
not also as a proper noun ("turkey" and "Turkey" are both there, so Turkey is not
counted as a common word; "memorial" is only there in lowercase).
"""

from __future__ import annotations

from functools import cache

from english_words import get_english_words_set

__all__ = ["common_words", "is_common_word"]


@cache
def common_words() -> frozenset[str]:
    """Lowercase words of the dictionary that it does not also list capitalised."""
    entries = get_english_words_set(["web2"], lower=False)
    proper = {entry.casefold() for entry in entries if entry[:1].isupper()}
    return frozenset(e for e in entries if e[:1].islower() and e not in proper)


def is_common_word(word: str) -> bool:
    """Whether a word, whatever its case, is an ordinary English word and not a name."""
    return word.casefold() in common_words()
