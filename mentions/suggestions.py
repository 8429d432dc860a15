"""Mention suggestions: the ORM side of the mention finder.

The finder (mentions.finder) is pure and is built from the alias table once per version of
that table, then cached in the process. The version is the "aliases" token of
core.versions, which triggers on the entity and alias tables move with every write.

`article_suggestions_refresh` runs the finder over an article and records what it found:
new Mention rows in state "suggested" (never one for an entity the article already has a
mention of, whatever its state, so a rejected suggestion stays rejected and a confirmed
one is never downgraded), the `text_missing` flag on confirmed mentions whose text left
the article, and MentionCandidate rows for ambiguous short forms and unknown names.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field

from django.db import transaction

from articles.models import Article, Mention, MentionState
from core import versions
from core.text import normalize
from entities.models import Alias, AliasKind, Entity, EntityKind, PlaceKind
from mentions.finder import AliasEntry, FoundMention, MentionFinder, find_candidate_names
from mentions.gazetteer import Gazetteer
from mentions.models import CandidateKind, CandidateState, MentionCandidate

# Alias kinds that make a short form: matched alone only when not ambiguous.
SHORT_FORM_KINDS = frozenset({AliasKind.SHORT})
ARTICLE_FIELDS = ("headline", "standfirst", "body")

_lock = threading.Lock()
_cache: dict[str, object] = {"version": None, "finder": None}


def alias_table_version() -> str | None:
    """The "aliases" version token (core.versions): database triggers on the entity and
    alias tables move it with every write to them, whatever the write path."""
    return versions.current(versions.ALIASES)


def entity_facts() -> dict[int, dict]:
    """What the finder may know of each active entity beyond its names: its country's ISO
    code, a place's kind, an event's years and place (see mentions.finder.AliasEntry)."""
    rows = {
        row["pk"]: row
        for row in Entity.objects.active().values(
            "pk",
            "kind",
            "name",
            "place_kind",
            "parent_id",
            "country_id",
            "location_id",
            "start",
            "end",
            "geonames_id",
        )
    }
    gazetteer = Gazetteer.default()
    codes: dict[int, str] = {}

    def code_of(pk: int | None, depth: int = 0) -> str:
        row = rows.get(pk)
        if row is None or depth > 5:
            return ""
        if pk in codes:
            return codes[pk]
        code = ""
        if row["kind"] == EntityKind.PLACE:
            place = gazetteer.lookup(row["name"])
            if row["place_kind"] == PlaceKind.COUNTRY:
                code = place.country if place is not None and place.is_country else ""
            else:
                code = code_of(row["parent_id"], depth + 1) or (place.country if place else "")
        elif row["kind"] == EntityKind.ORGANIZATION:
            code = code_of(row["country_id"], depth + 1)
        elif row["kind"] == EntityKind.EVENT:
            code = code_of(row["location_id"], depth + 1)
        codes[pk] = code
        return code

    facts = {}
    for pk, row in rows.items():
        start, end = row["start"], row["end"] or row["start"]
        facts[pk] = {
            "country": code_of(pk),
            "place_kind": row["place_kind"],
            "years": (start.year, end.year) if start else None,
            "location_id": row["location_id"],
        }
    return facts


def alias_entries() -> list[AliasEntry]:
    """Every name and alias of every active (not merged) entity, for the finder."""
    facts = entity_facts()
    entries = [
        AliasEntry(entity_id=pk, name=name, entity_kind=kind, is_short_form=False, **facts[pk])
        for pk, name, kind in Entity.objects.active().values_list("pk", "name", "kind")
    ]
    entries += [
        AliasEntry(
            entity_id=entity_id,
            name=name,
            entity_kind=entity_kind,
            is_short_form=kind in SHORT_FORM_KINDS,
            **facts[entity_id],
        )
        for entity_id, name, entity_kind, kind in Alias.objects.filter(
            entity__merged_into__isnull=True
        ).values_list("entity_id", "name", "entity__kind", "kind")
    ]
    return entries


def current_finder() -> MentionFinder:
    """The finder for the current alias table, built at most once per table version."""
    version = alias_table_version()
    with _lock:
        if _cache["version"] != version or _cache["finder"] is None:
            _cache["finder"] = MentionFinder(alias_entries(), Gazetteer.default())
            _cache["version"] = version
        return _cache["finder"]  # type: ignore[return-value]


def article_document(article: Article) -> dict[str, str]:
    return {name: getattr(article, name) or "" for name in ARTICLE_FIELDS}


def article_year(article: Article) -> int | None:
    """The year the article speaks from, for "this year" and "last year"."""
    when = article.first_published_at or article.publish_at or article.created_at
    return when.year if when else None


def occurrence(hit) -> dict:
    """One place a name occurs, as stored and shown: field, span and text."""
    return {"field": hit.field, "span": [hit.start, hit.end], "text": hit.text[:200]}


@dataclass
class SuggestionsResult:
    suggested: list[int] = field(default_factory=list)  # entity ids of new suggestions
    removed: int = 0  # stale suggestions whose text left the article
    flagged: int = 0  # confirmed mentions newly flagged text_missing
    candidates: list[str] = field(default_factory=list)  # texts of new candidates

    @property
    def changed(self) -> bool:
        return bool(self.suggested or self.removed or self.flagged or self.candidates)


def _text_still_there(mention: Mention, document: dict[str, str]) -> tuple[str, int] | None:
    """Where a mention's matched text is now: (field, start), or None when gone."""
    text = mention.matched_text
    source = document.get(mention.field, "")
    if mention.span_start is not None and source[mention.span_start : mention.span_end] == text:
        return mention.field, mention.span_start
    for name in [mention.field, *ARTICLE_FIELDS]:
        position = document.get(name, "").find(text)
        if position >= 0:
            return name, position
    return None


