"""The API's paginators: capped limit/offset for small lists, a cursor for articles."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.pagination import CursorPagination, LimitOffsetPagination

from api.article_filters import ORDERINGS
from api.http import strict_int
from api.schema import int_parameter

MAX_PAGE_SIZE = 100


class CappedLimitOffsetPagination(LimitOffsetPagination):
    default_limit = 50
    max_limit = MAX_PAGE_SIZE
    max_offset = 1_000_000
    query_params = ("limit", "offset")

    def get_limit(self, request):
        return strict_int(request, self.limit_query_param, self.default_limit, 1, self.max_limit)

    def get_offset(self, request):
        return strict_int(request, self.offset_query_param, 0, 0, self.max_offset)

    def get_schema_operation_parameters(self, view):
        return [
            int_parameter("limit", 1, self.max_limit, "Results per page (default 50)."),
            int_parameter("offset", 0, self.max_offset, "Results to skip."),
        ]


class ArticleCursorPagination(CursorPagination):
    """Stable under inserts: a cursor names a position, not a page number."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    ordering = "-publish_at"
    query_params = ("cursor", "page_size")

    def get_page_size(self, request):
        return strict_int(request, self.page_size_query_param, self.page_size, 1, MAX_PAGE_SIZE)

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": "cursor",
                "required": False,
                "in": "query",
                "description": "The `next` or `previous` link's cursor.",
                "schema": {"type": "string", "minLength": 1, "maxLength": 500},
            },
            int_parameter("page_size", 1, MAX_PAGE_SIZE, "Articles per page (default 20)."),
        ]

    def get_ordering(self, request, queryset, view):
        requested = request.query_params.get("ordering")
        if getattr(view, "editorial_listing", False):
            # Unpublished articles may have no publish time: order them by last change.
            if requested not in ("updated_at", "-updated_at"):
                requested = "-updated_at"
        elif requested not in ORDERINGS:
            requested = self.ordering
        tie_breaker = "pk" if not requested.startswith("-") else "-pk"
        return (requested, tie_breaker)

    def paginate_queryset(self, queryset, request, view=None):
        try:
            return super().paginate_queryset(queryset, request, view)
        except exceptions.NotFound as exc:
            raise exceptions.ValidationError({"cursor": ["Invalid cursor."]}) from exc
        except (ValueError, OverflowError, TypeError, DjangoValidationError) as exc:
            raise exceptions.ValidationError({"cursor": ["Invalid cursor."]}) from exc

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }
