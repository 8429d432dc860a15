"""Entity representations in the API.

Payloads are plain dicts built from prefetched objects (fast, see newsroom/api_http.py);
the Serializer classes below only document them for the OpenAPI schema.
"""

from functools import cache

from django.conf import settings
from django.urls import reverse
from rest_framework import serializers

from core.dates import PRECISION_CHOICES
from entities.models import (
    KIND_URL_PREFIX,
    AliasKind,
    Entity,
    EntityKind,
    OrganizationKind,
    PlaceKind,
    RelationKind,
)


@cache
def site_url() -> str:
    return settings.NEWSROOM_SITE_URL


@cache
def api_root() -> str:
    return site_url() + reverse("api:api-root")


def entity_url(kind: str, slug: str) -> str:
    return f"{site_url()}/{KIND_URL_PREFIX[kind]}/{slug}/"


def entity_api_url(kind: str, slug: str) -> str:
    return f"{api_root()}{KIND_URL_PREFIX[kind]}/{slug}/"


def entity_ref(entity: Entity | None) -> dict | None:
    """A short reference to an entity: enough to name it and follow it."""
    if entity is None:
        return None
    return {
        "slug": entity.slug,
        "name": entity.name,
        "kind": entity.kind,
        "url": entity_url(entity.kind, entity.slug),
        "api_url": entity_api_url(entity.kind, entity.slug),
    }


def _date(value):
    return value.isoformat() if value is not None else None


def entity_payload(entity: Entity, *, article_count: int | None = None) -> dict:
    """The full public representation of one entity, from a prefetched row."""
    data = {
        "slug": entity.slug,
        "name": entity.name,
        "kind": entity.kind,
        "description": entity.description,
        "aliases": [
            {
                "name": alias.name,
                "kind": alias.kind,
                "language": alias.language,
                "script": alias.script,
            }
            for alias in entity.aliases.all()
        ],
        "url": entity_url(entity.kind, entity.slug),
        "api_url": entity_api_url(entity.kind, entity.slug),
        "articles_url": f"{api_root()}articles/?entity={entity.slug}",
        "article_count": article_count
        if article_count is not None
        else getattr(entity, "public_article_count", 0),
        "updated_at": entity.updated_at,
    }
    kind = entity.kind
    if kind == EntityKind.PERSON:
        data["roles"] = [
            {
                "title": role.title,
                "affiliation": entity_ref(role.affiliation),
                "start": _date(role.start),
                "start_precision": role.start_precision or None,
                "end": _date(role.end),
                "end_precision": role.end_precision or None,
                "date_display": role.date_display,
                "current": role.is_current,
            }
            for role in entity.roles.all()
        ]
    if kind == EntityKind.EVENT:
        data.update(
            {
                "start": _date(entity.start),
                "end": _date(entity.end),
                "precision": entity.start_precision or None,
                "end_precision": entity.end_precision or None,
                "date_display": entity.date_display,
                "location": entity_ref(entity.location),
                "participants": [
                    {"role": part.role, "entity": entity_ref(part.participant)}
                    for part in entity.participations.all()
                ],
            }
        )
    if kind == EntityKind.PLACE:
        data.update(
            {
                "place_kind": entity.place_kind,
                "parent": entity_ref(entity.parent),
                "latitude": float(entity.latitude) if entity.latitude is not None else None,
                "longitude": float(entity.longitude) if entity.longitude is not None else None,
            }
        )
    if kind == EntityKind.ORGANIZATION:
        data.update(
            {
                "organization_kind": entity.organization_kind,
                "country": entity_ref(entity.country),
            }
        )
    relations = [
        {
            "kind": relation.kind,
            "label": relation.get_kind_display(),
            "direction": "outgoing",
            "entity": entity_ref(relation.object),
            "start": _date(relation.start),
            "end": _date(relation.end),
            "note": relation.note,
        }
        for relation in entity.relations.all()
    ]
    relations += [
        {
            "kind": relation.kind,
            "label": relation.get_kind_display(),
            "direction": "incoming",
            "entity": entity_ref(relation.subject),
            "start": _date(relation.start),
            "end": _date(relation.end),
            "note": relation.note,
        }
        for relation in entity.inverse_relations.all()
    ]
    data["relations"] = relations
    return data


# --- OpenAPI documentation of the payloads above ----------------------------------------


class EntityRefSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=EntityKind.choices)
    url = serializers.URLField(help_text="The public page.")
    api_url = serializers.URLField()


class AliasSerializer(serializers.Serializer):
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=AliasKind.choices)
    language = serializers.CharField(help_text="BCP 47 tag, or empty.")
    script = serializers.CharField(help_text="ISO 15924 code, or empty.")


class RoleSerializer(serializers.Serializer):
    title = serializers.CharField()
    affiliation = EntityRefSerializer(allow_null=True)
    start = serializers.DateField(allow_null=True)
    start_precision = serializers.ChoiceField(choices=PRECISION_CHOICES, allow_null=True)
    end = serializers.DateField(allow_null=True)
    end_precision = serializers.ChoiceField(choices=PRECISION_CHOICES, allow_null=True)
    date_display = serializers.CharField()
    current = serializers.BooleanField()


class RelationSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=RelationKind.choices)
    label = serializers.CharField()
    direction = serializers.ChoiceField(choices=["outgoing", "incoming"])
    entity = EntityRefSerializer()
    start = serializers.DateField(allow_null=True)
    end = serializers.DateField(allow_null=True)
    note = serializers.CharField()


class ParticipantSerializer(serializers.Serializer):
    role = serializers.CharField()
    entity = EntityRefSerializer()


class EntityBaseSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=EntityKind.choices)
    description = serializers.CharField()
    aliases = AliasSerializer(many=True)
    url = serializers.URLField(help_text="The public page.")
    api_url = serializers.URLField()
    articles_url = serializers.URLField(help_text="Its published articles in the API.")
    article_count = serializers.IntegerField(help_text="Published articles mentioning it.")
    updated_at = serializers.DateTimeField()
    relations = RelationSerializer(many=True)


class PersonSerializer(EntityBaseSerializer):
    roles = RoleSerializer(many=True)


class OrganizationSerializer(EntityBaseSerializer):
    organization_kind = serializers.ChoiceField(
        choices=[*OrganizationKind.values, ""], allow_blank=True
    )
    country = EntityRefSerializer(allow_null=True)


class EventSerializer(EntityBaseSerializer):
    start = serializers.DateField(help_text="First day of the start period.")
    end = serializers.DateField(allow_null=True)
    precision = serializers.ChoiceField(choices=PRECISION_CHOICES, help_text="Of `start`.")
    end_precision = serializers.ChoiceField(choices=PRECISION_CHOICES, allow_null=True)
    date_display = serializers.CharField(help_text="“May 2023”, “1863–1864”.")
    location = EntityRefSerializer(allow_null=True)
    participants = ParticipantSerializer(many=True)


class PlaceSerializer(EntityBaseSerializer):
    place_kind = serializers.ChoiceField(choices=[*PlaceKind.values, ""], allow_blank=True)
    parent = EntityRefSerializer(allow_null=True)
    latitude = serializers.FloatField(allow_null=True)
    longitude = serializers.FloatField(allow_null=True)


SERIALIZER_BY_KIND = {
    EntityKind.PERSON: PersonSerializer,
    EntityKind.ORGANIZATION: OrganizationSerializer,
    EntityKind.EVENT: EventSerializer,
    EntityKind.PLACE: PlaceSerializer,
}


class MergedEntitySerializer(serializers.Serializer):
    detail = serializers.CharField()
    merged_into = EntityRefSerializer()
