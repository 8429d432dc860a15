"""Writes that touch entities: derived data, suggestions, merges, imports."""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from articles import services as article_services
from articles.importing import ArticleImportError, parse_ninjs, parse_plain_text
from articles.models import Article, Mention, MentionState, Quote

from .audit import audit_record
from .finder import suggest_quotes
from .models import (
    Alias,
    AliasKind,
    CandidateState,
    Entity,
    EntityKind,
    MentionCandidate,
    Participation,
    Relation,
    Role,
)
from .search import search_key
from .suggestions import article_suggestions_refresh, current_finder
from .text import normalize


@transaction.atomic
def entity_derived_data_rebuild() -> None:
    """Recompute derived columns: alias normal forms, name search keys, event periods.

    Fixtures are loaded raw (no save() logic), so loading ends by calling this.
    """
    aliases = list(Alias.objects.all())
    for alias in aliases:
        alias.normalized = normalize(alias.name)
        alias.search_key = search_key(alias.name)
    Alias.objects.bulk_update(aliases, ["normalized", "search_key"], batch_size=500)
    entities = list(Entity.objects.all())
    for entity in entities:
        entity.refresh_derived_fields()
    Entity.objects.bulk_update(
        entities, ["search_key", "period_start", "period_end"], batch_size=500
    )


# --- Mention suggestions: the editor's decisions ---------------------------------------


def _decide(mention: Mention, state: str, actor) -> Mention:
    mention.state = state
    mention.decided_by = actor
    mention.decided_at = timezone.now()
    mention.full_clean()
    mention.save(update_fields=["state", "decided_by", "decided_at"])
    return mention


@transaction.atomic
def mention_confirm(*, mention: Mention, actor) -> Mention:
    """Confirm a suggested (or rejected) mention: the article links to the entity."""
    return _decide(mention, MentionState.CONFIRMED, actor)


@transaction.atomic
def mention_reject(*, mention: Mention, actor) -> Mention:
    """Reject a mention; the row stays, so the finder never suggests it again."""
    return _decide(mention, MentionState.REJECTED, actor)


@transaction.atomic
def mention_reassign(*, mention: Mention, entity: Entity, actor) -> Mention:
    """The matched text names another entity: link that one, reject the original.

    The original stays as a rejected row so that the next refresh does not suggest it
    again; the new link is confirmed with the original's text and span. If the article
    already mentions `entity`, that mention is confirmed instead of adding a second one.
    """
    if entity.pk == mention.entity_id:
        return mention_confirm(mention=mention, actor=actor)
    if entity.merged_into_id is not None:
        raise ValidationError(f"{entity} was merged into {entity.merged_into}; choose that one.")
    target = _confirmed_link(
        article_id=mention.article_id,
        entity=entity,
        actor=actor,
        found=mention,
        role=mention.role,
    )
    _decide(mention, MentionState.REJECTED, actor)
    return target


def _confirmed_link(
    *, article_id: int, entity: Entity, actor, found: "Mention | MentionCandidate", role: str = ""
) -> Mention:
    """Confirm the article's link to `entity`, creating it at the text and span where it
    was `found` (a mention or a candidate) if the article has none yet."""
    link = Mention.objects.filter(article_id=article_id, entity=entity).first()
    if link is None:
        link = Mention(
            article_id=article_id,
            entity=entity,
            matched_text=found.matched_text if isinstance(found, Mention) else found.text,
            field=found.field,
            span_start=found.span_start,
            span_end=found.span_end,
        )
        if role:
            link.role = role
    link.state = MentionState.CONFIRMED
    link.decided_by = actor
    link.decided_at = timezone.now()
    link.full_clean(validate_unique=False)
    link.save()
    return link


@transaction.atomic
def mentions_confirm_all(*, article: Article, actor) -> int:
    """Confirm every suggestion of an article; returns how many were confirmed."""
    return Mention.objects.filter(article=article, state=MentionState.SUGGESTED).update(
        state=MentionState.CONFIRMED, decided_by=actor, decided_at=timezone.now()
    )


