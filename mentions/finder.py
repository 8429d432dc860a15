"""Find entity mentions, unknown names and attributable quotes in article text.

Pure functions over strings: the caller loads the alias table and stores the results.

Matching rules of `MentionFinder`:

- Texts and alias names are folded by `core.text` (case, diacritics, script,
  romanisation), and one Aho-Corasick automaton holds every alias.
- An alias matches whole words only: "Belarus" is not found inside "Belarusians", and a
  demonym never counts as a mention of its place. Hyphens separate words, so
  "anti-Lukashenka" mentions Lukashenka; a possessive 's is not part of the match.
- Words of a multi-word name must be separated by spaces or hyphens in the text, never
  by other punctuation ("Vilnius, Lithuania" is two places, not one name).
- The longest match wins and matches never overlap: "European Political Community
  Summit" is the event, not the organisation plus a stray word.
- Precision guards on short names: a one-word alias written with a capital
  (Lukashenka, Viasna) only matches a word that starts with a capital, so "вясна"
  (spring) is not the organisation Вясна; an alias in capitals (EPC, X) only matches text
  in capitals; a one-letter alias (X) must stand alone: not joined by a hyphen (X-ray)
  and not following a capitalised word (Malcolm X, Generation X). Names of two words or
  more match in any case.
- Ambiguity is explicit. When a match could mean several entities (a surname shared by
  relatives, a short form such as "Belarus" shared by the country and a brand), it is
  resolved only if exactly one of the candidates is named in the same document by an
  unambiguous full-name alias (not a short form); otherwise it is returned with
  `entity_id=None` and every candidate in `candidate_ids`. Nothing is guessed.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass

import ahocorasick

from core.text import DASHES, Vocabulary, fold_with_offsets

__all__ = [
    "AliasEntry",
    "CandidateName",
    "FoundMention",
    "MentionFinder",
    "QuoteSuggestion",
    "find_candidate_names",
    "suggest_quotes",
]


@dataclass(frozen=True)
class AliasEntry:
    """One name of one entity, as given by the alias table."""

    entity_id: int
    name: str
    entity_kind: str  # "person" | "organization" | "event" | "place"
    is_short_form: bool  # a bare surname, acronym or short form that may be shared


@dataclass(frozen=True)
class FoundMention:
    """A span of one document field that names an entity, or could name several.

    `candidate_ids` lists every entity the words could mean. A mention resolved from
    document context keeps all its candidates, so `ambiguous` (not the length of
    `candidate_ids`) tells whether `entity_id` is known.
    """

    entity_id: int | None
    candidate_ids: tuple[int, ...]
    text: str
    start: int
    end: int
    field: str

    @property
    def ambiguous(self) -> bool:
        return self.entity_id is None


@dataclass(frozen=True)
class CandidateName:
    """A capitalised multi-word name that no known entity matched."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class QuoteSuggestion:
    """A direct quote and the name of its speaker, both as spans of the text."""

    quote: str
    speaker: str
    start: int  # of the quote text, without the quotation marks
    end: int
    speaker_start: int
    speaker_end: int


@dataclass(frozen=True, slots=True)
class _Variant:
    """How one entity is named by one folded pattern, with the checks it needs."""

    entity_id: int
    is_short_form: bool
    needs_initial_capital: bool
    needs_all_capitals: bool
    is_single_letter: bool

    @property
    def is_constrained(self) -> bool:
        return self.needs_initial_capital or self.needs_all_capitals or self.is_single_letter


@dataclass(frozen=True, slots=True)
class _Pattern:
    variants: tuple[_Variant, ...]
    # Precomputed for the common case where no variant needs a check of the original.
    entity_ids: tuple[int, ...]
    full_name_ids: frozenset[int]
    is_constrained: bool
    needs_initial_capital: bool  # true of every variant: lowercase text never matches
    capital_only: bool  # an initial capital is the only check of every variant


@dataclass(slots=True)
class _Match:
    field: str
    start: int
    end: int
    entity_ids: tuple[int, ...]
    full_name_ids: frozenset[int]


