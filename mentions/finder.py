"""Find entity mentions, unknown names and attributable quotes in article text.

Pure functions over strings: the caller loads the alias table and stores the results.

Matching rules of `MentionFinder`:

- Texts and alias names are folded by `core.text` (case, diacritics, script,
  romanisation), and one Aho-Corasick automaton holds every alias. The words of one name
  share one orthography: in "Aleś Bialacki" the plain word is read as Łacinka too.
  Invisible characters (soft hyphen, zero-width joiner) inside a word are part of it.
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
  in capitals, or, for an organisation, its title-case house style (Nato, Kgb) unless
  that is an English word (Who); a one-letter alias (X) must stand alone: not joined by a
  hyphen (X-ray) and not following a capitalised word (Malcolm X, Generation X). Names of
  two words or more match in any case.

Every occurrence is then judged on its own context (its sentence, the words next to it),
and the document is only a tie-breaker. An occurrence is linked (`entity_id`), flagged
for the editor (`entity_id=None` with the entity or entities in `candidate_ids` and the
reason in `note`), or dropped:

- Ambiguity is explicit. When a match could mean several entities (a surname shared by
  relatives, a short form such as "Belarus" shared by the country and a brand), the
  countries named in its sentence pick one if they fit exactly one candidate ("Atlanta,
  Georgia" is the US state); else it is resolved if exactly one candidate is named in the
  document by an unambiguous full-name alias; else it is flagged. Nothing is guessed.
- Capitals prove nothing where every word has one: an acronym that is an English word
  in all-capital text ("LET US GO"), and a one-word name that is an English word at the
  start of a sentence, in a title-case heading or in capitals ("Memorial services…"),
  are dropped, or flagged when the document names the entity elsewhere.
- A first name or initial before a surname that conflicts with every known first name
  of the entity ("Lyudmila Tymoshenko" when only Yulia is known) blocks the link: the
  full name is returned with no candidate entity (an unknown name for the editor); the
  bare surname is then flagged in the rest of the document, since it may mean either
  person.
- A match only by the romanisation skeleton (Sikorsky for Sikorski), not by a listed
  spelling, needs more evidence: a first name (a full-name match), a title or a verb of
  saying for a person, or the entity named by a listed spelling elsewhere and the word
  not an adjective compound ("Sikorsky-built"). Linked ones carry a note: they are
  confirmed one by one, never with "Confirm all". Without evidence they are flagged.
- An organisation's acronym, or its one-word name that is also an English word, whose
  sentence speaks of other countries (places, organisations, demonyms) and not of its
  own is flagged ("a former KGB officer" of Russia is not Belarus's KGB). Proper names
  such as Belsat or Reuters are not shared, so they are left alone.
- An event is flagged when its clause gives a year outside the event's years, or names
  another city after it ("the summit in Budapest" is not the Copenhagen summit).
- A place right after another place of a different country is flagged ("Atlanta,
  Georgia" is not the country Georgia).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

import ahocorasick
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from core.lexicon import is_common_word
from core.text import (
    DASHES,
    INVISIBLE,
    Vocabulary,
    fold_name_words,
    fold_with_offsets,
    has_slavic_latin,
    normalize,
    split_words,
    transliterate,
)
from mentions.gazetteer import DEMONYMS, Gazetteer, GazetteerPlace

__all__ = [
    "AliasEntry",
    "CandidateName",
    "FoundMention",
    "MentionFinder",
    "QuoteSuggestion",
    "find_candidate_names",
    "suggest_quotes",
]

# Notes on a flagged or not-sure occurrence, as the editor reads them.
NOTE_SPELLING = "found by a similar spelling, not a listed one"
NOTE_CAPITALS = "a common word in capitals or at the start of a sentence"
NOTE_NAMESAKE = "another person of this surname is named in the text"
NOTE_FIRST_NAME = "its first name is not that of the known person of this surname"
NOTE_OTHER_COUNTRY = "its sentence speaks of another country"
NOTE_EVENT_DATE = "its sentence gives another year"
NOTE_EVENT_PLACE = "its sentence names another place"
NOTE_PLACE_PAIR = "it follows a place in another country"


@dataclass(frozen=True)
class AliasEntry:
    """One name of one entity, as given by the alias table, with facts of its entity.

    The facts are optional context for judging an occurrence: `country` is the ISO
    3166-1 alpha-2 code of the entity's country (a country's own code, a city's country,
    an organisation's seat); `place_kind` is a place's kind (country, city...); `years`
    are an event's first and last year and `location_id` the entity id of its place.
    """

    entity_id: int
    name: str
    entity_kind: str  # "person" | "organization" | "event" | "place"
    is_short_form: bool  # a bare surname, acronym or short form that may be shared
    country: str = ""
    place_kind: str = ""
    years: tuple[int, int] | None = None
    location_id: int | None = None


@dataclass(frozen=True)
class FoundMention:
    """A span of one document field that names an entity, or could name several.

    `candidate_ids` lists every entity the words could mean. A mention resolved from
    document context keeps all its candidates, so `ambiguous` (not the length of
    `candidate_ids`) tells whether `entity_id` is known. `note` says why an unresolved
    mention was flagged, or why a resolved one must be confirmed by itself.
    """

    entity_id: int | None
    candidate_ids: tuple[int, ...]
    text: str
    start: int
    end: int
    field: str
    note: str = ""

    @property
    def ambiguous(self) -> bool:
        return self.entity_id is None


@dataclass(frozen=True)
class CandidateName:
    """A capitalised name that no known entity matched; `place` when the gazetteer has it."""

    text: str
    start: int
    end: int
    place: GazetteerPlace | None = None


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
    title_case_allowed: bool  # an organisation's acronym in its house style: Nato, Kgb

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
    word_count: int
    # The listed spellings (transliterated, not reduced to a skeleton) of each entity.
    spellings: dict[int, frozenset[str]]


@dataclass(slots=True)
class _Match:
    field: str
    start: int
    end: int
    entity_ids: tuple[int, ...]
    full_name_ids: frozenset[int]
    pattern: _Pattern
    acronym: bool = False  # matched in capitals by an alias in capitals


@dataclass
class _Entity:
    """What the finder knows of one entity beyond its names."""

    kind: str
    country: str = ""
    place_kind: str = ""
    years: tuple[int, int] | None = None
    location_id: int | None = None
    given_keys: set[str] = field(default_factory=set)  # folded first names
    initials: set[str] = field(default_factory=set)
    surname_spellings: set[str] = field(default_factory=set)


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
        title_case_allowed=(
            all_capitals
            and single_word
            and alias.entity_kind == "organization"
            and len(letters) >= 3
            and not is_common_word(name)
        ),
    )


_SPELLINGS: dict[str, str] = {}


def _spelling(text: str) -> str:
    """A name's words transliterated, not reduced to their skeleton: its listed spelling."""
    key = _SPELLINGS.get(text)
    if key is None:
        words = split_words(text)[1::2]
        slavic = any(has_slavic_latin(word) for word in words)
        key = " ".join(transliterate(word, slavic=slavic) for word in words)
        if len(_SPELLINGS) > 200_000:
            _SPELLINGS.clear()
        _SPELLINGS[text] = key
    return key


