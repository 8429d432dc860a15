"""Server-side cache of public pages that is never stale and never shows a draft.

`public_page` caches a view's 200 responses under the public version (a token that
database triggers change with every write to the tables pages are built from, see
core.versions) and keeps each one only until the next moment at which time
alone changes what is public: the next scheduled publication or lifted embargo. So a
publish, withdrawal or correction is seen on the next request, and an embargoed article
appears at the exact second it lifts, as without the cache.

One query per request reads the token and that moment together; a hit costs nothing
more. The cache is per process by default (`PAGE_CACHE_URL`, locmem://); entries carry
their own validity, so several processes never disagree for longer than a write takes
to commit.
"""

import datetime as dt
import functools
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.http import HttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from articles.selectors import next_public_change_sql
from core import versions

__all__ = ["public_page"]

CACHE_ALIAS = "pages"


@dataclass(frozen=True)
class _Entry:
    status: int
    content: bytes
    headers: tuple[tuple[str, str], ...]
    rendered_at: dt.datetime
    valid_until: dt.datetime

    def fresh_at(self, now: dt.datetime) -> bool:
        # Not before it was rendered either: a clock set back must not reuse it.
        return self.rendered_at <= now < self.valid_until

    def response(self) -> HttpResponse:
        response = HttpResponse(self.content, status=self.status)
        for name, value in self.headers:
            response[name] = value
        return response


def _state(now: dt.datetime) -> tuple[str | None, dt.datetime | None]:
    """The public version token and the next moment public() changes by itself."""
    changes, params = next_public_change_sql(now)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {versions.token_sql(versions.PUBLIC)}, {changes}", params)
        row = cursor.fetchone()
    moments = [_as_datetime(value) for value in row[1:] if value is not None]
    return row[0], min(moments, default=None)


def _as_datetime(value) -> dt.datetime:
    if isinstance(value, str):  # SQLite hands back an aggregate's timestamp as text
        value = parse_datetime(value)
    if timezone.is_naive(value):
        value = timezone.make_aware(value, dt.UTC)
    return value


def _key(request, token: str) -> str:
    # Host and scheme too: pages carry absolute canonical and structured-data URLs.
    parts = [
        token,
        settings.NEWSROOM_RELEASE,
        request.scheme,
        request.get_host(),
        request.get_full_path(),
        timezone.get_current_timezone_name(),
    ]
    return "page:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()


def public_page(view):
    """Cache a public view's 200 responses while the public version and time allow."""

    @functools.wraps(view)
    def cached_view(request, *args, **kwargs):
        if not settings.NEWSROOM_PAGE_CACHE or request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        # The token is read before the page's own queries: a write that commits between
        # the two can only make the stored page newer than its token, never older.
        now = timezone.now()
        token, next_change = _state(now)
        if token is None:
            return view(request, *args, **kwargs)
        cache = caches[CACHE_ALIAS]
        key = _key(request, token)
        entry = cache.get(key)
        if entry is not None and entry.fresh_at(now):
            return entry.response()
        response = view(request, *args, **kwargs)
        if response.status_code != 200 or response.streaming or response.cookies:
            return response
        ceiling = now + dt.timedelta(seconds=settings.NEWSROOM_PAGE_CACHE_SECONDS)
        valid_until = min(next_change or ceiling, ceiling)
        entry = _Entry(
            status=response.status_code,
            content=response.content,
            headers=tuple(response.items()),
            rendered_at=now,
            valid_until=valid_until,
        )
        timeout = max(1, int((valid_until - now).total_seconds()) + 1)
        cache.set(key, entry, timeout)
        return response

    return cached_view
