"""People, organizations, events and places in the public API.

Lists show active (unmerged) entities of one kind with their count of published
articles; a merged entity's URL answers 301 to its survivor, with a body naming it.
"""

from django.db.models import Count, Prefetch, Q
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, status, viewsets
from rest_framework.response import Response

from api.auth import PublicReadOnly
from api.base import APIViewBase
from api.entity_filters import EntityFilter, EventFilter, PlaceFilter
from api.entity_serializers import (
    SERIALIZER_BY_KIND,
    MergedEntitySerializer,
    entity_api_url,
    entity_payload,
    entity_ref,
)
from api.pagination import CappedLimitOffsetPagination
from api.schema import ERROR, LIST_RESPONSES
from articles.models import MentionState, public_q
from entities.models import Entity, EntityKind, Participation, Relation, Role

FILTER_BY_KIND = {
    EntityKind.PERSON: EntityFilter,
    EntityKind.ORGANIZATION: EntityFilter,
    EntityKind.EVENT: EventFilter,
    EntityKind.PLACE: PlaceFilter,
}
MAX_MERGE_HOPS = 10


def public_article_count():
    """Published articles with a confirmed mention: drafts never count."""
    return Count(
        "mentions__article",
        filter=Q(mentions__state=MentionState.CONFIRMED) & public_q(prefix="mentions__article__"),
        distinct=True,
    )


def entity_queryset(kind: str):
    """Entities of a kind with everything their document shows, in constant queries."""
    queryset = (
        Entity.objects.filter(kind=kind)
        .select_related("parent", "country", "location")
        .prefetch_related(
            "aliases",
            Prefetch("relations", queryset=Relation.objects.select_related("object")),
            Prefetch("inverse_relations", queryset=Relation.objects.select_related("subject")),
        )
        .annotate(public_article_count=public_article_count())
    )
    if kind == EntityKind.PERSON:
        queryset = queryset.prefetch_related(
            Prefetch("roles", queryset=Role.objects.select_related("affiliation"))
        )
    if kind == EntityKind.EVENT:
        queryset = queryset.prefetch_related(
            Prefetch("participations", queryset=Participation.objects.select_related("participant"))
        )
    return queryset


class EntityViewSet(APIViewBase, viewsets.GenericViewSet):
    """Base for one kind; see entity_viewset()."""

    permission_classes = [PublicReadOnly]
    lookup_field = "slug"
    lookup_value_regex = r"[^/]+"
    pagination_class = CappedLimitOffsetPagination
    kind: str = ""

    def get_queryset(self):
        return entity_queryset(self.kind)

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset().active().order_by("name", "pk"))
        page = self.paginate_queryset(queryset)
        self.last_modified = None
        return self.get_paginated_response([entity_payload(entity) for entity in page])

    def retrieve(self, request, *args, **kwargs):
        entity = self.get_queryset().filter(slug=kwargs["slug"]).first()
        if entity is None:
            raise exceptions.NotFound(f"No {self.kind} with this slug.")
        if entity.merged_into_id is not None:
            return self._merged(entity)
        self.last_modified = entity.updated_at
        return Response(entity_payload(entity))

    def _merged(self, entity: Entity) -> Response:
        survivor = entity
        for _hop in range(MAX_MERGE_HOPS):
            if survivor.merged_into_id is None:
                break
            survivor = Entity.objects.get(pk=survivor.merged_into_id)
        location = entity_api_url(survivor.kind, survivor.slug)
        return Response(
            {
                "detail": f"“{entity.name}” was merged into “{survivor.name}”.",
                "merged_into": entity_ref(survivor),
            },
            status=status.HTTP_301_MOVED_PERMANENTLY,
            headers={"Location": location},
        )


def entity_viewset(kind: str) -> type[EntityViewSet]:
    """A read-only viewset for one kind, documented with that kind's fields."""
    serializer = SERIALIZER_BY_KIND[kind]
    label = kind.replace("_", " ")
    viewset = type(
        f"{kind.capitalize()}ViewSet",
        (EntityViewSet,),
        {
            "kind": kind,
            "serializer_class": serializer,
            "filterset_class": FILTER_BY_KIND[kind],
            "queryset": Entity.objects.none(),
            "__doc__": f"Every active {label}, by name, with its published article count.",
        },
    )
    return extend_schema_view(
        list=extend_schema(responses={200: serializer(many=True), **LIST_RESPONSES}),
        retrieve=extend_schema(
            responses={
                200: serializer,
                301: OpenApiResponse(
                    MergedEntitySerializer, description="Merged: Location names the survivor."
                ),
                404: ERROR,
                **LIST_RESPONSES,
            }
        ),
    )(viewset)


PersonViewSet = entity_viewset(EntityKind.PERSON)
OrganizationViewSet = entity_viewset(EntityKind.ORGANIZATION)
EventViewSet = entity_viewset(EntityKind.EVENT)
PlaceViewSet = entity_viewset(EntityKind.PLACE)
