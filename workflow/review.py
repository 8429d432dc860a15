"""The editor's decisions on what the linker found: suggested mentions and name candidates.

Every decision changes the article's links, so it is an article write: it runs through
workflow.articles.article_review_decide (the "edit" permission by role and authorship,
the version check and bump, a "review" revision saying what was decided, an audit entry,
the corrections rule after publication) in one transaction. `expected_version` is the
version the editor saw (the admin page and the API's If-Match send it); None acts on the
stored version, for commands and scripts.
"""

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
from workflow.articles import article_review_decide
from workflow.entities import entity_save


def _decide(mention: Mention, state: str, actor) -> Mention:
    mention.state = state
    mention.decided_by = actor
    mention.decided_at = timezone.now()
    mention.full_clean()
    mention.save(update_fields=["state", "decided_by", "decided_at"])
    return mention


def _through_article(
    article: Article,
    *,
    actor,
    decide,
    expected_version: int | None,
    correction_note: str,
    source: str,
):
    """Run `decide` (which returns its result, the revision note and the audit details)
    as one article write; returns the decision's result."""
    outcome = {}

    def run(current: Article) -> tuple[str, dict]:
        outcome["result"], note, details = decide(current)
        return note, details

    article_review_decide(
        article=article,
        actor=actor,
        decide=run,
        expected_version=expected_version,
        correction_note=correction_note,
        source=source,
    )
    return outcome["result"]


def _current_mention(mention: Mention) -> Mention:
    """The mention as stored now (the article is locked): decisions start from it."""
    current = Mention.objects.select_related("entity").filter(pk=mention.pk).first()
    if current is None:
        raise ValidationError("This suggestion is gone: the text changed since.")
    return current


def _link_label(mention: Mention) -> str:
    return f"{mention.entity} (“{mention.matched_text}”)"


def _mention_state_set(
    mention: Mention,
    state: str,
    verb: str,
    *,
    actor,
    expected_version: int | None,
    correction_note: str,
    source: str,
) -> Mention:
    """Confirm or reject one mention, through the article's write path."""

    def decide(article):
        current = _current_mention(mention)
        was = current.state
        _decide(current, state, actor)
        details = {"decision": verb, "entity": current.entity.slug, "was": was}
        past = {"confirm": "Confirmed", "reject": "Rejected"}[verb]
        return current, f"{past} the link to {_link_label(current)}.", details

    return _through_article(
        mention.article,
        actor=actor,
        decide=decide,
        expected_version=expected_version,
        correction_note=correction_note,
        source=source,
    )


@transaction.atomic
def mention_confirm(
    *,
    mention: Mention,
    actor,
    expected_version: int | None = None,
    correction_note: str = "",
    source: str = "admin",
) -> Mention:
    """Confirm a suggested (or rejected) mention: the article links to the entity."""
    return _mention_state_set(
        mention,
        MentionState.CONFIRMED,
        "confirm",
        actor=actor,
        expected_version=expected_version,
        correction_note=correction_note,
        source=source,
    )


@transaction.atomic
def mention_reject(
    *,
    mention: Mention,
    actor,
    expected_version: int | None = None,
    correction_note: str = "",
    source: str = "admin",
) -> Mention:
    """Reject a mention; the row stays, so the finder never suggests it again."""
    return _mention_state_set(
        mention,
        MentionState.REJECTED,
        "reject",
        actor=actor,
        expected_version=expected_version,
        correction_note=correction_note,
        source=source,
    )


