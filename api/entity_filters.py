"""Entity filters of the API: an explicit allow-list, nothing else is applied."""

import django_filters
from django.db.models import Exists, OuterRef, Q

from api.article_filters import SlugFilter, place_exists
from api.http import MAX_PARAM_LENGTH
from core.text import normalize
from entities.models import Alias, Entity


class EntityFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(
        method="filter_name",
        max_length=MAX_PARAM_LENGTH,  # the API-wide limit the schema documents
        help_text="Part of the name or of any alias, in any script or spelling.",
    )

    class Meta:
        model = Entity
        fields: list[str] = []

    def filter_name(self, queryset, name, value):
        folded = normalize(value)
        aliases = Alias.objects.filter(entity=OuterRef("pk"), normalized__contains=folded)
        return queryset.filter(Q(name__icontains=value) | Exists(aliases))


class PlaceFilter(EntityFilter):
    parent = SlugFilter(
        field_name="parent__slug",
        exists=place_exists,
        noun="place",
        help_text="Places directly inside this place (its slug; unknown: 400).",
    )


class EventFilter(EntityFilter):
    date_from = django_filters.DateFilter(
        method="filter_dates",
        help_text="Events whose period (at its precision) ends on or after this date.",
    )
    date_to = django_filters.DateFilter(
        method="filter_dates",
        help_text="Events whose period (at its precision) starts on or before this date.",
    )

    def filter_dates(self, queryset, name, value):
        return queryset  # both bounds are applied together in filter_queryset()

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        return queryset.overlapping(data.get("date_from"), data.get("date_to"))
