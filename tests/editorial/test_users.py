"""Editors invite and manage reporters and editors without createsuperuser: a narrower
user screen, no superuser or single permissions, every change in the audit log."""

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.urls import reverse

from core.models import AuditLog

from ..conftest import make_user


def _change_data(user: User, **changes) -> dict:
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on" if user.is_active else "",
        "groups": [g.pk for g in user.groups.all()],
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


def test_editor_invites_a_reporter(client, editor, groups):
    client.force_login(editor)
    response = client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "newbie",
            "usable_password": "true",
            "password1": "a-long-first-password-9",
            "password2": "a-long-first-password-9",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    newbie = User.objects.get(username="newbie")
    assert newbie.is_staff and not newbie.is_superuser
    response = client.post(
        reverse("admin:auth_user_change", args=[newbie.pk]),
        _change_data(newbie, first_name="New", groups=[groups["Reporter"].pk]),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    newbie = User.objects.get(pk=newbie.pk)
    assert newbie.has_perm("articles.add_article")
    assert not newbie.has_perm("articles.publish_article")
    actions = set(AuditLog.objects.filter(actor=editor).values_list("action", flat=True))
    assert {"user.create", "user.permissions"} <= actions
    client.logout()  # and the newcomer signs in, through the real sign-in page
    response = client.post(
        reverse("admin:login"), {"username": "newbie", "password": "a-long-first-password-9"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]


def test_editor_cannot_grant_superuser_staff_or_other_roles(client, editor, reporter, groups):
    admins = Group.objects.create(name="Administrators")
    admins.permissions.add(Permission.objects.get(codename="delete_article"))
    permission = Permission.objects.get(codename="delete_user")
    client.force_login(editor)
    page = client.get(reverse("admin:auth_user_change", args=[reporter.pk])).content.decode()
    assert 'name="is_superuser"' not in page and 'name="user_permissions"' not in page
    assert "Administrators" not in page
    response = client.post(
        reverse("admin:auth_user_change", args=[reporter.pk]),
        _change_data(
            reporter,
            is_superuser="on",
            is_staff="",
            user_permissions=[permission.pk],
            groups=[groups["Editor"].pk, admins.pk],
        ),
    )
    reporter = User.objects.get(pk=reporter.pk)
    assert response.status_code == 200  # the unknown group is a form error
    assert not reporter.is_superuser
    assert list(reporter.groups.values_list("name", flat=True)) == ["Reporter"]
    assert not reporter.user_permissions.exists()
    # Promoting to editor is allowed, and audited.
    response = client.post(
        reverse("admin:auth_user_change", args=[reporter.pk]),
        _change_data(reporter, is_superuser="on", groups=[groups["Editor"].pk]),
    )
    assert response.status_code == 302
    reporter = User.objects.get(pk=reporter.pk)
    assert not reporter.is_superuser and reporter.is_staff
    assert list(reporter.groups.values_list("name", flat=True)) == ["Editor"]
    entry = AuditLog.objects.get(action="user.permissions", object_id=str(reporter.pk))
    assert entry.details["groups"] == {"from": ["Reporter"], "to": ["Editor"]}


def test_editor_sees_and_touches_only_reporters_and_editors(
    client, editor, reporter, admin_user_, groups
):
    special = make_user("sam", Group.objects.create(name="Sysops"))
    client.force_login(editor)
    listed = client.get(reverse("admin:auth_user_changelist")).content.decode()
    assert "rita" in listed and "edna" in listed
    assert "root" not in listed and "sam" not in listed
    for user in (admin_user_, special):
        for url in (
            reverse("admin:auth_user_change", args=[user.pk]),
            reverse("admin:auth_user_password_change", args=[user.pk]),
        ):
            response = client.post(url, {"password1": "x-Long-pass-123", "password2": "x"})
            assert response.status_code in (302, 404), url
            assert not response.get("Location", "").endswith(url)
        delete = client.post(reverse("admin:auth_user_delete", args=[user.pk]), {"post": "yes"})
        assert delete.status_code in (302, 403, 404)
    assert User.objects.filter(pk=admin_user_.pk, is_superuser=True).exists()
    assert User.objects.get(pk=admin_user_.pk).check_password("pw-root")
    # No deleting: deactivation keeps the trail.
    response = client.post(reverse("admin:auth_user_delete", args=[reporter.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert User.objects.filter(pk=reporter.pk).exists()


def test_editor_password_reset_is_audited(client, editor, reporter):
    client.force_login(editor)
    response = client.post(
        reverse("admin:auth_user_password_change", args=[reporter.pk]),
        {
            "usable_password": "true",
            "password1": "fresh-Long-pass-42",
            "password2": "fresh-Long-pass-42",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert User.objects.get(pk=reporter.pk).check_password("fresh-Long-pass-42")
    assert AuditLog.objects.filter(
        action="user.password", actor=editor, object_id=str(reporter.pk)
    ).exists()


@pytest.mark.parametrize("name", ["auth_user_changelist", "auth_user_add"])
def test_reporters_have_no_user_screen(client, reporter, name):
    client.force_login(reporter)
    assert client.get(reverse(f"admin:{name}")).status_code == 403
