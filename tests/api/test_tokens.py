"""API tokens: hashed, one per named client, expiring, listed and revoked by their owner
and by editors, and ended by a password change or a deactivation."""

import datetime as dt
import hashlib

import pytest
from django.utils import timezone

from core.models import AuditLog
from workflow.models import ApiToken

pytestmark = pytest.mark.django_db

LOGIN = "/api/v1/auth/token/"
TOKENS = "/api/v1/auth/tokens/"
PRIVATE = "/api/v1/articles/"  # any endpoint that needs a login for writes; we GET tokens


def login(api, username: str, name: str = "Desk tool"):
    response = api.post(
        LOGIN,
        {"username": username, "password": f"pw-{username}-long", "name": name},
        format="json",
    )
    assert response.status_code == 200, response.content
    return response.json()


def as_token(api, key: str):
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


def works(api, key: str) -> bool:
    return as_token(api, key).get(TOKENS).status_code == 200


def test_tokens_are_stored_as_digests_only(api, reporter):
    """The database holds a SHA-512 digest, never the token a client sends."""
    issued = login(api, "rita")
    row = ApiToken.objects.get(user=reporter)
    assert row.digest == hashlib.sha512(issued["token"].encode()).hexdigest()
    stored = [str(value) for value in ApiToken.objects.values().get()]
    assert not any(issued["token"] in value for value in stored)
    assert issued["token"].startswith("nrt_")


def test_one_token_per_named_client(api, reporter):
    """Two tools, two tokens, each with its name; both work at once."""
    laptop = login(api, "rita", name="Laptop script")
    feed = login(api, "rita", name="Feed importer")
    assert laptop["token"] != feed["token"]
    assert works(api, laptop["token"]) and works(api, feed["token"])
    listed = as_token(api, feed["token"]).get(TOKENS).json()
    assert sorted(t["name"] for t in listed) == ["Feed importer", "Laptop script"]
    assert [t["current"] for t in listed if t["name"] == "Feed importer"] == [True]
    assert all("token" not in t for t in listed)


def test_tokens_expire_after_the_configured_days(api, reporter, settings):
    settings.NEWSROOM_API_TOKEN_DAYS = 7
    issued = login(api, "rita")
    expiry = dt.datetime.fromisoformat(issued["expiry"])
    assert abs(expiry - (timezone.now() + dt.timedelta(days=7))) < dt.timedelta(minutes=1)
    ApiToken.objects.update(expiry=timezone.now() - dt.timedelta(seconds=1))
    assert not works(api, issued["token"])
    assert not ApiToken.objects.exists()


def test_owner_lists_and_revokes_only_their_own(api, reporter, other_reporter):
    mine = login(api, "rita")
    theirs = login(api, "oleg")
    as_token(api, mine["token"])
    assert [t["id"] for t in api.get(TOKENS).json()] == [mine["id"]]
    assert api.get(TOKENS, {"user": "oleg"}).json() == []
    assert api.delete(f"{TOKENS}{theirs['id']}/").status_code == 404
    assert works(api, theirs["token"])
    as_token(api, mine["token"])
    assert api.delete(f"{TOKENS}{mine['id']}/").status_code == 204
    assert not works(api, mine["token"])
    entry = AuditLog.objects.get(action="token.revoke")
    assert entry.actor == reporter and entry.details["token"] == mine["id"]


def test_editors_list_and_revoke_everyones(api, reporter, editor):
    reporters = login(api, "rita", name="Rita's script")
    editors = login(api, "edna")
    as_token(api, editors["token"])
    listed = api.get(TOKENS, {"user": "rita"}).json()
    assert [(t["id"], t["user"], t["name"]) for t in listed] == [
        (reporters["id"], "rita", "Rita's script")
    ]
    assert api.delete(f"{TOKENS}{reporters['id']}/").status_code == 204
    assert not works(api, reporters["token"])
    assert works(api, editors["token"])
    assert AuditLog.objects.get(action="token.revoke").actor == editor