def _unique_slug(model, base: str, *, max_length: int = 200) -> str:
    base = (slugify(base) or model._meta.model_name)[: max_length - 8].strip("-")
    slug, suffix = base, 2
    while model._base_manager.filter(slug=slug).exists():
        slug = f"{base}-{suffix}"
        suffix += 1
    return slug


CANDIDATE_ENTITY_KINDS = (EntityKind.PERSON, EntityKind.ORGANIZATION, EntityKind.PLACE)


@transaction.atomic
def candidate_create_entity(
    *, candidate: MentionCandidate, actor, kind: str = EntityKind.PERSON, name: str = ""
) -> Entity:
    """Create an entity from an unknown name, named by its spelling, and link it.

    Events need a date, so they are created in the entity admin, not in one click.
    """
    if kind not in CANDIDATE_ENTITY_KINDS:
        raise ValidationError(f"Create a {kind} in the entity admin: it needs more than a name.")
    if candidate.state != CandidateState.OPEN:
        raise ValidationError(f"“{candidate.text}” was already {candidate.get_state_display()}.")
    name = (name or candidate.text).strip()
    entity = Entity(kind=kind, name=name, slug=_unique_slug(Entity, name))
    entity.full_clean()
    entity.save()
    _link_candidate(candidate, entity, actor)
    audit_record(
        actor=actor,
        action="entity.create_from_candidate",
        target=entity,
        details={"article": candidate.article_id, "spelling": candidate.text},
    )
    return entity


@transaction.atomic
def candidate_resolve(*, candidate: MentionCandidate, entity: Entity, actor) -> Mention:
    """Say which entity an ambiguous short form (or an unknown name) stands for."""
    if candidate.state != CandidateState.OPEN:
        raise ValidationError(f"“{candidate.text}” was already {candidate.get_state_display()}.")
    return _link_candidate(candidate, entity, actor)


@transaction.atomic
def candidate_dismiss(*, candidate: MentionCandidate, actor) -> MentionCandidate:
    """Not an entity worth linking; it is not listed again for this article."""
    candidate.state = CandidateState.DISMISSED
    candidate.decided_by = actor
    candidate.decided_at = timezone.now()
    candidate.save(update_fields=["state", "decided_by", "decided_at"])
    return candidate


def _link_candidate(candidate: MentionCandidate, entity: Entity, actor) -> Mention:
    mention = _confirmed_link(
        article_id=candidate.article_id, entity=entity, actor=actor, found=candidate
    )
    candidate.state = CandidateState.RESOLVED
    candidate.resolved_entity = entity
    candidate.decided_by = actor
    candidate.decided_at = mention.decided_at
    candidate.save(update_fields=["state", "resolved_entity", "decided_by", "decided_at"])
    return mention


# --- Merge -------------------------------------------------------------------------------


@dataclass
class MergeResult:
    survivor: Entity
    duplicate: Entity
    moved: dict[str, int] = field(default_factory=dict)
    dropped: dict[str, int] = field(default_factory=dict)


