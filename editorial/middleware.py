"""Editors enter and read times in the newsroom's time zone; storage stays UTC."""

import zoneinfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone


class NewsroomTimeZoneMiddleware:
    """Activate NEWSROOM_TIME_ZONE for the admin, so forms parse and show local times.

    Django converts a naive form time with the current zone (zoneinfo), which gets
    daylight-saving changes right and refuses times that do not exist or are ambiguous.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.zone = zoneinfo.ZoneInfo(settings.NEWSROOM_TIME_ZONE)
        self.prefix = None

    def __call__(self, request):
        if self.prefix is None:
            self.prefix = reverse("admin:index")
        if not request.path.startswith(self.prefix):
            return self.get_response(request)
        with timezone.override(self.zone):
            return self.get_response(request)