class MentionFinder:
    """Finds mentions of known entities; build once per alias table, then reuse."""

    def __init__(self, aliases: Iterable[AliasEntry], gazetteer: Gazetteer | None = None) -> None:
        self.gazetteer = gazetteer
        variants_by_pattern: dict[str, dict[_Variant, None]] = {}
        word_counts: dict[str, int] = {}
        spellings: dict[str, dict[int, set[str]]] = {}
        entities: dict[int, _Entity] = {}
        full_names: dict[str, set[int]] = {}
        for alias in aliases:
            folded = fold_with_offsets(alias.name)
            word_count = folded.word_count
            if not word_count:
                continue
            # Inner punctuation stays a hard separator, so "Belarus' Free Theatre" matches
            # the same punctuation in a text; punctuation around the name does not count.
            tokens = folded.folded.strip(" |").split(" ")
            name_words = split_words(alias.name)[1::2]
            if any(has_slavic_latin(word) for word in name_words):
                shared = iter(fold_name_words(name_words))  # one orthography for the name
                tokens = [token if token in ("|", "") else next(shared) or "_" for token in tokens]
            pattern = f" {' '.join(tokens)} "
            variant = _variant(alias, word_count, pattern.strip())
            variants_by_pattern.setdefault(pattern, {})[variant] = None
            word_counts[pattern] = word_count
            spelling = _spelling(alias.name)
            spellings.setdefault(pattern, {}).setdefault(alias.entity_id, set()).add(spelling)
            entity = entities.get(alias.entity_id)
            if entity is None:
                entity = entities[alias.entity_id] = _Entity(
                    kind=alias.entity_kind,
                    country=alias.country,
                    place_kind=alias.place_kind,
                    years=alias.years,
                    location_id=alias.location_id,
                )
            if word_count > 1 and not alias.is_short_form:
                keys = pattern.split()
                entity.given_keys.add(keys[0])
                entity.initials.add(keys[0][:1])
                entity.surname_spellings.add(spelling.rsplit(" ", 1)[-1])
                full_names.setdefault(" ".join(k for k in keys if k != "|"), set()).add(
                    alias.entity_id
                )
        self._entities = entities
        self._full_names = full_names
        self._full_name_keys: list[str] | None = None

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
                word_count=word_count,
                spellings={
                    entity_id: frozenset(names) for entity_id, names in spellings[pattern].items()
                },
            )
            # The value is (word count, pattern), as FoldedText.spans reads hits.
            self._automaton.add_word(pattern, (word_count, entry))
        self.pattern_count = len(variants_by_pattern)
        if self.pattern_count:
            self._automaton.make_automaton()

    def find(self, text: str, field: str = "body") -> list[FoundMention]:
        """Mentions in one text, short forms resolved from that text alone."""
        return self.find_in_document({field: text})

    def find_in_document(
        self, fields: dict[str, str], *, year: int | None = None
    ) -> list[FoundMention]:
        """Mentions in every field of one document, in field order, then by position.

        Each occurrence is judged on its own context (see the module docstring); the
        document's full-name mentions break ties between candidates. `year`, the year the
        document was written, dates "this year" and "last year" for events.
        """
        texts = {name: text for name, text in fields.items() if text}
        matches = [m for name, text in texts.items() for m in self._matches(text, name)]
        if not matches:
            return []
        by_field: dict[str, list[_Match]] = {}
        for m in matches:
            by_field.setdefault(m.field, []).append(m)
        document = _Document(self, texts, by_field, year)

        # Blocked namesakes first: "Lyudmila Tymoshenko" makes every bare "Tymoshenko"
        # of the document a question.
        kept: list[_Match] = []
        blocked: dict[int, int] = {}  # id() of a blocked surname: where its first name starts
        for m in matches:
            if m.pattern.word_count == 1 and all(
                self._entities[e].kind == "person" for e in m.entity_ids
            ):
                conflicting, fitting, given_start = document.given_name_check(m)
                if fitting:
                    document.with_given_name.add(id(m))
                if conflicting:
                    document.namesakes.update(conflicting)
                    remaining = tuple(e for e in m.entity_ids if e not in conflicting)
                    if not remaining:
                        blocked[id(m)] = given_start
                        kept.append(m)
                        continue
                    m.entity_ids = remaining
                    m.full_name_ids = m.full_name_ids & set(remaining)
            kept.append(m)

        found = []
        for m in kept:
            text = texts[m.field]
            if id(m) in blocked:
                # An unknown namesake: the whole name is a candidate, never this entity.
                start = blocked[id(m)]
                found.append(
                    FoundMention(
                        None, (), text[start : m.end], start, m.end, m.field, NOTE_FIRST_NAME
                    )
                )
                continue
            verdict = document.judge(m)
            if verdict is None:
                continue
            entity_id, candidate_ids, note = verdict
            found.append(
                FoundMention(
                    entity_id=entity_id,
                    candidate_ids=candidate_ids,
                    text=text[m.start : m.end],
                    start=m.start,
                    end=m.end,
                    field=m.field,
                    note=note,
                )
            )
        return found

    def similar_entities(self, name: str, *, max_distance: int = 2) -> list[int]:
        """Entities whose full name folds within a small edit distance of `name`.

        For an unknown candidate: "Aleś Bialacki" is probably Ales Bialiatski. Names of
        fewer than eight letters are too short for a distance to mean anything.
        """
        key = normalize(name)
        if len(key.replace(" ", "")) < 8 or " " not in key:
            return []
        if self._full_name_keys is None:
            self._full_name_keys = list(self._full_names)
        hits = process.extract(
            key,
            self._full_name_keys,
            scorer=Levenshtein.distance,
            score_cutoff=max_distance,
            limit=5,
        )
        return sorted({e for choice, _, _ in hits for e in self._full_names[choice]})

    def _matches(self, text: str, field: str) -> list[_Match]:
        """Non-overlapping matches in one text, longest first, returned in text order."""
        if not self.pattern_count:
            return []
        folded = fold_with_offsets(text, self._vocabulary)
        raw: list[_Match] = []
        for start, end, pattern in folded.spans(self._automaton.iter(folded.folded)):
            match = _checked_match(pattern, text, start, end, field)
            if match is not None:
                raw.append(match)
        if not text.isascii() and _SLAVIC_LATIN.search(text):
            raw += self._shared_orthography_matches(text, field)
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

    def _shared_orthography_matches(self, text: str, field: str) -> list[_Match]:
        """Matches in names that mix a Łacinka (or Polish...) word with plain ones.

        The text is folded word by word, so "Bialacki" in "Aleś Bialacki" was read the
        English way; this pass re-reads each such capitalised run in one orthography.
        """
        found = []
        for run in _runs_near_slavic_letters(text):
            if len(run) < 2:
                continue  # one word alone was folded as it is by the first pass
            run_words = [text[start:end] for start, end in run]
            if not any(has_slavic_latin(word) for word in run_words):
                continue
            keys = [key or "_" for key in fold_name_words(run_words)]
            ends, position = [], 0
            for key in keys:
                position += 1 + len(key)
                ends.append(position)
            folded = " " + " ".join(keys) + " "
            for end_index, (word_count, pattern) in self._automaton.iter(folded):
                if end_index not in ends:
                    continue
                last = ends.index(end_index)
                first = last - word_count + 1
                if first < 0:
                    continue
                match = _checked_match(pattern, text, run[first][0], run[last][1], field)
                if match is not None:
                    found.append(match)
        return found


