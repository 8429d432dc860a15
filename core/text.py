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
from collections.abc import Iterable, Iterator
from typing import TypeVar

__all__ = [
    "OTHER_WORD",
    "FoldedText",
    "Vocabulary",
    "clean_text",
    "clean_text_with_offsets",
    "fold_name_words",
    "fold_with_offsets",
    "fold_word",
    "has_slavic_latin",
    "normalize",
    "skeleton",
    "transliterate",
    "words",
]

APOSTROPHES = "'’ʼ‘ʻ"
DASHES = "-‐‑‒–—―−⁃"
# Characters that do not show: a soft hyphen, zero-width space, (non-)joiners, word joiner
# and byte-order mark. Inside a word they are part of it ("Tsikha\u00adnouskaya" is one
# word) and its key leaves them out; web copy and word processors leave them in names.
INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_DROP_INVISIBLE = dict.fromkeys(map(ord, INVISIBLE))

# A word is a run of letters and digits; apostrophes inside it (O'Brien, Дем'янчук) are
# part of the word, but a possessive 's is not, so "Zelenskyy's" yields "Zelenskyy".
# ʼ and ʻ are letters to Python (category Lm), hence their exclusion from the class.
_LETTER = r"[^\W_ʼʻ]"
_NOT_POSSESSIVE = rf"(?:(?<![{APOSTROPHES}])|(?![sS]\b))"
_INNER = rf"(?:{_LETTER}|[{INVISIBLE}])*"  # letters and invisible characters after the first
_WORD = rf"{_NOT_POSSESSIVE}{_LETTER}{_INNER}(?:[{APOSTROPHES}](?![sS]\b){_LETTER}{_INNER})*"
# Text that holds decomposed diacritics (NFD) needs combining marks inside words.
_LETTER_NFD = r"(?:[^\W_ʼʻ]|[\u0300-\u036f])"
_INNER_NFD = rf"(?:{_LETTER_NFD}|[{INVISIBLE}])*"
_WORD_NFD = (
    rf"{_NOT_POSSESSIVE}{_LETTER_NFD}{_INNER_NFD}"
    rf"(?:[{APOSTROPHES}](?![sS]\b){_LETTER_NFD}{_INNER_NFD})*"
)
_SPLIT = re.compile(f"({_WORD})")
_SPLIT_NFD = re.compile(f"({_WORD_NFD})")
_HAS_COMBINING = re.compile("[\u0300-\u036f]")

# Words joined by whitespace, or by a hyphen or dash inside a compound (Jean-Claude,
# Polish-Lithuanian), may form one name; any other punctuation (comma, full stop, quote,
# possessive 's, a dash between spaces) or a line break ends it, so "Vilnius, Lithuania"
# can never match a two-word name "Vilnius Lithuania".
_BLANK_GAP = re.compile(r"[ \t\u00a0\u2009\u202f]+")
_SOFT_GAP = re.compile(rf"[ \t\u00a0\u2009\u202f{re.escape(DASHES)}]+")
SOFT_SEPARATOR = " "
HARD_SEPARATOR = " | "
# Ends the fold of every chunk that has one. The matcher sees a space there, but the
# marked fold can be counted to find which chunk a folded offset falls in.
CHUNK_END = "\x1f"

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


def transliterate(word: str, *, slavic: bool = False) -> str:
    """Casefold one word and write it in plain Latin letters (other scripts pass through).

    Works per word because some choices depend on the word's letters: г is h in a word
    with a Belarusian or Ukrainian letter, else g; c and ch read as ts and kh in a word
    with a Slavic Latin diacritic (Cichanoŭskaja), as in English otherwise (Charlemagne).
    `slavic` reads c and ch the Slavic way whatever the word's letters: the words of one
    name share one orthography, so in "Aleś Bialacki" the c of Bialacki is ts too.
    """
    folded = unicodedata.normalize("NFKC", word).casefold()
    if not folded.isascii():
        folded = folded.translate(_DROP_INVISIBLE)
    if folded.isascii() and not slavic:
        return folded.translate(_LATIN)
    if _CYRILLIC.search(folded):
        table = _CYRILLIC_H if _BE_UK_LETTERS.intersection(folded) else _CYRILLIC_G
        folded = folded.translate(table)
    if slavic or _SLAVIC_LATIN_LETTERS.intersection(folded):
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


