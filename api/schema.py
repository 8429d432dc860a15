"""OpenAPI pieces shared by the API's resources: error shapes, headers, responses."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    inline_serializer,
)
from rest_framework import serializers

from api.article_serializers import (
    ArticleSerializer,
    NinjsSerializer,
)
from api.http import (
    NINJS_MEDIA_TYPE,
)

ERROR = inline_serializer("Error", {"detail": serializers.CharField()})
VALIDATION_ERROR = OpenApiResponse(
    OpenApiTypes.OBJECT, description="Invalid input; the body names each field."
)
THROTTLED = OpenApiResponse(ERROR, description="Too many anonymous requests (see Retry-After).")
STALE = inline_serializer(
    "StaleArticle",
    {
        "detail": serializers.CharField(),
        "saved_by": serializers.CharField(allow_null=True),
        "saved_at": serializers.DateTimeField(allow_null=True),
        "current_version": serializers.IntegerField(),
    },
)
IF_MATCH = OpenApiParameter(
    "If-Match",
    {"type": "string", "pattern": r'^(W/)?"v[0-9]{1,9}(\.[0-9a-f]+)?"$'},
    OpenApiParameter.HEADER,
    required=True,
    description="The ETag of the article as you read it (its version). "
    "Missing: 428; stale: 412 naming who saved last.",
)


def int_parameter(name: str, minimum: int, maximum: int, description: str) -> dict:
    return {
        "name": name,
        "required": False,
        "in": "query",
        "description": description,
        "schema": {"type": "integer", "minimum": minimum, "maximum": maximum},
    }


ARTICLE_RESPONSES = {
    (200, "application/json"): ArticleSerializer,
    (200, NINJS_MEDIA_TYPE): NinjsSerializer,
    304: OpenApiResponse(description="Not modified (If-None-Match / If-Modified-Since)."),
    400: VALIDATION_ERROR,
    429: THROTTLED,
}
WRITE_RESPONSES = {
    (200, "application/json"): ArticleSerializer,
    (200, NINJS_MEDIA_TYPE): NinjsSerializer,
    400: VALIDATION_ERROR,
    401: ERROR,
    403: ERROR,
    404: ERROR,
    412: STALE,
    428: ERROR,
}


LIST_RESPONSES = {400: VALIDATION_ERROR, 429: THROTTLED}
