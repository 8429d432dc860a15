"""Request body caps, security headers on every HTML response, HTTP caching of public
responses."""

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.middleware.http import ConditionalGetMiddleware
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control

# No inline script anywhere: JSON-LD blocks on the site and the browsable API's CSRF block
# are data blocks (`type="application/…json"`), which browsers never execute, so every
# policy below is `script-src 'self'` without a nonce or hash to keep in step.
SITE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
# Django's admin sets a few inline style attributes; it runs no inline script.
ADMIN_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'self'"
)
# HTML under /api/ (Swagger UI at /api/v1/docs/, DRF's browsable API in development):
# scripts from our origin only (Swagger UI's start-up script is a separate file, see
# api.urls.DocsView), styles inline too (the template's <style> block), the schema and
# "try it out" requests to our origin only.
API_HTML_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def content_security_policy(path: str) -> str:
    """The CSP of an HTML response at `path`: every HTML response gets one."""
    if path.startswith("/admin/"):
        return ADMIN_CSP
    if path.startswith("/api/"):
        return API_HTML_CSP
    return SITE_CSP


def _refusal(request, status: int, message: str) -> HttpResponse:
    """An error answered by middleware: JSON under the API, a short page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=status)
    context = {"status": status, "message": message, "site_name": settings.NEWSROOM_SITE_NAME}
    return HttpResponse(render_to_string("errors/refusal.html", context), status=status)


class RequestBodyLimitMiddleware:
    """413 for a body longer than NEWSROOM_MAX_REQUEST_BYTES, before anything reads it.

    Django's own DATA_UPLOAD_MAX_MEMORY_SIZE guards only `request.body` and form parsing;
    DRF's parsers read the stream directly, so an API request body had no cap at all. The
    declared Content-Length is checked here, outermost, and WSGIRequest never reads past
    it; a body sent without one (chunked) reads as empty.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        raw = request.META.get("CONTENT_LENGTH") or "0"
        try:
            length = int(raw)
        except ValueError:
            length = -1
        if length < 0:
            return _refusal(request, 400, "Invalid Content-Length.")
        limit = settings.NEWSROOM_MAX_REQUEST_BYTES
        if length > limit:
            return _refusal(request, 413, f"Request body too large: at most {limit} bytes.")
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """CSP, frame protection and a strict referrer policy on every HTML response.

    Outermost in MIDDLEWARE, so that it also sees responses made by other middleware
    (413, CSRF failures) and by the error handlers (500, 503).
    X-Content-Type-Options and Referrer-Policy also come from SecurityMiddleware; they are
    set here too so that no HTML response depends on a setting being left on.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("X-Content-Type-Options", "nosniff")
        if "html" not in response.get("Content-Type", ""):
            return response
        response.setdefault("Content-Security-Policy", content_security_policy(request.path))
        # Same-origin COOP on every page (drf-spectacular's docs view asks for unsafe-none,
        # which only OAuth pop-up flows need; this API has none).
        response["Cross-Origin-Opener-Policy"] = "same-origin"
        response.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        response.setdefault("X-Frame-Options", "DENY")
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response


class PublicCachingMiddleware(ConditionalGetMiddleware):
    """Cache-Control for GET responses, then ETag and 304 answers (ConditionalGetMiddleware).

    Responses that already carry Cache-Control (admin, previews) are left alone. Readers
    who are logged in get `private, no-cache`; anonymous readers' copies are `public,
    no-cache`: shared, but revalidated on every use. Nothing is cached on the server, so a
    publish, withdrawal or correction is visible on the next request.
    """

    def process_response(self, request, response):
        cacheable = response.status_code in (200, 301, 404, 410)
        if request.method in ("GET", "HEAD") and cacheable and "Cache-Control" not in response:
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                patch_cache_control(response, private=True, no_cache=True)
            else:
                # Shared caches may keep public pages but must revalidate every time (a
                # cheap 304 through the ETag): a scheduled article's 404 turns into a page,
                # and a correction or withdrawal shows, on the reader's very next request.
                patch_cache_control(response, public=True, no_cache=True)
        return super().process_response(request, response)