def has_slavic_latin(word: str) -> bool:
    """Whether a word is written in a Slavic Latin orthography (Łacinka, Polish, Czech...)."""
    return not word.isascii() and bool(_SLAVIC_LATIN_LETTERS.intersection(word.casefold()))


def fold_name_words(name_words: list[str]) -> list[str]:
    """The keys of the words of one name, which share one orthography.

    When one word is written in a Slavic Latin orthography, every word is read in it:
    "Aleś Bialacki" folds as "ales bialatski", not as the English "bialacki".
    """
    if any(has_slavic_latin(word) for word in name_words):
        return [skeleton(transliterate(word, slavic=True)) for word in name_words]
    return [fold_word(word) for word in name_words]


def split_words(text: str) -> list[str]:
    """Split into [gap, word, gap, word, ..., gap]; gaps may be empty at the ends."""
    pattern = _SPLIT_NFD if _HAS_COMBINING.search(text) else _SPLIT
    return pattern.split(text)


def words(text: str) -> list[str]:
    """Return the words of a text, as `normalize` and the finder see them."""
    return split_words(text)[1::2]


def normalize(s: str) -> str:
    """Return the folded key of a name or text: word keys joined by single spaces.

    Punctuation is dropped and hyphens separate words. Text without any letter or digit
    folds to itself casefolded, so that a non-empty name never gets an empty key.
    """
    keys = fold_name_words(words(s))
    key = " ".join(filter(None, keys))
    return key or s.casefold().strip()


# One word of a chunk: its key's (start, end) in the chunk's fold and its own (start,
# end) in the chunk.
_WordBounds = tuple[int, int, int, int]


def _fold_chunk(chunk: str) -> tuple[str, tuple[_WordBounds, ...]]:
    """Fold one space-delimited chunk of text ("Zelenskyy's", "Vilnius,").

    Returns the fold and its word bounds. The fold carries the chunk's boundaries: "| "
    before the first word when punctuation opens the chunk, " |" after the last when
    punctuation closes it, and a `CHUNK_END` that joins it to the next chunk. A chunk of
    blanks (a double space) folds to nothing at all.
    """
    pieces = split_words(chunk)
    if len(pieces) == 1:  # no word: an empty chunk (double space), a dash, punctuation
        soft = not chunk or _BLANK_GAP.fullmatch(chunk) is not None
        return ("" if soft else "|" + CHUNK_END), ()
    parts = []
    words = []
    folded_length = original_offset = 0
    for index, piece in enumerate(pieces):
        if index % 2:
            key = fold_word(piece) or "_"  # a word of soft signs only still needs a key
            bounds = (folded_length, folded_length + len(key))
            words.append((*bounds, original_offset, original_offset + len(piece)))
            parts.append(key)
            folded_length += len(key)
        else:
            soft = not piece or _SOFT_GAP.fullmatch(piece) is not None
            if index == 0:
                separator = "" if soft else "| "
            elif index == len(pieces) - 1:
                separator = "" if soft else " |"
            else:
                separator = SOFT_SEPARATOR if soft else HARD_SEPARATOR
            parts.append(separator)
            folded_length += len(separator)
        original_offset += len(piece)
    parts.append(CHUNK_END)
    return "".join(parts), tuple(words)


# Chunk folds are memoised like word keys: most chunks are a common word, maybe with a
# comma or full stop, so folding a text is mostly one dict lookup per chunk. The word
# bounds live in a second memo, read only for the chunks where a match ends.
_CHUNK_FOLDS: dict[str, str] = {}
_CHUNK_WORDS: dict[str, tuple[_WordBounds, ...]] = {}
_CHUNKS_MAX = 500_000


