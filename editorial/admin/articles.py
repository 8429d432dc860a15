"""The articles admin: a thin layer over workflow.articles.

Saves, transitions and bulk actions call the services, so the admin enforces the same
rules as the API: roles, versions (no lost edits), revisions, corrections, audit.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, router
from django.db.models import Q
from django.forms.models import BaseInlineFormSet
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from articles.models import (
    Article,
    Correction,
    EditorialStatus,
    Mention,
    Quote,
    Section,
    Statistic,
)
from articles.permissions import article_can, articles_visible_q
from editorial import views as editorial_views
from editorial.admin.suggestions import SuggestionReviewAdminMixin
from editorial.forms import FigureField, newsroom_zone_help
from search.query import editorial_article_search
from workflow import articles as services

# Article fields a form may never post: they change only through the workflow actions.
WORKFLOW_FIELDS = (
    "status",
    "version",
    "first_published_at",
    "withdrawn_at",
    "withdrawal_reason",
    "created_at",
    "updated_at",
)
CONTENT_FIELDSET_FIELDS = services.TEXT_FIELDS


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


class PreloadedAutocompleteSelect(AutocompleteSelect):
    """An autocomplete that renders its selected object from the row already loaded.

    Stock AutocompleteSelect queries the selected object once per widget, so an inline of
    50 mentions costs 50 queries; the inline loads its rows with select_related and hands
    each widget its object instead.
    """

    preloaded: dict[str, object] | None = None

    def optgroups(self, name, value, attr=None):
        selected = {str(v) for v in value if v not in (None, "")}
        if not selected or not self.preloaded or not selected <= set(self.preloaded):
            return super().optgroups(name, value, attr)
        options = [
            self.create_option(
                name, pk, self.choices.field.label_from_instance(self.preloaded[pk]), True, index
            )
            for index, pk in enumerate(sorted(selected))
        ]
        if not self.is_required:
            options.insert(0, self.create_option(name, "", "", False, 0))
        return [(None, options, 0)]


class PreloadedInlineForm(forms.ModelForm):
    """Hands each autocomplete widget the related object its row has already loaded."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = getattr(field.widget, "widget", field.widget)
            if not isinstance(widget, PreloadedAutocompleteSelect):
                continue
            model_field = self._meta.model._meta.get_field(name)
            pk = getattr(self.instance, model_field.attname, None)
            if pk is not None and model_field.is_cached(self.instance):
                widget.preloaded = {str(pk): getattr(self.instance, name)}


class PreloadedAutocompleteMixin:
    """Inline admin whose autocomplete fields render without a query per row."""

    form = PreloadedInlineForm

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs.setdefault(
                "widget",
                PreloadedAutocompleteSelect(
                    db_field,
                    self.admin_site,
                    using=kwargs.get("using") or router.db_for_read(db_field.remote_field.model),
                ),
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*self.autocomplete_fields)


class ArticlePartFormSet(BaseInlineFormSet):
    """An inline of the article's parts: the article service's rules apply before any
    row is written (who may edit, corrections after publication)."""

    user = None  # set by ArticlePartInlineMixin.get_formset

    def clean(self):
        super().clean()
        if self.instance.pk is None or self.user is None or not self.has_changed():
            return
        try:
            services.article_parts_check(
                article=self.instance,
                actor=self.user,
                parts=[part_name(self.model)],
                minor=bool(self.data.get("minor")),
                correction_note=self.data.get("correction_note", ""),
            )
        except PermissionDenied as error:
            raise ValidationError(str(error), code="permission") from error


def part_name(model) -> str:
    return str(model._meta.verbose_name_plural)


class ArticlePartInlineMixin(PreloadedAutocompleteMixin):
    """Inline rows saved by ArticleAdmin.save_related through services.article_update."""

    formset = ArticlePartFormSet

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.user = request.user
        return formset


class MentionInline(ArticlePartInlineMixin, admin.TabularInline):
    """A compact panel: one line per entity link, the text it matched, and a note only
    where that text has gone. The suggestion review page is where links are decided."""

    model = Mention
    extra = 0
    fields = ["entity", "role", "state", "matched_text", "in_text"]
    readonly_fields = ["matched_text", "in_text"]
    autocomplete_fields = ["entity"]
    classes = ["mentions-panel"]

    def get_queryset(self, request):
        # Each row's title is str(mention), which names the article.
        return super().get_queryset(request).select_related("article")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "entity":
            # No edit/add/view icons beside every row: the entity name is enough here.
            wrapper = field.widget
            wrapper.can_add_related = wrapper.can_change_related = False
            wrapper.can_view_related = wrapper.can_delete_related = False
        return field

    @admin.display(description="In the text")
    def in_text(self, obj):
        # Said only when something is wrong: no red icon on every healthy row.
        return "Text no longer in the article" if obj.text_missing else ""


class QuoteInline(ArticlePartInlineMixin, admin.StackedInline):
    model = Quote
    extra = 0
    autocomplete_fields = ["speaker", "medium", "context_event"]


# Source links typed without a scheme are https:// (Django 6's default, opted into here).
URL_FORMFIELDS = {models.URLField: {"assume_scheme": "https"}}


# Figures as written: "1,131", not "1131.0000" (the column keeps four decimal places).
STATISTIC_FORMFIELDS = {**URL_FORMFIELDS, models.DecimalField: {"form_class": FigureField}}


class StatisticInline(ArticlePartInlineMixin, admin.StackedInline):
    model = Statistic
    formfield_overrides = STATISTIC_FORMFIELDS
    extra = 0
    autocomplete_fields = ["subject", "source"]


