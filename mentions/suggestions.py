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
from entities.models import Alias, AliasKind, Entity
from mentions.finder import AliasEntry, FoundMention, MentionFinder, find_candidate_names
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


def alias_entries() -> list[AliasEntry]:
    """Every name and alias of every active (not merged) entity, for the finder."""
    entries = [
        AliasEntry(entity_id=pk, name=name, entity_kind=kind, is_short_form=False)
        for pk, name, kind in Entity.objects.active().values_list("pk", "name", "kind")
    ]
    entries += [
        AliasEntry(
            entity_id=entity_id,
            name=name,
            entity_kind=entity_kind,
            is_short_form=kind in SHORT_FORM_KINDS,
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
            _cache["finder"] = MentionFinder(alias_entries())
            _cache["version"] = version
        return _cache["finder"]  # type: ignore[return-value]


def article_document(article: Article) -> dict[str, str]:
    return {name: getattr(article, name) or "" for name in ARTICLE_FIELDS}


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
    found = finder.find_in_document(document)
    first: dict[int, FoundMention] = {}
    ambiguous: list[FoundMention] = []
    for mention in found:
        if mention.entity_id is None:
            ambiguous.append(mention)
        else:
            first.setdefault(mention.entity_id, mention)
    for mention in nested_mentions(finder, found):
        first.setdefault(mention.entity_id, mention)

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
            to_update, ["field", "span_start", "span_end", "matched_text", "text_missing"]
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
        )
        for entity_id, hit in first.items()
        if entity_id not in existing
    ]
    # A concurrent refresh of the same article may have added some: theirs stand.
    Mention.objects.bulk_create(new, ignore_conflicts=True)
    result.suggested = [m.entity_id for m in new]
    _record_candidates(article, document, found, ambiguous, result)
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
        if outer.entity_id is None:
            continue
        words = list(_WORD.finditer(outer.text))
        if len(words) < 2:
            continue
        pieces = {(0, words[i].end()) for i in range(len(words) - 1)}
        pieces |= {(words[i].start(), len(outer.text)) for i in range(1, len(words))}
        for start, end in sorted(pieces):
            for inner in finder.find(outer.text[start:end], outer.field):
                if inner.entity_id is None or inner.entity_id == outer.entity_id:
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


def _record_candidates(article, document, found, ambiguous, result) -> None:
    """Ambiguous short forms and unknown capitalised names, each once per spelling."""
    wanted: dict[tuple[str, str], tuple] = {}
    for hit in ambiguous:
        key = (CandidateKind.AMBIGUOUS, normalize(hit.text[:200])[:200])
        wanted.setdefault(key, (hit.text, hit.field, hit.start, hit.end, hit.candidate_ids))
    for name, text in document.items():
        known = [(m.start, m.end) for m in found if m.field == name]
        for candidate in find_candidate_names(text, known):
            key = (CandidateKind.UNKNOWN, normalize(candidate.text[:200])[:200])
            wanted.setdefault(key, (candidate.text, name, candidate.start, candidate.end, ()))
    existing = {(c.kind, c.normalized): c for c in MentionCandidate.objects.filter(article=article)}
    gone = [
        c.pk for key, c in existing.items() if c.state == CandidateState.OPEN and key not in wanted
    ]
    if gone:
        MentionCandidate.objects.filter(pk__in=gone).delete()
    for key, (text, name, start, end, candidate_ids) in wanted.items():
        if key in existing:
            continue
        candidate, created = MentionCandidate.objects.get_or_create(
            article=article,
            kind=key[0],
            normalized=key[1],
            defaults={"text": text[:200], "field": name, "span_start": start, "span_end": end},
        )
        if not created:
            continue
        if candidate_ids:
            candidate.candidates.set(candidate_ids)
        result.candidates.append(text)


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