def _chunk_fold(chunk: str) -> str:
    folded = _CHUNK_FOLDS.get(chunk)
    if folded is None:
        folded, words = _fold_chunk(chunk)
        if len(_CHUNK_FOLDS) >= _CHUNKS_MAX:
            _CHUNK_FOLDS.clear()
            _CHUNK_WORDS.clear()
        _CHUNK_FOLDS[chunk] = folded
        _CHUNK_WORDS[chunk] = words
    return folded


def _chunk_words(chunk: str) -> tuple[_WordBounds, ...]:
    words = _CHUNK_WORDS.get(chunk)
    if words is None:  # evicted since the text was folded
        words = _fold_chunk(chunk)[1]
    return words


_T = TypeVar("_T")

# Stands for a word that no name contains, in texts folded against a `Vocabulary`.
OTHER_WORD = "~" + CHUNK_END


class Vocabulary:
    """The word keys that occur in a set of names, with a memo of chunk folds against it.

    Folding a text against a vocabulary writes every chunk none of whose words can be
    part of a name as `OTHER_WORD`, and the automaton then scans a far shorter text. A
    word can be part of a name when its key is in `keys`, and, if it is written with a
    lowercase initial, in `lowercase_keys` (names that only match capitalised words, such
    as a bare surname, leave their keys out of that set).
    """

    def __init__(self, keys: Iterable[str], lowercase_keys: Iterable[str]) -> None:
        self.keys = frozenset(keys)
        self.lowercase_keys = frozenset(lowercase_keys)
        self._folds: dict[str, str] = {}

    def fold_chunk(self, chunk: str) -> str:
        folded = self._folds.get(chunk)
        if folded is None:
            folded = _chunk_fold(chunk)
            bounds = _chunk_words(chunk)
            if bounds:
                keys, lowercase_keys = self.keys, self.lowercase_keys
                for key_start, key_end, word_start, _ in bounds:
                    key = folded[key_start:key_end]
                    if key in keys and (not chunk[word_start].islower() or key in lowercase_keys):
                        break  # this word can be part of a name
                else:
                    folded = OTHER_WORD
            if len(self._folds) >= _CHUNKS_MAX:
                self._folds.clear()
            self._folds[chunk] = folded
        return folded


