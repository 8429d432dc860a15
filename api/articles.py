"""The articles endpoint: public reads (our JSON and ninjs), editorial writes mixed in."""

from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, status, viewsets
from rest_framework.response import Response

from api.article_filters import ArticleFilter
from api.article_rows import (
    article_documents,
    article_last_modified,
    article_related,
    article_rows,
    visible_q,
)
from api.article_serializers import (
    ArticleSerializer,
)
from api.article_writes import ArticleWriteMixin
from api.auth import ReadPublicWriteEditorial, sees_unpublished
from api.base import APIViewBase, Renderers
from api.http import (
    NINJS_MEDIA_TYPE,
    FormatFirstNegotiation,
)
from api.ninjs import article_to_ninjs
from api.pagination import ArticleCursorPagination
from api.review import article_review, may_review
from api.schema import ARTICLE_RESPONSES, ERROR
from articles.models import (
    Article,
    ArticleStatus,
    public_q,
)


@extend_schema_view(
    list=extend_schema(
        summary="Published articles (or, for editors and authors, ?status=)",
        description="Newest first, cursor-paginated (page_size at most 100). Entity filters "
        "take slugs; repeated values mean all of them. `?format=ninjs` or "
        f"`Accept: {NINJS_MEDIA_TYPE}` answers IPTC ninjs 2.2 documents.",
        responses=ARTICLE_RESPONSES,
    ),
    retrieve=extend_schema(
        summary="One article by slug",
        responses={
            **ARTICLE_RESPONSES,
            404: ERROR,
            410: OpenApiResponse(ERROR, description="Withdrawn."),
        },
    ),
)
class ArticleViewSet(ArticleWriteMixin, APIViewBase, viewsets.GenericViewSet):
    permission_classes = [ReadPublicWriteEditorial]
    lookup_field = "slug"
    lookup_value_regex = r"[^/]+"
    filterset_class = ArticleFilter
    pagination_class = ArticleCursorPagination
    serializer_class = ArticleSerializer
    queryset = Article.objects.none()  # for the schema; get_queryset() decides
    editorial_listing = False
    content_negotiation_class = FormatFirstNegotiation

    def get_renderers(self):
        return [renderer() for renderer in Renderers.classes()]

    def get_queryset(self):
        return article_rows()

    def _wants_ninjs(self) -> bool:
        renderer = getattr(self.request, "accepted_renderer", None)
        return renderer is not None and renderer.format == "ninjs"

    def filter_queryset(self, queryset):
        # Building the FilterSet's form costs as much as a query: skip it when no filter
        # was asked for (the plain newest-first list, the most requested page).
        if not any(name in self.request.query_params for name in ArticleFilter.base_filters):
            return queryset
        return super().filter_queryset(queryset)

    def _documents(self, rows: list[dict], related=None) -> list[dict]:
        documents = article_documents(rows, related)
        if self._wants_ninjs():
            return [article_to_ninjs(document) for document in documents]
        return documents

    def list(self, request, *args, **kwargs):
        user = request.user
        wants_status = bool(request.query_params.get("status"))
        if wants_status and sees_unpublished(user):
            self.editorial_listing = True
            visible = visible_q(user)
        else:
            visible = public_q()
        queryset = self.filter_queryset(self.get_queryset().filter(visible))
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self._documents(page))

    def retrieve(self, request, *args, **kwargs):
        slug = kwargs["slug"]
        row = self.get_queryset().filter(visible_q(request.user), slug=slug).first()
        if row is None:
            withdrawn = Article.objects.filter(slug=slug, status=ArticleStatus.WITHDRAWN).first()
            if withdrawn is not None:
                return Response(
                    {
                        "detail": "This article was withdrawn.",
                        "withdrawn_at": withdrawn.withdrawn_at,
                    },
                    status=status.HTTP_410_GONE,
                )
            raise exceptions.NotFound("No article with this slug.")
        related = article_related([row["id"]], with_times=True)
        self.last_modified = article_last_modified(row, related)
        self.etag_version = row["version"]
        document = self._documents([row], related)[0]
        if not self._wants_ninjs() and may_review(request.user, row["id"]):
            document.update(article_review(row["id"]))
        return Response(document)
