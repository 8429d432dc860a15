import re

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Q
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_http_methods

from articles.models import Mention
from articles.permissions import articles_visible_q
from core.search_keys import term_keys
from editorial.admin.articles import ArticlePartAdmin
from editorial.admin.links import entity_links
from editorial.diff import snapshot_diff
from editorial.views import CHOOSE_TWO_REVISIONS, revision_pair
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
from workflow.entities import (
    ALIAS_FIELDS,
    LINKED_REFERENCES,
    LINKED_ROWS,
    entity_delete,
    entity_link_delete,
    entity_link_save,
    entity_restore,
    entity_save,
)
from workflow.merge import entity_merge
from workflow.review import possible_duplicates

MENTIONING_ARTICLES_SHOWN = 50


def _shown(snapshot: dict, names: dict[int, str]) -> dict:
    """A snapshot as the diff shows it: one line per alias, role, relation, participation,
    with the entities they name by name (`names`: pk → name)."""
    shown = {key: value for key, value in snapshot.items() if key not in LINKED_SHOWN}
    for key, fields in LINKED_SHOWN.items():
        reference = LINKED_REFERENCES.get(key)
        shown[key] = "\n".join(
            " · ".join(
                names.get(row.get(name), str(row.get(name)))
                if name == reference and row.get(name) is not None
                else str(row.get(name) or "—")
                for name in fields
            )
            for row in snapshot.get(key, [])
        )
    return shown


# What the diff shows of each row kept in an entity's snapshot, in this order.
LINKED_SHOWN = {
    "aliases": ALIAS_FIELDS,
    **{key: fields for key, (_model, _owner, fields) in LINKED_ROWS.items()},
}


def _entity_labels(snapshots: list[dict]) -> tuple[dict[str, dict], dict[int, str]]:
    """Names for the entity references in snapshots (one query): per field, and by pk for
    the rows (roles' affiliations, relations' objects, participants)."""
    references = ("parent", "country", "location")
    wanted = {s[name] for s in snapshots for name in references if s.get(name) is not None}
    wanted |= {
        row[reference]
        for s in snapshots
        for key, reference in LINKED_REFERENCES.items()
        for row in s.get(key, [])
        if row.get(reference) is not None
    }
    names = {pk: str(e) for pk, e in Entity.objects.in_bulk(wanted).items()}
    return {name: names for name in references}, names


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


# The alias inline's rows as posted: aliases-<n>-name, dropped with aliases-<n>-DELETE.
_ALIAS_NAME = re.compile(r"^aliases-(\d+)-name$")