@transaction.atomic
def article_suggestions_refresh(
    *, article: Article, finder: MentionFinder | None = None
) -> SuggestionsResult:
    """Run the finder over an article and record new suggestions and candidates.

    Idempotent: a second run on an unchanged article changes nothing. `finder` defaults
    to the current one (a batch passes the one it looked up once).
    """
    result = SuggestionsResult()
    document = article_document(article)
    finder = finder or current_finder()
    found = finder.find_in_document(document, year=article_year(article))
    first: dict[int, FoundMention] = {}
    occurrences: dict[int, list[dict]] = {}
    sure: set[int] = set()  # entities with at least one occurrence without a note
    ambiguous: list[FoundMention] = []
    for mention in [*found, *nested_mentions(finder, found)]:
        if mention.entity_id is None:
            ambiguous.append(mention)
            continue
        first.setdefault(mention.entity_id, mention)
        occurrences.setdefault(mention.entity_id, []).append(occurrence(mention))
        if not mention.note:
            sure.add(mention.entity_id)

    def note_of(entity_id: int) -> str:
        return "" if entity_id in sure else first[entity_id].note[:120]

    existing = {m.entity_id: m for m in Mention.objects.filter(article=article)}
    to_update: list[Mention] = []
    stale: list[int] = []
    for entity_id, mention in existing.items():
        hit = first.get(entity_id)
        if mention.state == MentionState.SUGGESTED and mention.field and hit is None:
            stale.append(mention.pk)
            continue
        if mention.state != MentionState.CONFIRMED or not mention.matched_text:
            if hit is not None and mention.state == MentionState.SUGGESTED:
                _move_to(mention, hit.field, hit.start, hit.end, hit.text, to_update)
                found_at, note = occurrences[entity_id], note_of(entity_id)
                if (mention.occurrences, mention.note) != (found_at, note):
                    mention.occurrences, mention.note = found_at, note
                    if mention not in to_update:
                        to_update.append(mention)
            continue
        # Confirmed: keep its span on the text it names; flag it when that text is gone.
        where = _text_still_there(mention, document)
        if where is not None:
            name, start = where
            _move_to(mention, name, start, start + len(mention.matched_text), None, to_update)
            missing = False
        elif hit is not None:
            _move_to(mention, hit.field, hit.start, hit.end, hit.text, to_update)
            missing = False
        else:
            missing = True
        if mention.text_missing != missing:
            mention.text_missing = missing
            result.flagged += missing
            if mention not in to_update:
                to_update.append(mention)
    if stale:
        result.removed = Mention.objects.filter(pk__in=stale).delete()[0]
    if to_update:
        Mention.objects.bulk_update(
            to_update,
            [
                "field",
                "span_start",
                "span_end",
                "matched_text",
                "text_missing",
                "occurrences",
                "note",
            ],
        )
    new = [
        Mention(
            article=article,
            entity_id=entity_id,
            state=MentionState.SUGGESTED,
            matched_text=hit.text[:200],
            field=hit.field,
            span_start=hit.start,
            span_end=hit.end,
            note=note_of(entity_id),
            occurrences=occurrences[entity_id],
        )
        for entity_id, hit in first.items()
        if entity_id not in existing
    ]
    # A concurrent refresh of the same article may have added some: theirs stand.
    Mention.objects.bulk_create(new, ignore_conflicts=True)
    result.suggested = [m.entity_id for m in new]
    _record_candidates(article, document, found, ambiguous, result, finder)
    return result


