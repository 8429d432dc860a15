"""Production settings refuse to start without a secret key and allowed hosts."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from api.entity_serializers import api_root, site_url

ROOT = Path(__file__).resolve().parents[2]


def _import_production(**env):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "NEWSROOM_SITE_URL")
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


SITE = {"NEWSROOM_SITE_URL": "https://news.example"}


@pytest.mark.parametrize(
    ("env", "missing"),
    [
        ({"DJANGO_ALLOWED_HOSTS": "news.example", **SITE}, "DJANGO_SECRET_KEY"),
        ({"DJANGO_SECRET_KEY": "s" * 50, **SITE}, "DJANGO_ALLOWED_HOSTS"),
        # The API's url, api_url and Location are built from it: never a guessed default.
        ({"DJANGO_SECRET_KEY": "s" * 50, "DJANGO_ALLOWED_HOSTS": "news.example"}, "SITE_URL"),
    ],
)
def test_production_refuses_to_start_without(env, missing):
    result = _import_production(**env)
    assert result.returncode != 0
    assert missing in result.stderr


def test_production_starts_with_all_three():
    result = _import_production(
        DJANGO_SECRET_KEY="s" * 50, DJANGO_ALLOWED_HOSTS="news.example", **SITE
    )
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
        NEWSROOM_SITE_URL="https://news.example.org",
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


def _fake_make_run(tmp_path, **env) -> list[str]:
    """The commands `make run` runs, with a stand-in python that prints the site URL it
    was given and its arguments (nothing is installed, migrated or served)."""
    python = tmp_path / "python"
    python.write_text('#!/bin/sh\necho "site=$NEWSROOM_SITE_URL args=$*"\n')
    python.chmod(0o755)
    stamp = tmp_path / "stamp"
    stamp.touch()  # newer than requirements.lock: no install
    environment = {k: v for k, v in os.environ.items() if k not in ("NEWSROOM_SITE_URL", "PORT")}
    environment.update(env)
    result = subprocess.run(
        ["make", "--no-print-directory", "-s", "run", f"BIN={tmp_path}", f"STAMP={stamp}"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def test_make_run_on_another_port_links_to_that_port(tmp_path):
    """`PORT=8080 make run` serves on 8080 with NEWSROOM_SITE_URL on 8080, so the API's
    url, api_url and Location point where the server is."""
    lines = _fake_make_run(tmp_path, PORT="8080")
    assert "site=http://127.0.0.1:8080 args=manage.py runserver 127.0.0.1:8080" in lines
    assert any("http://127.0.0.1:8080/" in line for line in lines if line.startswith("Serving"))


def test_make_run_keeps_an_explicit_site_url(tmp_path):
    lines = _fake_make_run(tmp_path, PORT="8080", NEWSROOM_SITE_URL="https://news.example")
    assert "site=https://news.example args=manage.py runserver 127.0.0.1:8080" in lines


def test_the_api_follows_the_site_url(client, seed, settings):
    """What NEWSROOM_SITE_URL says is what the API's links say."""
    settings.NEWSROOM_SITE_URL = "http://127.0.0.1:8080"
    site_url.cache_clear()
    api_root.cache_clear()
    try:
        row = client.get("/api/v1/articles/").json()["results"][0]
    finally:
        site_url.cache_clear()
        api_root.cache_clear()
    assert row["url"].startswith("http://127.0.0.1:8080/articles/")
    assert row["api_url"].startswith("http://127.0.0.1:8080/api/v1/articles/")


def _production_settings(*names: str, **env) -> list[str]:
    """Print settings from a fresh production process (one line each)."""
    environment = {
        **os.environ,
        "DJANGO_SECRET_KEY": "s" * 50,
        "DJANGO_ALLOWED_HOSTS": "x.test",
        "NEWSROOM_SITE_URL": "https://x.test",
    }
    for key in ("CACHE_URL", "NEWSROOM_COUNTER_CACHE_URL", "NEWSROOM_TRUSTED_PROXIES"):
        environment.pop(key, None)
    environment.update(env, DJANGO_SETTINGS_MODULE="newsroom.settings.production")
    code = "from django.conf import settings as s\n" + "".join(
        f"print(eval({name!r}, {{'s': s}}))\n" for name in names
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def test_production_keeps_counters_in_a_cache_every_worker_shares():
    """Without Redis, throttle counters go to the database cache, never a per-process
    locmem (4 workers would allow 4× the rate); with Redis, they go to Redis."""
    (backend,) = _production_settings("s.CACHES['counters']['BACKEND']")
    assert backend == "django.core.cache.backends.db.DatabaseCache"
    (backend,) = _production_settings(
        "s.CACHES['counters']['BACKEND']", CACHE_URL="redis://127.0.0.1:6379/0"
    )
    # Redis through the wrapper that reads an outage as a miss (core.cache).
    assert backend == "core.cache.ResilientRedisCache"


def test_trusted_proxies_default_to_none_and_are_read_from_the_environment():
    assert _production_settings(
        "s.NEWSROOM_TRUSTED_PROXIES", "s.REST_FRAMEWORK['NUM_PROXIES']"
    ) == [
        "0",
        "0",
    ]
    assert _production_settings("s.NEWSROOM_TRUSTED_PROXIES", NEWSROOM_TRUSTED_PROXIES="2") == ["2"]


def test_trusted_proxies_must_be_a_whole_number():
    environment = {
        **os.environ,
        "DJANGO_SECRET_KEY": "s" * 50,
        "DJANGO_ALLOWED_HOSTS": "x.test",
        "NEWSROOM_TRUSTED_PROXIES": "yes",
        "NEWSROOM_SITE_URL": "https://x.test",
        "DJANGO_SETTINGS_MODULE": "newsroom.settings.production",
    }
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT, env=environment, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode != 0
    assert "NEWSROOM_TRUSTED_PROXIES" in result.stderr
