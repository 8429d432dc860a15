"""Production settings refuse to start without a secret key and allowed hosts."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _import_production(**env):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS")
    }
    environment.update(env, DJANGO_SETTINGS_MODULE="newsroom.settings.production")
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "missing"),
    [
        ({"DJANGO_ALLOWED_HOSTS": "news.example"}, "DJANGO_SECRET_KEY"),
        ({"DJANGO_SECRET_KEY": "s" * 50}, "DJANGO_ALLOWED_HOSTS"),
    ],
)
def test_production_refuses_to_start_without(env, missing):
    result = _import_production(**env)
    assert result.returncode != 0
    assert missing in result.stderr


def test_production_starts_with_both():
    result = _import_production(DJANGO_SECRET_KEY="s" * 50, DJANGO_ALLOWED_HOSTS="news.example")
    assert result.returncode == 0, result.stderr


def test_sqlite_is_configured_for_concurrent_writers(settings):
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("PostgreSQL run")
    assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in database["OPTIONS"]["init_command"]
    assert database["OPTIONS"]["timeout"] >= 5


def _deploy_check(**env):
    environment = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    environment.update(
        DJANGO_SETTINGS_MODULE="newsroom.settings.production",
        DJANGO_SECRET_KEY="deploy-check-" + "k3y-" * 12,
        DJANGO_ALLOWED_HOSTS="news.example.org",
        **env,
    )
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_settings_pass_the_deploy_check():
    """`check --deploy --fail-level WARNING` passes with the production defaults (HSTS with
    subdomains and preload, SSL redirect, secure cookies)."""
    result = _deploy_check()
    assert result.returncode == 0, result.stderr


def test_turning_a_deploy_default_off_is_a_recorded_choice():
    """Overriding a default through its variable silences just that check."""
    result = _deploy_check(DJANGO_SECURE_HSTS_PRELOAD="0")
    assert result.returncode == 0, result.stderr
    assert "W021" not in result.stderr
