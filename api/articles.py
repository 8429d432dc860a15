"""Article endpoints: the public read API, ninjs, and the editorial API for newsroom tools.

Reads start from Article.objects.public(); editors (preview permission) and authors (their
own articles) see unpublished ones only through `?status=` on the list, or by slug.
Every write goes through workflow.articles, like the admin: the same role rules,
versioned saves (If-Match → expected_version) and revisions.
"""

import datetime as dt
import decimal
import functools

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import connections
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import CursorPagination, LimitOffsetPagination
from rest_framework.parsers import BaseParser, JSONParser
from rest_framework.response import Response
from rest_framework.settings import api_settings

from api.article_filters import ORDERINGS, ArticleFilter, QuoteFilter, StatisticFilter
from api.article_serializers import (
    ArticlePatchSerializer,
    ArticleSerializer,
    ArticleWriteSerializer,
    CorrectSerializer,
    NinjsSerializer,
    PublishSerializer,
    QuoteDetailSerializer,
    SectionSerializer,
    StatisticDetailSerializer,
    WithdrawSerializer,
    article_api_url,
    article_payload,
    article_url,
    quote_payload,
    render_bodies,
    statistic_payload,
)
from api.auth import PublicReadOnly, ReadPublicWriteEditorial, can_preview, is_author
from api.entity_serializers import api_root, site_url
from api.http import (
    NINJS_MEDIA_TYPE,
    ConditionalGetMixin,
    FormatFirstNegotiation,
    NinjsRenderer,
    check_request_hygiene,
    latest,
    parse_if_match_version,
    reject_nul,
)
from api.ninjs import article_to_ninjs
from articles.importing import ArticleImportError
from articles.models import (
    Article,
    ArticleStatus,
    Correction,
    CorrectionKind,
    Mention,
    MentionState,
    Quote,
    Section,
    Statistic,
    public_q,
)
from entities.models import Entity, EntityKind
from mentions.models import MentionCandidate
from workflow import articles as services
from workflow import imports, review

MAX_PAGE_SIZE = 100
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


class Renderers:
    """JSON (and the browsable API where enabled) plus ninjs."""

    @staticmethod
    def classes():
        return [*api_settings.DEFAULT_RENDERER_CLASSES, NinjsRenderer]


# Query parameters that may be repeated (all others appear at most once).
MULTI_VALUE_PARAMS = {"person", "organization", "event", "place", "entity"}
# Free-text parameters where an empty value is meaningful (no filter).
EMPTY_ALLOWED_PARAMS = {"name"}


def _strict_int(request, name: str, default: int, minimum: int, maximum: int) -> int:
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


def _int_parameter(name: str, minimum: int, maximum: int, description: str) -> dict:
    return {
        "name": name,
        "required": False,
        "in": "query",
        "description": description,
        "schema": {"type": "integer", "minimum": minimum, "maximum": maximum},
    }


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


class CappedLimitOffsetPagination(LimitOffsetPagination):
    default_limit = 50
    max_limit = MAX_PAGE_SIZE
    max_offset = 1_000_000
    query_params = ("limit", "offset")

    def get_limit(self, request):
        return _strict_int(request, self.limit_query_param, self.default_limit, 1, self.max_limit)

    def get_offset(self, request):
        return _strict_int(request, self.offset_query_param, 0, 0, self.max_offset)

    def get_schema_operation_parameters(self, view):
        return [
            _int_parameter("limit", 1, self.max_limit, "Results per page (default 50)."),
            _int_parameter("offset", 0, self.max_offset, "Results to skip."),
        ]


