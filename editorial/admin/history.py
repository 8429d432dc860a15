"""History in the admin: the audit log and revisions (read-only, for admins), and an
audited user admin, since permission changes are audit events."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.db.models import Q

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


# The roles an editor may give and take away. Superusers manage everything else.
MANAGED_ROLES = ("Reporter", "Editor")


def managed_users_q() -> Q:
    """Users an editor (auth.change_user without superuser rights) may manage: no
    superusers, no permissions of their own, no group outside MANAGED_ROLES."""
    own_permissions = User.user_permissions.through.objects.values("user_id")
    other_roles = User.groups.through.objects.exclude(group__name__in=MANAGED_ROLES).values(
        "user_id"
    )
    return Q(is_superuser=False) & ~Q(pk__in=own_permissions) & ~Q(pk__in=other_roles)


@admin.register(User)
class AuditedUserAdmin(UserAdmin):
    """Django's user admin; changes to roles and flags land in the audit log.

    Editors (granted auth.view/add/change_user by the Editor group) get a narrower screen:
    the reporters and editors, their names, e-mail, active flag, password and role (one of
    MANAGED_ROLES), never superuser status, staff status or single permissions. Every user
    they add is staff (a role is for the admin). Nobody but a superuser deletes a user:
    deactivating keeps the trail.
    """

    desk_fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Personal info", {"fields": ("first_name", "last_name", "email")}),
        ("Role", {"fields": ("is_active", "groups")}),
        ("Important dates", {"fields": ("last_login", "date_joined")}),
    )

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(managed_users_q())

    def get_fieldsets(self, request, obj=None):
        if obj is None or request.user.is_superuser:
            return super().get_fieldsets(request, obj)
        return self.desk_fieldsets

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return super().get_readonly_fields(request, obj)
        return ["last_login", "date_joined"]

    def get_list_filter(self, request):
        if request.user.is_superuser:
            return super().get_list_filter(request)
        return ("is_active", "groups")

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups" and not request.user.is_superuser:
            kwargs["queryset"] = Group.objects.filter(name__in=MANAGED_ROLES)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            audit_record(actor=request.user, action="user.password", target=User.objects.get(pk=id))
        return response

    def save_model(self, request, obj, form, change):
        request._permissions_before = (
            _permission_state(User.objects.get(pk=obj.pk)) if change else None
        )
        if not request.user.is_superuser:
            obj.is_staff = True
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
