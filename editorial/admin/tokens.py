"""API tokens in the admin: everyone lists and revokes their own; editors
(workflow.revoke_any_token) everyone's. Tokens are issued by logging in through the API;
revoking goes through workflow.tokens, so it is audited."""

from django.contrib import admin

from workflow.models import ApiToken
from workflow.tokens import token_revoke, tokens_visible_to


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "public_id", "created", "expiry", "last_used"]
    list_filter = ["created", "expiry"]
    search_fields = ["name", "public_id", "user__username"]
    list_select_related = ["user"]
    fields = ["name", "user", "public_id", "created", "expiry", "last_used"]
    readonly_fields = fields
    actions = ["delete_selected"]

    def get_queryset(self, request):
        return tokens_visible_to(request.user)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        token_revoke(actor=request.user, token=obj, source="admin")

    def delete_queryset(self, request, queryset):
        for token in queryset:
            token_revoke(actor=request.user, token=token, source="admin")