class ArticleCursorPagination(CursorPagination):
    """Stable under inserts: a cursor names a position, not a page number."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    ordering = "-publish_at"
    query_params = ("cursor", "page_size")

    def get_page_size(self, request):
        return _strict_int(request, self.page_size_query_param, self.page_size, 1, MAX_PAGE_SIZE)

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": "cursor",
                "required": False,
                "in": "query",
                "description": "The `next` or `previous` link's cursor.",
                "schema": {"type": "string", "minLength": 1, "maxLength": 500},
            },
            _int_parameter("page_size", 1, MAX_PAGE_SIZE, "Articles per page (default 20)."),
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


ARTICLE_COLUMNS = (
    "id",
    "slug",
    "headline",
    "standfirst",
    "body",
    "byline",
    "language",
    "status",
    "publish_at",
    "embargo_until",
    "first_published_at",
    "updated_at",
    "version",
    "section_id",
    "dateline_id",
)
MENTION_COLUMNS = ("article_id", "role", "entity__slug", "entity__name", "entity__kind")
# Only the detail needs when its mentions last changed (for Last-Modified).
MENTION_TIME_COLUMNS = ("entity__updated_at", "decided_at")


def _ref_columns(*relations: str) -> tuple[str, ...]:
    return tuple(f"{relation}__{column}" for relation in relations for column in REF)


REF = ("slug", "name", "kind")
QUOTE_COLUMNS = (
    "article_id",
    "slug",
    "text",
    "said_on",
    "said_on_precision",
    "said_where",
    *_ref_columns("speaker", "medium", "context_event"),
)
STATISTIC_COLUMNS = (
    "article_id",
    "slug",
    "value",
    "unit",
    "as_of",
    "as_of_precision",
    "source_url",
    "note",
    *_ref_columns("subject", "source"),
)
CORRECTION_COLUMNS = ("article_id", "kind", "note", "published_at")


@functools.cache
def _article_rows_template():
    return Article.objects.values(*ARTICLE_COLUMNS)


def article_rows():
    """Articles as values() rows: the page query of every article endpoint. Resolving the
    columns costs as much as running the query, so it is done once and cloned."""
    return _article_rows_template().all()


def _aware(value):
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value, dt.UTC)
    return value


def _decimal(value):
    return (
        value
        if value is None or isinstance(value, decimal.Decimal)
        else decimal.Decimal(str(value))
    )


def _date(value):
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


class PageQuery:
    """A values() query over a page of articles, compiled by the ORM once per database and
    then run as plain SQL with the page's ids: the ORM's per-query compile and per-row
    converter costs were most of the article list's time (benchmarks/bench_api.py)."""

    SENTINEL = -7_654_321

    def __init__(
        self, build, columns: tuple[str, ...], converters: dict | None = None, key="article_id"
    ):
        self.build = build  # ids -> QuerySet filtered on <key>__in=ids
        self.columns = columns
        self.converters = converters or {}
        self.key = key
        self._compiled: dict[str, tuple[list[str], list, int]] = {}

    def _compile(self, alias: str):
        queryset = self.build([self.SENTINEL]).values_list(*self.columns)
        sql, params = queryset.query.get_compiler(using=alias).as_sql()
        params = list(params)
        position = params.index(self.SENTINEL)
        return sql.split("%s"), params, position

    def __call__(self, ids: list[int], alias: str = "default") -> dict[int, list[dict]]:
        if alias not in self._compiled:
            self._compiled[alias] = self._compile(alias)
        pieces, params, position = self._compiled[alias]
        placeholders = ", ".join(["%s"] * len(ids))
        sql = (
            "".join(
                piece + (placeholders if index == position else "%s")
                for index, piece in enumerate(pieces[:-1])
            )
            + pieces[-1]
        )
        values = [*params[:position], *ids, *params[position + 1 :]]
        groups: dict[int, list[dict]] = {}
        converters = list(self.converters.items())
        with connections[alias].cursor() as cursor:
            cursor.execute(sql, values)
            for record in cursor.fetchall():
                row = dict(zip(self.columns, record, strict=True))
                for name, convert in converters:
                    row[name] = convert(row[name])
                groups.setdefault(row[self.key], []).append(row)
        return groups


