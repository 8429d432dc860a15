from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from articles.models import Mention
from core.search_keys import term_keys
from entities.models import (
    Alias,
    Entity,
    EntityKind,
    Event,
    Organization,
    Participation,
    Person,
    Place,
    Relation,
    Role,
)
from mentions.models import MentionCandidate
from workflow.merge import entity_merge

MENTIONING_ARTICLES_SHOWN = 50


def alias_search_q(search_term: str) -> Q | None:
    """Entities named or aliased like the term in any script, with or without diacritics."""
    keys = term_keys(search_term)
    if not keys:
        return None
    by_name, by_alias = Q(), Q()
    for key in keys:
        by_name |= Q(search_key__contains=key)
        by_alias |= Q(search_key__contains=key)
    return by_name | Q(pk__in=Alias.objects.filter(by_alias).values("entity_id"))


class AliasInline(admin.TabularInline):
    model = Alias
    extra = 0
    fields = ["name", "kind", "language", "script"]


class RoleInline(admin.TabularInline):
    model = Role
    fk_name = "person"
    extra = 0
    autocomplete_fields = ["affiliation"]


class RelationInline(admin.TabularInline):
    model = Relation
    fk_name = "subject"
    extra = 0
    autocomplete_fields = ["object"]


class ParticipationInline(admin.TabularInline):
    model = Participation
    fk_name = "event"
    extra = 0
    autocomplete_fields = ["participant"]


class MergedFilter(admin.SimpleListFilter):
    title = "merged"
    parameter_name = "merged"

    def lookups(self, request, model_admin):
        return [("no", "Active records"), ("yes", "Merged into another")]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(merged_into__isnull=True)
        if self.value() == "yes":
            return queryset.filter(merged_into__isnull=False)
        return queryset


@admin.register(Entity)
class EntityAdmin(admin.ModelAdmin):
    """Every entity of every kind, searchable by any alias in any script."""

    list_display = ["name", "kind", "slug", "description", "merged_into"]
    list_filter = ["kind", MergedFilter]
    search_fields = ["name", "slug", "aliases__name"]
    prepopulated_fields = {"slug": ["name"]}
    # Merging goes through the merge action (entity_merge moves every row), never by hand.
    readonly_fields = ["merged_into", "mentioning_articles", "created_at", "updated_at"]
    autocomplete_fields = ["parent", "country", "location"]
    inlines = [AliasInline, RelationInline]
    list_select_related = ["merged_into"]
    actions = ["merge_entities"]

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        hidden = {"mentioning_articles", "merged_into"}
        return fields if obj is not None else [f for f in fields if f not in hidden]

    def get_search_results(self, request, queryset, search_term):
        """Django's search (names, slugs, aliases as typed), or the folded alias keys.

        "Лукашенко", "Lukasenka" (with its diacritics dropped by the editor) and
        "Łukašenka" all fold to the key of the stored aliases, so they find the record.
        """
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        by_key = alias_search_q(search_term)
        if by_key is None:
            return found, may_have_duplicates
        return queryset.filter(Q(pk__in=found.values("pk")) | by_key), False

    @admin.display(description="Articles mentioning it")
    def mentioning_articles(self, obj):
        mentions = list(
            Mention.objects.filter(entity=obj)
            .select_related("article")
            .order_by("-article__publish_at", "-article_id")[:MENTIONING_ARTICLES_SHOWN]
        )
        if not mentions:
            return "None yet."
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                '<li><a href="{}">{}</a> ({}, {})</li>',
                (
                    (
                        reverse("admin:articles_article_change", args=[m.article_id]),
                        m.article.headline,
                        m.article.get_status_display().lower(),
                        m.get_state_display().lower(),
                    )
                    for m in mentions
                ),
            ),
        )

    @admin.action(description="Merge selected duplicates into one record…")
    def merge_entities(self, request, queryset):
        """A confirmation page that asks which record survives, then merges the rest."""
        entities = list(queryset.filter(merged_into__isnull=True).order_by("name"))
        if len(entities) < 2:
            self.message_user(request, "Select at least two active records.", messages.WARNING)
            return None
        if len({e.kind for e in entities}) > 1:
            self.message_user(request, "Only records of one kind can be merged.", messages.ERROR)
            return None
        if not self.has_change_permission(request):
            self.message_user(request, "You may not change entities.", messages.ERROR)
            return None
        survivor_id = request.POST.get("survivor")
        if request.POST.get("confirm") == "yes" and survivor_id:
            survivor = next((e for e in entities if str(e.pk) == survivor_id), None)
            if survivor is None:
                self.message_user(request, "Choose the surviving record.", messages.ERROR)
                return None
            try:
                for duplicate in entities:
                    if duplicate.pk != survivor.pk:
                        entity_merge(survivor=survivor, duplicate=duplicate, actor=request.user)
                        survivor.refresh_from_db()
            except ValidationError as exc:
                self.message_user(request, " ".join(exc.messages), messages.ERROR)
                return None
            self.message_user(
                request,
                f"Merged {len(entities) - 1} record(s) into {survivor}; their URLs redirect there.",
                messages.SUCCESS,
            )
            return None
        counts = {
            row["entity"]: row["n"]
            for row in Mention.objects.filter(entity__in=entities)
            .values("entity")
            .annotate(n=models.Count("pk"))
        }
        return TemplateResponse(
            request,
            "admin/entities/merge_confirmation.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": "Merge duplicates: which record survives?",
                "entities": [(e, counts.get(e.pk, 0)) for e in entities],
                "action_checkbox_name": ACTION_CHECKBOX_NAME,
                "action": "merge_entities",
            },
        )


