"""What every API view shares: renderers, strict query parameters, conditional GET,
the read-only base of the simple resources."""

from django.shortcuts import get_object_or_404
from rest_framework import exceptions, viewsets
from rest_framework.response import Response
from rest_framework.settings import api_settings

from api.auth import PublicReadOnly
from api.http import (
    ConditionalGetMixin,
    NinjsRenderer,
    check_request_hygiene,
)
from api.pagination import CappedLimitOffsetPagination


class Renderers:
    """JSON (and the browsable API where enabled) plus ninjs."""

    @staticmethod
    def classes():
        return [*api_settings.DEFAULT_RENDERER_CLASSES, NinjsRenderer]


# Query parameters that may be repeated (all others appear at most once).
MULTI_VALUE_PARAMS = {"person", "organization", "event", "place", "entity"}
# Free-text parameters where an empty value is meaningful (no filter).
EMPTY_ALLOWED_PARAMS = {"name"}


class APIViewBase(ConditionalGetMixin):
    """What every API view shares: conditional GETs and strict input hygiene.

    Query parameters form an allow-list per view (filters, pagination, `format`): an
    unknown, repeated or empty parameter is a 400, not silently ignored.
    """

    def allowed_query_params(self) -> set[str]:
        names = {"format"}
        if getattr(self, "action", None) == "list":
            filterset_class = getattr(self, "filterset_class", None)
            if filterset_class is not None:
                names |= set(filterset_class.base_filters)
            paginator = self.paginator
            if paginator is not None:
                names |= set(getattr(paginator, "query_params", ()))
        return names

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        check_request_hygiene(request, kwargs.values())
        allowed = self.allowed_query_params()
        errors = {}
        for name, values in request.query_params.lists():
            if name not in allowed:
                errors[name] = ["Unknown parameter."]
            elif len(values) > 1 and name not in MULTI_VALUE_PARAMS:
                errors[name] = ["Give this parameter once."]
            elif any(value == "" for value in values) and name not in EMPTY_ALLOWED_PARAMS:
                errors[name] = ["Empty value."]
        if errors:
            raise exceptions.ValidationError(errors)


class SimpleReadViewSet(APIViewBase, viewsets.GenericViewSet):
    """Read-only, slug-addressed, limit/offset-paginated public lists."""

    permission_classes = [PublicReadOnly]
    lookup_field = "slug"
    lookup_value_regex = r"[^/]+"
    pagination_class = CappedLimitOffsetPagination

    def payload(self, obj) -> dict:
        raise NotImplementedError

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response([self.payload(obj) for obj in page])

    def retrieve(self, request, *args, **kwargs):
        obj = get_object_or_404(self.get_queryset(), slug=kwargs["slug"])
        return Response(self.payload(obj))