def _checked_match(pattern: _Pattern, text: str, start: int, end: int, field: str) -> _Match | None:
    """The match of `pattern` at text[start:end] if its capitalisation checks pass."""
    if not pattern.is_constrained:
        return _Match(field, start, end, pattern.entity_ids, pattern.full_name_ids, pattern)
    if pattern.needs_initial_capital and text[start].islower():
        return None  # the common rejection: a lowercase word for a capitalised name
    if pattern.capital_only:
        return _Match(field, start, end, pattern.entity_ids, pattern.full_name_ids, pattern)
    accepted, acronym = _accepted(pattern.variants, text, start, end)
    if not accepted:
        return None
    return _Match(
        field,
        start,
        end,
        tuple(sorted({v.entity_id for v in accepted})),
        frozenset(v.entity_id for v in accepted if not v.is_short_form),
        pattern,
        acronym,
    )


def _pattern_words(patterns: Iterable[str]) -> set[str]:
    return {word for pattern in patterns for word in pattern.split() if word != "|"}


def _accepted(
    variants: tuple[_Variant, ...], text: str, start: int, end: int
) -> tuple[list[_Variant], bool]:
    """The variants whose capitalisation and context checks pass for text[start:end], and
    whether an alias in capitals matched text in capitals (an acronym)."""
    surface = text[start:end]
    initial_capital = not surface[:1].islower()
    all_capitals = surface.isupper() or not any(c.isalpha() for c in surface)
    title_case = surface[:1].isupper() and surface[1:].islower()
    accepted = []
    acronym = False
    for variant in variants:
        if variant.needs_initial_capital and not initial_capital:
            continue
        if (
            variant.needs_all_capitals
            and not all_capitals
            and not (variant.title_case_allowed and title_case)
        ):
            continue
        if variant.is_single_letter and not _stands_alone(text, start, end):
            continue
        acronym = acronym or (variant.needs_all_capitals and all_capitals)
        accepted.append(variant)
    return accepted, acronym


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


