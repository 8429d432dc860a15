"""The answer to a locked-out login (django-axes' AXES_LOCKOUT_CALLABLE): 429 with
Retry-After, as JSON for the API and as a page for the admin."""

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render

LOCKED_OUT_DETAIL = "Too many failed logins; try again later."


def cool_off_seconds() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds())


def lockout_response(request, original_response=None, credentials=None) -> HttpResponse:
    # The API's token view answers a lockout itself (a 429 in its own error format).
    if original_response is not None and original_response.status_code == 429:
        return original_response
    seconds = cool_off_seconds()
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": LOCKED_OUT_DETAIL}, status=429)
    else:
        response = render(
            request,
            "registration/locked_out.html",
            {"minutes": max(1, seconds // 60), "title": "Signing in is paused"},
            status=429,
        )
    response["Retry-After"] = str(seconds)
    return response