MENTIONS = PageQuery(
    lambda ids: Mention.objects.filter(article_id__in=ids, state=MentionState.CONFIRMED).order_by(
        "article_id", "span_start", "pk"
    ),
    MENTION_COLUMNS,
)
MENTIONS_WITH_TIMES = PageQuery(
    MENTIONS.build,
    (*MENTION_COLUMNS, *MENTION_TIME_COLUMNS),
    {"entity__updated_at": _aware, "decided_at": _aware},
)
QUOTES = PageQuery(
    lambda ids: Quote.objects.filter(article_id__in=ids).order_by("article_id", "position", "pk"),
    QUOTE_COLUMNS,
    {"said_on": _date},
)
STATISTICS = PageQuery(
    lambda ids: Statistic.objects.filter(article_id__in=ids).order_by(
        "article_id", "position", "pk"
    ),
    STATISTIC_COLUMNS,
    {"value": _decimal, "as_of": _date},
)
CORRECTIONS = PageQuery(
    lambda ids: Correction.objects.filter(article_id__in=ids).order_by(
        "article_id", "-published_at", "-pk"
    ),
    CORRECTION_COLUMNS,
    {"published_at": _aware},
)


SECTIONS = PageQuery(
    lambda ids: Section.objects.filter(pk__in=ids).order_by(), ("id", "slug", "name"), key="id"
)
DATELINES = PageQuery(
    lambda ids: Entity.objects.filter(pk__in=ids).order_by(),
    ("id", "slug", "name", "kind"),
    key="id",
)


def with_references(rows: list[dict]) -> list[dict]:
    """Add section and dateline columns to article rows: two small queries instead of
    joins, which made SQLite sort the whole table before taking a page."""
    section_ids = list({row["section_id"] for row in rows if row["section_id"]})
    place_ids = list({row["dateline_id"] for row in rows if row["dateline_id"]})
    sections = SECTIONS(section_ids) if section_ids else {}
    places = DATELINES(place_ids) if place_ids else {}
    for row in rows:
        section = sections.get(row["section_id"], [{}])[0]
        place = places.get(row["dateline_id"], [{}])[0]
        row["section__slug"], row["section__name"] = section.get("slug"), section.get("name")
        row["dateline__slug"] = place.get("slug")
        row["dateline__name"], row["dateline__kind"] = place.get("name"), place.get("kind")
    return rows


def article_related(ids: list[int], *, with_times: bool = False) -> dict:
    """Confirmed mentions, quotes, statistics and corrections of these articles: four
    queries whatever their number, as plain rows (no model instances)."""
    if not ids:
        return {"mentions": {}, "quotes": {}, "statistics": {}, "corrections": {}}
    return {
        "mentions": (MENTIONS_WITH_TIMES if with_times else MENTIONS)(ids),
        "quotes": QUOTES(ids),
        "statistics": STATISTICS(ids),
        "corrections": CORRECTIONS(ids),
    }


def article_documents(rows: list[dict], related=None) -> list[dict]:
    rows = with_references(rows)
    related = related if related is not None else article_related([r["id"] for r in rows])
    rendered = render_bodies([row["body"] for row in rows])
    return [
        article_payload(
            row,
            mentions=related["mentions"].get(row["id"], []),
            quotes=related["quotes"].get(row["id"], []),
            statistics=related["statistics"].get(row["id"], []),
            corrections=related["corrections"].get(row["id"], []),
            rendered=rendered[row["body"]],
        )
        for row in rows
    ]


def visible_q(user) -> Q:
    """What this user may read: the public, plus unpublished work for editors and authors."""
    if can_preview(user):
        return Q()
    if is_author(user):
        return public_q() | Q(author=user)
    return public_q()


def visible_articles(user):
    return Article.objects.filter(visible_q(user))


