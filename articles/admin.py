from django.contrib import admin

from entities.admin_suggestions import SuggestionReviewAdminMixin

from .models import Article, Correction, Mention, Quote, Section, Statistic


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


class MentionInline(admin.TabularInline):
    model = Mention
    extra = 0
    fields = ["entity", "role", "state", "matched_text", "text_missing"]
    readonly_fields = ["matched_text", "text_missing"]
    autocomplete_fields = ["entity"]


class QuoteInline(admin.StackedInline):
    model = Quote
    extra = 0
    autocomplete_fields = ["speaker", "medium", "context_event"]


class StatisticInline(admin.StackedInline):
    model = Statistic
    extra = 0
    autocomplete_fields = ["subject", "source"]


class CorrectionInline(admin.TabularInline):
    model = Correction
    extra = 0
    fields = ["kind", "note", "published_at"]


@admin.register(Article)
class ArticleAdmin(SuggestionReviewAdminMixin, admin.ModelAdmin):
    list_display = ["headline", "status", "section", "author", "publish_at", "embargo_until"]
    list_filter = ["status", "section", "language"]
    search_fields = ["headline", "standfirst", "body"]
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["dateline"]
    list_select_related = ["section", "author"]
    readonly_fields = ["first_published_at", "created_at", "updated_at", "version"]
    inlines = [MentionInline, QuoteInline, StatisticInline, CorrectionInline]


@admin.register(Mention)
class MentionAdmin(admin.ModelAdmin):
    list_display = ["entity", "article", "role", "state", "matched_text"]
    list_filter = ["state", "role", "entity__kind"]
    search_fields = ["entity__name", "article__headline", "matched_text"]
    autocomplete_fields = ["article", "entity"]
    list_select_related = ["entity", "article"]


@admin.register(Quote)
class QuoteAdmin(admin.ModelAdmin):
    list_display = ["speaker", "text", "said_where", "article"]
    search_fields = ["text", "speaker__name"]
    autocomplete_fields = ["article", "speaker", "medium", "context_event"]
    list_select_related = ["speaker", "article"]


@admin.register(Statistic)
class StatisticAdmin(admin.ModelAdmin):
    list_display = ["value", "unit", "subject", "as_of", "source"]
    search_fields = ["unit", "subject__name"]
    autocomplete_fields = ["article", "subject", "source"]
    list_select_related = ["subject", "source"]


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    list_display = ["article", "kind", "published_at"]
    list_filter = ["kind"]
    autocomplete_fields = ["article"]
    list_select_related = ["article"]
