"""The review payload of an article (suggested mentions and name candidates) and who may
see and decide it."""

from django.db.models import Prefetch
from rest_framework import serializers

from articles.models import (
    Article,
    Mention,
)
from articles.permissions import article_q
from entities.models import Entity
from mentions.models import MentionCandidate
from mentions.suggestions import article_publish_warnings

REVIEW_DECISIONS = ("confirm", "reject", "reassign", "confirm_all", "resolve_occurrences")


class ReviewSerializer(serializers.Serializer):
    """One decision on the article's entity suggestions (or `confirm_all`)."""

    decision = serializers.ChoiceField(choices=REVIEW_DECISIONS)
    entity = serializers.SlugField(
        max_length=200, required=False, help_text="The suggested entity (not for confirm_all)."
    )
    to = serializers.SlugField(
        max_length=200, required=False, help_text="reassign: the entity it really means."
    )
    candidate = serializers.IntegerField(
        required=False, help_text="resolve_occurrences: the id of a flagged name."
    )
    occurrences = serializers.ListField(
        child=serializers.SlugField(max_length=200, allow_null=True),
        required=False,
        max_length=500,
        help_text="resolve_occurrences: per occurrence of the name, in order, the slug of "
        "the entity it means (one of the candidate's entities) or null for neither.",
    )
    correction_note = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        help_text="After first publication: publish this correction with the decision "
        "(otherwise the decision is recorded as a minor change).",
    )


class OccurrenceSerializer(serializers.Serializer):
    field = serializers.CharField()
    span = serializers.ListField(child=serializers.IntegerField())
    text = serializers.CharField()


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
    note = serializers.CharField(help_text="Why the finder is not sure; never confirmed in bulk.")
    occurrences = OccurrenceSerializer(many=True)


class CandidateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    kind = serializers.CharField(help_text="unknown: no entity has this name; ambiguous.")
    state = serializers.CharField()
    field = serializers.CharField()
    span = serializers.ListField(child=serializers.IntegerField(), allow_null=True)
    entities = serializers.ListField(
        child=serializers.SlugField(),
        help_text="ambiguous: the entities it may mean; unknown: those it probably is.",
    )
    note = serializers.CharField()
    occurrences = OccurrenceSerializer(many=True)
    place = serializers.DictField(
        allow_null=True, help_text="A gazetteer place: geonames_id, country, latitude, longitude."
    )


class ReviewPayloadSerializer(serializers.Serializer):
    suggestions = SuggestionSerializer(many=True)
    candidates = CandidateSerializer(many=True)
    warnings = serializers.ListField(
        child=serializers.CharField(),
        help_text="What publishing would warn about now (the admin's publish warnings).",
    )


def _span(start, end) -> list[int] | None:
    return None if start is None else [start, end]


def _occurrences(stored, field, start, end, text) -> list[dict]:
    """Every place the name occurs; rows from before occurrences were kept have one."""
    if stored:
        return stored
    return [] if start is None else [{"field": field, "span": [start, end], "text": text}]


def _place(candidate) -> dict | None:
    if not candidate.geonames_id:
        return None
    return {
        "geonames_id": candidate.geonames_id,
        "country": candidate.country_code,
        "latitude": None if candidate.latitude is None else float(candidate.latitude),
        "longitude": None if candidate.longitude is None else float(candidate.longitude),
    }


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
            "note",
            "occurrences",
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
                "note": m["note"],
                "occurrences": _occurrences(
                    m["occurrences"], m["field"], m["span_start"], m["span_end"], m["matched_text"]
                ),
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
                "note": c.note,
                "occurrences": _occurrences(
                    c.occurrences, c.field, c.span_start, c.span_end, c.text
                ),
                "place": _place(c),
            }
            for c in candidates
        ],
    }


def review_payload(article: Article) -> dict:
    """What GET and POST …/review/ answer: the review, and the warnings publishing the
    article would give now (the same sentences the admin's publish form shows)."""
    return {**article_review(article.pk), "warnings": article_publish_warnings(article)}


def may_review(user, article_id: int) -> bool:
    """Editors, and the article's author, see its suggestions (articles.permissions)."""
    rule = article_q(user, "review")
    if not rule:  # every article: no query needed
        return True
    return Article.objects.filter(rule, pk=article_id).exists()