@transaction.atomic
def entity_merge(*, survivor: Entity, duplicate: Entity, actor) -> MergeResult:
    """Merge `duplicate` into `survivor` in one transaction.

    Every mention, quote, statistic, participation, relation, role, alias and any other
    row that points at the duplicate moves to the survivor. Where the survivor already
    has the same row (a mention of the same article, the same role title, alias, relation
    or participation), the survivor's row is kept (a mention takes the stronger state)
    and the duplicate's is dropped. The duplicate's name becomes an alias of kind
    "merged"; its aliases keep their kind, language and script. The duplicate stays as a
    record with `merged_into` set, so its URL redirects to the survivor.
    """
    if survivor.pk == duplicate.pk:
        raise ValidationError("An entity cannot be merged into itself.")
    locked = {
        e.pk: e
        for e in Entity.objects.select_for_update().filter(pk__in=[survivor.pk, duplicate.pk])
    }
    survivor, duplicate = locked[survivor.pk], locked[duplicate.pk]
    if survivor.merged_into_id or duplicate.merged_into_id:
        raise ValidationError("One of these entities was already merged into another.")
    if survivor.kind != duplicate.kind:
        raise ValidationError(
            f"Only entities of one kind can be merged ({survivor.get_kind_display()} and "
            f"{duplicate.get_kind_display()})."
        )
    result = MergeResult(survivor=survivor, duplicate=duplicate)

    def moved(label: str, count: int) -> None:
        if count:
            result.moved[label] = result.moved.get(label, 0) + count

    def dropped(label: str, queryset) -> None:
        count = queryset.delete()[1].get(queryset.model._meta.label, 0)
        if count:
            result.dropped[label] = result.dropped.get(label, 0) + count

    # Mentions: one per article and entity; the stronger state wins on a conflict.
    strength = {MentionState.REJECTED: 0, MentionState.SUGGESTED: 1, MentionState.CONFIRMED: 2}
    survivor_mentions = {m.article_id: m for m in Mention.objects.filter(entity=survivor)}
    for mention in Mention.objects.filter(entity=duplicate, article_id__in=survivor_mentions):
        kept = survivor_mentions[mention.article_id]
        if strength[mention.state] > strength[kept.state]:
            kept.state, kept.decided_by_id, kept.decided_at = (
                mention.state,
                mention.decided_by_id,
                mention.decided_at,
            )
            kept.save(update_fields=["state", "decided_by", "decided_at"])
    dropped("mentions", Mention.objects.filter(entity=duplicate, article_id__in=survivor_mentions))
    moved("mentions", Mention.objects.filter(entity=duplicate).update(entity=survivor))

    # Aliases: unique per entity and name; then the duplicate's own name.
    taken = set(survivor.aliases.values_list("name", flat=True)) | {survivor.name}
    dropped("aliases", Alias.objects.filter(entity=duplicate, name__in=taken))
    moved("aliases", Alias.objects.filter(entity=duplicate).update(entity=survivor))
    if duplicate.name not in taken:
        Alias(entity=survivor, name=duplicate.name, kind=AliasKind.MERGED).save()

    # Roles: unique per person and title.
    titles = survivor.roles.values_list("title", flat=True)
    dropped("roles", Role.objects.filter(person=duplicate, title__in=list(titles)))
    moved("roles", Role.objects.filter(person=duplicate).update(person=survivor))

    # Relations: unique (subject, kind, object), never to itself.
    dropped(
        "relations",
        Relation.objects.filter(subject=duplicate, object=survivor)
        | Relation.objects.filter(subject=survivor, object=duplicate),
    )
    for relation in Relation.objects.filter(subject=duplicate):
        if Relation.objects.filter(
            subject=survivor, kind=relation.kind, object_id=relation.object_id
        ).exists():
            dropped("relations", Relation.objects.filter(pk=relation.pk))
    moved("relations", Relation.objects.filter(subject=duplicate).update(subject=survivor))
    for relation in Relation.objects.filter(object=duplicate):
        if Relation.objects.filter(
            subject_id=relation.subject_id, kind=relation.kind, object=survivor
        ).exists():
            dropped("relations", Relation.objects.filter(pk=relation.pk))
    moved("relations", Relation.objects.filter(object=duplicate).update(object=survivor))

    # Participations: unique (event, participant, role), never in itself.
    dropped(
        "participations",
        Participation.objects.filter(event=duplicate, participant=survivor)
        | Participation.objects.filter(event=survivor, participant=duplicate),
    )
    for row in Participation.objects.filter(participant=duplicate):
        if Participation.objects.filter(
            event_id=row.event_id, participant=survivor, role=row.role
        ).exists():
            dropped("participations", Participation.objects.filter(pk=row.pk))
    moved(
        "participations",
        Participation.objects.filter(participant=duplicate).update(participant=survivor),
    )
    for row in Participation.objects.filter(event=duplicate):
        if Participation.objects.filter(
            event=survivor, participant_id=row.participant_id, role=row.role
        ).exists():
            dropped("participations", Participation.objects.filter(pk=row.pk))
    moved("participations", Participation.objects.filter(event=duplicate).update(event=survivor))

    # Candidates that listed the duplicate now list the survivor.
    through = MentionCandidate.candidates.through
    already = through.objects.filter(entity=survivor).values_list("mentioncandidate_id", flat=True)
    dropped(
        "candidate choices",
        through.objects.filter(entity=duplicate, mentioncandidate_id__in=list(already)),
    )
    moved("candidate choices", through.objects.filter(entity=duplicate).update(entity=survivor))

    # Everything else that points at an entity (quotes, statistics, datelines, places'
    # parents, earlier merges, and tables of other apps): one UPDATE per foreign key.
    handled = {
        (Mention, "entity"),
        (Alias, "entity"),
        (Role, "person"),
        (Relation, "subject"),
        (Relation, "object"),
        (Participation, "participant"),
        (Participation, "event"),
    }
    for name in ("parent", "country", "location"):
        if getattr(survivor, f"{name}_id") == duplicate.pk:
            setattr(survivor, name, None)
    for relation in Entity._meta.related_objects:
        if relation.many_to_many or not relation.field.concrete:
            continue
        model, name = relation.related_model, relation.field.name
        if (model, name) in handled or model._meta.proxy:
            continue
        queryset = model._base_manager.filter(**{name: duplicate})
        if model is Entity:
            queryset = queryset.exclude(pk=survivor.pk)
        moved(f"{model._meta.verbose_name_plural}.{name}", queryset.update(**{name: survivor}))
    if not survivor.description and duplicate.description:
        survivor.description = duplicate.description
    survivor.save()
    duplicate.merged_into = survivor
    duplicate.save()
    audit_record(
        actor=actor,
        action="entity.merge",
        target=survivor,
        details={
            "duplicate": {"id": duplicate.pk, "slug": duplicate.slug, "name": duplicate.name},
            "moved": result.moved,
            "dropped": result.dropped,
        },
    )
    return result