# --- Judging one occurrence in its context ----------------------------------------------

_SLAVIC_LATIN = re.compile("[ŭłšžčćśźńřěůąężėųįŬŁŠŽČĆŚŹŃŘĚŮĄĘŻĖŲĮ]")
_SENTENCE_END = re.compile(r"[.!?…](?=[\s\"”’)]|$)|\n")
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_RELATIVE_YEAR = re.compile(r"\b(last|this|next) year\b", re.IGNORECASE)
_PREVIOUS_WORD = re.compile(r"([^\W\d_](?:[^\W\d_]|['’\-])*)(\.?)[ \u00a0\u202f]\Z")
_PATRONYMIC = re.compile(r"(?:ovich|evich|avich|ich|ovna|evna|avna|ichna|ivna)\Z")
_OPENERS = " \t\u00a0\"“‘'«([—–-#"
_TITLE_WORDS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "sir",
        "dame",
        "president",
        "minister",
        "premier",
        "chancellor",
        "leader",
        "chairman",
        "chairwoman",
        "chair",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "speaker",
        "senator",
        "governor",
        "mayor",
        "ambassador",
        "envoy",
        "secretary",
        "general",
        "colonel",
        "judge",
        "deputy",
        "mp",
        "candidate",
        "activist",
        "journalist",
        "opposition",
    ]
)
_SPEECH_AFTER = re.compile(
    r"\A(?:'s|’s)?[ \u00a0]+(?:said|says|told|tells|wrote|writes|added|stated|declared|"
    r"announced|argued|warned|insisted|replied|spoke|speaks|met|meets|called)\b"
)


