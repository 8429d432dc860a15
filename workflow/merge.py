"""Merging duplicate entities: every row that points at the duplicate moves."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from articles.models import Mention, MentionState
from core.audit import audit_record
from entities.models import Alias, AliasKind, Entity, Participation, Relation, Role
from mentions.models import MentionCandidate


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
