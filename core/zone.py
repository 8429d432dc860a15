"""The newsroom's time zone: what people read and type times in. Storage stays UTC.

Every human-readable time (public pages, feeds' display text, the admin) is shown in
NEWSROOM_TIME_ZONE; machine-readable values (`datetime=` attributes, JSON-LD, feeds'
dates, the API) stay exact ISO 8601 / RFC 3339 with their offset, whatever the zone.
"""

import functools
import zoneinfo

from django.conf import settings
from django.utils import timezone


@functools.cache
def _zone(name: str) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(name)


def newsroom_zone() -> zoneinfo.ZoneInfo:
    """NEWSROOM_TIME_ZONE as a tzinfo (read per call, so tests may override it)."""
    return _zone(settings.NEWSROOM_TIME_ZONE)


class NewsroomTimeZoneMiddleware:
    """Activate the newsroom's zone for every page people read: the site, its feeds and
    the admin, so templates show local times and forms parse them.

    Django converts a naive form time with the current zone (zoneinfo), which gets
    daylight-saving changes right and refuses times that do not exist or are ambiguous.
    The API is left in UTC: it serves machine-readable times only.
    """

    API_PREFIX = "/api/"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(self.API_PREFIX):
            return self.get_response(request)
        with timezone.override(newsroom_zone()):
            return self.get_response(request)
