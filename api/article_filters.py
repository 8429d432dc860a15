"""Article filters of the API: an explicit allow-list, nothing else is applied."""

import datetime as dt

import django_filters
from django import forms
from django.conf import settings
from django.db.models import Exists, OuterRef
from drf_spectacular.utils import extend_schema_field

from articles.models import (
    Article,
    EditorialStatus,
    Mention,
    MentionRole,
    MentionState,
    editorial_status_q,
)
from entities.models import Entity, EntityKind
from search.query import article_search

SLUG_SCHEMA = {"type": "string", "pattern": r"^[-a-zA-Z0-9_]+$", "maxLength": 200}
ORDERINGS = ["-publish_at", "publish_at", "-updated_at", "updated_at"]
# Entity filters and the kind each one accepts (None: any kind).
ENTITY_PARAMS = {
    "person": EntityKind.PERSON,
    "organization": EntityKind.ORGANIZATION,
    "event": EntityKind.EVENT,
    "place": EntityKind.PLACE,
    "entity": None,
}


class SlugListField(forms.Field):
    """Repeated query values (`?person=a&person=b`), each a slug."""

    widget = forms.MultipleHiddenInput

    def clean(self, value):
        values = [v for v in (value or []) if v != ""]
        slug_field = forms.SlugField(max_length=200)
        return [slug_field.clean(v) for v in values]


@extend_schema_field(SLUG_SCHEMA)
class SlugListFilter(django_filters.MultipleChoiceFilter):
    """Documented as an exploded array of slugs; applied by the FilterSet as a whole."""

    field_class = SlugListField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("method", "filter_nothing")
        super().__init__(*args, **kwargs)


@extend_schema_field(SLUG_SCHEMA)
class SlugFilter(django_filters.CharFilter):
    """One slug (validated: anything else is a 400)."""

    field_class = forms.SlugField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 200)
        super().__init__(*args, **kwargs)


class SafeDateTimeField(forms.DateTimeField):
    """An ISO 8601 date-time that the database can store (no year-0 overflow after UTC)."""

    input_formats = [django_filters.fields.IsoDateTimeField.ISO_8601]

    def strptime(self, value, format):
        return django_filters.fields.IsoDateTimeField().strptime(value, format)

    def clean(self, value):
        cleaned = super().clean(value)
        if cleaned is None:
            return None
        try:
            cleaned = cleaned.astimezone(dt.UTC)
            if not (1 < cleaned.year < 9999):
                raise OverflowError
        except (OverflowError, ValueError) as exc:
            raise forms.ValidationError("Date-time out of range.") from exc
        return cleaned


@extend_schema_field({"type": "string", "format": "date-time"})
class SafeDateTimeFilter(django_filters.Filter):
    field_class = SafeDateTimeField


class ArticleFilter(django_filters.FilterSet):
    section = SlugFilter(field_name="section__slug", help_text="Section slug.")
    person = SlugListFilter(help_text="Person slug; repeat for articles about all of them.")
    organization = SlugListFilter(help_text="Organization slug; repeat for all of them.")
    event = SlugListFilter(help_text="Event slug; repeat for all of them.")
    place = SlugListFilter(help_text="Place slug; repeat for all of them.")
    entity = SlugListFilter(help_text="Any entity's slug; repeat for all of them.")
    role = django_filters.ChoiceFilter(
        choices=MentionRole.choices,
        method="filter_nothing",
        help_text="With entity filters: only where they have this role (subject, mentioned…); "
        "alone: articles with any entity in this role.",
    )
    published_from = SafeDateTimeFilter(field_name="publish_at", lookup_expr="gte")
    published_to = SafeDateTimeFilter(field_name="publish_at", lookup_expr="lte")
    updated_since = SafeDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        help_text="Changed at or after this time: for incremental sync (with ordering=updated_at).",
    )
    language = django_filters.ChoiceFilter(choices=settings.ARTICLE_LANGUAGES)
    status = django_filters.ChoiceFilter(
        choices=EditorialStatus.choices,
        method="filter_status",
        help_text="Editors and authors (token): list articles in this status, decided now "
        "(a scheduled article whose time has come is published). Everyone else only ever "
        "sees published articles.",
    )
    ordering = django_filters.ChoiceFilter(
        choices=[(value, value) for value in ORDERINGS],
        method="filter_nothing",
        help_text="Default -publish_at (editorial status lists: -updated_at).",
    )

    def filter_status(self, queryset, name, value):
        return queryset.filter(editorial_status_q(value))

    def filter_nothing(self, queryset, name, value):
        """Applied by filter_queryset() or by the pagination, which see all parameters."""
        return queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        wanted: list[tuple[str, str | None]] = [
            (slug, kind) for param, kind in ENTITY_PARAMS.items() for slug in data.get(param) or []
        ]
        role = data.get("role") or None
        if wanted:
            queryset = self._filter_entities(queryset, wanted, role)
        elif role:
            queryset = queryset.filter(
                Exists(
                    Mention.objects.filter(
                        article=OuterRef("pk"), state=MentionState.CONFIRMED, role=role
                    )
                )
            )
        return queryset

    q = django_filters.CharFilter(
        method="filter_q",
        max_length=200,
        help_text="Full-text search, alias-aware (Lukashenko finds Lukashenka).",
    )

    def filter_q(self, queryset, name, value):
        # article_search(queryset, q) ranks and filters Article querysets. The API pages by
        # cursor (newest first), so it keeps the matches and its own order; a subquery
        # works on values() rows too.
        matches = article_search(Article.objects.all(), value).values("pk")
        return queryset.filter(pk__in=matches)

    def _filter_entities(self, queryset, wanted, role):
        """Articles with a confirmed mention of every wanted entity (merged slugs follow
        their survivor). An unknown slug, or one of the wrong kind, matches nothing."""
        slugs = {slug for slug, _kind in wanted}
        found = {
            entity.slug: entity
            for entity in Entity.objects.filter(slug__in=slugs).select_related("merged_into")
        }
        for slug, kind in wanted:
            entity = found.get(slug)
            if entity is None or (kind is not None and entity.kind != kind):
                return queryset.none()
            target = entity.merged_into or entity
            mentions = Mention.objects.filter(
                article=OuterRef("pk"), entity_id=target.pk, state=MentionState.CONFIRMED
            )
            if role:
                mentions = mentions.filter(role=role)
            queryset = queryset.filter(Exists(mentions))
        return queryset


class QuoteFilter(django_filters.FilterSet):
    speaker = SlugFilter(field_name="speaker__slug", help_text="Speaker slug.")
    article = SlugFilter(field_name="article__slug", help_text="Article slug.")


class StatisticFilter(django_filters.FilterSet):
    subject = SlugFilter(field_name="subject__slug", help_text="Subject entity slug.")
    article = SlugFilter(field_name="article__slug", help_text="Article slug.")
