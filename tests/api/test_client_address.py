"""Throttles and lockouts key on the client's address: X-Forwarded-For is believed only
as far as NEWSROOM_TRUSTED_PROXIES says, and the counters live in a cache every worker
shares."""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import RequestFactory

from core.clients import client_address

pytestmark = pytest.mark.django_db


def _request(forwarded: str | None = None, remote: str = "203.0.113.7"):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_no_trusted_proxy_ignores_x_forwarded_for(settings):
    """By default (no proxy declared) a client cannot pick its address with a header."""
    settings.NEWSROOM_TRUSTED_PROXIES = 0
    assert client_address(_request("1.2.3.4")) == "203.0.113.7"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        # One proxy appends what it saw; anything left of that is the client's own claim.
        (1, "6.6.6.6, 198.51.100.20", "198.51.100.20"),
        # Two proxies: the outer one's entry is second from the right.
        (2, "6.6.6.6, 198.51.100.20, 10.0.0.2", "198.51.100.20"),
        # Fewer entries than proxies: the left-most, never REMOTE_ADDR's proxy itself.
        (2, "198.51.100.20", "198.51.100.20"),
        # No header at all behind a proxy: the proxy's address, not an empty key.
        (1, None, "203.0.113.7"),
        # Garbage in the header: the proxy's address, not the garbage.
        (1, "not-an-address", "203.0.113.7"),
    ],
)
def test_trusted_proxies_take_their_entries_from_the_right(settings, proxies, forwarded, expected):
    settings.NEWSROOM_TRUSTED_PROXIES = proxies
    assert client_address(_request(forwarded)) == expected


def test_no_usable_address_is_none(settings):
    """A request built in code (force_login) has no address: None, which axes stores as
    NULL, where a made-up word would break PostgreSQL's inet column."""
    request = RequestFactory().get("/")
    del request.META["REMOTE_ADDR"]
    assert client_address(request) is None
    assert client_address(_request(remote="")) is None


def test_anonymous_throttle_is_not_dodged_with_x_forwarded_for(api, db, settings):
    """Changing X-Forwarded-For on every request does not reset the anonymous limit."""
    settings.NEWSROOM_API_ANON_RATE = "3/minute"
    statuses = [
        api.get("/api/v1/sections/", HTTP_X_FORWARDED_FOR=f"10.9.8.{n}").status_code
        for n in range(5)
    ]
    assert statuses == [200, 200, 200, 429, 429]


def test_anonymous_throttle_behind_one_proxy_counts_per_client(api, db, settings):
    """Behind one declared proxy, two clients behind it get a limit each."""
    settings.NEWSROOM_TRUSTED_PROXIES = 1
    settings.NEWSROOM_API_ANON_RATE = "2/minute"
    first = [api.get("/api/v1/sections/", HTTP_X_FORWARDED_FOR="198.51.100.1") for _ in range(3)]
    other = api.get("/api/v1/sections/", HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert [r.status_code for r in first] == [200, 200, 429]
    assert other.status_code == 200


def test_throttle_counts_in_the_shared_counter_cache(api, db, settings):
    """Throttle counters are kept in the "counters" cache; with the database cache
    (production's default without Redis) every worker reads the same rows."""
    settings.CACHES = {
        **settings.CACHES,
        "counters": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "newsroom_counter_cache",
        },
    }
    settings.NEWSROOM_API_ANON_RATE = "2/minute"
    try:
        assert api.get("/api/v1/sections/").status_code == 200
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM newsroom_counter_cache")
            assert cursor.fetchone()[0] == 1
        assert api.get("/api/v1/sections/").status_code == 200
        assert api.get("/api/v1/sections/").status_code == 429
    finally:
        caches["counters"].clear()
