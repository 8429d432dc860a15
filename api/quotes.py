"""Quotes of public articles."""

from drf_spectacular.utils import (
    extend_schema,
    extend_schema_view,
)

from api.article_filters import QuoteFilter
from api.article_rows import QUOTE_COLUMNS, with_article
from api.article_serializers import (
    QuoteDetailSerializer,
    quote_payload,
)
from api.base import SimpleReadViewSet
from api.schema import ERROR, LIST_RESPONSES
from articles.models import (
    Quote,
    public_q,
)


@extend_schema_view(
    list=extend_schema(responses={200: QuoteDetailSerializer(many=True), **LIST_RESPONSES}),
    retrieve=extend_schema(responses={200: QuoteDetailSerializer, 404: ERROR, **LIST_RESPONSES}),
)
class QuoteViewSet(SimpleReadViewSet):
    """Quotes from published articles."""

    serializer_class = QuoteDetailSerializer
    filterset_class = QuoteFilter

    def get_queryset(self):
        return (
            Quote.objects.filter(public_q(prefix="article__"))
            .order_by("-article__publish_at", "position", "pk")
            .values(*QUOTE_COLUMNS, "article__slug", "article__headline")
        )

    def payload(self, row) -> dict:
        return with_article(quote_payload(row), row)
