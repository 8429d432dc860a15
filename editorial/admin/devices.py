"""Authenticator apps in the admin: superusers see who has one and remove a lost one;
removal goes through workflow.two_factor, so it is audited. Nobody edits a secret here."""

from django.contrib import admin
from django_otp.plugins.otp_totp.models import TOTPDevice

from workflow.two_factor import totp_disable

if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class AuthenticatorAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "confirmed", "created_at", "last_used_at"]
    list_filter = ["confirmed"]
    search_fields = ["user__username"]
    list_select_related = ["user"]
    fields = ["user", "name", "confirmed", "created_at", "last_used_at"]
    readonly_fields = fields
    actions = ["delete_selected"]

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        totp_disable(actor=request.user, user=obj.user, source="admin")

    def delete_queryset(self, request, queryset):
        for user in {device.user for device in queryset.select_related("user")}:
            totp_disable(actor=request.user, user=user, source="admin")
