"""Sections: a short list, newest first by position."""

from drf_spectacular.utils import (
    extend_schema,
    extend_schema_view,
)

from api.article_serializers import (
    SectionSerializer,
)
from api.base import SimpleReadViewSet
from api.entity_serializers import api_root, site_url
from api.schema import ERROR, LIST_RESPONSES
from articles.models import (
    Section,
)


@extend_schema_view(
    list=extend_schema(responses={200: SectionSerializer(many=True), **LIST_RESPONSES}),
    retrieve=extend_schema(responses={200: SectionSerializer, 404: ERROR, **LIST_RESPONSES}),
)
class SectionViewSet(SimpleReadViewSet):
    serializer_class = SectionSerializer
    queryset = Section.objects.order_by("position", "name", "pk")
    filterset_class = None

    def payload(self, section) -> dict:
        return {
            "slug": section.slug,
            "name": section.name,
            "description": section.description,
            "url": f"{site_url()}/sections/{section.slug}/",
            "api_url": f"{api_root()}sections/{section.slug}/",
            "articles_url": f"{api_root()}articles/?section={section.slug}",
        }