class KindAdmin(EntityAdmin):
    """One admin page per kind, showing only the fields that kind uses."""

    kind: str = ""
    kind_fields: list[str] = []
    # External identifiers (schema.org sameAs); places also have a GeoNames id.
    identifier_fields = ["wikidata_id"]
    # The page is one kind already: no kind column or filter, but merged records are marked.
    list_display = ["name", "slug", "description", "merged_into"]
    list_filter = [MergedFilter]

    def get_fields(self, request, obj=None):
        fields = ["name", "slug", "description", *self.kind_fields, *self.identifier_fields]
        return fields if obj is None else [*fields, "merged_into", "mentioning_articles"]


@admin.register(Person)
class PersonAdmin(KindAdmin):
    kind = EntityKind.PERSON
    inlines = [AliasInline, RoleInline, RelationInline]


@admin.register(Organization)
class OrganizationAdmin(KindAdmin):
    kind = EntityKind.ORGANIZATION
    kind_fields = ["organization_kind", "country"]
    list_display = ["name", "organization_kind", "country", "slug", "description"]
    list_filter = ["organization_kind", MergedFilter]
    list_select_related = ["country"]


@admin.register(Event)
class EventAdmin(KindAdmin):
    kind = EntityKind.EVENT
    kind_fields = ["start", "start_precision", "end", "end_precision", "location"]
    list_display = ["name", "date_display", "location", "slug"]
    list_filter = ["start_precision", MergedFilter]
    list_select_related = ["location"]
    inlines = [AliasInline, ParticipationInline, RelationInline]

    @admin.display(description="Date", ordering="start")
    def date_display(self, obj):
        return obj.date_display


@admin.register(Place)
class PlaceAdmin(KindAdmin):
    kind = EntityKind.PLACE
    kind_fields = ["place_kind", "parent", "latitude", "longitude"]
    identifier_fields = ["geonames_id", "wikidata_id"]
    list_display = ["name", "place_kind", "parent", "slug"]
    list_filter = ["place_kind", MergedFilter]
    list_select_related = ["parent"]


@admin.register(Alias)
class AliasAdmin(admin.ModelAdmin):
    list_display = ["name", "entity", "kind", "language", "script", "normalized"]
    list_filter = ["kind", "script"]
    search_fields = ["name", "normalized", "entity__name"]
    autocomplete_fields = ["entity"]
    list_select_related = ["entity"]


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ["title", "person", "affiliation", "date_display"]
    search_fields = ["title", "person__name"]
    autocomplete_fields = ["person", "affiliation"]
    list_select_related = ["person", "affiliation"]

    @admin.display(description="Dates")
    def date_display(self, obj):
        return obj.date_display


@admin.register(Relation)
class RelationAdmin(admin.ModelAdmin):
    list_display = ["subject", "kind", "object"]
    list_filter = ["kind"]
    search_fields = ["subject__name", "object__name"]
    autocomplete_fields = ["subject", "object"]
    list_select_related = ["subject", "object"]


@admin.register(Participation)
class ParticipationAdmin(admin.ModelAdmin):
    list_display = ["event", "participant", "role"]
    list_filter = ["role"]
    search_fields = ["event__name", "participant__name"]
    autocomplete_fields = ["event", "participant"]
    list_select_related = ["event", "participant"]


@admin.register(MentionCandidate)
class MentionCandidateAdmin(admin.ModelAdmin):
    list_display = ["text", "kind", "state", "article", "resolved_entity"]
    list_filter = ["kind", "state"]
    search_fields = ["text", "article__headline"]
    autocomplete_fields = ["article", "candidates", "resolved_entity"]
    readonly_fields = ["normalized", "created_at", "decided_by", "decided_at"]
    list_select_related = ["article", "resolved_entity"]