def test_logout_ends_only_the_token_it_was_sent_with(api, reporter):
    laptop = login(api, "rita", name="Laptop")
    feed = login(api, "rita", name="Feed")
    assert as_token(api, laptop["token"]).post("/api/v1/auth/logout/").status_code == 204
    assert not works(api, laptop["token"])
    assert works(api, feed["token"])


def test_password_change_ends_every_token(api, reporter):
    first, second = login(api, "rita"), login(api, "rita", name="Other")
    reporter.set_password("a-brand-new-password")
    reporter.save()
    assert not works(api, first["token"]) and not works(api, second["token"])
    assert not ApiToken.objects.exists()
    assert AuditLog.objects.get(action="token.revoke_all").details["reason"] == "password change"


def test_password_changed_in_the_admin_ends_every_token(api, client, reporter, admin_user_):
    issued = login(api, "rita")
    client.force_login(admin_user_)
    response = client.post(
        f"/admin/auth/user/{reporter.pk}/password/",
        {"password1": "Another-long-pass-42", "password2": "Another-long-pass-42"},
    )
    assert response.status_code == 302
    assert not works(api, issued["token"])


def test_password_changed_behind_our_back_still_ends_the_token(api, reporter):
    """A bare UPDATE sends no signal: the token's stamp no longer matches, so it is refused."""
    from django.contrib.auth.hashers import make_password

    issued = login(api, "rita")
    type(reporter).objects.filter(pk=reporter.pk).update(password=make_password("changed-pw"))
    assert not works(api, issued["token"])
    assert not ApiToken.objects.filter(user=reporter).exists()


def test_deactivation_ends_every_token_even_unused(api, reporter):
    """Deactivated and reactivated before any use: the old token does not come back."""
    issued = login(api, "rita")
    reporter.is_active = False
    reporter.save()
    reporter.is_active = True
    reporter.save()
    assert not works(api, issued["token"])


def test_login_with_an_empty_name_is_refused(api, reporter):
    response = api.post(
        LOGIN, {"username": "rita", "password": "pw-rita-long", "name": "  "}, format="json"
    )
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_bad_token_list_parameters_are_refused(api, reporter):
    """As everywhere in the API: an over-long or NUL-bearing parameter is a 400."""
    as_token(api, login(api, "rita")["token"])
    assert api.get(TOKENS, {"user": "x" * 151}).status_code == 400
    assert api.get(TOKENS, {"user": ""}).status_code == 400  # the schema's minLength
    assert api.get(TOKENS, {"user": " "}).json() == []  # valid, matches nobody
    assert api.get(TOKENS, {"user": "ri\x00ta"}).status_code == 400
    assert api.delete(f"{TOKENS}{'x' * 600}/").status_code == 400


def test_token_list_needs_a_login(api, db):
    assert api.get(TOKENS).status_code == 401


# --- the admin -----------------------------------------------------------------------


def test_admin_token_list_by_role(api, client, reporter, other_reporter, editor):
    login(api, "rita", name="Rita's script")
    login(api, "oleg", name="Oleg's script")
    client.force_login(reporter)
    page = client.get("/admin/workflow/apitoken/").content.decode()
    assert "Rita&#x27;s script" in page and "Oleg" not in page
    client.force_login(editor)
    page = client.get("/admin/workflow/apitoken/").content.decode()
    assert "Rita&#x27;s script" in page and "Oleg&#x27;s script" in page


def test_admin_revoke_goes_through_the_service(api, client, reporter, editor):
    issued = login(api, "rita")
    token = ApiToken.objects.get()
    client.force_login(editor)
    response = client.post(
        "/admin/workflow/apitoken/",
        {"action": "delete_selected", "_selected_action": [token.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not works(api, issued["token"])
    entry = AuditLog.objects.get(action="token.revoke")
    assert entry.actor == editor and entry.source == "admin"
