"""Article endpoints: the public read API, ninjs, and the editorial API for newsroom tools.

Reads start from Article.objects.public(); editors (preview permission) and authors (their
own articles) see unpublished ones only through `?status=` on the list, or by slug.
Every write goes through articles.services, like the admin: the same role rules,
versioned saves (If-Match → expected_version) and revisions.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
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
from rest_framework.response import Response
from rest_framework.settings import api_settings

from entities.models import Entity, EntityKind
from entities.serializers import api_root, site_url
from newsroom.api_auth import PublicReadOnly, ReadPublicWriteEditorial, can_preview, is_author
from newsroom.api_http import (
    NINJS_MEDIA_TYPE,
    ConditionalGetMixin,
    FormatFirstNegotiation,
    NinjsRenderer,
    check_request_hygiene,
    latest,
    parse_if_match_version,
    reject_nul,
)
from newsroom.ninjs import article_to_ninjs

from . import services
from .filters import ORDERINGS, ArticleFilter, QuoteFilter, StatisticFilter
from .models import (
    Article,
    ArticleStatus,
    CorrectionKind,
    Mention,
    MentionState,
    Quote,
    Section,
    Statistic,
    public_q,
)
from .serializers import (
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
    _quote_payload,
    _statistic_payload,
    article_api_url,
    article_payload,
    article_url,
)

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


def article_queryset():
    """Articles with everything their document shows, in a constant number of queries."""
    confirmed = (
        Mention.objects.filter(state=MentionState.CONFIRMED)
        .select_related("entity")
        .order_by("span_start", "pk")
    )
    return Article.objects.select_related("section", "dateline").prefetch_related(
        Prefetch("mentions", queryset=confirmed, to_attr="confirmed_mentions"),
        Prefetch(
            "quotes", queryset=Quote.objects.select_related("speaker", "medium", "context_event")
        ),
        Prefetch("statistics", queryset=Statistic.objects.select_related("subject", "source")),
        "corrections",
    )


def visible_q(user) -> Q:
    """What this user may read: the public, plus unpublished work for editors and authors."""
    if can_preview(user):
        return Q()
    if is_author(user):
        return public_q() | Q(author=user)
    return public_q()


def visible_articles(user):
    return Article.objects.filter(visible_q(user))


def article_last_modified(article: Article):
    now = timezone.now()
    return latest(
        [
            article.updated_at,
            article.publish_at if article.publish_at and article.publish_at <= now else None,
            article.embargo_until
            if article.embargo_until and article.embargo_until <= now
            else None,
            *(c.published_at for c in article.corrections.all()),
            *(m.entity.updated_at for m in article.confirmed_mentions),
            *(m.decided_at for m in article.confirmed_mentions),
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
        # Answered as is by newsroom.api_http.exception_handler (numbers stay numbers).
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
        return article_queryset()

    def _wants_ninjs(self) -> bool:
        renderer = getattr(self.request, "accepted_renderer", None)
        return renderer is not None and renderer.format == "ninjs"

    def _document(self, article: Article) -> dict:
        payload = article_payload(article)
        return article_to_ninjs(payload) if self._wants_ninjs() else payload

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
        return self.get_paginated_response([self._document(article) for article in page])

    def retrieve(self, request, *args, **kwargs):
        slug = kwargs["slug"]
        article = self.get_queryset().filter(visible_q(request.user), slug=slug).first()
        if article is None:
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
        self.last_modified = article_last_modified(article)
        self.etag_version = article.version
        return Response(self._document(article))

    # --- editorial writes ---------------------------------------------------------------

    def _editable_article(self, slug: str) -> Article:
        article = visible_articles(self.request.user).filter(slug=slug).first()
        if article is None:
            raise exceptions.NotFound("No article with this slug.")
        return article

    def _respond_with(self, article: Article, status_code: int = 200) -> Response:
        article = self.get_queryset().get(pk=article.pk)
        self.etag_version = article.version
        return Response(
            self._document(article),
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


def _article_ref(article: Article) -> dict:
    return {
        "slug": article.slug,
        "headline": article.headline,
        "url": article_url(article.slug),
        "api_url": article_api_url(article.slug),
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


def _with_article(payload: dict, article: Article) -> dict:
    payload["article"] = _article_ref(article)
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
            .select_related("speaker", "medium", "context_event", "article")
            .order_by("-article__publish_at", "position", "pk")
        )

    def payload(self, quote) -> dict:
        return _with_article(_quote_payload(quote), quote.article)


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
            .select_related("subject", "source", "article")
            .order_by("-as_of", "position", "pk")
        )

    def payload(self, statistic) -> dict:
        return _with_article(_statistic_payload(statistic), statistic.article)
