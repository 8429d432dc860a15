"""The editorial half of the articles endpoint: create, edit, workflow actions, review
decisions and import, each through the workflow services, guarded by If-Match."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    extend_schema,
)
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import BaseParser
from rest_framework.response import Response

from api.article_rows import visible_articles
from api.article_serializers import (
    ArticlePatchSerializer,
    ArticleSerializer,
    ArticleWriteSerializer,
    CorrectSerializer,
    NinjsSerializer,
    PublishedArticleSerializer,
    PublishSerializer,
    ReinstateSerializer,
    WithdrawSerializer,
    article_api_url,
)
from api.http import (
    NINJS_MEDIA_TYPE,
    parse_if_match_version,
    reject_nul,
)
from api.parsers import BoundedJSONParser
from api.review import (
    ReviewPayloadSerializer,
    ReviewSerializer,
    article_review,
    may_review,
    review_payload,
)
from api.schema import ERROR, IF_MATCH, VALIDATION_ERROR, WRITE_RESPONSES
from articles.importing import ArticleImportError
from articles.models import (
    Article,
    CorrectionKind,
    Mention,
    Section,
)
from entities.models import Entity, EntityKind
from mentions.models import MentionCandidate
from mentions.suggestions import article_publish_warnings
from workflow import articles as services
from workflow import imports, review

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


class PlainTextParser(BaseParser):
    """`Content-Type: text/plain` bodies, for importing a plain-text article."""

    media_type = "text/plain"

    def parse(self, stream, media_type=None, parser_context=None):
        charset = (parser_context or {}).get("encoding") or "utf-8"
        try:
            return stream.read().decode(charset)
        except (UnicodeDecodeError, LookupError) as exc:
            raise exceptions.ParseError(f"The body is not valid {charset} text.") from exc


class ArticleWriteMixin:
    """Writes of ArticleViewSet (mixed into it in api.articles)."""

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
        description="A new draft by the caller (reporters and editors), from headline, "
        "body and the other writable fields; `slug` is optional (made from the headline). "
        "No If-Match: nothing exists yet. The entity finder runs on the text, so the 201 "
        "answer (with `Location`) comes with its suggestions; the draft is not public.",
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
        description="Change some fields of an article the caller may edit (reporters: their "
        "own drafts; editors: any). Send If-Match with the ETag you read: 412 with who saved "
        "in between, 428 without it. Fields not sent are kept; the status changes only "
        "through the workflow actions. Once published, a change to headline, standfirst or "
        "body needs `minor: true` or a `correction_note` (which publishes a correction).",
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
        description="Move a draft to in review, where editors find it on the dashboard. No body.",
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
        description="Publishes even with undecided entity suggestions, ambiguous names or "
        "linked entities without a description, and lists them in `warnings` (the admin's "
        "publish warnings; JSON responses). GET …/review/ shows them beforehand.",
        request=PublishSerializer,
        parameters=[IF_MATCH],
        responses={**WRITE_RESPONSES, (200, "application/json"): PublishedArticleSerializer},
    )
    @action(detail=True, methods=["post"])
    def publish(self, request, slug=None):
        published: list[Article] = []

        def run(article, values):
            services.article_publish(article=article, actor=request.user, source="api", **values)
            published.append(article)

        response = self._transition(request, slug, PublishSerializer, run)
        # The admin's publish form lists these before an editor confirms; the API has no
        # such step, so it says them with the result (JSON; ninjs clients GET …/review/).
        if not self._wants_ninjs():
            response.data["warnings"] = article_publish_warnings(published[0])
        return response

    @extend_schema(
        summary="Withdraw a published article (editors, If-Match)",
        description="Take a published article down with a `reason` (kept in the audit log). "
        "Its URL then answers 410 Gone to readers and clients.",
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
        summary="Reinstate a withdrawn article as a draft (editors, If-Match)",
        description="Withdrawn → draft, with a `reason` (kept in its revision and the audit "
        "log). It stays gone (410) until it is published again with `…/publish/`.",
        request=ReinstateSerializer,
        parameters=[IF_MATCH],
        responses=WRITE_RESPONSES,
    )
    @action(detail=True, methods=["post"])
    def reinstate(self, request, slug=None):
        return self._transition(
            request,
            slug,
            ReinstateSerializer,
            lambda article, values: services.article_reinstate(
                article=article, actor=request.user, reason=values["reason"], source="api"
            ),
        )

    @extend_schema(
        summary="Publish a correction (editors, If-Match)",
        description="Append a correction (or clarification, `kind`) note to a published "
        "article; readers see it under the article with its time.",
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
        methods=["GET"],
        summary="Read the finder's entity suggestions before deciding (token)",
        description="The article's suggested, confirmed and rejected entity links (slug, "
        "kind, matched text, span, state), the names no entity or several entities have, "
        "and the warnings publishing it would give now (pending suggestions, ambiguous "
        "names, linked entities without a description). Editors, and the article's author.",
        request=None,
        responses={200: ReviewPayloadSerializer, 401: ERROR, 403: ERROR, 404: ERROR},
    )
    @extend_schema(
        methods=["POST"],
        summary="Decide the finder's entity suggestions (token, If-Match)",
        description="confirm, reject or reassign (`to`: the entity it really means) one "
        "suggestion by its entity slug, or `confirm_all` (which leaves suggestions with a "
        "note for one-by-one decisions). `resolve_occurrences` decides a flagged name "
        "(`candidate`) occurrence by occurrence (`occurrences`: an entity slug or null "
        "each); the article keeps one mention per entity. Editors, and the author of a "
        "draft, may decide; a rejected suggestion stays rejected on later saves.\n\n"
        "Each decision is an edit of the article: send If-Match with the ETag you read "
        "(GET …/review/ or the article; 428 without it, 412 with who saved in between). "
        "The version rises, with a `review` revision and an audit entry; the answer is the "
        "review as GET gives it, with the new ETag, for the next decision. After first "
        "publication a decision is a minor revision, or publishes `correction_note` as a "
        "correction (say, when a wrong person was linked).",
        request=ReviewSerializer,
        parameters=[IF_MATCH],
        responses={
            200: ReviewPayloadSerializer,
            400: VALIDATION_ERROR,
            401: ERROR,
            403: ERROR,
            404: ERROR,
            412: ERROR,
            428: ERROR,
        },
    )
    @action(detail=True, methods=["get", "post"])
    def review(self, request, slug=None):
        if not (request.user and request.user.is_authenticated):
            raise exceptions.NotAuthenticated()
        article = self._editable_article(slug)
        if request.method == "GET":
            if not may_review(request.user, article.pk):
                raise exceptions.PermissionDenied("You may not see this article's suggestions.")
            self.etag_version = article.version  # If-Match for the next decision
            return Response(review_payload(article))
        if not services.article_can_edit(article=article, user=request.user):
            raise exceptions.PermissionDenied("You may not decide this article's suggestions.")
        data = _request_body(request)
        _refuse_unknown_fields(data, set(ReviewSerializer().fields))
        form = ReviewSerializer(data=data)
        form.is_valid(raise_exception=True)
        values = form.validated_data
        write = {
            "actor": request.user,
            "expected_version": _if_match_version(request, article),
            "correction_note": values.get("correction_note", ""),
            "source": "api",
        }
        try:
            self._decide(article, values, write)
        except services.StaleArticleError as exc:
            raise StalePrecondition(exc) from exc
        article.refresh_from_db()
        self.etag_version = article.version
        return Response(review_payload(article))

    def _decide(self, article: Article, values: dict, write: dict) -> None:
        decision = values["decision"]
        if decision == "confirm_all":
            review.mentions_confirm_all(article=article, **write)
            return
        if decision == "resolve_occurrences":
            self._resolve_occurrences(article, values, write)
            return
        if "entity" not in values:
            raise exceptions.ValidationError({"entity": ["Name the suggested entity."]})
        mention = Mention.objects.filter(article=article, entity__slug=values["entity"]).first()
        if mention is None:
            raise exceptions.ValidationError({"entity": ["The article has no such suggestion."]})
        if decision == "confirm":
            review.mention_confirm(mention=mention, **write)
        elif decision == "reject":
            review.mention_reject(mention=mention, **write)
        else:
            target = Entity.objects.filter(slug=values.get("to", "")).first()
            if target is None:
                raise exceptions.ValidationError({"to": ["Name an existing entity."]})
            review.mention_reassign(mention=mention, entity=target, **write)

    def _resolve_occurrences(self, article, data, write) -> None:
        candidate = MentionCandidate.objects.filter(
            article=article, pk=data.get("candidate")
        ).first()
        if candidate is None:
            raise exceptions.ValidationError({"candidate": ["The article has no such name."]})
        if "occurrences" not in data:
            raise exceptions.ValidationError({"occurrences": ["Choose for each occurrence."]})
        slugs = {e.slug: e.pk for e in candidate.candidates.all()}
        unknown = [slug for slug in data["occurrences"] if slug is not None and slug not in slugs]
        if unknown:
            raise exceptions.ValidationError(
                {"occurrences": [f"Not one of this name's entities: {', '.join(unknown)}."]}
            )
        review.candidate_resolve_occurrences(
            candidate=candidate,
            choices=[None if slug is None else slugs[slug] for slug in data["occurrences"]],
            **write,
        )

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
        parser_classes=[PlainTextParser, BoundedJSONParser],
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
