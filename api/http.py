"""HTTP plumbing of the API: orjson rendering, conditional GETs, errors, input hygiene.

The public payloads are plain dicts built from prefetched objects and encoded by orjson:
DRF's nested ModelSerializers and JSON renderer cost about half the throughput (see
benchmarks/bench_api.py). The drf-spectacular serializers in the apps' serializers.py
document those dicts; tests check that the two agree.
"""

import datetime as dt
import decimal
import hashlib
import re
from collections.abc import Iterable

import orjson
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from rest_framework import exceptions, status
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer
from rest_framework.views import exception_handler as drf_exception_handler

NINJS_MEDIA_TYPE = "application/ninjs+json"
# Longest query-string value we accept: slugs are at most 200 characters, dates shorter.
MAX_PARAM_LENGTH = 500
MAX_PARAM_VALUES = 20


def _default(value):
    if isinstance(value, decimal.Decimal):
        return str(value)
    # Lazy translation strings and anything else string-like.
    return str(value)


def dumps(data) -> bytes:
    # Non-string keys: DRF keys errors of list items by their index ({"occurrences": {3: …}}).
    return orjson.dumps(data, default=_default, option=orjson.OPT_UTC_Z | orjson.OPT_NON_STR_KEYS)


class FormatFirstNegotiation(DefaultContentNegotiation):
    """`?format=ninjs` wins over the Accept header (tools send Accept: application/json)."""

    def select_renderer(self, request, renderers, format_suffix=None):
        requested = format_suffix or request.query_params.get(self.settings.URL_FORMAT_OVERRIDE)
        if requested:
            matching = [renderer for renderer in renderers if renderer.format == requested]
            if not matching:
                raise exceptions.NotAcceptable(f"Unknown format “{requested[:50]}”.")
            return matching[0], matching[0].media_type
        return super().select_renderer(request, renderers, format_suffix)


class ORJSONRenderer(BaseRenderer):
    """application/json through orjson (datetimes as RFC 3339, decimals as strings)."""

    media_type = "application/json"
    format = "json"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        if data is None:
            return b""
        return dumps(data)


class NinjsRenderer(ORJSONRenderer):
    """IPTC ninjs 2.2: `?format=ninjs` or `Accept: application/ninjs+json`."""

    media_type = NINJS_MEDIA_TYPE
    format = "ninjs"


def etag_for(content: bytes) -> str:
    return '"' + hashlib.blake2b(content, digest_size=12).hexdigest() + '"'


IF_MATCH_PATTERN = re.compile(r'^(?:W/)?"v([0-9]{1,9})(?:\.[0-9a-f]+)?"$')


def parse_if_match_version(header: str) -> int | None:
    """The article version named by an If-Match header (`"v3.…"` as sent in ETags)."""
    match = IF_MATCH_PATTERN.match(header.strip())
    return int(match.group(1)) if match else None


def article_etag(version: int, content: bytes) -> str:
    """Article ETags start with the version, so that If-Match names the version edited."""
    return f'"v{version}.{hashlib.blake2b(content, digest_size=8).hexdigest()}"'


class ConditionalGetMixin:
    """ETag and Last-Modified on every successful GET, and 304 when the client has it.

    Views may set `self.last_modified` (an aware datetime) and `self.etag_version` (an
    article version) while building the response; without a known modification time the
    response says "now", which never produces a wrong 304. The ETag is a hash of the
    rendered body, so it changes whenever anything the client sees changes.
    """

    last_modified: dt.datetime | None = None
    etag_version: int | None = None

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code >= 400 and isinstance(
            getattr(response, "accepted_renderer", None), NinjsRenderer
        ):
            # An error is not a ninjs document: it answers application/json, as documented.
            response.accepted_renderer = ORJSONRenderer()
            response.accepted_media_type = ORJSONRenderer.media_type
        patch_vary_headers(response, ["Authorization"])
        user = getattr(request, "_user", None)  # never authenticate again here
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "private, no-store"
        if request.method in ("GET", "HEAD") and response.status_code == status.HTTP_200_OK:
            callback = self._apply_validators
        elif response.status_code in (200, 201) and self.etag_version is not None:
            callback = self._apply_write_etag  # the ETag to send with the next write
        else:
            return response
        if hasattr(response, "add_post_render_callback") and not response.is_rendered:
            response.add_post_render_callback(callback)
        else:
            response = callback(response) or response
        return response

    def _apply_write_etag(self, response):
        response["ETag"] = article_etag(self.etag_version, response.content)

    def _apply_validators(self, response):
        if self.etag_version is not None:
            etag = article_etag(self.etag_version, response.content)
        else:
            etag = etag_for(response.content)
        modified = self.last_modified or timezone.now()
        response["ETag"] = etag
        response["Last-Modified"] = http_date(modified.timestamp())
        conditional = get_conditional_response(
            self.request,
            etag=etag,
            last_modified=int(modified.timestamp()),
            response=response,
        )
        if conditional is not None and conditional is not response:
            for header in ("Vary", "Cache-Control"):
                if header in response:
                    conditional[header] = response[header]
            return conditional
        return None


def latest(values: Iterable[dt.datetime | None]) -> dt.datetime | None:
    present = [value for value in values if value is not None]
    return max(present) if present else None