def _variant(alias: AliasEntry, pattern_word_count: int, folded_key: str) -> _Variant:
    name = alias.name.strip()
    letters = [c for c in name if c.isalpha()]
    all_capitals = bool(letters) and all(c.isupper() for c in letters)
    single_word = pattern_word_count == 1
    return _Variant(
        entity_id=alias.entity_id,
        is_short_form=alias.is_short_form,
        needs_initial_capital=single_word and bool(letters) and letters[0].isupper(),
        needs_all_capitals=all_capitals,
        is_single_letter=single_word and len(folded_key) == 1,
    )


class MentionFinder:
    """Finds mentions of known entities; build once per alias table, then reuse."""

    def __init__(self, aliases: Iterable[AliasEntry]) -> None:
        variants_by_pattern: dict[str, dict[_Variant, None]] = {}
        word_counts: dict[str, int] = {}
        for alias in aliases:
            folded = fold_with_offsets(alias.name)
            word_count = folded.word_count
            if not word_count:
                continue
            # Inner punctuation stays a hard separator, so "Belarus' Free Theatre" matches
            # the same punctuation in a text; punctuation around the name does not count.
            pattern = f" {folded.folded.strip(' |')} "
            variant = _variant(alias, word_count, pattern.strip())
            variants_by_pattern.setdefault(pattern, {})[variant] = None
            word_counts[pattern] = word_count

        # Texts are folded against the words of the names, so the automaton skips the rest.
        # Words of a name that only matches capitalised text are skipped in lowercase.
        lowercase_patterns = [
            pattern
            for pattern, variant_set in variants_by_pattern.items()
            if any(not (v.needs_initial_capital or v.needs_all_capitals) for v in variant_set)
        ]
        self._vocabulary = Vocabulary(
            _pattern_words(variants_by_pattern), _pattern_words(lowercase_patterns)
        )
        self._automaton = ahocorasick.Automaton()
        for pattern, variant_set in variants_by_pattern.items():
            variants = tuple(variant_set)
            word_count = word_counts[pattern]
            entry = _Pattern(
                variants=variants,
                entity_ids=tuple(sorted({v.entity_id for v in variants})),
                full_name_ids=frozenset(v.entity_id for v in variants if not v.is_short_form),
                is_constrained=any(v.is_constrained for v in variants),
                needs_initial_capital=all(
                    v.needs_initial_capital or v.needs_all_capitals for v in variants
                ),
                capital_only=all(
                    v.needs_initial_capital and not (v.needs_all_capitals or v.is_single_letter)
                    for v in variants
                ),
            )
            # The value is (word count, pattern), as FoldedText.spans reads hits.
            self._automaton.add_word(pattern, (word_count, entry))
        self.pattern_count = len(variants_by_pattern)
        if self.pattern_count:
            self._automaton.make_automaton()

    def find(self, text: str, field: str = "body") -> list[FoundMention]:
        """Mentions in one text, short forms resolved from that text alone."""
        return self.find_in_document({field: text})

    def find_in_document(self, fields: dict[str, str]) -> list[FoundMention]:
        """Mentions in every field of one document, in field order, then by position.

        Ambiguous matches are resolved from full-name mentions anywhere in the document.
        """
        texts = {field: text for field, text in fields.items() if text}
        matches = [m for field, text in texts.items() for m in self._matches(text, field)]
        context = {m.entity_ids[0] for m in matches if len(m.entity_ids) == 1 and m.full_name_ids}
        found = []
        for m in matches:
            if len(m.entity_ids) == 1:
                entity_id: int | None = m.entity_ids[0]
            else:
                named = context.intersection(m.entity_ids)
                entity_id = named.pop() if len(named) == 1 else None
            found.append(
                FoundMention(
                    entity_id=entity_id,
                    candidate_ids=m.entity_ids,
                    text=texts[m.field][m.start : m.end],
                    start=m.start,
                    end=m.end,
                    field=m.field,
                )
            )
        return found

    def _matches(self, text: str, field: str) -> list[_Match]:
        """Non-overlapping matches in one text, longest first, returned in text order."""
        if not self.pattern_count:
            return []
        folded = fold_with_offsets(text, self._vocabulary)
        raw: list[_Match] = []
        for start, end, pattern in folded.spans(self._automaton.iter(folded.folded)):
            if not pattern.is_constrained:
                entity_ids, full_name_ids = pattern.entity_ids, pattern.full_name_ids
            elif pattern.needs_initial_capital and text[start].islower():
                continue  # the common rejection: a lowercase word for a capitalised name
            elif pattern.capital_only:
                entity_ids, full_name_ids = pattern.entity_ids, pattern.full_name_ids
            else:
                accepted = _accepted(pattern.variants, text, start, end)
                if not accepted:
                    continue
                entity_ids = tuple(sorted({v.entity_id for v in accepted}))
                full_name_ids = frozenset(v.entity_id for v in accepted if not v.is_short_form)
            raw.append(_Match(field, start, end, entity_ids, full_name_ids))
        if len(raw) < 2:
            return raw
        raw.sort(key=lambda m: (m.start - m.end, m.start))
        chosen: list[_Match] = []
        taken: list[tuple[int, int]] = []  # sorted spans of the chosen matches
        for m in raw:
            index = bisect_left(taken, (m.start, m.end))
            if index and taken[index - 1][1] > m.start:
                continue
            if index < len(taken) and taken[index][0] < m.end:
                continue
            taken.insert(index, (m.start, m.end))
            chosen.append(m)
        chosen.sort(key=lambda m: m.start)
        return chosen


