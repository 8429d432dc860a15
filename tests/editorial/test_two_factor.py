"""Two-factor authentication (TOTP) for staff: offered to everyone on the staff, required
for editors when NEWSROOM_REQUIRE_2FA_FOR_EDITORS is on, asked for at every sign-in (admin
and API token login) of a user who has it."""

import pytest
from axes.models import AccessAttempt
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from core.models import AuditLog
from workflow.models import ApiToken

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
PAGE = "/admin/two-factor/"
TOKEN_LOGIN = "/api/v1/auth/token/"


def code_for(device: TOTPDevice) -> str:
    """The device's current code; each code works once, so forget earlier uses."""
    TOTPDevice.objects.filter(pk=device.pk).update(
        last_t=-1, throttling_failure_count=0, throttling_failure_timestamp=None
    )
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def authenticator(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def sign_in(client, username: str, code: str = "", **extra):
    data = {"username": username, "password": f"pw-{username}-long", "next": "/admin/"}
    if code:
        data["otp_code"] = code
    return client.post(LOGIN, data, **extra)


# --- setting it up ----------------------------------------------------------------------


def test_staff_set_up_an_authenticator_app(client, reporter):
    client.force_login(reporter)
    assert "is off" in client.get(PAGE).content.decode()
    started = client.post(PAGE, {"action": "start"})
    page = started.content.decode()
    assert 'src="data:image/svg+xml' in page and "Cannot scan?" in page
    pending = TOTPDevice.objects.get(user=reporter, confirmed=False)
    wrong = client.post(PAGE, {"action": "confirm", "code": "000000"})
    assert wrong.status_code == 400
    assert not TOTPDevice.objects.filter(user=reporter, confirmed=True).exists()
    right = client.post(PAGE, {"action": "confirm", "code": code_for(pending), "next": "/admin/"})
    assert right.status_code == 302 and right["Location"] == "/admin/"
    assert TOTPDevice.objects.get(user=reporter).confirmed
    assert AuditLog.objects.filter(action="2fa.enable", actor=reporter).exists()
    assert client.get("/admin/").status_code == 200


def test_the_page_needs_a_staff_login(client, db):
    assert client.get(PAGE).status_code == 302


# --- signing in ------------------------------------------------------------------------


def test_sign_in_with_an_authenticator_needs_its_code(client, reporter):
    device = authenticator(reporter)
    without = sign_in(client, "rita")
    assert without.status_code == 200
    assert "current code from your authenticator" in without.content.decode()
    assert "_auth_user_id" not in client.session
    with_code = sign_in(client, "rita", code_for(device))
    assert with_code.status_code == 302
    assert client.session["otp_device_id"] == device.persistent_id


def test_sign_in_without_an_authenticator_is_unchanged(client, reporter):
    assert sign_in(client, "rita").status_code == 302


def test_wrong_codes_count_towards_the_lockout(client, reporter):
    """The right password with wrong codes is still a guess: five lock the account out
    from that address, like five wrong passwords."""
    device = authenticator(reporter)
    statuses = [sign_in(client, "rita", "123456").status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]
    assert AccessAttempt.objects.get(username="rita").failures_since_start == 5
    assert sign_in(client, "rita", code_for(device)).status_code == 429


# --- required for editors --------------------------------------------------------------


def test_required_editors_must_set_it_up_before_anything_else(client, editor, settings):
    settings.NEWSROOM_REQUIRE_2FA_FOR_EDITORS = True
    client.force_login(editor)
    for url in ("/admin/", "/admin/articles/article/", "/admin/auth/user/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(PAGE)
    assert "requires two-factor" in client.get(PAGE).content.decode()
    # The same session is anonymous to the API: no working around the admin's gate.
    assert client.get("/api/v1/auth/tokens/").status_code in (401, 403)


def test_required_editor_with_an_authenticator_confirms_the_session(client, editor, settings):
    settings.NEWSROOM_REQUIRE_2FA_FOR_EDITORS = True
    device = authenticator(editor)
    client.force_login(editor)  # a session without its second factor
    assert client.get("/admin/").status_code == 302
    verified = client.post(PAGE, {"action": "verify", "code": code_for(device), "next": "/admin/"})
    assert verified.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_reporters_are_not_required(client, reporter, settings):
    settings.NEWSROOM_REQUIRE_2FA_FOR_EDITORS = True
    client.force_login(reporter)
    assert client.get("/admin/").status_code == 200


def test_turning_it_off_only_when_not_required(client, reporter, editor, settings):
    settings.NEWSROOM_REQUIRE_2FA_FOR_EDITORS = True
    editors = authenticator(editor)
    sign_in(client, "edna", code_for(editors))
    assert client.post(PAGE, {"action": "disable"}).status_code == 400
    assert TOTPDevice.objects.filter(user=editor).exists()
    client.logout()
    reporters = authenticator(reporter)
    sign_in(client, "rita", code_for(reporters))
    assert client.post(PAGE, {"action": "disable"}).status_code == 302
    assert not TOTPDevice.objects.filter(user=reporter).exists()
    assert AuditLog.objects.filter(action="2fa.disable", actor=reporter).exists()


# --- the API's token login -------------------------------------------------------------


def token_login(username: str, otp: str | None = None):
    data = {"username": username, "password": f"pw-{username}-long", "name": "tool"}
    if otp is not None:
        data["otp"] = otp
    return APIClient().post(TOKEN_LOGIN, data, format="json")


def test_token_login_asks_for_the_code_of_users_who_have_one(reporter):
    device = authenticator(reporter)
    without = token_login("rita")
    assert without.status_code == 401
    assert "otp" in without.json()["detail"]
    assert not ApiToken.objects.exists()
    with_code = token_login("rita", code_for(device))
    assert with_code.status_code == 200
    assert ApiToken.objects.get().two_factor


def test_required_editors_get_no_token_without_an_authenticator(editor, settings):
    settings.NEWSROOM_REQUIRE_2FA_FOR_EDITORS = True
    response = token_login("edna")
    assert response.status_code == 403
    assert "two-factor" in response.json()["detail"]


def test_tokens_from_before_the_requirement_stop_working(editor, settings):
    issued = token_login("edna").json()["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {issued}")
    assert client.get("/api/v1/auth/tokens/").status_code == 200
    settings.NEWSROOM_REQUIRE_2FA_FOR_EDITORS = True
    assert client.get("/api/v1/auth/tokens/").status_code == 401


def test_a_superuser_removes_a_lost_authenticator_with_an_audit_entry(
    client, reporter, admin_user_
):
    device = authenticator(reporter)
    client.force_login(admin_user_)
    response = client.post(
        "/admin/otp_totp/totpdevice/",
        {"action": "delete_selected", "_selected_action": [device.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=reporter).exists()
    entry = AuditLog.objects.get(action="2fa.disable")
    assert entry.actor == admin_user_ and entry.object_id == str(reporter.pk)


def test_editors_do_not_see_others_authenticators(client, editor):
    client.force_login(editor)
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 403