class CorrectionInline(admin.TabularInline):
    """Corrections are published with the “Publish correction” action, never edited here."""

    model = Correction
    extra = 0
    fields = ["kind", "note", "published_at", "created_by"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("created_by")


class ArticleAdminForm(forms.ModelForm):
    """The article form: remembers the version it was opened with, refuses crafted fields."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    minor = forms.BooleanField(
        required=False,
        label="Minor change",
        help_text="A typo or style fix after publication: no correction is published.",
    )
    correction_note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="After publication, a change of substance is published with this note.",
    )

    user = None  # set by ArticleAdmin.get_form

    class Meta:
        model = Article
        fields = [*services.EDITABLE_FIELDS]  # ModelAdmin narrows them per role
        widgets = {
            # The article is written here: a page-sized editor, not a 10-line box.
            "body": forms.Textarea(attrs={"rows": 30, "class": "article-body-editor"}),
            "standfirst": forms.Textarea(attrs={"rows": 3, "class": "article-standfirst"}),
        }
        help_texts = {
            "author": "The account that owns the article (readers see the byline).",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.fields["expected_version"].initial = self.instance.version
        zone = newsroom_zone_help()
        for name in ("publish_at", "embargo_until"):
            if name in self.fields:
                self.fields[name].help_text = f"{self.fields[name].help_text} {zone}".strip()

    def forbidden_posted_fields(self) -> list[str]:
        """Posted keys naming article fields this user may not write through the form."""
        allowed = set(services.article_writable_fields(user=self.user))
        forbidden = [
            name
            for name in (*services.EDITABLE_FIELDS, *WORKFLOW_FIELDS)
            if name not in allowed and name not in self.fields
        ]
        posted = [
            name
            for name in forbidden
            if any(key == name or key.startswith(f"{name}_") for key in self.data)
        ]
        return posted

    def clean(self):
        cleaned = super().clean()
        refused = self.forbidden_posted_fields()
        if refused:
            raise ValidationError(
                "Refused: your role may not set %(fields)s.",
                code="forbidden_field",
                params={"fields": ", ".join(refused)},
            )
        embargo = cleaned.get("embargo_until")
        if "embargo_until" in self.changed_data and embargo and embargo < timezone.now():
            self.add_error("embargo_until", "An embargo cannot end in the past.")
        if self.instance.pk and not self.errors:
            self._check_with_service(cleaned)
        return cleaned

    def article_changes(self) -> dict:
        return {
            name: self.cleaned_data[name]
            for name in self.changed_data
            if name in services.EDITABLE_FIELDS
        }

    def _check_with_service(self, cleaned) -> None:
        stored = Article.objects.get(pk=self.instance.pk)
        try:
            services.article_update_check(
                article=stored,
                actor=self.user,
                expected_version=cleaned.get("expected_version") or 0,
                changes=self.article_changes(),
                minor=cleaned.get("minor", False),
                correction_note=cleaned.get("correction_note", ""),
            )
        except services.StaleArticleError as error:
            raise ValidationError(
                format_html(
                    "{} Your text is still in this form: copy what you need, then "
                    '<a href="{}">reload the latest version</a>.',
                    error.message,
                    reverse("admin:articles_article_change", args=[self.instance.pk]),
                ),
                code="stale",
            ) from error
        except PermissionDenied as error:
            raise ValidationError(str(error), code="permission") from error
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for name, errors in error.error_dict.items():
                    self.add_error(name if name in self.fields else None, errors)
            else:
                raise


class EditorialStatusFilter(admin.SimpleListFilter):
    """Status as decided now (articles.models.editorial_status_q): a scheduled article
    whose time has come is listed as live, not scheduled."""

    title = "status"
    # The stock status filter's parameter, so that saved links keep working.
    parameter_name = "status__exact"

    def lookups(self, request, model_admin):
        return EditorialStatus.choices

    def queryset(self, request, queryset):
        if self.value() in EditorialStatus.values:
            return queryset.in_editorial_status(self.value())
        return queryset


class PublicNowFilter(admin.SimpleListFilter):
    title = "public now"
    parameter_name = "public"

    def lookups(self, request, model_admin):
        return [("yes", "Yes"), ("no", "No")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.public()
        if self.value() == "no":
            return queryset.exclude(pk__in=Article.objects.public().values("pk"))
        return queryset


@admin.register(Article)
class ArticleAdmin(SuggestionReviewAdminMixin, admin.ModelAdmin):
    form = ArticleAdminForm
    change_form_template = "admin/articles/article/change_form.html"
    list_display = [
        "headline",
        "status_now",
        "section",
        "author",
        "publish_at",
        "embargo_until",
        "public_now",
    ]
    list_filter = [
        EditorialStatusFilter,
        PublicNowFilter,
        "section",
        ("author", admin.RelatedOnlyFieldListFilter),
        "publish_at",
        "language",
    ]
    # Declared so the list has a search box; get_search_results does the searching.
    search_fields = ["headline"]
    search_help_text = (
        "Words in any spelling or script (“Lukashenko” finds “Lukashenka”), "
        "an entity's name, or a slug."
    )
    list_select_related = ["section", "author"]
    list_per_page = 100
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["dateline"]
    inlines = [MentionInline, QuoteInline, StatisticInline, CorrectionInline]
    actions = ["withdraw_selected"]

    # -- what each role sees --------------------------------------------------------

    def get_fieldsets(self, request, obj=None):
        editor = services.user_is_editor(request.user)
        editable = obj is None or services.article_can_edit(article=obj, user=request.user)
        content = (
            [*CONTENT_FIELDSET_FIELDS, "expected_version"]
            if editable
            else [*CONTENT_FIELDSET_FIELDS]
        )
        fieldsets = [(None, {"fields": content})]
        if editor:
            publication = ["publish_at", "embargo_until"]
            if obj is not None:
                publication.append("author")
            fieldsets.append(("Publication", {"fields": publication}))
        if obj is not None:
            # One author field: the editor's choice above, or the name for the others.
            author = [] if editor else ["author_display"]
            fieldsets.append(
                (
                    "Workflow",
                    {
                        "fields": [
                            "status_now",
                            "public_now",
                            "version",
                            *author,
                            "first_published_at",
                            "updated_at",
                            "withdrawal_reason",
                        ]
                    },
                )
            )
            if editor and editable and obj.first_published_at:
                fieldsets.append(("After publication", {"fields": ["minor", "correction_note"]}))
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return [
            "status_now",
            "public_now",
            "version",
            "author_display",
            "first_published_at",
            "updated_at",
            "withdrawal_reason",
        ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.user = request.user
        return form

    def get_search_results(self, request, queryset, search_term):
        """Folded like the public search, through the full-text index (never ILIKE over
        every body), plus the articles linked to an entity of that name."""
        if not search_term.strip():
            return queryset, False
        return editorial_article_search(queryset, search_term), False

    @admin.display(description="Status", ordering="status")
    def status_now(self, obj):
        """Decided at read time: what the public sees now, not the last decision."""
        return obj.status_now_display

    @admin.display(boolean=True, description="Public now")
    def public_now(self, obj):
        return obj.is_public()

    @admin.display(description="Author")
    def author_display(self, obj):
        return obj.author or "—"

    # -- permissions: articles.permissions decides, as for the API -------------------

    def get_queryset(self, request):
        # The changelist, search, filters, actions and the article autocomplete all start
        # here: a reporter's list holds their own work and what is public.
        return super().get_queryset(request).filter(articles_visible_q(request.user))

    def get_object(self, request, object_id, from_field=None):
        """The article if this user may see it; 403 (not "no such article") for an
        existing article they may not, as every editorial page answers."""
        obj = super().get_object(request, object_id, from_field)
        exists = obj is None and str(object_id).isdigit()
        if exists and Article.objects.filter(pk=object_id).exists():
            raise PermissionDenied("You may not see this article.")
        return obj

    def has_view_permission(self, request, obj=None):
        if not super().has_view_permission(request):
            return False
        return obj is None or article_can(request.user, "view", obj)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request)
        return services.article_can_edit(article=obj, user=request.user)

    def has_delete_permission(self, request, obj=None):
        # Withdraw, not delete: only superusers may delete, one at a time, audited.
        return request.user.is_superuser and obj is not None

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        if not request.user.has_perm("articles.withdraw_article"):
            actions.pop("withdraw_selected", None)
        return actions

    # -- writes go through the services ------------------------------------------------

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except (services.StaleArticleError, ValidationError):
            # Someone saved between this form's checks and its save (a race of
            # milliseconds): run the view again, so the form's checks report it and
            # keep what the user typed.
            if request.method != "POST":
                raise
            return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if not change:
            created = services.article_create(
                actor=request.user,
                headline=data["headline"],
                body=data["body"],
                standfirst=data.get("standfirst", ""),
                section=data.get("section"),
                byline=data.get("byline", ""),
                dateline=data.get("dateline"),
                language=data.get("language") or "en",
                publish_at=data.get("publish_at"),
                embargo_until=data.get("embargo_until"),
                slug=data.get("slug") or None,
                source="admin",
            )
            for field in Article._meta.concrete_fields:
                setattr(obj, field.attname, getattr(created, field.attname))
            obj._state.adding = False
            obj._state.db = created._state.db
            return
        # A change is written by save_related, with the inline parts, in one service call.

    def save_related(self, request, form, formsets, change):
        if change:
            self._update_with_parts(request, form, formsets)
        else:
            super().save_related(request, form, formsets, change)
        self.suggestions_notice(request, form.instance)

    def _update_with_parts(self, request, form, formsets) -> None:
        """The article's text and its inline parts, through article_update: one version,
        one revision, the corrections rule for both, an audit entry for the parts."""
        data = form.cleaned_data
        changed = [formset for formset in formsets if formset.has_changed()]

        def write_parts() -> dict:
            form.save_m2m()
            written = {}
            for formset in formsets:
                self.save_formset(request, form, formset, change=True)
                if formset in changed:
                    written[part_name(formset.model)] = {
                        "added": [str(o) for o in formset.new_objects],
                        "changed": [str(o) for o, _fields in formset.changed_objects],
                        "deleted": [str(o) for o in formset.deleted_objects],
                    }
            return written

        stored = Article.objects.get(pk=form.instance.pk)
        services.article_update(
            article=stored,
            actor=request.user,
            expected_version=data.get("expected_version") or 0,
            changes=form.article_changes(),
            minor=data.get("minor", False),
            correction_note=data.get("correction_note", ""),
            source="admin",
            parts=[part_name(formset.model) for formset in changed],
            write_parts=write_parts,
        )
        for field in Article._meta.concrete_fields:
            setattr(form.instance, field.attname, getattr(stored, field.attname))

    def delete_model(self, request, obj):
        services.article_delete(article=obj, actor=request.user)

    # -- bulk withdraw -------------------------------------------------------------------

    @admin.action(description="Withdraw selected articles", permissions=["withdraw"])
    def withdraw_selected(self, request, queryset):
        reason = request.POST.get("reason", "").strip()
        if "apply" not in request.POST or not reason:
            return TemplateResponse(
                request,
                "admin/articles/article/withdraw_selected.html",
                {
                    **self.admin_site.each_context(request),
                    "title": "Withdraw articles",
                    "opts": self.model._meta,
                    "articles": queryset,
                    "reason_missing": "apply" in request.POST,
                    "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                },
            )
        done = 0
        for article in queryset:
            try:
                services.article_withdraw(article=article, actor=request.user, reason=reason)
                done += 1
            except (ValidationError, PermissionDenied, services.StaleArticleError) as error:
                message = error.messages[0] if hasattr(error, "messages") else str(error)
                self.message_user(
                    request,
                    format_html("“{}” was not withdrawn: {}", article.headline, message),
                    messages.WARNING,
                )
        if done:
            self.message_user(request, f"Withdrew {done} article(s).", messages.SUCCESS)
        return None

    def has_withdraw_permission(self, request):
        return request.user.has_perm("articles.withdraw_article")

    # -- editorial pages ---------------------------------------------------------------

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("dashboard/", view(editorial_views.dashboard), name="articles_dashboard"),
            path(
                "<int:pk>/workflow/<str:action>/",
                view(editorial_views.article_transition),
                name="articles_article_transition",
            ),
            path(
                "<int:pk>/revisions/",
                view(editorial_views.revision_list),
                name="articles_article_revisions",
            ),
            path(
                "<int:pk>/revisions/diff/",
                view(editorial_views.revision_diff),
                name="articles_article_revision_diff",
            ),
            path(
                "<int:pk>/revisions/<int:version>/restore/",
                view(editorial_views.revision_restore),
                name="articles_article_revision_restore",
            ),
            path(
                # Not behind admin_view: its never_cache would add to the preview's
                # exact "private, no-store"; the view checks login and permission.
                "<int:pk>/preview/",
                editorial_views.article_preview,
                name="articles_article_preview",
            ),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["workflow_actions"] = editorial_views.available_actions(obj, request.user)
            context["can_preview"] = article_can(request.user, "preview", obj)
        return super().render_change_form(request, context, add, change, form_url, obj)


class ArticlePartAdmin(admin.ModelAdmin):
    """A read-only list of one kind of article part, across the articles this user may see.

    Parts are edited on their article (ArticleAdmin's inlines), through article_update:
    permission by role and authorship, a version bump, a revision, an audit entry and the
    corrections rule. A change page here would be a second write path that skips them.
    """

    article_path = "article"  # how the part reaches its article
    article_optional = False  # statistics may stand alone

    def get_queryset(self, request):
        visible = articles_visible_q(request.user, prefix=f"{self.article_path}__")
        if self.article_optional and visible:  # an empty Q is every row already
            visible |= Q(**{f"{self.article_path}__isnull": True})
        return super().get_queryset(request).filter(visible)

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="Article")
    def article_link(self, obj):
        article = getattr(obj, self.article_path)
        if article is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:articles_article_change", args=[article.pk]),
            article.headline,
        )


@admin.register(Mention)
class MentionAdmin(ArticlePartAdmin):
    list_display = ["entity", "article_link", "role", "state", "matched_text"]
    list_filter = ["state", "role", "entity__kind"]
    search_fields = ["entity__name", "article__headline", "matched_text"]
    list_select_related = ["entity", "article"]


@admin.register(Quote)
class QuoteAdmin(ArticlePartAdmin):
    list_display = ["speaker", "text", "said_where", "article_link"]
    search_fields = ["text", "speaker__name"]
    list_select_related = ["speaker", "article"]


@admin.register(Statistic)
class StatisticAdmin(ArticlePartAdmin):
    formfield_overrides = STATISTIC_FORMFIELDS
    article_optional = True
    list_display = ["figure", "unit", "subject", "as_of", "source", "article_link"]
    search_fields = ["unit", "subject__name"]
    list_select_related = ["subject", "source", "article"]

    @admin.display(description="Value", ordering="value")
    def figure(self, obj):
        return obj.value_display

    def get_fields(self, request, obj=None):
        # The record shows the figure as written ("1,131"), not the column ("1131.0000").
        return ["figure" if name == "value" else name for name in super().get_fields(request, obj)]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "figure"]


@admin.register(Correction)
class CorrectionAdmin(ArticlePartAdmin):
    """Corrections are published through article_correct (audited)."""

    list_display = ["article_link", "kind", "published_at", "created_by"]
    list_filter = ["kind"]
    list_select_related = ["article", "created_by"]