def _pattern_words(patterns: Iterable[str]) -> set[str]:
    return {word for pattern in patterns for word in pattern.split() if word != "|"}


def _accepted(variants: tuple[_Variant, ...], text: str, start: int, end: int) -> list[_Variant]:
    """The variants whose capitalisation and context checks pass for text[start:end]."""
    surface = text[start:end]
    initial_capital = not surface[:1].islower()
    all_capitals = surface.isupper() or not any(c.isalpha() for c in surface)
    accepted = []
    for variant in variants:
        if variant.needs_initial_capital and not initial_capital:
            continue
        if variant.needs_all_capitals and not all_capitals:
            continue
        if variant.is_single_letter and not _stands_alone(text, start, end):
            continue
        accepted.append(variant)
    return accepted


_BLANKS = " \t\u00a0"


def _stands_alone(text: str, start: int, end: int) -> bool:
    """Whether a one-letter word is a word on its own, not part of a compound or name."""
    if (start and text[start - 1] in DASHES) or (end < len(text) and text[end] in DASHES):
        return False  # X-ray, Gen-X
    # Malcolm X, Generation X, Article X: the letter ends a capitalised name.
    before = text[max(0, start - 80) : start]
    if not before or before[-1] not in _BLANKS:
        return True
    previous = before.rstrip(_BLANKS)
    word_start = len(previous)
    while word_start and previous[word_start - 1].isalnum():
        word_start -= 1
    return word_start == len(previous) or previous[word_start].islower()


# --- Names that no entity matched -------------------------------------------------------

# A capitalisable word, hyphenated compounds included, without a possessive 's.
_NAME_WORD = re.compile(r"[^\W\d_][^\W_]*(?:['’\-](?![sS]\b)[^\W\d_][^\W_]*)*")
# Lowercase particles that may sit inside a name: Ursula von der Leyen, Charles de Gaulle.
_PARTICLES = frozenset(
    ["al", "bin", "da", "de", "del", "della", "der", "di", "dos", "du", "la", "le", "van", "von"]
)
_MONTHS = "January February March April May June July August September October November December"
_WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday"
# Capitalised words that are not part of a name: titles, demonyms, and words that open
# sentences and headings. A run is trimmed of them at both ends and broken by them inside.
_NOT_NAME_WORDS = frozenset(
    f"""
    {_MONTHS} {_WEEKDAYS}
    A An The This That These Those Their Its His Her Our Your My We They He She It I You
    In On At By For From To Of With Without Under Over After Before During Since Until
    As And But Or Nor So Yet If When While Where Although Though Because Despite Why How
    What Who Whom Which Whose There Here Then Now Also However Meanwhile According
    Both All Some Many Most Several Each Every No Not One Two Three Four Five Six Seven
    Eight Nine Ten First Second Third Last Next New Former Latest Current Acting
    Mr Mrs Ms Dr Prof Sir Dame Lord Lady President Prime Minister Chancellor Premier
    King Queen Prince Princess Pope General Colonel Major Captain Lieutenant Sergeant
    Senator Governor Mayor Ambassador Envoy Secretary Spokesman Spokeswoman Speaker
    Chairman Chairwoman Chair Director Judge Justice Deputy Vice Foreign Defence Defense
    Interior Finance Opposition Leader Head Chief Commissioner Representative
    Ukrainian Ukrainians Belarusian Belarusians Russian Russians Lithuanian Lithuanians
    Polish Poles Latvian Estonian German Germans French British English American
    Americans European Europeans Western Eastern Soviet Georgian Moldovan Armenian
    Azerbaijani Kazakh Chinese Japanese Korean Turkish Israeli Iranian Syrian Baltic
    Nordic Swedish Finnish Norwegian Danish Dutch Belgian Italian Spanish Portuguese
    Hungarian Czech Slovak Romanian Bulgarian Serbian Croatian Slovenian Greek Austrian
    Swiss Canadian Australian
    Later Earlier Yesterday Today Tonight Tomorrow Recently Still Even Only Just Instead
    Indeed Nevertheless Moreover Furthermore Thus Therefore Again Once Soon Finally
    Eventually Separately Overall Asked Speaking Unlike Like Following Amid Among Against
    Within Through Across Around Between Beyond Near Via Including Such Other Another
    """.split()
)


