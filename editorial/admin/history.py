"""History in the admin: the audit log and revisions (read-only, for admins), and an
audited user admin, since permission changes are audit events."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group

from articles.models import Revision
from core.audit import audit_record
from core.models import AuditLog


class ReadOnlyForAdminsMixin:
    """History is written by services only; admins (superusers) read it."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditLog)
class AuditLogAdmin(ReadOnlyForAdminsMixin, admin.ModelAdmin):
    list_display = ["created_at", "actor_name", "action", "object_repr", "source"]
    list_filter = ["action", "source"]
    search_fields = ["object_repr", "actor_name", "action"]
    list_select_related = ["actor", "content_type"]
    readonly_fields = [
        "created_at",
        "actor",
        "actor_name",
        "action",
        "source",
        "content_type",
        "object_id",
        "object_repr",
        "details",
    ]
    show_full_result_count = False


@admin.register(Revision)
class RevisionAdmin(ReadOnlyForAdminsMixin, admin.ModelAdmin):
    list_display = ["article", "version", "kind", "actor", "created_at", "source", "minor"]
    list_filter = ["kind", "source"]
    search_fields = ["article__headline"]
    list_select_related = ["article", "actor"]
    readonly_fields = [
        "article",
        "version",
        "kind",
        "actor",
        "created_at",
        "source",
        "minor",
        "note",
        "snapshot",
    ]
    show_full_result_count = False


# Permission-relevant user fields: a change to any of them is an audit event.
USER_PERMISSION_FIELDS = ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")


def _permission_state(user) -> dict:
    return {
        "is_active": user.is_active,
        "is_staff": user.is_staff,
        "is_superuser": user.is_superuser,
        "groups": sorted(user.groups.values_list("name", flat=True)),
        "user_permissions": sorted(user.user_permissions.values_list("codename", flat=True)),
    }


User = get_user_model()
if admin.site.is_registered(User):
    admin.site.unregister(User)
if admin.site.is_registered(Group):
    admin.site.unregister(Group)


@admin.register(User)
class AuditedUserAdmin(UserAdmin):
    """Django's user admin; changes to roles and flags land in the audit log."""

    def save_model(self, request, obj, form, change):
        request._permissions_before = (
            _permission_state(User.objects.get(pk=obj.pk)) if change else None
        )
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        after = _permission_state(form.instance)
        before = getattr(request, "_permissions_before", None)
        if before is None:
            audit_record(
                actor=request.user, action="user.create", target=form.instance, details=after
            )
            return
        changed = {
            key: {"from": before[key], "to": after[key]}
            for key in after
            if before[key] != after[key]
        }
        if changed:
            audit_record(
                actor=request.user,
                action="user.permissions",
                target=form.instance,
                details=changed,
            )

    def delete_model(self, request, obj):
        audit_record(actor=request.user, action="user.delete", target=obj)
        super().delete_model(request, obj)


@admin.register(Group)
class AuditedGroupAdmin(GroupAdmin):
    """Role changes (a group's permissions) land in the audit log."""

    def save_related(self, request, form, formsets, change):
        before = (
            sorted(form.instance.permissions.values_list("codename", flat=True)) if change else []
        )
        super().save_related(request, form, formsets, change)
        after = sorted(form.instance.permissions.values_list("codename", flat=True))
        if before != after:
            audit_record(
                actor=request.user,
                action="group.permissions",
                target=form.instance,
                details={
                    "added": sorted(set(after) - set(before)),
                    "removed": sorted(set(before) - set(after)),
                },
            )
