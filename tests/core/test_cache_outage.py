"""A dead Redis degrades the site instead of failing it (issue 11, point 7): pages render
from the database, the anonymous API and token login answer, one warning per interval."""

import logging
import socket
import uuid

import pytest
from django.core.cache import caches
from django.test import override_settings
from rest_framework.test import APIClient

from newsroom.settings.env import cache_from_url
from tests.conftest import make_user
from tests.factories import SEED_ARTICLE


def _closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def dead_redis():
    url = f"redis://127.0.0.1:{_closed_port()}/0"
    with override_settings(
        CACHES={name: cache_from_url(url) for name in ("default", "pages", "counters")},
        NEWSROOM_PAGE_CACHE=True,
    ):
        yield url


PAGES = [
    f"/articles/{SEED_ARTICLE}/",
    "/people/volodymyr-zelenskyy/",
    "/",
    "/feed/rss/",
    "/api/v1/articles/",
    f"/api/v1/articles/{SEED_ARTICLE}/",
    "/api/v1/people/volodymyr-zelenskyy/",
]


@pytest.mark.parametrize("url", PAGES)
def test_pages_and_anonymous_api_render_from_the_database_with_redis_dead(
    client, seed, dead_redis, url
):
    """Every public surface answers 200 from the database, twice in a row."""
    for _ in range(2):
        assert client.get(url).status_code == 200


def test_token_login_works_with_redis_dead(seed, dead_redis):
    """Login answers 401 for a wrong password and issues a token for the right one; the
    lockout counter fails open while the cache is away (documented in core.cache)."""
    user = make_user("tool-user")
    user.set_password("right-password-123")
    user.save()
    api = APIClient()
    wrong = api.post(
        "/api/v1/auth/token/", {"username": "tool-user", "password": "x"}, format="json"
    )
    assert wrong.status_code == 401
    right = api.post(
        "/api/v1/auth/token/",
        {"username": "tool-user", "password": "right-password-123"},
        format="json",
    )
    assert right.status_code == 200
    assert right.json()["token"]


def test_an_outage_is_logged_once_per_interval(dead_redis, caplog):
    """Many failed operations, one warning: the breaker skips Redis until it retries."""
    cache = caches["default"]
    with caplog.at_level(logging.WARNING, logger="newsroom.cache"):
        for _ in range(20):
            assert cache.get("anything", "fallback") == "fallback"
            cache.set("anything", 1)
    assert len([r for r in caplog.records if r.name == "newsroom.cache"]) == 1


def _redis_is_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.2).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not _redis_is_up(), reason="no Redis at 127.0.0.1:6379")
def test_a_live_redis_is_used_as_usual():
    """With Redis up, the resilient backend is an ordinary cache."""
    config = cache_from_url("redis://127.0.0.1:6379/0") | {"KEY_PREFIX": uuid.uuid4().hex}
    with override_settings(CACHES={name: config for name in ("default", "pages", "counters")}):
        cache = caches["default"]
        cache.set("k", {"v": 1}, 30)
        assert cache.get("k") == {"v": 1}
        assert cache.incr("n", 1) if cache.add("n", 1, 30) else False
        assert cache.get("n") == 2
        cache.delete_many(["k", "n"])