def _runs_near_slavic_letters(text: str) -> list[list[tuple[int, int]]]:
    """The capitalised runs around each word with a Slavic Latin letter, not the text's."""
    runs = []
    window_end = -1
    for letter in _SLAVIC_LATIN.finditer(text):
        if letter.start() < window_end:
            continue
        start = text.rfind(" ", 0, max(0, letter.start() - 80)) + 1
        end = text.find(" ", letter.start() + 80)
        window_end = len(text) if end < 0 else end
        for run in _capitalised_runs(text[start:window_end]):
            runs.append([(a + start, b + start) for a, b in run])
    return runs


def _capitalised_runs(text: str) -> list[list[tuple[int, int]]]:
    """Runs of capitalised words joined by spaces or hyphens, as (start, end) spans."""
    runs: list[list[tuple[int, int]]] = []
    run: list[tuple[int, int]] = []
    position = 0
    pieces = split_words(text)
    for index, piece in enumerate(pieces):
        if index % 2:
            if piece[:1].isupper():
                run.append((position, position + len(piece)))
            elif run:
                runs.append(run)
                run = []
        elif run and not (piece and set(piece) <= set(" \u00a0\u202f" + DASHES)):
            runs.append(run)
            run = []
        position += len(piece)
    if run:
        runs.append(run)
    return runs