def _is_name_word(word: str) -> bool:
    """Capitalised, not an acronym (US, EPC), not a title, demonym or function word."""
    return (
        word[0].isupper() and not (len(word) > 1 and word.isupper()) and word not in _NOT_NAME_WORDS
    )


def find_candidate_names(text: str, known_spans: list[tuple[int, int]]) -> list[CandidateName]:
    """Capitalised names of two words or more that overlap no known span.

    A name is a run of capitalised words separated by single spaces (lowercase particles
    such as "von der" allowed inside). Titles, demonyms, months, weekdays and
    sentence-opening words are not name words, so "US envoy Keith Kellogg" yields
    "Keith Kellogg" and a capitalised word alone at the start of a sentence yields
    nothing. Words overlapping a known span (an entity mention) are left out.
    """
    words = _words_outside(_NAME_WORD.finditer(text), known_spans)
    candidates: list[CandidateName] = []
    run: list[re.Match[str]] = []
    for match in words:
        word = match.group()
        if run and text[run[-1].end() : match.start()] != " ":
            candidates.extend(_candidate_from_run(text, run))
            run = []
        if _is_name_word(word) or (run and word in _PARTICLES):
            run.append(match)
        else:
            candidates.extend(_candidate_from_run(text, run))
            run = []
    candidates.extend(_candidate_from_run(text, run))
    return candidates


def _words_outside(
    words: Iterable[re.Match[str]], spans: list[tuple[int, int]]
) -> list[re.Match[str]]:
    """The words (in text order) that overlap none of the spans, in one sweep of both."""
    spans = sorted(spans)
    kept = []
    index = 0
    reach = -1  # the furthest end of the spans that start before the current word ends
    for word in words:
        start, end = word.span()
        while index < len(spans) and spans[index][0] < end:
            reach = max(reach, spans[index][1])
            index += 1
        # Every span with start < end is counted in reach; one overlaps iff it ends after
        # the word starts. A long span seen before still counts for the words it covers.
        if reach <= start:
            kept.append(word)
    return kept


def _candidate_from_run(text: str, run: list[re.Match[str]]) -> list[CandidateName]:
    while run and run[-1].group() in _PARTICLES:
        run = run[:-1]
    if len(run) < 2:
        return []
    start, end = run[0].start(), run[-1].end()
    return [CandidateName(text=text[start:end], start=start, end=end)]


# --- Quotes -----------------------------------------------------------------------------

