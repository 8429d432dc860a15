"""Sourced statistics of public articles."""

from drf_spectacular.utils import (
    extend_schema,
    extend_schema_view,
)

from api.article_filters import StatisticFilter
from api.article_rows import STATISTIC_COLUMNS, with_article
from api.article_serializers import (
    StatisticDetailSerializer,
    statistic_payload,
)
from api.base import SimpleReadViewSet
from api.schema import ERROR, LIST_RESPONSES
from articles.models import (
    Statistic,
    public_q,
)


@extend_schema_view(
    list=extend_schema(responses={200: StatisticDetailSerializer(many=True), **LIST_RESPONSES}),
    retrieve=extend_schema(
        responses={200: StatisticDetailSerializer, 404: ERROR, **LIST_RESPONSES}
    ),
)
class StatisticViewSet(SimpleReadViewSet):
    """Sourced figures from published articles."""

    serializer_class = StatisticDetailSerializer
    filterset_class = StatisticFilter

    def get_queryset(self):
        return (
            Statistic.objects.filter(public_q(prefix="article__"))
            .order_by("-as_of", "position", "pk")
            .values(*STATISTIC_COLUMNS, "article__slug", "article__headline")
        )

    def payload(self, row) -> dict:
        return with_article(statistic_payload(row), row)