def check_request_hygiene(request, path_values=()) -> None:
    """Refuse NUL bytes and oversized parameters with 400 before any query runs."""
    for value in path_values:
        if isinstance(value, str) and ("\x00" in value or len(value) > MAX_PARAM_LENGTH):
            raise exceptions.ValidationError({"detail": "Invalid path."})
    for key, values in request.query_params.lists():
        if "\x00" in key or len(key) > MAX_PARAM_LENGTH:
            raise exceptions.ValidationError({"detail": "Invalid query parameter name."})
        if len(values) > MAX_PARAM_VALUES:
            raise exceptions.ValidationError({key: [f"At most {MAX_PARAM_VALUES} values."]})
        for value in values:
            if "\x00" in value:
                raise exceptions.ValidationError({key: ["NUL characters are not allowed."]})
            if len(value) > MAX_PARAM_LENGTH:
                raise exceptions.ValidationError({key: ["Value too long."]})


def reject_nul(data, path: str = "") -> None:
    """Refuse NUL characters anywhere in a parsed request body."""
    if isinstance(data, str):
        if "\x00" in data:
            raise exceptions.ValidationError(
                {path or "detail": ["NUL characters are not allowed."]}
            )
    elif isinstance(data, dict):
        for key, value in data.items():
            if isinstance(key, str) and "\x00" in key:
                raise exceptions.ValidationError({"detail": ["NUL characters are not allowed."]})
            reject_nul(value, str(key))
    elif isinstance(data, list):
        for value in data:
            reject_nul(value, path)


def exception_handler(exc, context):
    """DRF's handler, plus Django's ValidationError and PermissionDenied from services."""
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if getattr(exc, "payload", None) is not None:
        response.data = exc.payload
    if isinstance(exc, exceptions.Throttled) and "Retry-After" not in response:
        response["Retry-After"] = "60"
    return response


ERROR_RESPONSES = {
    "400": "Invalid input; the body names each field.",
    "401": "Missing, invalid or expired token.",
    "403": "Not allowed for this role.",
    "404": "No such resource.",
    "406": "Unknown format or unacceptable Accept header.",
    "413": "Request body over NEWSROOM_MAX_REQUEST_BYTES (1 MiB by default).",
    "429": "Too many requests; see Retry-After.",
    "503": "The database is briefly unreachable; retry after Retry-After seconds.",
}
ERROR_SCHEMA = {
    "type": "object",
    "description": "`detail` for request-wide errors, or one list of messages per field.",
    "additionalProperties": True,
}


def add_error_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook: every operation documents the errors the API
    answers everywhere (bad input, auth, unknown slug, format, body size, throttling, a
    database outage)."""
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            if method == "get" and {} not in operation.get("security", [{}]):
                operation["security"].append({})  # every read is open to anonymous clients
            _document_text_parameters(operation)
            _describe_common_parameters(path, operation)
            responses = operation.setdefault("responses", {})
            for code, description in ERROR_RESPONSES.items():
                responses.setdefault(
                    code,
                    {
                        "description": description,
                        "content": {"application/json": {"schema": ERROR_SCHEMA}},
                    },
                )
    return result


# The resource a path's {slug} names, by the path's first segment after /api/v1/.
SLUG_NOUNS = {
    "articles": "article",
    "people": "person",
    "organizations": "organization",
    "events": "event",
    "places": "place",
    "quotes": "quote",
    "statistics": "figure",
    "sections": "section",
}
FORMAT_DESCRIPTION = (
    "Response format: `json` (default) or `ninjs` (IPTC ninjs 2.2; "
    "`Accept: application/ninjs+json` chooses it too)."
)


def _describe_common_parameters(path: str, operation: dict) -> None:
    """Parameters no view declares itself: the format switch and the path's slug."""
    segment = path.removeprefix("/api/v1/").split("/", 1)[0]
    for parameter in operation.get("parameters", []):
        if parameter.get("description"):
            continue
        if parameter["in"] == "query" and parameter["name"] == "format":
            parameter["description"] = FORMAT_DESCRIPTION
        elif parameter["in"] == "path" and parameter["name"] == "slug":
            noun = SLUG_NOUNS.get(segment, "resource")
            parameter["description"] = f"The {noun}'s slug, as in its `url`."


# What every text query parameter accepts (refused with 400 otherwise, see above).
TEXT_PARAMETER_PATTERN = "^[^\\x00]*$"


def _document_text_parameters(operation: dict) -> None:
    """Say in the schema what the API enforces on every text query parameter: no NUL
    characters and at most MAX_PARAM_LENGTH characters."""
    for parameter in operation.get("parameters", []):
        schema = parameter.get("schema", {})
        targets = [schema.get("items", {})] if schema.get("type") == "array" else [schema]
        for target in targets:
            if target.get("type") == "string" and "enum" not in target:
                target.setdefault("pattern", TEXT_PARAMETER_PATTERN)
                target["maxLength"] = min(
                    target.get("maxLength", MAX_PARAM_LENGTH), MAX_PARAM_LENGTH
                )


def strict_int(request, name: str, default: int, minimum: int, maximum: int) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or not (minimum <= value <= maximum) or not raw.strip().lstrip("-").isdigit():
        raise exceptions.ValidationError({name: [f"An integer from {minimum} to {maximum}."]})
    return value
