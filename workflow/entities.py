"""Entity and alias writes with history: who changed what, when; diff and restore.

The entity admin and the alias admin write through entity_save(), which checks the
permission, runs the write in one transaction with an EntityRevision of the result (the
entity's fields, its aliases, and the roles, relations and participations it owns) and
an audit entry naming what changed. Roles, relations and participations edited on their
own admin pages are writes of the entity that owns them (the person, the relation's
subject, the event): entity_link_save() and entity_link_delete(). entity_restore() brings
a revision back as a new revision; nothing is deleted from the history.
"""

import datetime as dt
import decimal
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from core.audit import audit_record
from entities.models import (
    Alias,
    Entity,
    EntityRevision,
    EntityRevisionKind,
    Participation,
    Relation,
    Role,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# What a revision records and a restore brings back (merges move rows; they are not
# undone by a restore, and merged_into is left alone).
ENTITY_FIELDS = (
    "name",
    "slug",
    "description",
    "place_kind",
    "parent",
    "latitude",
    "longitude",
    "organization_kind",
    "country",
    "start",
    "start_precision",
    "end",
    "end_precision",
    "location",
)
ALIAS_FIELDS = ("name", "kind", "language", "script")
# Rows that belong to one entity, recorded in its revisions and brought back by a restore:
# snapshot key: (model, the owning entity's field, the fields recorded).
DATES = ("start", "start_precision", "end", "end_precision")
LINKED_ROWS = {
    "roles": (Role, "person", ("title", "affiliation", *DATES)),
    "relations": (Relation, "subject", ("kind", "object", *DATES, "note")),
    "participations": (Participation, "event", ("participant", "role")),
}
# The entity references inside those rows (shown by name in diffs).
LINKED_REFERENCES = {"roles": "affiliation", "relations": "object", "participations": "participant"}


def _json(value):
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def entity_snapshot(entity: Entity) -> dict:
    """The entity's curated fields (foreign keys as primary keys) and its aliases."""
    snapshot = {
        name: _json(getattr(entity, Entity._meta.get_field(name).attname)) for name in ENTITY_FIELDS
    }
    snapshot["aliases"] = [
        {name: getattr(alias, name) for name in ALIAS_FIELDS}
        for alias in Alias.objects.filter(entity=entity).order_by("name", "kind", "pk")
    ]
    for key, (model, owner, fields) in LINKED_ROWS.items():
        rows = model.objects.filter(**{owner: entity.pk}).values(*_attnames(model, fields))
        snapshot[key] = sorted(
            ({name: _json(row[_attname(model, name)]) for name in fields} for row in rows),
            key=lambda row: [str(row[name]) for name in fields],
        )
    return snapshot


def _attname(model, name: str) -> str:
    return model._meta.get_field(name).attname


def _attnames(model, fields) -> list[str]:
    return [_attname(model, name) for name in fields]


def _record(*, entity: Entity, actor, kind: str, source: str, note: str = "") -> EntityRevision:
    previous = entity.revisions.order_by("-version").first()
    version = (entity.revisions.aggregate(top=Max("version"))["top"] or 0) + 1
    snapshot = entity_snapshot(entity)
    # Revisions from before roles, relations and participations were recorded do not
    # say what they were: no change is claimed against them.
    unrecorded = set(LINKED_ROWS) - set(previous.snapshot if previous else LINKED_ROWS)
    changed = [
        name
        for name in (*ENTITY_FIELDS, "aliases", *LINKED_ROWS)
        if previous is None
        or (name not in unrecorded and previous.snapshot.get(name) != snapshot[name])
    ]
    revision = EntityRevision.objects.create(
        entity=entity,
        version=version,
        kind=kind,
        actor=actor if actor is not None and actor.pk else None,
        created_at=timezone.now(),
        source=source,
        note=note,
        snapshot=snapshot,
    )
    audit_record(
        actor=actor,
        action=f"entity.{kind}",
        target=entity,
        details={"version": version, "changed": changed},
        source=source,
    )
    return revision


def _require(actor, permission: str, doing: str) -> None:
    if not actor.has_perm(permission):
        raise PermissionDenied(f"You do not have permission to {doing}.")


@transaction.atomic
def entity_save(
    *,
    entity: Entity,
    actor: "User",
    write: Callable[[], None],
    creating: bool = False,
    source: str = "admin",
    note: str = "",
) -> EntityRevision:
    """Run `write` (which saves the entity and/or its aliases) and record the result.

    An entity without history gets its state before the write as a baseline first, so
    the first recorded change diffs against what was there (fixtures load raw).
    """
    if creating:
        _require(actor, "entities.add_entity", "add entities")
    else:
        _require(actor, "entities.change_entity", "change entities")
        if entity.pk and not entity.revisions.exists():
            baseline = Entity.objects.get(pk=entity.pk)
            _record(
                entity=baseline,
                actor=None,
                kind=EntityRevisionKind.CREATE,
                source="baseline",
                note="As it was before the first recorded change.",
            )
    write()
    return _record(
        entity=entity,
        actor=actor,
        kind=EntityRevisionKind.CREATE if creating else EntityRevisionKind.EDIT,
        source=source,
        note=note,
    )


def _restore_value(name: str, value):
    field = Entity._meta.get_field(name)
    if value is None:
        return None
    if field.is_relation:
        return value if Entity.objects.filter(pk=value).exists() else None
    return field.to_python(value)


@transaction.atomic
def entity_restore(
    *, entity: Entity, actor: "User", revision: EntityRevision, source: str = "admin"
) -> EntityRevision:
    """Bring back a revision's fields and aliases as a new revision."""
    _require(actor, "entities.change_entity", "restore entities")
    if revision.entity_id != entity.pk:
        raise ValidationError("That revision belongs to another entity.")
    current = Entity.objects.select_for_update().get(pk=entity.pk)
    for name in ENTITY_FIELDS:
        if name in revision.snapshot:
            field = Entity._meta.get_field(name)
            setattr(current, field.attname, _restore_value(name, revision.snapshot[name]))
    current.full_clean()
    current.save()
    wanted = [
        {name: alias.get(name, "") for name in ALIAS_FIELDS}
        for alias in revision.snapshot.get("aliases", [])
    ]
    existing = list(Alias.objects.filter(entity=current))
    keep = set()
    for data in wanted:
        match = next(
            (
                a
                for a in existing
                if a.pk not in keep and all(getattr(a, n) == data[n] for n in ALIAS_FIELDS)
            ),
            None,
        )
        if match is not None:
            keep.add(match.pk)
            continue
        alias = Alias(entity=current, **data)
        alias.full_clean()
        alias.save()
        keep.add(alias.pk)
    Alias.objects.filter(entity=current).exclude(pk__in=keep).delete()
    for key in LINKED_ROWS:
        if key in revision.snapshot:
            _restore_rows(current, key, revision.snapshot[key])
    for field in Entity._meta.concrete_fields:
        setattr(entity, field.attname, getattr(current, field.attname))
    return _record(
        entity=current,
        actor=actor,
        kind=EntityRevisionKind.RESTORE,
        source=source,
        note=f"Restored version {revision.version}.",
    )


def _restore_rows(entity: Entity, key: str, wanted: list[dict]) -> None:
    """Make the entity's rows of one kind those of a snapshot: rows that still match are
    kept, the others deleted, the missing ones created. A row naming an entity that no
    longer exists (deleted since) cannot come back and is left out."""
    model, owner, fields = LINKED_ROWS[key]
    existing = {
        tuple(_json(row[_attname(model, n)]) for n in fields): row["pk"]
        for row in model.objects.filter(**{owner: entity.pk}).values(
            "pk", *_attnames(model, fields)
        )
    }
    wanted_keys = [tuple(row.get(name) for name in fields) for row in wanted]
    model.objects.filter(**{owner: entity.pk}).exclude(
        pk__in=[pk for values, pk in existing.items() if values in wanted_keys]
    ).delete()
    for values in wanted_keys:
        if values in existing:
            continue
        row = model(**{owner: entity})
        for name, value in zip(fields, values, strict=True):
            field = model._meta.get_field(name)
            if field.is_relation:
                if value is not None and not Entity.objects.filter(pk=value).exists():
                    break
                setattr(row, field.attname, value)
            else:
                setattr(row, name, field.to_python(value) if value is not None else value)
        else:
            row.full_clean()
            row.save()


def _linked_owner_field(row) -> str:
    for model, owner, _fields in LINKED_ROWS.values():
        if isinstance(row, model):
            return owner
    raise TypeError(f"{type(row).__name__} rows do not belong to an entity's history.")


@transaction.atomic
def entity_link_save(
    *, row: Role | Relation | Participation, actor: "User", source: str = "admin"
) -> EntityRevision:
    """Save a role, relation or participation as a write of the entity that owns it.

    A row moved to another owner (a role given to another person) is recorded on both:
    the new owner gains it, the old one says where it went.
    """
    owner = _linked_owner_field(row)
    owner_id = getattr(row, f"{owner}_id")
    moved_from = (
        type(row)
        .objects.filter(pk=row.pk)
        .exclude(**{f"{owner}_id": owner_id})
        .values_list(f"{owner}_id", flat=True)
        .first()
        if row.pk
        else None
    )
    revision = entity_save(
        entity=Entity.objects.get(pk=owner_id), actor=actor, write=row.save, source=source
    )
    if moved_from is not None:
        entity_save(
            entity=Entity.objects.get(pk=moved_from),
            actor=actor,
            write=lambda: None,
            source=source,
            note=f"{type(row)._meta.verbose_name.capitalize()} “{row}” moved to "
            f"{getattr(row, owner)}.",
        )
    return revision


@transaction.atomic
def entity_link_delete(
    *, row: Role | Relation | Participation, actor: "User", source: str = "admin"
) -> EntityRevision:
    """Delete a role, relation or participation as a write of the entity that owns it."""
    owner = _linked_owner_field(row)
    return entity_save(
        entity=Entity.objects.get(pk=getattr(row, f"{owner}_id")),
        actor=actor,
        write=row.delete,
        source=source,
    )


@transaction.atomic
def entity_delete(*, entity: Entity, actor: "User", source: str = "admin") -> None:
    """Delete an entity, audited with its last state (its revisions go with it)."""
    _require(actor, "entities.delete_entity", "delete entities")
    audit_record(
        actor=actor,
        action="entity.delete",
        target=entity,
        details={"snapshot": entity_snapshot(entity)},
        source=source,
    )
    entity.delete()