class EntityAdminForm(forms.ModelForm):
    """The entity form; a new record whose name or alias folds to the key of an existing
    record of its kind is held back with a warning linking to it, until the editor says
    it is someone (or something) else."""

    create_anyway = forms.BooleanField(
        required=False,
        widget=forms.HiddenInput,
        label="Create it anyway",
        help_text="Tick if this is not the record linked above but another one of that name.",
    )

    def posted_names(self, name: str) -> list[str]:
        """The record's name and the names of the aliases posted beside it."""
        aliases = [
            value
            for key, value in self.data.items()
            if (match := _ALIAS_NAME.match(key))
            and not self.data.get(f"aliases-{match.group(1)}-DELETE")
        ]
        return [name, *aliases]

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is not None or not cleaned.get("name"):
            return cleaned
        kind = cleaned.get("kind") or getattr(self._meta.model, "entity_kind", "")
        existing = possible_duplicates(names=self.posted_names(cleaned["name"]), kind=kind)
        if existing and not cleaned.get("create_anyway"):
            self.fields["create_anyway"].widget = forms.CheckboxInput()
            raise ValidationError(
                format_html(
                    "Already in the newsroom under this name or spelling: {}. Add your "
                    "spelling as an alias there, or tick “Create it anyway” below if this "
                    "is another {}.",
                    entity_links(existing),
                    EntityKind(kind).label.lower() if kind else "record",
                ),
                code="possible_duplicate",
            )
        return cleaned


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

    form = EntityAdminForm
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
    change_form_template = "admin/entities/entity_change_form.html"

    # -- writes go through workflow.entities: every save leaves a revision ------------

    def save_model(self, request, obj, form, change):
        """Saved by save_related, with the aliases, in one entity_save (one revision)."""

    def save_related(self, request, form, formsets, change):
        save_related = super().save_related

        def write() -> None:
            form.instance.save()
            save_related(request, form, formsets, change)

        entity_save(entity=form.instance, actor=request.user, write=write, creating=not change)

    def delete_model(self, request, obj):
        entity_delete(entity=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for entity in queryset:
            entity_delete(entity=entity, actor=request.user)

    # -- history: revisions, diff, restore ----------------------------------------------

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/revisions/",
                view(self.revisions_view),
                name="{}_{}_revisions".format(*info),
            ),
            path(
                "<path:object_id>/revisions/diff/",
                view(self.revision_diff_view),
                name="{}_{}_revision_diff".format(*info),
            ),
            path(
                "<path:object_id>/revisions/<int:version>/restore/",
                view(require_http_methods(["GET", "POST"])(self.revision_restore_view)),
                name="{}_{}_revision_restore".format(*info),
            ),
            *super().get_urls(),
        ]

    def _entity_for(self, request, object_id, *, change: bool = False):
        entity = self.get_object(request, object_id)
        if entity is None:
            raise Http404("No such entity.")
        allowed = (
            self.has_change_permission(request, entity)
            if change
            else self.has_view_or_change_permission(request, entity)
        )
        if not allowed:
            raise PermissionDenied
        return entity

    def _history_context(self, request, entity, title: str) -> dict:
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"{title}: {entity}",
            "entity": entity,
            "original": entity,
        }

    def revisions_view(self, request, object_id):
        entity = self._entity_for(request, object_id)
        context = {
            **self._history_context(request, entity, "History"),
            "revisions": list(entity.revisions.select_related("actor").order_by("-version")),
            "can_restore": self.has_change_permission(request, entity),
        }
        return TemplateResponse(request, "admin/entities/revision_list.html", context)

    def revision_diff_view(self, request, object_id):
        entity = self._entity_for(request, object_id)
        pair = revision_pair(request, entity.revisions)
        if pair is None:
            return HttpResponseBadRequest(CHOOSE_TWO_REVISIONS)
        old, new = pair
        labels, names = _entity_labels([old.snapshot, new.snapshot])
        before, after = _shown(old.snapshot, names), _shown(new.snapshot, names)
        context = {
            **self._history_context(request, entity, "Changes"),
            "old": old,
            "new": new,
            "changes": snapshot_diff(before, after, labels),
        }
        return TemplateResponse(request, "admin/entities/revision_diff.html", context)

    def revision_restore_view(self, request, object_id, version: int):
        entity = self._entity_for(request, object_id, change=True)
        revision = entity.revisions.filter(version=version).first()
        if revision is None:
            raise Http404("No such revision.")
        error, status = None, 200
        if request.method == "POST":
            try:
                restored = entity_restore(entity=entity, actor=request.user, revision=revision)
            except ValidationError as exc:
                error, status = " ".join(exc.messages), 400
            else:
                self.message_user(
                    request,
                    f"Restored version {version} of {entity} as version {restored.version}.",
                    messages.SUCCESS,
                )
                info = self.opts.app_label, self.opts.model_name
                return redirect("admin:{}_{}_revisions".format(*info), entity.pk)
        context = {
            **self._history_context(request, entity, f"Restore version {version}"),
            "revision": revision,
            "error": error,
        }
        return TemplateResponse(
            request, "admin/entities/revision_restore.html", context, status=status
        )

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        hidden = {"mentioning_articles", "merged_into", "create_anyway"}
        if obj is not None:
            return [f for f in fields if f != "create_anyway"]
        return [*(f for f in fields if f not in hidden), "create_anyway"]

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

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            obj.viewer = request.user  # mentioning_articles lists what they may see
        return obj

    @admin.display(description="Articles mentioning it")
    def mentioning_articles(self, obj):
        viewer = getattr(obj, "viewer", None)
        visible = articles_visible_q(viewer, prefix="article__") if viewer else Q(pk__in=[])
        mentions = list(
            Mention.objects.filter(visible, entity=obj)
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
                        m.article.status_now_display.lower(),
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
        # The likely survivor first, and chosen: the record articles already link to most,
        # then the oldest. An empty duplicate made yesterday is never the default.
        entities.sort(key=lambda e: (-counts.get(e.pk, 0), e.created_at, e.pk))
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
        if obj is None:
            return [*fields, "create_anyway"]
        return [*fields, "merged_into", "mentioning_articles"]


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
    """Alias writes are entity writes: each leaves a revision of its entity."""

    list_display = ["name", "entity", "kind", "language", "script", "normalized"]
    list_filter = ["kind", "script"]
    search_fields = ["name", "normalized", "entity__name"]
    autocomplete_fields = ["entity"]
    list_select_related = ["entity"]

    def save_model(self, request, obj, form, change):
        moved_from = (
            Alias.objects.filter(pk=obj.pk).exclude(entity=obj.entity_id).first()
            if change
            else None
        )
        entity_save(entity=obj.entity, actor=request.user, write=obj.save)
        if moved_from is not None:
            entity_save(
                entity=moved_from.entity,
                actor=request.user,
                write=lambda: None,
                note=f"Alias “{obj.name}” moved to {obj.entity}.",
            )

    def delete_model(self, request, obj):
        entity_save(entity=obj.entity, actor=request.user, write=obj.delete)

    def delete_queryset(self, request, queryset):
        for alias in queryset.select_related("entity"):
            self.delete_model(request, alias)


class EntityLinkAdmin(admin.ModelAdmin):
    """Roles, relations and participations are writes of the entity that owns them: each
    save or delete leaves a revision of it (workflow.entities.entity_link_save)."""

    def save_model(self, request, obj, form, change):
        entity_link_save(row=obj, actor=request.user)

    def delete_model(self, request, obj):
        entity_link_delete(row=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for row in queryset:
            entity_link_delete(row=row, actor=request.user)


@admin.register(Role)
class RoleAdmin(EntityLinkAdmin):
    list_display = ["title", "person", "affiliation", "date_display"]
    search_fields = ["title", "person__name"]
    autocomplete_fields = ["person", "affiliation"]
    list_select_related = ["person", "affiliation"]

    @admin.display(description="Dates")
    def date_display(self, obj):
        return obj.date_display


@admin.register(Relation)
class RelationAdmin(EntityLinkAdmin):
    list_display = ["subject", "kind", "object"]
    list_filter = ["kind"]
    search_fields = ["subject__name", "object__name"]
    autocomplete_fields = ["subject", "object"]
    list_select_related = ["subject", "object"]


@admin.register(Participation)
class ParticipationAdmin(EntityLinkAdmin):
    list_display = ["event", "participant", "role"]
    list_filter = ["role"]
    search_fields = ["event__name", "participant__name"]
    autocomplete_fields = ["event", "participant"]
    list_select_related = ["event", "participant"]


@admin.register(MentionCandidate)
class MentionCandidateAdmin(ArticlePartAdmin):
    """Read-only: names are decided on the article's suggestion page (workflow.review)."""

    list_display = ["text", "kind", "state", "article_link", "resolved_entity"]
    list_filter = ["kind", "state"]
    search_fields = ["text", "article__headline"]
    list_select_related = ["article", "resolved_entity"]
