"""The project's 500 handler: a database outage is a 503 with Retry-After, not a 500.

Django calls `handler500` inside the `except` block of any uncaught exception, from a
view or a middleware alike, so `sys.exc_info()` names what went wrong. When it is the
database (OperationalError: refused, reset, locked; InterfaceError: connection closed),
the answer is 503 with Retry-After, a branded page (JSON under /api/), and the next
request reconnects by itself (CONN_HEALTH_CHECKS). Both pages render without a request
context, so they never touch the database or the session.
"""

import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string

DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
DEFAULT_RETRY_AFTER_SECONDS = 10


def _page(template: str, status: int) -> HttpResponse:
    context = {"site_name": settings.NEWSROOM_SITE_NAME, "site_url": settings.NEWSROOM_SITE_URL}
    return HttpResponse(render_to_string(template, context), status=status)


def server_error(request) -> HttpResponse:
    """handler500: 503 with Retry-After while the database is unreachable, else 500."""
    exc = sys.exc_info()[1]
    api = request.path.startswith("/api/")
    if isinstance(exc, DATABASE_UNAVAILABLE):
        retry_after = getattr(settings, "NEWSROOM_RETRY_AFTER_SECONDS", DEFAULT_RETRY_AFTER_SECONDS)
        if api:
            response = JsonResponse(
                {"detail": "The service is briefly unavailable; retry later."}, status=503
            )
        else:
            response = _page("errors/503.html", 503)
        response["Retry-After"] = str(retry_after)
        response["Cache-Control"] = "no-store"
        return response
    if api:
        return JsonResponse({"detail": "Internal server error."}, status=500)
    return _page("500.html", 500)
