"""Fold names and texts to comparable keys across case, diacritics, scripts and spellings.

The key of a word is built in two steps:

1. `transliterate`: casefold, then Cyrillic (Belarusian, Ukrainian, Russian) and Slavic
   Latin orthographies (Belarusian Łacinka, Polish, Czech, Lithuanian...) to plain Latin
   in the English press convention (х → kh, ц → ts, ш/š → sh, ў/ŭ → u), other diacritics
   stripped, apostrophes dropped.
2. `skeleton`: a phonetic-ish key that erases the differences between the usual
   romanisations of one name, applied per word (see `skeleton` for the rules).

So Lukashenka, Lukashenko, Łukašenka, Лукашэнка and Лукашенко all become "lukashenko",
and Tsikhanouskaya, Tikhanovskaya, Cichanoŭskaja, Ціханоўская and Тихановская all become
"tihanouska", while the masculine Tsikhanouski / Tikhanovsky / Ціханоўскі becomes
"tihanouski": gendered surname forms stay distinct by design.

`fold_with_offsets` folds a whole text and keeps the word boundaries of both sides, so
that a match found in the folded text is reported as a span of the original text.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from itertools import accumulate

__all__ = [
    "FoldedText",
    "fold_with_offsets",
    "fold_word",
    "normalize",
    "skeleton",
    "transliterate",
    "words",
]

APOSTROPHES = "'’ʼ‘ʻ"
DASHES = "-‐‑‒–—―−⁃"

# A word is a run of letters and digits; apostrophes inside it (O'Brien, Дем'янчук) are
# part of the word, but a possessive 's is not, so "Zelenskyy's" yields "Zelenskyy".
# ʼ and ʻ are letters to Python (category Lm), hence their exclusion from the class.
_LETTER = r"[^\W_ʼʻ]"
_NOT_POSSESSIVE = rf"(?:(?<![{APOSTROPHES}])|(?![sS]\b))"
_WORD = rf"{_NOT_POSSESSIVE}{_LETTER}+(?:[{APOSTROPHES}](?![sS]\b){_LETTER}+)*"
# Text that holds decomposed diacritics (NFD) needs combining marks inside words.
_LETTER_NFD = r"(?:[^\W_ʼʻ]|[\u0300-\u036f])"
_WORD_NFD = rf"{_NOT_POSSESSIVE}{_LETTER_NFD}+(?:[{APOSTROPHES}](?![sS]\b){_LETTER_NFD}+)*"
_SPLIT = re.compile(f"({_WORD})")
_SPLIT_NFD = re.compile(f"({_WORD_NFD})")
_HAS_COMBINING = re.compile("[\u0300-\u036f]")

# Words joined by spaces or hyphens may form one name; any other punctuation (comma,
# full stop, quote, possessive 's) or a line break ends it, so "Vilnius, Lithuania"
# can never match a two-word name "Vilnius Lithuania".
_SOFT_GAP = re.compile(rf"[ \t\u00a0\u2009\u202f{re.escape(DASHES)}]+")
SOFT_SEPARATOR = " "
HARD_SEPARATOR = " | "

_CYRILLIC = re.compile("[\u0400-\u04ff]")
# Letters only Belarusian or Ukrainian use; in words that have one, г is h, not g.
_BE_UK_LETTERS = frozenset("іїєґў" + APOSTROPHES)
# Letters of Latin orthographies that read c as ts and ch as kh (Łacinka, Polish,
# Czech, Slovak, Croatian, Lithuanian). Plain-ASCII words keep the English reading.
_SLAVIC_LATIN_LETTERS = frozenset("ŭłšžčćśźńřěůąężėųį")

_CYRILLIC_COMMON = {
    "а": "a",
    "б": "b",
    "в": "v",
    "ґ": "g",
    "д": "d",
    "е": "e",
    "ё": "e",
    "є": "ye",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "і": "i",
    "ї": "yi",
    "й": "y",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ў": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "yu",
    "я": "ya",
    # South Slavic letters, so that Serbian and Macedonian names fold too.
    "ђ": "dj",
    "ј": "j",
    "љ": "lj",
    "њ": "nj",
    "ћ": "c",
    "џ": "dzh",
    "ѓ": "gj",
    "ќ": "kj",
    "ѕ": "dz",
}
_CYRILLIC_G = str.maketrans({**_CYRILLIC_COMMON, "г": "g"})
_CYRILLIC_H = str.maketrans({**_CYRILLIC_COMMON, "г": "h"})

# Letters that NFKD does not decompose, or whose plain-ASCII form is not the letter
# without its mark (š is "sh" in English transliteration, not "s").
_LATIN = str.maketrans(
    {
        "š": "sh",
        "č": "ch",
        "ž": "zh",
        "ŭ": "u",
        "ł": "l",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "æ": "ae",
        "œ": "oe",
        "ø": "o",
        "ı": "i",
        "ß": "ss",
        **dict.fromkeys(APOSTROPHES, ""),
    }
)
_Y_J_TO_I = str.maketrans("yj", "ii")
_VOWEL_V = re.compile(r"([aeiou])[vw](?=[^aeiou]|$)")
_FEMININE_AYA = re.compile(r"(?<=[^aeiou]{2})aia$")
_DOUBLE = re.compile(r"(.)\1+")


def transliterate(word: str) -> str:
    """Casefold one word and write it in plain Latin letters (other scripts pass through).

    Works per word because some choices depend on the word's letters: г is h in a word
    with a Belarusian or Ukrainian letter, else g; c and ch read as ts and kh in a word
    with a Slavic Latin diacritic (Cichanoŭskaja), as in English otherwise (Charlemagne).
    """
    folded = unicodedata.normalize("NFKC", word).casefold()
    if folded.isascii():
        return folded.translate(_LATIN)
    if _CYRILLIC.search(folded):
        table = _CYRILLIC_H if _BE_UK_LETTERS.intersection(folded) else _CYRILLIC_G
        folded = folded.translate(table)
    if _SLAVIC_LATIN_LETTERS.intersection(folded):
        folded = folded.replace("ch", "kh").replace("c", "ts")
    folded = folded.translate(_LATIN)
    if not folded.isascii():
        decomposed = unicodedata.normalize("NFKD", folded)
        folded = "".join(c for c in decomposed if not unicodedata.combining(c))
    return folded


def skeleton(word: str) -> str:
    """Reduce a transliterated word to the key shared by its usual romanisations.

    Rules, in order (each erases a difference seen between real spellings):

    - x → ks (Alexander / Aleksandr), except the one-letter word "x";
    - y and j → i (Zelenskyy / Zelenskiy, Tsikhanouskaja, Syarhey / Siarhei);
    - kh → h (Tsikhanouski / Cichanoŭski via Łacinka ch);
    - ts, tz → t and dz → d: Belarusian tsekanne and dzekanne (Ціханоўская / Тихановская,
      Dzmitry / Dmitry);
    - ie → e (Siarhiej / Siarhei, Yevgeny / Evgeny);
    - v or w after a vowel and before a consonant or the end → u: Belarusian ў against
      Russian в (Tsikhanouski / Tikhanovsky, Ivanou / Ivanov, Polish -owski);
    - final -aia after two consonants → -a: the feminine adjectival ending
      (-skaya, -skaja, -skaia, Polish -ska); the masculine -ski / -sky / -skiy / -skyy all
      reach -ski by the y → i and double-letter rules, so she and he stay apart;
    - final -enka → -enko (Belarusian Lukashenka / Russian Lukashenko);
    - doubled letters → one (Zelenskyy → zelenski, Rossiya).

    Plain-ASCII names with Slavic diacritics stripped (Lukasenka, Vucic) do not meet
    their sh/ch transliterations: that would also merge Shell with sell, so such
    spellings need their own alias.
    """
    if len(word) > 1:
        word = word.replace("x", "ks")
    word = word.translate(_Y_J_TO_I)
    word = word.replace("kh", "h").replace("tz", "t").replace("ts", "t").replace("dz", "d")
    word = word.replace("ie", "e")
    word = _VOWEL_V.sub(r"\1u", word)
    word = _FEMININE_AYA.sub("a", word)
    if word.endswith("enka"):
        word = word[:-1] + "o"
    return _DOUBLE.sub(r"\1", word)


# Word keys are memoised: articles reuse a small vocabulary, so after warm-up folding a
# text costs one dict lookup per word. Cleared when it grows past the bound.
_WORD_KEYS: dict[str, str] = {}
_WORD_KEYS_MAX = 500_000


def fold_word(word: str) -> str:
    """Return the matching key of one word: `skeleton(transliterate(word))`, memoised."""
    key = _WORD_KEYS.get(word)
    if key is None:
        key = skeleton(transliterate(word))
        if len(_WORD_KEYS) >= _WORD_KEYS_MAX:
            _WORD_KEYS.clear()
        _WORD_KEYS[word] = key
    return key


def _split(text: str) -> list[str]:
    """Split into [gap, word, gap, word, ..., gap]; gaps may be empty at the ends."""
    pattern = _SPLIT_NFD if _HAS_COMBINING.search(text) else _SPLIT
    return pattern.split(text)


def words(text: str) -> list[str]:
    """Return the words of a text, as `normalize` and the finder see them."""
    return _split(text)[1::2]


def normalize(s: str) -> str:
    """Return the folded key of a name or text: word keys joined by single spaces.

    Punctuation is dropped and hyphens separate words. Text without any letter or digit
    folds to itself casefolded, so that a non-empty name never gets an empty key.
    """
    keys = [fold_word(word) for word in words(s)]
    key = " ".join(filter(None, keys))
    return key or s.casefold().strip()


_GAP_SEPARATORS: dict[str, str] = {}


def _separator(gap: str) -> str:
    separator = _GAP_SEPARATORS.get(gap)
    if separator is None:
        soft = _SOFT_GAP.fullmatch(gap) is not None
        separator = SOFT_SEPARATOR if soft else HARD_SEPARATOR
        if len(_GAP_SEPARATORS) < 10_000:
            _GAP_SEPARATORS[gap] = separator
    return separator


class FoldedText:
    """A text folded word by word, with the map back to the original's offsets.

    `folded` is " key key | key ": every word key has a space on each side, words that
    may belong to one name are separated by one space and words across punctuation by
    " | ". The offsets map is exact at word boundaries, which is where matches of whole
    words start and end.
    """

    __slots__ = ("_folded_bounds", "_original_bounds", "folded", "original", "word_count")

    def __init__(self, original: str) -> None:
        pieces = _split(original)
        count = len(pieces) // 2
        keys = [_WORD_KEYS.get(word) for word in pieces[1::2]]
        if None in keys:
            keys = [fold_word(word) for word in pieces[1::2]]
        parts: list[str] = [SOFT_SEPARATOR] * (2 * count + 1)
        parts[1::2] = keys
        if count > 1:
            parts[2:-1:2] = [_GAP_SEPARATORS.get(gap) or _separator(gap) for gap in pieces[2:-1:2]]
        self.original = original
        self.word_count = count
        self.folded = "".join(parts)
        # Running lengths: word i spans [bounds[2i], bounds[2i + 1]) on either side.
        self._folded_bounds = list(accumulate(map(len, parts)))
        self._original_bounds = list(accumulate(map(len, pieces)))

    def word_ending_at(self, folded_end: int) -> int:
        """Index of the word whose key ends at `folded_end` (exclusive), or -1."""
        bounds = self._folded_bounds
        index = bisect_left(bounds, folded_end)
        if index < len(bounds) and bounds[index] == folded_end and index % 2 == 1:
            return index // 2
        return -1

    def word_span(self, first: int, last: int) -> tuple[int, int]:
        """Original (start, end) of the words first..last inclusive."""
        return self._original_bounds[2 * first], self._original_bounds[2 * last + 1]

    def word(self, index: int) -> str:
        """The original text of one word."""
        start, end = self.word_span(index, index)
        return self.original[start:end]

    def gap_before(self, index: int) -> str:
        """The original text between word `index - 1` (or the start) and word `index`."""
        bounds = self._original_bounds
        return self.original[bounds[2 * index - 1] if index else 0 : bounds[2 * index]]

    def gap_after(self, index: int) -> str:
        """The original text between word `index` and the next word (or the end)."""
        bounds = self._original_bounds
        return self.original[bounds[2 * index + 1] : bounds[2 * index + 2]]

    def original_offset(self, folded_offset: int) -> int:
        """Map one folded offset to the original text.

        Exact at the start and end of every word key; an offset inside a key maps to
        the same distance into the original word (clamped to it); an offset inside a
        separator maps to the start of the gap between the two words.
        """
        bounds = self._folded_bounds
        index = bisect_right(bounds, folded_offset)
        if index >= len(bounds):
            return len(self.original)
        if index % 2 == 1:  # inside or at the start of word index // 2
            word_start = bounds[index - 1]
            original_start, original_end = self.word_span(index // 2, index // 2)
            return min(original_start + folded_offset - word_start, original_end)
        if index == 0:
            return 0
        # In the separator after word index // 2 - 1 (or exactly at that word's end).
        return self._original_bounds[index - 1]

    def original_span(self, folded_start: int, folded_end: int) -> tuple[int, int]:
        """Map a folded (start, end) to the original text; see `original_offset`."""
        return self.original_offset(folded_start), self.original_offset(folded_end)


def fold_with_offsets(text: str) -> FoldedText:
    """Fold a text for matching, keeping the map back to the original offsets."""
    return FoldedText(text)