_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def nested_mentions(finder: MentionFinder, found: list[FoundMention]) -> list[FoundMention]:
    """Other entities named inside a longer match, e.g. the organization in its summit.

    The finder keeps only the longest match ("European Political Community Summit"), but
    the name inside it ("European Political Community") is a mention too, as curated
    articles record. Each prefix and suffix of whole words of a multi-word match is run
    through the finder on its own; nested short forms that stay ambiguous are left out.
    """
    nested = []
    for outer in found:
        if not outer.candidate_ids:
            continue  # a flagged event still names the organisation inside it
        words = list(_WORD.finditer(outer.text))
        if len(words) < 2:
            continue
        pieces = {(0, words[i].end()) for i in range(len(words) - 1)}
        pieces |= {(words[i].start(), len(outer.text)) for i in range(1, len(words))}
        for start, end in sorted(pieces):
            for inner in finder.find(outer.text[start:end], outer.field):
                if inner.entity_id is None or inner.entity_id in outer.candidate_ids:
                    continue
                nested.append(
                    FoundMention(
                        entity_id=inner.entity_id,
                        candidate_ids=inner.candidate_ids,
                        text=inner.text,
                        start=outer.start + start + inner.start,
                        end=outer.start + start + inner.end,
                        field=outer.field,
                    )
                )
    return nested


def _move_to(mention, name, start, end, text, to_update) -> None:
    values = (name, start, end, mention.matched_text if text is None else text[:200])
    current = (mention.field, mention.span_start, mention.span_end, mention.matched_text)
    if values != current:
        mention.field, mention.span_start, mention.span_end, mention.matched_text = values
        to_update.append(mention)


