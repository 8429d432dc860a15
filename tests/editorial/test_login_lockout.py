"""Staff login at /admin/login/ is rate limited by django-axes: a few wrong passwords for
one username from one address lock that pair out for a while, even with the right
password; the lock ends by itself, and X-Forwarded-For cannot dodge it."""

import datetime as dt

import pytest
from axes.models import AccessAttempt

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"


def attempt(client, password: str, **extra):
    return client.post(
        LOGIN, {"username": "edna", "password": password, "next": "/admin/"}, **extra
    )


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_wrong_passwords_then_the_right_one_stays_out(client, editor, settings):
    """Five failures: locked (429 with Retry-After), and the right password does not
    get in; the lock is kept in the database, which every worker shares."""
    statuses = [attempt(client, f"guess-{n}").status_code for n in range(5)]
    assert statuses == [200, 200, 200, 200, 429]
    locked = attempt(client, "pw-edna-long")
    assert locked.status_code == 429
    assert int(locked["Retry-After"]) == settings.AXES_COOLOFF_TIME.total_seconds()
    assert "Too many failed sign-ins" in locked.content.decode()
    assert not logged_in(client)
    assert AccessAttempt.objects.filter(username="edna").exists()


def test_x_forwarded_for_does_not_reset_the_count(client, editor):
    """With no trusted proxy, a new X-Forwarded-For on each try is still one client."""
    for n in range(5):
        attempt(client, f"guess-{n}", HTTP_X_FORWARDED_FOR=f"10.1.1.{n}")
    assert attempt(client, "pw-edna-long", HTTP_X_FORWARDED_FOR="10.1.1.99").status_code == 429
    assert not logged_in(client)


def test_another_address_is_not_locked_out(client, editor):
    """The lock is per username and address: an attacker elsewhere cannot lock the
    rightful editor out of the newsroom."""
    for n in range(5):
        attempt(client, f"guess-{n}")
    response = attempt(client, "pw-edna-long", REMOTE_ADDR="198.51.100.8")
    assert response.status_code == 302
    assert logged_in(client)


def test_the_lock_ends_after_the_cool_off(client, editor, settings):
    """Not forever: once the cool-off has passed, the right password gets in again."""
    for n in range(5):
        attempt(client, f"guess-{n}")
    AccessAttempt.objects.update(
        attempt_time=dt.datetime.now(dt.UTC) - settings.AXES_COOLOFF_TIME - dt.timedelta(seconds=1)
    )
    assert attempt(client, "pw-edna-long").status_code == 302
    assert logged_in(client)


def test_success_resets_the_count(client, editor):
    """Four failures, a success: the next typo starts from zero."""
    for n in range(4):
        attempt(client, f"guess-{n}")
    assert attempt(client, "pw-edna-long").status_code == 302
    client.logout()
    assert attempt(client, "typo").status_code == 200
    assert attempt(client, "pw-edna-long").status_code == 302
