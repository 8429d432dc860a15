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


def _production_settings(*names: str, **env) -> list[str]:
    """Print settings from a fresh production process (one line each)."""
    environment = {**os.environ, "DJANGO_SECRET_KEY": "s" * 50, "DJANGO_ALLOWED_HOSTS": "x.test"}
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
    assert backend == "django.core.cache.backends.redis.RedisCache"


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
        "DJANGO_SETTINGS_MODULE": "newsroom.settings.production",
    }
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT, env=environment, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode != 0
    assert "NEWSROOM_TRUSTED_PROXIES" in result.stderr