def _record_candidates(article, document, found, ambiguous, result, finder) -> None:
    """Flagged and ambiguous names, and unknown capitalised names, each once per spelling
    with every place it occurs.

    A flagged name lists the entities it may stand for and why it was not linked; a name
    blocked by a conflicting first name, and a name no entity has, are unknown names, with
    the known entities they are probably a spelling of, or the gazetteer place they are.
    """
    wanted: dict[tuple[str, str], dict] = {}

    def want(kind, hit_text, name, start, end, **values) -> None:
        key = (kind, normalize(hit_text[:200])[:200])
        entry = wanted.setdefault(
            key,
            {"text": hit_text, "field": name, "start": start, "end": end, "occurrences": []},
        )
        for attribute, value in values.items():
            entry.setdefault(attribute, value)
        entry["occurrences"].append({"field": name, "span": [start, end], "text": hit_text[:200]})

    for hit in ambiguous:
        kind = CandidateKind.AMBIGUOUS if hit.candidate_ids else CandidateKind.UNKNOWN
        want(
            kind,
            hit.text,
            hit.field,
            hit.start,
            hit.end,
            candidate_ids=hit.candidate_ids,
            note=hit.note,
        )
    for name, text in document.items():
        known = [(m.start, m.end) for m in found if m.field == name]
        for candidate in find_candidate_names(text, known, finder.gazetteer):
            place = candidate.place
            want(
                CandidateKind.UNKNOWN,
                candidate.text,
                name,
                candidate.start,
                candidate.end,
                place=place,
            )
    existing = {(c.kind, c.normalized): c for c in MentionCandidate.objects.filter(article=article)}
    gone = [
        c.pk for key, c in existing.items() if c.state == CandidateState.OPEN and key not in wanted
    ]
    if gone:
        MentionCandidate.objects.filter(pk__in=gone).delete()
    for key, entry in wanted.items():
        current = existing.get(key)
        if current is not None:
            if current.state == CandidateState.OPEN and current.occurrences != entry["occurrences"]:
                current.occurrences = entry["occurrences"]
                current.save(update_fields=["occurrences"])
            continue
        place = entry.get("place")
        defaults = {
            "text": entry["text"][:200],
            "field": entry["field"],
            "span_start": entry["start"],
            "span_end": entry["end"],
            "note": (entry.get("note") or "")[:120],
            "occurrences": entry["occurrences"],
        }
        if place is not None:
            defaults.update(
                entity_kind=EntityKind.PLACE,
                geonames_id=place.geonames_id,
                country_code=place.country,
                latitude=None if place.latitude is None else round(place.latitude, 6),
                longitude=None if place.longitude is None else round(place.longitude, 6),
            )
        candidate, created = MentionCandidate.objects.get_or_create(
            article=article, kind=key[0], normalized=key[1], defaults=defaults
        )
        if not created:
            continue
        candidate_ids = entry.get("candidate_ids") or ()
        if not candidate_ids and key[0] == CandidateKind.UNKNOWN and place is None:
            candidate_ids = finder.similar_entities(entry["text"])  # "probably X"
        if candidate_ids:
            candidate.candidates.set(candidate_ids)
        result.candidates.append(entry["text"])


def suggestions_rebuild_all(*, batch_size: int = 100, progress=None) -> int:
    """Refresh suggestions of every article, in batches; returns how many were done.

    Confirmed and rejected mentions are kept as they are, so running it twice, or over
    the curated fixtures, neither duplicates nor downgrades anything.
    """
    done = 0
    last_pk = 0
    while True:
        batch = list(Article.objects.filter(pk__gt=last_pk).order_by("pk")[:batch_size])
        if not batch:
            return done
        with transaction.atomic():  # one commit per batch, not per article
            finder = current_finder()  # the alias table's version is read once per batch
            for article in batch:
                article_suggestions_refresh(article=article, finder=finder)
        done += len(batch)
        last_pk = batch[-1].pk
        if progress is not None:
            progress(len(batch))


def article_publish_warnings(article: Article) -> list[str]:
    """What an editor should hear before publishing: a check, never a silent pass.

    Confirmed links to entities without a description (readers see that sentence beside
    every mention), open ambiguous short forms, and pending suggestions.
    """
    warnings = []
    undescribed = list(
        Entity.objects.filter(
            mentions__article=article,
            mentions__state=MentionState.CONFIRMED,
            description="",
        )
        .order_by("name")
        .values_list("name", flat=True)
    )
    if undescribed:
        warnings.append("Linked entities without a description: " + ", ".join(undescribed) + ".")
    ambiguous = list(
        MentionCandidate.objects.filter(
            article=article, kind=CandidateKind.AMBIGUOUS, state=CandidateState.OPEN
        ).values_list("text", flat=True)
    )
    if ambiguous:
        warnings.append(
            "Unresolved ambiguous names (which entity do they mean?): "
            + ", ".join(f"“{text}”" for text in ambiguous)
            + "."
        )
    pending = Mention.objects.filter(article=article, state=MentionState.SUGGESTED).count()
    if pending:
        warnings.append(f"{pending} mention suggestion(s) not yet confirmed or rejected.")
    return warnings