def article_last_modified(row: dict, related) -> dt.datetime | None:
    """When anything the article's document shows last changed (as far as we can tell)."""
    now = timezone.now()
    mentions = related["mentions"].get(row["id"], [])
    return latest(
        [
            row["updated_at"],
            row["publish_at"] if row["publish_at"] and row["publish_at"] <= now else None,
            row["embargo_until"] if row["embargo_until"] and row["embargo_until"] <= now else None,
            *(c["published_at"] for c in related["corrections"].get(row["id"], [])),
            *(m["entity__updated_at"] for m in mentions),
            *(m["decided_at"] for m in mentions),
        ]
    )


WRITABLE = set(ArticlePatchSerializer().fields)
READ_ONLY = set(ArticleSerializer().fields) - WRITABLE


def _refuse_unknown_fields(data: dict, allowed: set[str]) -> None:
    """Fields outside the allow-list are refused with 400 naming them, never ignored."""
    errors = {}
    for name in data:
        if name in allowed:
            continue
        if name in READ_ONLY or name == "author":
            errors[name] = ["This field cannot be written here; use the workflow actions."]
        else:
            errors[name] = ["Unknown field."]
    if errors:
        raise exceptions.ValidationError(errors)


def _resolve_relations(values: dict) -> dict:
    """Section and dateline arrive as slugs; the services take objects."""
    if values.get("section"):
        section = Section.objects.filter(slug=values["section"]).first()
        if section is None:
            raise exceptions.ValidationError({"section": ["No section with this slug."]})
        values["section"] = section
    elif "section" in values:
        values["section"] = None
    if values.get("dateline"):
        place = Entity.objects.filter(slug=values["dateline"], kind=EntityKind.PLACE).first()
        if place is None:
            raise exceptions.ValidationError({"dateline": ["No place with this slug."]})
        values["dateline"] = place
    elif "dateline" in values:
        values["dateline"] = None
    return values


def _request_body(request) -> dict:
    data = request.data
    if not isinstance(data, dict):
        raise exceptions.ValidationError({"detail": ["Expected a JSON object."]})
    reject_nul(data)
    return data


def _if_match_version(request, article: Article) -> int:
    """The version the client edited, from If-Match: 428 without it, 412 if unreadable."""
    header = request.headers.get("If-Match")
    if not header:
        raise PreconditionRequired()
    version = parse_if_match_version(header)
    if version is None:
        raise exceptions.ValidationError({"If-Match": ["Send the ETag this API gave you."]})
    return version


class StalePrecondition(exceptions.APIException):
    """412 with who saved last, when, and the current version."""

    status_code = status.HTTP_412_PRECONDITION_FAILED

    def __init__(self, stale: services.StaleArticleError):
        saved_by = stale.saved_by.get_username() if stale.saved_by is not None else None
        super().__init__(stale.message)
        # Answered as is by api.http.exception_handler (numbers stay numbers).
        self.payload = {
            "detail": stale.message,
            "saved_by": saved_by,
            "saved_at": stale.saved_at,
            "current_version": stale.current_version,
        }


class PreconditionRequired(exceptions.APIException):
    status_code = 428
    default_detail = "Send If-Match with the ETag of the article you edited."
    default_code = "precondition_required"


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


REVIEW_DECISIONS = ("confirm", "reject", "reassign", "confirm_all")


class ReviewSerializer(serializers.Serializer):
    """One decision on the article's entity suggestions (or `confirm_all`)."""

    decision = serializers.ChoiceField(choices=REVIEW_DECISIONS)
    entity = serializers.SlugField(
        max_length=200, required=False, help_text="The suggested entity (not for confirm_all)."
    )
    to = serializers.SlugField(
        max_length=200, required=False, help_text="reassign: the entity it really means."
    )


class SuggestionSerializer(serializers.Serializer):
    entity = serializers.SlugField()
    kind = serializers.CharField()
    name = serializers.CharField()
    role = serializers.CharField()
    state = serializers.CharField()
    matched_text = serializers.CharField()
    field = serializers.CharField()
    span = serializers.ListField(child=serializers.IntegerField(), allow_null=True)
    text_missing = serializers.BooleanField()


class CandidateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    kind = serializers.CharField(help_text="unknown: no entity has this name; ambiguous.")
    state = serializers.CharField()
    field = serializers.CharField()
    span = serializers.ListField(child=serializers.IntegerField(), allow_null=True)
    entities = serializers.ListField(child=serializers.SlugField())


class ReviewPayloadSerializer(serializers.Serializer):
    suggestions = SuggestionSerializer(many=True)
    candidates = CandidateSerializer(many=True)


def _span(start, end) -> list[int] | None:
    return None if start is None else [start, end]


def article_review(article_id: int) -> dict:
    """The finder's suggestions and candidate names of one article, for its editors and
    author: every entity link with its state, and the names no entity (or several) has."""
    mentions = (
        Mention.objects.filter(article_id=article_id)
        .order_by("field", "span_start", "pk")
        .values(
            "entity__slug",
            "entity__kind",
            "entity__name",
            "role",
            "state",
            "matched_text",
            "field",
            "span_start",
            "span_end",
            "text_missing",
        )
    )
    candidates = (
        MentionCandidate.objects.filter(article_id=article_id)
        .order_by("field", "span_start", "pk")
        .prefetch_related(Prefetch("candidates", queryset=Entity.objects.only("slug")))
    )
    return {
        "suggestions": [
            {
                "entity": m["entity__slug"],
                "kind": m["entity__kind"],
                "name": m["entity__name"],
                "role": m["role"],
                "state": m["state"],
                "matched_text": m["matched_text"],
                "field": m["field"],
                "span": _span(m["span_start"], m["span_end"]),
                "text_missing": m["text_missing"],
            }
            for m in mentions
        ],
        "candidates": [
            {
                "id": c.pk,
                "text": c.text,
                "kind": c.kind,
                "state": c.state,
                "field": c.field,
                "span": _span(c.span_start, c.span_end),
                "entities": sorted(e.slug for e in c.candidates.all()),
            }
            for c in candidates
        ],
    }


def may_review(user, article_id: int) -> bool:
    """Editors, and the article's author, see and decide its suggestions."""
    if can_preview(user):
        return True
    return is_author(user) and Article.objects.filter(pk=article_id, author=user).exists()