class FoldedText:
    """A text folded word by word, with the map back to the original's offsets.

    `folded` is " key key | key ": every word key has a space on each side; words that
    may belong to one name (whitespace, or a hyphen inside a compound, between them) are
    one space apart, and words across other punctuation are separated by " | ". The map
    back is exact at word boundaries, which is where matches of whole words start and end.

    The text is cut at spaces with `str.split` and each chunk is folded through a memo,
    which keeps per-character Python work out of the hot path. Folded against a
    `vocabulary`, chunks without any of its words become `OTHER_WORD`, and the map back
    is exact only for the words of the vocabulary.

    The map back costs nothing until it is used, and then little: the chunk of a folded
    offset is found by counting `CHUNK_END` marks, and the original offset of a chunk by
    summing chunk lengths, both from the last place asked for, so the offsets of a scan's
    matches (in text order) cost one pass over the text in all.
    """

    __slots__ = (
        "_chunks",
        "_fold_anchor",
        "_folds",
        "_marked",
        "_original_anchor",
        "_visible",
        "folded",
        "original",
    )

    def __init__(self, original: str, vocabulary: Vocabulary | None = None) -> None:
        chunks = original.split(" ")
        memo, fold = (
            (_CHUNK_FOLDS, _chunk_fold)
            if vocabulary is None
            else (vocabulary._folds, vocabulary.fold_chunk)
        )
        try:
            folds = list(map(memo.__getitem__, chunks))
        except KeyError:  # chunks not seen before: fold those, look up the rest
            get = memo.get
            folds = [get(chunk) or fold(chunk) for chunk in chunks]
        marked = " " + "".join(folds)
        self.original = original
        self.folded = marked.replace(CHUNK_END, " ")
        self._marked = marked
        self._chunks = chunks
        self._folds = folds
        # Chunks of blanks fold to nothing and leave no mark: count marks over the others.
        self._visible: list[int] | None = None
        if marked.count(CHUNK_END) != len(chunks):
            self._visible = [index for index, folded in enumerate(folds) if folded]
        self._fold_anchor = (0, 0)  # (folded offset, marks before it)
        self._original_anchor = (0, 0)  # (chunk index, its original offset)

    @property
    def word_count(self) -> int:
        return sum(len(_chunk_words(chunk)) for chunk in self._chunks)

    def _locate(self, folded_offset: int) -> tuple[int, int]:
        """(chunk index, offset in that chunk's fold) of a folded offset."""
        if folded_offset < 1:  # the space before the first chunk
            return 0, folded_offset - 1
        marked = self._marked
        anchor_offset, marks = self._fold_anchor
        if folded_offset >= anchor_offset:
            marks += marked.count(CHUNK_END, anchor_offset, folded_offset)
        else:
            marks -= marked.count(CHUNK_END, folded_offset, anchor_offset)
        self._fold_anchor = (folded_offset, marks)
        fold_start = marked.rfind(CHUNK_END, 0, folded_offset) + 1 or 1
        visible = self._visible
        if visible is None:
            index = min(marks, len(self._chunks) - 1)
        else:
            index = visible[min(marks, len(visible) - 1)] if visible else 0
        return index, folded_offset - fold_start

    def _original_start(self, chunk_index: int) -> int:
        """Where chunk `chunk_index` starts in the original text."""
        anchor, start = self._original_anchor
        # Each chunk was followed by the one space that split() removed.
        if chunk_index >= anchor:
            start += sum(map(len, self._chunks[anchor:chunk_index])) + chunk_index - anchor
        else:
            start -= sum(map(len, self._chunks[chunk_index:anchor])) + anchor - chunk_index
        self._original_anchor = (chunk_index, start)
        return start

    def spans(self, hits: Iterable[tuple[int, tuple[int, _T]]]) -> Iterator[tuple[int, int, _T]]:
        """Original (start, end, value) of each hit (folded end, (word count, value)).

        A hit is `word count` whole words whose last key ends at `folded end`, as an
        Aho-Corasick automaton over `folded` reports them (its value a pair); hits where
        no key ends are skipped. Fastest in text order, the automaton's order: the
        anchors of the map back then only move forward.
        """
        marked, chunks, visible = self._marked, self._chunks, self._visible
        count_marks, find_mark = marked.count, marked.rfind
        chunk_words, fold_chunk = _CHUNK_WORDS.get, _fold_chunk
        last = len(chunks) - 1 if visible is None else len(visible) - 1
        anchor_offset = marks = 0  # a folded offset and the marks before it
        anchor_index = anchor_start = 0  # a chunk and its original offset
        for folded_end, (word_count, value) in hits:
            if folded_end >= anchor_offset:
                marks += count_marks(CHUNK_END, anchor_offset, folded_end)
            else:
                marks -= count_marks(CHUNK_END, folded_end, anchor_offset)
            anchor_offset = folded_end
            index = min(marks, last)
            if visible is not None:
                index = visible[index] if visible else 0
            offset = folded_end - (find_mark(CHUNK_END, 0, folded_end) + 1 or 1)
            chunk = chunks[index]
            words = chunk_words(chunk)
            if words is None:  # evicted from the memo since the text was folded
                words = fold_chunk(chunk)[1]
            position = len(words) - 1
            while position >= 0 and words[position][1] != offset:
                position -= 1
            if position < 0:
                continue
            # Each chunk was followed by the one space that split() removed.
            if index >= anchor_index:
                anchor_start += sum(map(len, chunks[anchor_index:index])) + index - anchor_index
            else:
                anchor_start -= sum(map(len, chunks[index:anchor_index])) + anchor_index - index
            anchor_index = index
            end = anchor_start + words[position][3]
            if word_count <= position + 1:  # the usual case: every word in this chunk
                yield anchor_start + words[position - word_count + 1][2], end, value
                continue
            # Walk back across chunks; chunks without words (a dash, a double space) count
            # for nothing.
            remaining = word_count - 1 - position
            while remaining:
                index -= 1
                words = chunk_words(chunks[index])
                if words is None:
                    words = fold_chunk(chunks[index])[1]
                if len(words) >= remaining:
                    break
                remaining -= len(words)
            start = anchor_start - sum(map(len, chunks[index:anchor_index])) - anchor_index + index
            yield start + words[len(words) - remaining][2], end, value

    def words_ending_at(self, folded_end: int, count: int) -> tuple[int, int] | None:
        """Original (start, end) of the `count` words whose last key ends at `folded_end`.

        None when no key ends there (never the case for a whole-word match).
        """
        for start, end, _ in self.spans([(folded_end, (count, None))]):
            return start, end
        return None

    def original_offset(self, folded_offset: int) -> int:
        """Map one folded offset to the original text.

        Exact at the start and end of every word key; an offset inside a key maps to
        the same distance into the original word (clamped to it); an offset between
        keys maps to the end of the word before (or the start of its chunk).
        """
        if folded_offset >= len(self.folded) - 1:
            return len(self.original)
        chunk_index, offset = self._locate(folded_offset)
        chunk_start = self._original_start(chunk_index)
        result = chunk_start
        for key_start, key_end, word_start, word_end in _chunk_words(self._chunks[chunk_index]):
            if offset < key_start:
                break
            if offset == key_end:
                return chunk_start + word_end
            if offset < key_end:
                return chunk_start + min(word_start + offset - key_start, word_end)
            result = chunk_start + word_end
        return result

    def original_span(self, folded_start: int, folded_end: int) -> tuple[int, int]:
        """Map a folded (start, end) to the original text; see `original_offset`."""
        return self.original_offset(folded_start), self.original_offset(folded_end)


