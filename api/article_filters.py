"""Article filters of the API: an explicit allow-list, nothing else is applied."""

import datetime as dt
from collections.abc import Callable

import django_filters
from django import forms
from django.conf import settings
from django.db.models import Exists, OuterRef
from drf_spectacular.drainage import set_override
from rest_framework import exceptions

from articles.models import (
    Article,
    EditorialStatus,
    Mention,
    MentionRole,
    MentionState,
    Section,
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


class DescribedSchemaMixin:
    """Filters whose schema is written out (`schema`) still document their help_text:
    drf-spectacular takes the description of such a filter from its schema alone."""

    schema: dict = {"type": "string"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        description = self.extra.get("help_text") or ""
        set_override(self, "field", {**self.schema, "description": description})


class SlugListFilter(DescribedSchemaMixin, django_filters.MultipleChoiceFilter):
    """Documented as an exploded array of slugs; applied by the FilterSet as a whole."""

    field_class = SlugListField
    schema = SLUG_SCHEMA

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("method", "filter_nothing")
        super().__init__(*args, **kwargs)


class KnownSlugField(forms.SlugField):
    """A slug that must name an existing row: an unknown one is a 400 naming it, never
    an empty result that reads as "nothing matches"."""

    def __init__(self, *args, exists: Callable[[str], bool], noun: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.exists, self.noun = exists, noun

    def clean(self, value):
        value = super().clean(value)
        if value and not self.exists(value):
            raise forms.ValidationError(f"No {self.noun} with the slug “{value}”.")
        return value


class SlugFilter(DescribedSchemaMixin, django_filters.CharFilter):
    """One slug of an existing `noun` (`exists(slug)` says whether there is one): anything
    else is a 400 naming the value."""

    field_class = KnownSlugField
    schema = SLUG_SCHEMA

    def __init__(self, *args, exists: Callable[[str], bool], noun: str, **kwargs):
        kwargs.setdefault("max_length", 200)
        super().__init__(*args, exists=exists, noun=noun, **kwargs)


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


class SafeDateTimeFilter(DescribedSchemaMixin, django_filters.Filter):
    field_class = SafeDateTimeField
    schema = {"type": "string", "format": "date-time"}


def section_exists(slug: str) -> bool:
    return Section.objects.filter(slug=slug).exists()


def entity_exists(slug: str) -> bool:
    return Entity.objects.filter(slug=slug).exists()


def place_exists(slug: str) -> bool:
    return Entity.objects.filter(slug=slug, kind=EntityKind.PLACE).exists()


def public_article_exists(slug: str) -> bool:
    # Published articles only: a draft's slug answers as if it did not exist.
    return Article.objects.public().filter(slug=slug).exists()


class ArticleFilter(django_filters.FilterSet):
    section = SlugFilter(
        field_name="section__slug",
        exists=section_exists,
        noun="section",
        help_text="Section slug; an unknown slug is a 400 naming it.",
    )
    person = SlugListFilter(
        help_text="Person slug; repeat for articles about all of them. A merged person's "
        "slug follows its survivor; an unknown slug, or another kind's, is a 400 naming it."
    )
    organization = SlugListFilter(
        help_text="Organization slug; repeat for all of them (unknown: 400, as for person)."
    )
    event = SlugListFilter(
        help_text="Event slug; repeat for all of them (unknown: 400, as for person)."
    )
    place = SlugListFilter(
        help_text="Place slug; repeat for all of them (unknown: 400, as for person)."
    )
    entity = SlugListFilter(
        help_text="Any entity's slug, of any kind; repeat for all of them (unknown: 400)."
    )
    role = django_filters.ChoiceFilter(
        choices=MentionRole.choices,
        method="filter_nothing",
        help_text="With entity filters: only where they have this role (subject, mentioned…); "
        "alone: articles with any entity in this role.",
    )
    published_from = SafeDateTimeFilter(
        field_name="publish_at",
        lookup_expr="gte",
        help_text="Published at or after this time (ISO 8601 with offset).",
    )
    published_to = SafeDateTimeFilter(
        field_name="publish_at",
        lookup_expr="lte",
        help_text="Published at or before this time (ISO 8601 with offset).",
    )
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
        wanted: list[tuple[str, str, str | None]] = [
            (param, slug, kind)
            for param, kind in ENTITY_PARAMS.items()
            for slug in data.get(param) or []
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
        their survivor). An unknown slug, or one of the wrong kind, is a 400 naming it:
        an empty list would tell the client "no articles about them", which is not so."""
        slugs = {slug for _param, slug, _kind in wanted}
        found = {
            entity.slug: entity
            for entity in Entity.objects.filter(slug__in=slugs).select_related("merged_into")
        }
        errors: dict[str, list[str]] = {}
        for param, slug, kind in wanted:
            entity = found.get(slug)
            if entity is None:
                errors.setdefault(param, []).append(f"No {param} with the slug “{slug}”.")
            elif kind is not None and entity.kind != kind:
                errors.setdefault(param, []).append(
                    f"“{slug}” is {_with_article(entity.get_kind_display().lower())}, "
                    f"not {_with_article(param)}."
                )
        if errors:
            raise exceptions.ValidationError(errors)
        for _param, slug, _kind in wanted:
            entity = found[slug]
            target = entity.merged_into or entity
            mentions = Mention.objects.filter(
                article=OuterRef("pk"), entity_id=target.pk, state=MentionState.CONFIRMED
            )
            if role:
                mentions = mentions.filter(role=role)
            queryset = queryset.filter(Exists(mentions))
        return queryset


def _with_article(noun: str) -> str:
    return f"an {noun}" if noun[:1] in "aeiou" else f"a {noun}"


class QuoteFilter(django_filters.FilterSet):
    speaker = SlugFilter(
        field_name="speaker__slug",
        exists=entity_exists,
        noun="entity",
        help_text="Quotes by this speaker (an entity slug; unknown: 400).",
    )
    article = SlugFilter(
        field_name="article__slug",
        exists=public_article_exists,
        noun="published article",
        help_text="Quotes from this published article (its slug; unknown: 400).",
    )


class StatisticFilter(django_filters.FilterSet):
    subject = SlugFilter(
        field_name="subject__slug",
        exists=entity_exists,
        noun="entity",
        help_text="Figures about this entity (its slug; unknown: 400).",
    )
    article = SlugFilter(
        field_name="article__slug",
        exists=public_article_exists,
        noun="published article",
        help_text="Figures cited in this published article (its slug; unknown: 400).",
    )