_SPEECH_VERBS = (
    "said|says|wrote|writes|told|tells|added|adds|stated|states|declared|declares|noted|"
    "notes|explained|explains|described|describes|announced|announces|replied|insisted|"
    "argued|argues|warned|warns|recalled|tweeted|posted|commented|remarked|stressed|"
    "emphasised|emphasized|continued|concluded|claimed|acknowledged|admitted|urged|asked"
)
_SPEECH_PARTICIPLES = "stating|saying|adding|noting|writing|arguing|warning|insisting|declaring"
# Up to four words on one line; the name proper is picked out by `_speaker_name`.
_SPEAKER = r"(?P<speaker>[^\W\d_][\w'’\-]*(?:[ \t]+[^\W\d_][\w'’\-]*){0,3})"
# Straight quotes alternate open/close, so scanning left to right pairs them.
_QUOTED = re.compile(r"[\"“](?P<quote>[^\"“”\n]+)[\"”]")
# After the closing mark: `"…," Tsikhanouskaya wrote` and `"…," said Tsikhanouskaya`.
_SPEAKER_THEN_VERB = re.compile(rf"[ \t]*,?[ \t]*{_SPEAKER}[ \t]+(?:{_SPEECH_VERBS})\b")
_VERB_THEN_SPEAKER = re.compile(rf"[ \t]*,?[ \t]*(?:{_SPEECH_VERBS})[ \t]+{_SPEAKER}")
# Before the opening mark, within the sentence: `Tsikhanouskaya said: "…"`,
# `Tsikhanouskaya described their encounters: "…"`, and, with the speaker as subject
# of the sentence, `Tsikhanouskaya expressed a desire…, stating that "…"`.
_SPEAKER_VERB_COLON = re.compile(
    rf"{_SPEAKER}[ \t]+(?:{_SPEECH_VERBS})\b[^.!?\"“”\n]{{0,120}}?[:,][ \t]*$"
)
_SUBJECT_THEN_PARTICIPLE = re.compile(
    rf"^[ \t]*{_SPEAKER}[ \t]+[a-z]+\b[^.!?\"“”\n]*?,[ \t]*(?:{_SPEECH_PARTICIPLES})"
    rf"(?:[ \t]+that)?[ \t]*$"
)
_SENTENCE_BOUNDARY = re.compile(r"[.!?\n\"”]")
_PRONOUNS = frozenset(["he", "she", "they", "it", "we", "i", "you", "this", "that", "who"])


def suggest_quotes(text: str) -> list[QuoteSuggestion]:
    """Direct quotes whose speaker is named next to a verb of saying.

    Quotes attributed to a pronoun ("she said") and quotes without a verb of saying
    (scare quotes such as his "powerful words") are not suggested: the speaker must be
    clear. The speaker is the capitalised name next to the verb, titles left out.
    """
    suggestions = []
    for quoted in _QUOTED.finditer(text):
        speaker = _speaker_after(text, quoted.end()) or _speaker_before(text, quoted.start())
        if speaker is None:
            continue
        start, end = quoted.span("quote")
        quote = text[start:end].rstrip()
        if quote.endswith(","):
            quote = quote[:-1]  # the comma belongs to the sentence, not to the quote
        if not quote.strip():
            continue
        suggestions.append(
            QuoteSuggestion(
                quote=quote,
                speaker=text[speaker[0] : speaker[1]],
                start=start,
                end=start + len(quote),
                speaker_start=speaker[0],
                speaker_end=speaker[1],
            )
        )
    return suggestions


def _speaker_after(text: str, position: int) -> tuple[int, int] | None:
    match = _SPEAKER_THEN_VERB.match(text, position)
    if match:
        return _speaker_name(text, match, last_words=True)
    match = _VERB_THEN_SPEAKER.match(text, position)
    if match:
        return _speaker_name(text, match, last_words=False)
    return None


def _speaker_before(text: str, position: int) -> tuple[int, int] | None:
    boundaries = list(_SENTENCE_BOUNDARY.finditer(text, 0, position))
    sentence_start = boundaries[-1].end() if boundaries else 0
    sentence = text[sentence_start:position]
    # With a verb of saying the name is the last words before it; before a participle
    # the name is the subject, the first words of the sentence.
    for pattern, last_words in ((_SPEAKER_VERB_COLON, True), (_SUBJECT_THEN_PARTICIPLE, False)):
        match = pattern.search(sentence)
        if match:
            span = _speaker_name(sentence, match, last_words=last_words)
            if span:
                return span[0] + sentence_start, span[1] + sentence_start
    return None


def _speaker_name(text: str, match: re.Match[str], *, last_words: bool) -> tuple[int, int] | None:
    """The run of name words at the end (or start) of the speaker group, or None."""
    words = list(_NAME_WORD.finditer(text, *match.span("speaker")))
    name: list[re.Match[str]] = []
    for word in reversed(words) if last_words else words:
        if not name and not last_words and word.group() in _NOT_NAME_WORDS:
            continue  # a title between verb and name: said President Zelenskyy
        if not _is_name_word(word.group()):
            break
        name.append(word)
    if not name or name[0].group().casefold() in _PRONOUNS:
        return None
    name.sort(key=lambda word: word.start())
    return name[0].start(), name[-1].end()