class _Document:
    """The matches of one document and the context questions asked of them."""

    def __init__(
        self,
        finder: MentionFinder,
        texts: dict[str, str],
        by_field: dict[str, list[_Match]],
        year: int | None,
    ) -> None:
        self.finder = finder
        self.entities = finder._entities
        self.texts = texts
        self.by_field = by_field
        self.year = year
        self.namesakes: set[int] = set()
        self.with_given_name: set[int] = set()  # id() of surnames after a fitting first name
        self._exact: dict[int, frozenset[int]] = {}
        self._weak: dict[int, bool] = {}
        matches = [m for field_matches in by_field.values() for m in field_matches]
        # Entities named by a listed full name: the document's tie-breaker.
        self.named = {
            m.entity_ids[0]
            for m in matches
            if len(m.entity_ids) == 1 and m.full_name_ids and self.exact_ids(m)
        }
        self._matches = matches

    @cached_property
    def supported(self) -> set[int]:
        """Entities named somewhere in plain text by a listed spelling: evidence for a
        doubtful occurrence of the same entity elsewhere (computed only when asked)."""
        return {
            m.entity_ids[0]
            for m in self._matches
            if len(m.entity_ids) == 1 and self.exact_ids(m) and not self.weak_position(m)
        }

    # -- the verdict ---------------------------------------------------------------------

    def judge(self, m: _Match) -> tuple[int | None, tuple[int, ...], str] | None:
        """(entity id or None, candidate ids, note) for an occurrence, or None to drop it."""
        ids = m.entity_ids
        if len(ids) > 1:
            codes = self.countries_near(m)
            local = [e for e in ids if self.entities[e].country in codes]
            if len(local) == 1:
                return local[0], ids, ""
            named = self.named.intersection(local or ids)
            return (named.pop(), ids, "") if len(named) == 1 else (None, ids, "")
        (entity_id,) = ids
        entity = self.entities[entity_id]
        text = self.texts[m.field]
        surface = text[m.start : m.end]
        single_word = m.pattern.word_count == 1

        def flag_or_drop(note: str):
            return (None, ids, note) if entity_id in self.supported else None

        if m.acronym and is_common_word(surface) and self.in_capitals(m):
            return flag_or_drop(NOTE_CAPITALS)  # LET US GO
        if (
            single_word
            and not m.acronym
            and entity.place_kind != "country"
            and is_common_word(surface)
            and self.weak_position(m)
        ):
            return flag_or_drop(NOTE_CAPITALS)  # Memorial services were held
        note = ""
        if entity_id in self.namesakes and single_word and id(m) not in self.with_given_name:
            if entity_id not in self.named:
                return None, ids, NOTE_NAMESAKE
            note = NOTE_NAMESAKE  # named in full too: likely, but the editor confirms it
        if entity_id not in self.exact_ids(m):
            if not single_word or self.kind_agrees(m, entity):
                note = note or NOTE_SPELLING
            elif self.adjective_compound(m):
                return None  # Sikorsky-built helicopters
            else:
                return None, ids, NOTE_SPELLING
        if (
            entity.kind == "organization"
            and single_word
            and entity.country
            and (m.acronym or is_common_word(surface))
        ):
            codes = self.countries_near(m)
            if codes and entity.country not in codes:
                return None, ids, NOTE_OTHER_COUNTRY
        if entity.kind == "event":
            contradiction = self.event_contradiction(m, entity)
            if contradiction:
                return None, ids, contradiction
        if entity.kind == "place" and entity.country:
            before = self.place_before(m)
            if before and before != entity.country:
                return None, ids, NOTE_PLACE_PAIR
        return entity_id, ids, note

    # -- facts about one occurrence ------------------------------------------------------

    def exact_ids(self, m: _Match) -> frozenset[int]:
        """The candidates of whom the matched words are a listed spelling."""
        exact = self._exact.get(id(m))
        if exact is None:
            spelling = _spelling(self.texts[m.field][m.start : m.end])
            exact = frozenset(
                e
                for e in m.entity_ids
                if spelling in m.pattern.spellings.get(e, ())
                or (m.pattern.word_count == 1 and spelling in self.entities[e].surname_spellings)
            )
            self._exact[id(m)] = exact
        return exact

    def sentence(self, m: _Match) -> tuple[int, int]:
        text = self.texts[m.field]
        # At most 400 characters each side: the context of one occurrence, never the text.
        start = max(0, m.start - 400)
        for boundary in _SENTENCE_END.finditer(text, start, m.start):
            start = boundary.end()
        end = min(len(text), m.end + 400)
        after = _SENTENCE_END.search(text, m.end, end)
        return start, after.start() if after else end

    def weak_position(self, m: _Match) -> bool:
        """Where a capital proves nothing: a sentence's first word, a title-case heading,
        text in capitals."""
        weak = self._weak.get(id(m))
        if weak is None:
            weak = self.sentence_initial(m) or self.in_title(m) or self.in_capitals(m)
            self._weak[id(m)] = weak
        return weak

    def sentence_initial(self, m: _Match) -> bool:
        text = self.texts[m.field]
        before = text[max(0, m.start - 40) : m.start].rstrip(_OPENERS)
        return not before or before[-1] in ".!?:…\n"

    def _line_words(self, m: _Match) -> list[str]:
        """The other words of a short line (a heading); none for a line of running text."""
        text = self.texts[m.field]
        line_start = text.rfind("\n", max(0, m.start - 160), m.start) + 1
        line_end = text.find("\n", m.end, m.end + 160)
        if line_end < 0:
            line_end = len(text)
        if (line_start == 0 and m.start > 160) or line_end - line_start > 160:
            return []
        rest = text[line_start : m.start] + " " + text[m.end : line_end]
        return [w for w in split_words(rest)[1::2] if any(c.isalpha() for c in w)]

    def in_capitals(self, m: _Match) -> bool:
        """The words next to it in its sentence are in capitals too (LET US GO)."""
        text = self.texts[m.field]
        start, end = self.sentence(m)
        start, end = max(start, m.start - 40), min(end, m.end + 40)
        before = [w for w in split_words(text[start : m.start])[1::2] if len(w) > 1][-1:]
        after = [w for w in split_words(text[m.end : end])[1::2] if len(w) > 1][:1]
        others = before + after
        return bool(others) and all(w.isupper() for w in others)

    def in_title(self, m: _Match) -> bool:
        others = [w for w in self._line_words(m) if len(w) > 3]
        if len(others) < 2 or len(others) > 14:
            return False
        return sum(w[0].isupper() for w in others) >= 0.75 * len(others)

    def kind_agrees(self, m: _Match, entity: _Entity) -> bool:
        """Evidence beyond a similar spelling that the word names this entity."""
        text = self.texts[m.field]
        if entity.kind == "person":
            before = text[max(0, m.start - 40) : m.start].split()
            if before and before[-1].strip(".,").casefold() in _TITLE_WORDS:
                return True
            if _SPEECH_AFTER.match(text, m.end):
                return True
        entity_id = m.entity_ids[0]
        return entity_id in self.supported and not self.adjective_compound(m)

    def adjective_compound(self, m: _Match) -> bool:
        """Joined by a hyphen to a lowercase word: Sikorsky-built, Memorial-style."""
        text = self.texts[m.field]
        return m.end < len(text) - 1 and text[m.end] in DASHES and text[m.end + 1].islower()

    def given_name_check(self, m: _Match) -> tuple[set[int], bool, int]:
        """The candidates whose known first names all differ from the first name (or
        initial) before the surname, whether one fits a candidate, and where that first
        name starts."""
        text = self.texts[m.field]
        position = m.start
        for _ in range(2):  # a patronymic may stand between: Alexander Grigoryevich X
            hit = _PREVIOUS_WORD.search(text, max(0, position - 60), position)
            if hit is None:
                return set(), False, m.start
            word, dot = hit.group(1), hit.group(2)
            if self._covered(m.field, hit.start(1), hit.end(1)):
                return set(), False, m.start
            if len(word) > 1 and _PATRONYMIC.search(transliterate(word)):
                position = hit.start(1)
                continue
            break
        else:
            return set(), False, m.start
        initial = len(word) == 1 and dot == "." and word.isupper()
        if not initial and (
            dot
            or not word[:1].isupper()
            or word.isupper()
            or word in _NOT_NAME_WORDS
            or word.casefold() in _TITLE_WORDS
            or is_common_word(word)
            or self._is_place(word)
        ):
            return set(), False, m.start
        key = fold_name_words([word])[0]
        conflicting = set()
        for entity_id in m.entity_ids:
            entity = self.entities[entity_id]
            if not entity.given_keys:
                return set(), False, m.start  # no first name known: nothing to conflict with
            if initial:
                if key[:1] not in entity.initials:
                    conflicting.add(entity_id)
            elif key not in entity.given_keys:
                conflicting.add(entity_id)
        return conflicting, len(conflicting) < len(m.entity_ids), hit.start(1)

    def _covered(self, field_name: str, start: int, end: int) -> bool:
        return any(o.start < end and start < o.end for o in self.by_field.get(field_name, ()))

    def _is_place(self, word: str) -> bool:
        gazetteer = self.finder.gazetteer
        return gazetteer is not None and gazetteer.lookup(word) is not None

    def countries_near(self, m: _Match) -> set[str]:
        """ISO codes of the countries the occurrence's sentence speaks of (itself aside):
        places and organisations matched in it, demonyms, and gazetteer places."""
        start, end = self.sentence(m)
        codes = set()
        for other in self.by_field.get(m.field, ()):
            if other is m or other.end <= start or other.start >= end:
                continue
            if len(other.entity_ids) == 1:
                entity = self.entities[other.entity_ids[0]]
                if entity.kind in ("place", "organization"):
                    codes.add(entity.country)
        text = self.texts[m.field]
        for _word, place in self.unknown_places(m.field, text, start, end):
            codes.add(place.country)
        for word in split_words(text[start:end])[1::2]:
            code = DEMONYMS.get(word)
            if code:
                codes.add(code)
        codes.discard("")
        return codes

    def unknown_places(
        self, field_name: str, text: str, start: int, end: int
    ) -> list[tuple[str, GazetteerPlace]]:
        """Capitalised words of text[start:end] that no entity matched and the gazetteer
        knows (common English words and titles aside)."""
        gazetteer = self.finder.gazetteer
        if gazetteer is None:
            return []
        places = []
        position = start
        pieces = split_words(text[start:end])
        for index, piece in enumerate(pieces):
            if (
                index % 2
                and piece[:1].isupper()
                and not piece.isupper()
                and piece not in _NOT_NAME_WORDS
                and piece not in DEMONYMS
                and not is_common_word(piece)
                and not self._covered(field_name, position, position + len(piece))
            ):
                place = gazetteer.lookup(piece)
                if place is not None:
                    places.append((piece, place))
            position += len(piece)
        return places

    def event_contradiction(self, m: _Match, entity: _Entity) -> str:
        """Another year or another city right around the event's name.

        The window is its clause: 40 characters before and 60 after, within the sentence
        and not past another event's name, so "the ceremony in Aachen in May 2023 and the
        summit in Copenhagen in October 2025" dates and places each event by its own words.
        Places count only after the name ("the summit in Budapest").
        """
        text = self.texts[m.field]
        sentence_start, sentence_end = self.sentence(m)
        start, end = max(sentence_start, m.start - 40), min(sentence_end, m.end + 60)
        events = []
        for other in self.by_field.get(m.field, ()):
            if other is m or len(other.entity_ids) != 1:
                continue
            if self.entities[other.entity_ids[0]].kind == "event":
                events.append(other)
                if other.end <= m.start:
                    start = max(start, other.end)
                elif other.start >= m.end:
                    end = min(end, other.start)
        if entity.years is not None:
            window = text[start:end]
            years = {int(y) for y in _YEAR.findall(window)}
            if self.year is not None:
                for relative in _RELATIVE_YEAR.findall(window):
                    years.add(self.year + {"last": -1, "this": 0, "next": 1}[relative.lower()])
            first, last = entity.years
            if years and not any(first <= y <= last for y in years):
                return NOTE_EVENT_DATE
        for other in self.by_field.get(m.field, ()):
            if other.start < m.end or other.start >= end or len(other.entity_ids) != 1:
                continue
            if other.entity_ids[0] == entity.location_id:
                continue
            place = self.entities[other.entity_ids[0]]
            if place.kind == "place" and place.place_kind in {"city", "venue"}:
                return NOTE_EVENT_PLACE
        if any(not p.is_country for _, p in self.unknown_places(m.field, text, m.end, end)):
            return NOTE_EVENT_PLACE
        return ""

    def place_before(self, m: _Match) -> str:
        """The country of a place written just before this one and a comma: "Atlanta, "."""
        text = self.texts[m.field]
        before = text[max(0, m.start - 60) : m.start]
        if not before.endswith(", "):
            return ""
        for other in self.by_field.get(m.field, ()):
            if other.end == m.start - 2 and len(other.entity_ids) == 1:
                entity = self.entities[other.entity_ids[0]]
                return entity.country if entity.kind == "place" else ""
        hit = _PREVIOUS_WORD.search(before[:-2] + " ")
        if hit is None or hit.group(2) or is_common_word(hit.group(1)):
            return ""
        gazetteer = self.finder.gazetteer
        place = gazetteer.lookup(hit.group(1)) if gazetteer is not None else None
        return place.country if place is not None and not place.is_country else ""