def fold_with_offsets(text: str, vocabulary: Vocabulary | None = None) -> FoldedText:
    """Fold a text for matching, keeping the map back to the original offsets."""
    return FoldedText(text, vocabulary)


# --- Typed text, cleaned once on the way in -------------------------------------------
#
# Browsers send a textarea's line breaks as CRLF, and pasted text brings characters a
# reader cannot see. Stored text is cleaned of both by the write services and the fixture
# loader, so that every offset into it (mention spans) means the same character to the
# finder, the renderer and the API. The article languages (Latin and Cyrillic scripts)
# need no zero-width joiner, so none is kept.

# Soft hyphen, zero-width space, non-joiner and joiner, word joiner, BOM: removed.
INVISIBLE_CHARACTERS = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
# No-break spaces (plain, figure, narrow): an ordinary space.
NO_BREAK_SPACES = "\u00a0\u2007\u202f"
# Line breaks of every convention become "\n" (CRLF first: one break, not two).
_UNCLEAN = re.compile(f"\\r\\n|[\\r\\u0085\\u2028\\u2029{INVISIBLE_CHARACTERS}{NO_BREAK_SPACES}]")


def _replacement(found: str) -> str:
    if found[0] in INVISIBLE_CHARACTERS:
        return ""
    if found[0] in NO_BREAK_SPACES:
        return " "
    return "\n"


def clean_text(text: str) -> str:
    """Typed text as it is stored: one kind of line break, no invisible characters,
    ordinary spaces for no-break ones. Idempotent; text already clean is returned as is."""
    if not text or _UNCLEAN.search(text) is None:
        return text
    return _UNCLEAN.sub(lambda match: _replacement(match.group()), text)


def clean_text_with_offsets(text: str) -> tuple[str, list[int]]:
    """`clean_text(text)` and where each offset of `text` (0 to len(text)) lands in it,
    so that a span recorded against the raw text can be moved onto the clean one."""
    offsets = []
    pieces = []
    position = 0
    cursor = 0
    for match in _UNCLEAN.finditer(text):
        start, end = match.span()
        pieces.append(text[cursor:start])
        offsets.extend(range(position, position + start - cursor))
        position += start - cursor
        replacement = _replacement(match.group())
        # Every character of the match maps to where its replacement starts.
        offsets.extend([position] * (end - start))
        pieces.append(replacement)
        position += len(replacement)
        cursor = end
    pieces.append(text[cursor:])
    offsets.extend(range(position, position + len(text) - cursor + 1))
    return "".join(pieces), offsets