# --- Import ------------------------------------------------------------------------------


@transaction.atomic
def article_import(
    *,
    text: str | None = None,
    document: dict | str | None = None,
    actor,
    headline: str | None = None,
) -> Article:
    """Create a draft from a plain-text article or a ninjs 2.x document, with suggestions.

    The draft is created by articles.services.article_create (so `actor` needs the right
    to add articles, and the draft gets its first revision and audit entry, source
    "import"). Raises ArticleImportError (a ValueError) with a readable message on bad
    input, and nothing is created then. The draft gets mention suggestions, candidate
    names and Quote rows for direct quotes whose speaker the finder knows.
    """
    if (text is None) == (document is None):
        raise ArticleImportError("Give either a plain text or a ninjs document.")
    if text is not None:
        parsed = parse_plain_text(text, headline=headline)
    else:
        parsed = parse_ninjs(document, headline=headline)
    language = parsed.language
    if language not in {code for code, _name in settings.ARTICLE_LANGUAGES}:
        language = settings.LANGUAGE_CODE
    try:
        article = article_services.article_create(
            actor=actor,
            headline=parsed.headline,
            body=parsed.body,
            standfirst=parsed.standfirst,
            byline=parsed.byline[:200],
            language=language,
            source="import",
        )
    except ValidationError as exc:
        raise ArticleImportError(" ".join(exc.messages)) from exc
    article_suggestions_refresh(article=article)
    article_quotes_suggest(article=article)
    return article


@transaction.atomic
def article_quotes_suggest(*, article: Article) -> list[Quote]:
    """Add a Quote for each direct quote of the body whose speaker is a known person."""
    finder = current_finder()
    people = set(Entity.objects.filter(kind=EntityKind.PERSON).values_list("pk", flat=True))
    existing = set(article.quotes.values_list("text", flat=True))
    quotes = []
    for position, suggestion in enumerate(suggest_quotes(article.body), start=1):
        speakers = [
            m.entity_id for m in finder.find(suggestion.speaker, "body") if m.entity_id in people
        ]
        if not speakers or suggestion.quote in existing:
            continue
        quote = Quote(
            slug=_unique_slug(Quote, f"{article.slug[:120]}-quote-{position}"),
            article=article,
            speaker_id=speakers[0],
            text=suggestion.quote,
            position=position,
        )
        quote.full_clean()
        quote.save()
        existing.add(quote.text)
        quotes.append(quote)
    return quotes