# --- Names that no entity matched -------------------------------------------------------

# A capitalisable word, hyphenated compounds included, without a possessive 's.
_NAME_WORD = re.compile(
    rf"[^\W\d_](?:[^\W_]|[{INVISIBLE}])*(?:['’\-](?![sS]\b)[^\W\d_](?:[^\W_]|[{INVISIBLE}])*)*"
)
# Words of one name are one space apart, or a no-break space.
_NAME_GAPS = frozenset([" ", "\u00a0", "\u202f"])
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


def find_candidate_names(
    text: str, known_spans: list[tuple[int, int]], gazetteer: Gazetteer | None = None
) -> list[CandidateName]:
    """Capitalised names that overlap no known span: people's names, and places.

    A name is a run of capitalised words separated by single spaces (lowercase particles
    such as "von der" allowed inside). Titles, demonyms, months, weekdays and
    sentence-opening words are not name words, so "US envoy Keith Kellogg" yields
    "Keith Kellogg" and a capitalised word alone at the start of a sentence yields
    nothing. Words overlapping a known span (an entity mention) are left out.

    With a `gazetteer`, a run that is a gazetteer city or country, one word included
    ("in Hrodna", "New York"), is a candidate with its `place`; a one-word run that is a
    common English word opening a sentence is not ("Split votes" is no city; "in Berlin"
    is one, though a berlin is also a carriage).
    """
    words = _words_outside(_NAME_WORD.finditer(text), known_spans)
    candidates: list[CandidateName] = []
    run: list[re.Match[str]] = []
    previous: re.Match[str] | None = None
    run_before: re.Match[str] | None = None  # the word before the run

    def close(run: list[re.Match[str]], before: re.Match[str] | None) -> None:
        candidates.extend(_candidate_from_run(text, run, before, gazetteer))

    for match in words:
        word = match.group()
        if run and text[run[-1].end() : match.start()] not in _NAME_GAPS:
            close(run, run_before)
            run = []
        if _is_name_word(word) or (run and word in _PARTICLES):
            if not run:
                run_before = previous
            run.append(match)
        else:
            close(run, run_before if run else None)
            run = []
        previous = match
    if run:
        close(run, run_before)
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


def _opens_sentence(text: str, position: int) -> bool:
    before = text[max(0, position - 40) : position].rstrip(_OPENERS)
    return not before or before[-1] in ".!?:…\n"


def _candidate_from_run(
    text: str,
    run: list[re.Match[str]],
    before: re.Match[str] | None,
    gazetteer: Gazetteer | None,
) -> list[CandidateName]:
    while run and run[-1].group() in _PARTICLES:
        run = run[:-1]
    if not run:
        return []
    start, end = run[0].start(), run[-1].end()
    place = None
    if gazetteer is not None:
        # "New York": a title word before the run may begin a place's name.
        if (
            before is not None
            and before.group()[:1].isupper()
            and text[before.end() : start] in _NAME_GAPS
            and (place := gazetteer.lookup(text[before.start() : end])) is not None
        ):
            start = before.start()
        elif len(run) > 1 or not (is_common_word(run[0].group()) and _opens_sentence(text, start)):
            place = gazetteer.lookup(text[start:end])
    if len(run) < 2 and place is None:
        return []
    return [CandidateName(text=text[start:end], start=start, end=end, place=place)]


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