class PlainTextParser(BaseParser):
    """`Content-Type: text/plain` bodies, for importing a plain-text article."""

    media_type = "text/plain"

    def parse(self, stream, media_type=None, parser_context=None):
        charset = (parser_context or {}).get("encoding") or "utf-8"
        try:
            return stream.read().decode(charset)
        except (UnicodeDecodeError, LookupError) as exc:
            raise exceptions.ParseError(f"The body is not valid {charset} text.") from exc


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
class ArticleViewSet(APIViewBase, viewsets.GenericViewSet):
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
        if wants_status and (can_preview(user) or is_author(user)):
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

    # --- editorial writes ---------------------------------------------------------------

    def _editable_article(self, slug: str) -> Article:
        article = visible_articles(self.request.user).filter(slug=slug).first()
        if article is None:
            raise exceptions.NotFound("No article with this slug.")
        return article

    def _respond_with(self, article: Article, status_code: int = 200) -> Response:
        row = self.get_queryset().get(pk=article.pk)
        self.etag_version = row["version"]
        return Response(
            self._documents([row])[0],
            status=status_code,
            headers={"Location": article_api_url(article.slug)} if status_code == 201 else None,
        )

    @extend_schema(
        summary="Create a draft (token)",
        request=ArticleWriteSerializer,
        responses={
            (201, "application/json"): ArticleSerializer,
            (201, NINJS_MEDIA_TYPE): NinjsSerializer,
            400: VALIDATION_ERROR,
            401: ERROR,
            403: ERROR,
        },
    )
    def create(self, request, *args, **kwargs):
        data = _request_body(request)
        _refuse_unknown_fields(data, set(ArticleWriteSerializer().fields) | {"slug"})
        form = ArticleWriteSerializer(data=data)
        form.is_valid(raise_exception=True)
        values = _resolve_relations(dict(form.validated_data))
        if "slug" in data:
            values["slug"] = serializers.SlugField(max_length=200).run_validation(data["slug"])
            if Article.objects.filter(slug=values["slug"]).exists():
                raise exceptions.ValidationError({"slug": ["An article with this slug exists."]})
        article = services.article_create(actor=request.user, source="api", **values)
        return self._respond_with(article, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Edit an article (token, If-Match)",
        request=ArticlePatchSerializer,
        parameters=[IF_MATCH],
        responses=WRITE_RESPONSES,
    )
    def partial_update(self, request, *args, **kwargs):
        article = self._editable_article(kwargs["slug"])
        data = _request_body(request)
        _refuse_unknown_fields(data, WRITABLE)
        form = ArticlePatchSerializer(data=data)
        form.is_valid(raise_exception=True)
        changes = dict(form.validated_data)
        minor = changes.pop("minor", False)
        note = changes.pop("correction_note", "")
        changes = _resolve_relations(changes)
        expected = _if_match_version(request, article)
        try:
            article = services.article_update(
                article=article,
                actor=request.user,
                expected_version=expected,
                changes=changes,
                minor=minor,
                correction_note=note,
                source="api",
            )
        except services.StaleArticleError as exc:
            raise StalePrecondition(exc) from exc
        return self._respond_with(article)

    def _transition(self, request, slug: str, form_class, run) -> Response:
        """Validate the body, then If-Match, then run the service on that version."""
        article = self._editable_article(slug)
        data = _request_body(request) if request.data else {}
        if form_class is None:
            if data:
                raise exceptions.ValidationError({name: ["Unknown field."] for name in data})
            values = {}
        else:
            _refuse_unknown_fields(data, set(form_class().fields))
            form = form_class(data=data)
            form.is_valid(raise_exception=True)
            values = form.validated_data
        expected = _if_match_version(request, article)
        if article.version != expected:
            raise StalePrecondition(services._stale(article.pk, expected))
        article.version = expected  # the services compare-and-set on this version
        try:
            run(article, values)
        except services.StaleArticleError as exc:
            raise StalePrecondition(exc) from exc
        return self._respond_with(article)

    @extend_schema(
        summary="Submit a draft for review (token, If-Match)",
        request=None,
        parameters=[IF_MATCH],
        responses=WRITE_RESPONSES,
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, slug=None):
        return self._transition(
            request,
            slug,
            None,
            lambda article, _values: services.article_submit(
                article=article, actor=request.user, source="api"
            ),
        )

    @extend_schema(
        summary="Publish now, or schedule at publish_at (editors, If-Match)",
        request=PublishSerializer,
        parameters=[IF_MATCH],
        responses=WRITE_RESPONSES,
    )
    @action(detail=True, methods=["post"])
    def publish(self, request, slug=None):
        return self._transition(
            request,
            slug,
            PublishSerializer,
            lambda article, values: services.article_publish(
                article=article, actor=request.user, source="api", **values
            ),
        )

    @extend_schema(
        summary="Withdraw a published article (editors, If-Match)",
        request=WithdrawSerializer,
        parameters=[IF_MATCH],
        responses=WRITE_RESPONSES,
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, slug=None):
        return self._transition(
            request,
            slug,
            WithdrawSerializer,
            lambda article, values: services.article_withdraw(
                article=article, actor=request.user, reason=values["reason"], source="api"
            ),
        )

    @extend_schema(
        summary="Publish a correction (editors, If-Match)",
        request=CorrectSerializer,
        parameters=[IF_MATCH],
        responses=WRITE_RESPONSES,
    )
    @action(detail=True, methods=["post"])
    def correct(self, request, slug=None):
        return self._transition(
            request,
            slug,
            CorrectSerializer,
            lambda article, values: services.article_correct(
                article=article,
                actor=request.user,
                note=values["note"],
                kind=values.get("kind", CorrectionKind.CORRECTION),
                source="api",
            ),
        )

    @extend_schema(
        summary="Decide the finder's entity suggestions (token)",
        description="confirm, reject or reassign (`to`: the entity it really means) one "
        "suggestion by its entity slug, or `confirm_all`. Editors, and the article's "
        "author, may decide; a rejected suggestion stays rejected on later saves.",
        request=ReviewSerializer,
        responses={
            200: ReviewPayloadSerializer,
            400: VALIDATION_ERROR,
            401: ERROR,
            403: ERROR,
            404: ERROR,
        },
    )
    @action(detail=True, methods=["post"])
    def review(self, request, slug=None):
        article = self._editable_article(slug)
        if not services.article_can_edit(article=article, user=request.user):
            raise exceptions.PermissionDenied("You may not decide this article's suggestions.")
        data = _request_body(request)
        _refuse_unknown_fields(data, set(ReviewSerializer().fields))
        form = ReviewSerializer(data=data)
        form.is_valid(raise_exception=True)
        decision = form.validated_data["decision"]
        actor = request.user
        if decision == "confirm_all":
            review.mentions_confirm_all(article=article, actor=actor)
            return Response(article_review(article.pk))
        if "entity" not in form.validated_data:
            raise exceptions.ValidationError({"entity": ["Name the suggested entity."]})
        mention = Mention.objects.filter(
            article=article, entity__slug=form.validated_data["entity"]
        ).first()
        if mention is None:
            raise exceptions.ValidationError({"entity": ["The article has no such suggestion."]})
        if decision == "confirm":
            review.mention_confirm(mention=mention, actor=actor)
        elif decision == "reject":
            review.mention_reject(mention=mention, actor=actor)
        else:
            target = Entity.objects.filter(slug=form.validated_data.get("to", "")).first()
            if target is None:
                raise exceptions.ValidationError({"to": ["Name an existing entity."]})
            review.mention_reassign(mention=mention, entity=target, actor=actor)
        return Response(article_review(article.pk))

    @extend_schema(
        summary="Import an article as a draft (token)",
        description="A plain-text article (`Content-Type: text/plain`: first line the "
        "headline, then paragraphs; short lines without final punctuation become "
        "subheadings) or an IPTC ninjs 2.x JSON document. Answers 201 with the draft, its "
        "entity suggestions, candidate names and suggested quotes.",
        request={"text/plain": OpenApiTypes.STR, "application/json": OpenApiTypes.OBJECT},
        responses={
            (201, "application/json"): ArticleSerializer,
            400: VALIDATION_ERROR,
            401: ERROR,
            403: ERROR,
            415: ERROR,
        },
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        parser_classes=[PlainTextParser, JSONParser],
    )
    def import_article(self, request):
        data = request.data
        if isinstance(data, str):
            reject_nul(data)
            values = {"text": data}
        elif isinstance(data, dict):
            reject_nul(data)
            values = {"document": data}
        else:
            raise exceptions.ValidationError({"detail": ["Send plain text or a JSON object."]})
        try:
            article = imports.article_import(actor=request.user, **values)
        except ArticleImportError as exc:
            raise exceptions.ValidationError({"detail": [str(exc)]}) from exc
        response = self._respond_with(article, status.HTTP_201_CREATED)
        response.data.update(article_review(article.pk))
        return response


def _article_ref(row: dict) -> dict:
    slug = row["article__slug"]
    return {
        "slug": slug,
        "headline": row["article__headline"],
        "url": article_url(slug),
        "api_url": article_api_url(slug),
    }


LIST_RESPONSES = {400: VALIDATION_ERROR, 429: THROTTLED}


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


def _with_article(payload: dict, row: dict) -> dict:
    payload["article"] = _article_ref(row)
    return payload


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
        return _with_article(quote_payload(row), row)


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
        return _with_article(statistic_payload(row), row)
