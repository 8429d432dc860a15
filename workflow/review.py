"""The editor's decisions on what the linker found: suggested mentions and name candidates."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from articles.models import Article, Mention, MentionState
from core.audit import audit_record
from core.models import unique_slug
from entities.models import Entity, EntityKind, PlaceKind
from mentions.gazetteer import Gazetteer
from mentions.models import CandidateState, MentionCandidate


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
    *,
    article_id: int,
    entity: Entity,
    actor,
    found: "Mention | MentionCandidate",
    role: str = "",
    occurrences: list[dict] | None = None,
) -> Mention:
    """Confirm the article's link to `entity`, creating it at the text and span where it
    was `found` (a mention or a candidate) if the article has none yet. `occurrences`
    (default: all of `found`'s) are the places in the text that name it."""
    link = Mention.objects.filter(article_id=article_id, entity=entity).first()
    if link is None:
        link = Mention(
            article_id=article_id,
            entity=entity,
            matched_text=found.matched_text if isinstance(found, Mention) else found.text,
            field=found.field,
            span_start=found.span_start,
            span_end=found.span_end,
            occurrences=list(found.occurrences if occurrences is None else occurrences),
        )
        if role:
            link.role = role
    elif occurrences:
        known = {(o.get("field"), tuple(o.get("span") or ())) for o in link.occurrences}
        link.occurrences = link.occurrences + [
            o for o in occurrences if (o.get("field"), tuple(o.get("span") or ())) not in known
        ]
    link.note = ""  # an editor decided
    link.state = MentionState.CONFIRMED
    link.decided_by = actor
    link.decided_at = timezone.now()
    link.full_clean(validate_unique=False)
    link.save()
    return link


@transaction.atomic
def mentions_confirm_all(*, article: Article, actor) -> int:
    """Confirm every sure suggestion of an article; returns how many were confirmed.

    Suggestions with a note (found by a similar spelling only) are left for the editor
    to confirm one by one: nothing the finder is unsure of is confirmed in bulk.
    """
    return Mention.objects.filter(article=article, state=MentionState.SUGGESTED, note="").update(
        state=MentionState.CONFIRMED, decided_by=actor, decided_at=timezone.now()
    )


CANDIDATE_ENTITY_KINDS = (EntityKind.PERSON, EntityKind.ORGANIZATION, EntityKind.PLACE)


class PossibleDuplicateError(ValidationError):
    """The new entity's name folds to the key of existing records: it may be one of them.

    A warning, not a refusal: the caller shows `existing` and may call again with
    `allow_duplicate=True`.
    """

    def __init__(self, name: str, existing: list[Entity]):
        self.name = name
        self.existing = existing
        names = ", ".join(f"{e.name} ({e.slug})" for e in existing)
        super().__init__(
            f"“{name}” may already be in the newsroom: {names}. Link it to that record, "
            "or create a new one anyway.",
            code="possible_duplicate",
        )


def possible_duplicates(*, names: list[str], kind: str | None = None) -> list[Entity]:
    """Active entities (of `kind`, if given) a new record with these names would duplicate."""
    entities = Entity.objects.active().sharing_a_name_with(names)
    if kind:
        entities = entities.filter(kind=kind)
    return list(entities.order_by("name")[:5])


def may_create_entities(user) -> bool:
    """The same right as the entity add page: entities.add_entity (editors, not reporters)."""
    return user.has_perm("entities.add_entity")


@transaction.atomic
def candidate_create_entity(
    *,
    candidate: MentionCandidate,
    actor,
    kind: str = EntityKind.PERSON,
    name: str = "",
    allow_duplicate: bool = False,
) -> Entity:
    """Create an entity from an unknown name, named by its spelling, and link it.

    Events need a date, so they are created in the entity admin, not in one click. When
    the name folds to the key of an existing record of that kind (created meanwhile from
    another article, or known under a spelling without diacritics), raises
    `PossibleDuplicateError` unless `allow_duplicate`; the audit entry records an override.
    """
    if not may_create_entities(actor):
        raise PermissionDenied("You may not create entities; ask an editor, or dismiss it.")
    if kind not in CANDIDATE_ENTITY_KINDS:
        raise ValidationError(f"Create a {kind} in the entity admin: it needs more than a name.")
    if candidate.state != CandidateState.OPEN:
        raise ValidationError(f"“{candidate.text}” was already {candidate.get_state_display()}.")
    name = (name or candidate.text).strip()
    existing = possible_duplicates(names=[name], kind=kind)
    if existing and not allow_duplicate:
        raise PossibleDuplicateError(name, existing)
    entity = Entity(kind=kind, name=name, slug=unique_slug(Entity, name))
    if kind == EntityKind.PLACE and candidate.geonames_id:
        _prefill_place(entity, candidate)
    entity.full_clean()
    entity.save()
    _link_candidate(candidate, entity, actor)
    details = {"article": candidate.article_id, "spelling": candidate.text}
    if existing:
        details["despite_possible_duplicates"] = [e.slug for e in existing]
    audit_record(
        actor=actor,
        action="entity.create_from_candidate",
        target=entity,
        details=details,
    )
    return entity


def _prefill_place(entity: Entity, candidate: MentionCandidate) -> None:
    """A gazetteer place: its GeoNames id, coordinates and country, as the candidate has
    them. The Wikidata QID stays empty until an editor sets it."""
    entity.geonames_id = candidate.geonames_id
    entity.latitude, entity.longitude = candidate.latitude, candidate.longitude
    country = Gazetteer.default().country(candidate.country_code or "")
    if country is None or country.geonames_id == candidate.geonames_id:
        entity.place_kind = PlaceKind.COUNTRY
        return
    entity.place_kind = PlaceKind.CITY
    entity.parent = (
        Entity.objects.active()
        .filter(kind=EntityKind.PLACE, place_kind=PlaceKind.COUNTRY)
        .filter(Q(geonames_id=country.geonames_id) | Q(name__iexact=country.name))
        .order_by(F("geonames_id").desc(nulls_last=True))
        .first()
    )


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


@transaction.atomic
def candidate_resolve_occurrences(
    *, candidate: MentionCandidate, choices: list[int | None], actor
) -> list[Mention]:
    """Say, occurrence by occurrence, which entity a flagged name stands for.

    `choices` holds one entity id (one of the candidate's entities) or None (neither)
    per occurrence, in the candidate's order. The article keeps one mention per entity,
    with the occurrences chosen for it; occurrences left at None link nothing.
    """
    if candidate.state != CandidateState.OPEN:
        raise ValidationError(f"“{candidate.text}” was already {candidate.get_state_display()}.")
    found_at = candidate.occurrences or [
        {
            "field": candidate.field,
            "span": [candidate.span_start, candidate.span_end],
            "text": candidate.text,
        }
    ]
    if len(choices) != len(found_at):
        raise ValidationError(
            f"Choose for each of the {len(found_at)} occurrences of “{candidate.text}”."
        )
    allowed = {entity.pk: entity for entity in candidate.candidates.all()}
    if any(choice is not None and choice not in allowed for choice in choices):
        raise ValidationError("Choose one of the listed entities for each occurrence.")
    if all(choice is None for choice in choices):
        raise ValidationError("Choose an entity for at least one occurrence, or dismiss it.")
    by_entity: dict[int, list[dict]] = {}
    for choice, where in zip(choices, found_at, strict=True):
        if choice is not None:
            by_entity.setdefault(choice, []).append(where)
    links = []
    for entity_id, where in by_entity.items():
        first = where[0]
        span = first.get("span") or [None, None]
        found = MentionCandidate(
            article_id=candidate.article_id,
            text=first.get("text") or candidate.text,
            field=first.get("field", candidate.field),
            span_start=span[0],
            span_end=span[1],
        )
        links.append(
            _confirmed_link(
                article_id=candidate.article_id,
                entity=allowed[entity_id],
                actor=actor,
                found=found,
                occurrences=where,
            )
        )
    most = max(by_entity, key=lambda entity_id: len(by_entity[entity_id]))
    candidate.state = CandidateState.RESOLVED
    candidate.resolved_entity = allowed[most]
    candidate.decided_by = actor
    candidate.decided_at = links[0].decided_at
    candidate.save(update_fields=["state", "resolved_entity", "decided_by", "decided_at"])
    return links


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
