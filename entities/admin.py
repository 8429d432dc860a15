from django.contrib import admin

from .models import (
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


@admin.register(Entity)
class EntityAdmin(admin.ModelAdmin):
    """Every entity of every kind, searchable by any alias."""

    list_display = ["name", "kind", "slug", "description", "merged_into"]
    list_filter = ["kind"]
    search_fields = ["name", "slug", "aliases__name", "aliases__normalized"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["created_at", "updated_at"]
    autocomplete_fields = ["parent", "country", "location", "merged_into"]
    inlines = [AliasInline, RelationInline]
    list_select_related = ["merged_into"]

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        return queryset, True if search_term else may_have_duplicates


class KindAdmin(EntityAdmin):
    """One admin page per kind, showing only the fields that kind uses."""

    kind: str = ""
    kind_fields: list[str] = []

    def get_fields(self, request, obj=None):
        return ["name", "slug", "description", *self.kind_fields, "merged_into"]


@admin.register(Person)
class PersonAdmin(KindAdmin):
    kind = EntityKind.PERSON
    inlines = [AliasInline, RoleInline, RelationInline]


@admin.register(Organization)
class OrganizationAdmin(KindAdmin):
    kind = EntityKind.ORGANIZATION
    kind_fields = ["organization_kind", "country"]
    list_display = ["name", "organization_kind", "country", "slug", "description"]
    list_filter = ["organization_kind"]
    list_select_related = ["country"]


@admin.register(Event)
class EventAdmin(KindAdmin):
    kind = EntityKind.EVENT
    kind_fields = ["start", "start_precision", "end", "end_precision", "location"]
    list_display = ["name", "date_display", "location", "slug"]
    list_filter = ["start_precision"]
    list_select_related = ["location"]
    inlines = [AliasInline, ParticipationInline, RelationInline]

    @admin.display(description="Date", ordering="start")
    def date_display(self, obj):
        return obj.date_display


@admin.register(Place)
class PlaceAdmin(KindAdmin):
    kind = EntityKind.PLACE
    kind_fields = ["place_kind", "parent", "latitude", "longitude"]
    list_display = ["name", "place_kind", "parent", "slug"]
    list_filter = ["place_kind"]
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