@transaction.atomic
def mention_reassign(
    *,
    mention: Mention,
    entity: Entity,
    actor,
    expected_version: int | None = None,
    correction_note: str = "",
    source: str = "admin",
) -> Mention:
    """The matched text names another entity: link that one, reject the original.

    The original stays as a rejected row so that the next refresh does not suggest it
    again; the new link is confirmed with the original's text and span. If the article
    already mentions `entity`, that mention is confirmed instead of adding a second one.
    """
    if entity.pk == mention.entity_id:
        return mention_confirm(
            mention=mention,
            actor=actor,
            expected_version=expected_version,
            correction_note=correction_note,
            source=source,
        )
    if entity.merged_into_id is not None:
        raise ValidationError(f"{entity} was merged into {entity.merged_into}; choose that one.")

    def decide(article):
        current = _current_mention(mention)
        was = current.state
        target = _confirmed_link(
            article_id=current.article_id,
            entity=entity,
            actor=actor,
            found=current,
            role=current.role,
        )
        _decide(current, MentionState.REJECTED, actor)
        note = f"Reassigned “{current.matched_text}” from {current.entity} to {entity}."
        details = {
            "decision": "reassign",
            "entity": current.entity.slug,
            "to": entity.slug,
            "was": was,
        }
        return target, note, details

    return _through_article(
        mention.article,
        actor=actor,
        decide=decide,
        expected_version=expected_version,
        correction_note=correction_note,
        source=source,
    )


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
def mentions_confirm_all(
    *,
    article: Article,
    actor,
    expected_version: int | None = None,
    correction_note: str = "",
    source: str = "admin",
) -> int:
    """Confirm every sure suggestion of an article; returns how many were confirmed.

    Suggestions with a note (found by a similar spelling only) are left for the editor
    to confirm one by one: nothing the finder is unsure of is confirmed in bulk.
    """

    def decide(current):
        sure = Mention.objects.filter(article=current, state=MentionState.SUGGESTED, note="")
        slugs = sorted(sure.values_list("entity__slug", flat=True))
        count = sure.update(
            state=MentionState.CONFIRMED, decided_by=actor, decided_at=timezone.now()
        )
        details = {"decision": "confirm_all", "entities": slugs}
        return count, f"Confirmed {count} suggestion(s) at once.", details

    return _through_article(
        article,
        actor=actor,
        decide=decide,
        expected_version=expected_version,
        correction_note=correction_note,
        source=source,
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


def _current_candidate(candidate: MentionCandidate) -> MentionCandidate:
    """The candidate as stored now, still open (the article is locked)."""
    current = MentionCandidate.objects.filter(pk=candidate.pk).first()
    if current is None:
        raise ValidationError("This name is gone: the text changed since.")
    if current.state != CandidateState.OPEN:
        raise ValidationError(f"“{current.text}” was already {current.get_state_display()}.")
    return current


@transaction.atomic
def candidate_create_entity(
    *,
    candidate: MentionCandidate,
    actor,
    kind: str = EntityKind.PERSON,
    name: str = "",
    allow_duplicate: bool = False,
    expected_version: int | None = None,
    correction_note: str = "",
    source: str = "admin",
) -> Entity:
    """Create an entity from an unknown name, named by its spelling, and link it.

    Events need a date, so they are created in the entity admin, not in one click. When
    the name folds to the key of an existing record of that kind (created meanwhile from
    another article, or known under a spelling without diacritics), raises
    `PossibleDuplicateError` unless `allow_duplicate`; the audit entry records an override.
    The entity is created through workflow.entities (its first revision), the link
    through the article's write path.
    """
    if not may_create_entities(actor):
        raise PermissionDenied("You may not create entities; ask an editor, or dismiss it.")
    if kind not in CANDIDATE_ENTITY_KINDS:
        raise ValidationError(f"Create a {kind} in the entity admin: it needs more than a name.")

    def decide(article):
        current = _current_candidate(candidate)
        wanted = (name or current.text).strip()
        existing = possible_duplicates(names=[wanted], kind=kind)
        if existing and not allow_duplicate:
            raise PossibleDuplicateError(wanted, existing)
        entity = Entity(kind=kind, name=wanted, slug=unique_slug(Entity, wanted))
        if kind == EntityKind.PLACE and current.geonames_id:
            _prefill_place(entity, current)
        entity.full_clean()
        entity_save(
            entity=entity,
            actor=actor,
            write=entity.save,
            creating=True,
            source=source,
            note=f"Created from “{current.text}” in an article.",
        )
        _link_candidate(current, entity, actor)
        details = {"article": current.article_id, "spelling": current.text}
        if existing:
            details["despite_possible_duplicates"] = [e.slug for e in existing]
        audit_record(
            actor=actor,
            action="entity.create_from_candidate",
            target=entity,
            details=details,
            source=source,
        )
        note = f"Created {entity.get_kind_display().lower()} {entity} from “{current.text}”."
        review_details = {"decision": "create_entity", "spelling": current.text}
        return entity, note, {**review_details, "entity": entity.slug}

    return _through_article(
        candidate.article,
        actor=actor,
        decide=decide,
        expected_version=expected_version,
        correction_note=correction_note,
        source=source,
    )


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
def candidate_resolve(
    *,
    candidate: MentionCandidate,
    entity: Entity,
    actor,
    expected_version: int | None = None,
    correction_note: str = "",
    source: str = "admin",
) -> Mention:
    """Say which entity an ambiguous short form (or an unknown name) stands for."""

    def decide(article):
        current = _current_candidate(candidate)
        mention = _link_candidate(current, entity, actor)
        note = f"“{current.text}” stands for {entity}."
        details = {"decision": "resolve", "spelling": current.text, "entity": entity.slug}
        return mention, note, details

    return _through_article(
        candidate.article,
        actor=actor,
        decide=decide,
        expected_version=expected_version,
        correction_note=correction_note,
        source=source,
    )


@transaction.atomic
def candidate_dismiss(
    *,
    candidate: MentionCandidate,
    actor,
    expected_version: int | None = None,
    correction_note: str = "",
    source: str = "admin",
) -> MentionCandidate:
    """Not an entity worth linking; it is not listed again for this article."""

    def decide(article):
        current = _current_candidate(candidate)
        current.state = CandidateState.DISMISSED
        current.decided_by = actor
        current.decided_at = timezone.now()
        current.save(update_fields=["state", "decided_by", "decided_at"])
        note = f"Dismissed “{current.text}”: not linked."
        return current, note, {"decision": "dismiss", "spelling": current.text}

    return _through_article(
        candidate.article,
        actor=actor,
        decide=decide,
        expected_version=expected_version,
        correction_note=correction_note,
        source=source,
    )


@transaction.atomic
def candidate_resolve_occurrences(
    *,
    candidate: MentionCandidate,
    choices: list[int | None],
    actor,
    expected_version: int | None = None,
    correction_note: str = "",
    source: str = "admin",
) -> list[Mention]:
    """Say, occurrence by occurrence, which entity a flagged name stands for.

    `choices` holds one entity id (one of the candidate's entities) or None (neither)
    per occurrence, in the candidate's order. The article keeps one mention per entity,
    with the occurrences chosen for it; occurrences left at None link nothing.
    """

    def decide(article):
        current = _current_candidate(candidate)
        links = _resolve_occurrences(current, choices, actor)
        names = ", ".join(str(link.entity) for link in links)
        note = f"“{current.text}” stands for {names}, occurrence by occurrence."
        details = {
            "decision": "resolve_occurrences",
            "spelling": current.text,
            "entities": [link.entity.slug for link in links],
        }
        return links, note, details

    return _through_article(
        candidate.article,
        actor=actor,
        decide=decide,
        expected_version=expected_version,
        correction_note=correction_note,
        source=source,
    )


def _resolve_occurrences(
    candidate: MentionCandidate, choices: list[int | None], actor
) -> list[Mention]:
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
