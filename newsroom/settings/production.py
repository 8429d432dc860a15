"""Production: refuses to start without a secret key, allowed hosts and the site URL."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .env import cache_from_url, env_bool, env_int, env_str

if not SECRET_KEY:  # noqa: F405
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production.")
if not ALLOWED_HOSTS:  # noqa: F405
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must be set in production.")
# Feeds, the API's url/api_url/Location and emails are built from it: the development
# default (http://127.0.0.1:8000) would send readers and API clients to nowhere.
if not env_str("NEWSROOM_SITE_URL").strip():
    raise ImproperlyConfigured("NEWSROOM_SITE_URL must be set in production.")

DEBUG = False
# Throttle counters shared by every worker and host: Redis when CACHE_URL is Redis (or
# NEWSROOM_COUNTER_CACHE_URL says where), else the database, never a per-process locmem.
if not env_str("NEWSROOM_COUNTER_CACHE_URL") and not CACHES["counters"]["BACKEND"].endswith(  # noqa: F405
    "RedisCache"
):
    CACHES["counters"] = cache_from_url("db://")  # noqa: F405

# HTTPS everywhere; `manage.py check --deploy --fail-level WARNING` passes with these
# defaults (CI runs it). Each can be turned off by its variable, for a site that must: the
# matching deploy check is then silenced, so the check records the decision instead of
# failing on it.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# A year, as the HSTS preload list requires.
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
# Subdomains too: a newsroom's subdomains (newsletters, live blogs) are HTTPS as well; set
# 0 if any subdomain must still be served over plain HTTP.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
# Sends the `preload` directive: submitting the domain to hstspreload.org is still a
# separate, deliberate step. Set 0 for a domain that should never be preloaded.
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
SILENCED_SYSTEM_CHECKS = [
    check_id
    for check_id, enabled in [
        ("security.W008", SECURE_SSL_REDIRECT),
        ("security.W004", SECURE_HSTS_SECONDS),
        ("security.W005", SECURE_HSTS_INCLUDE_SUBDOMAINS),
        ("security.W021", SECURE_HSTS_PRELOAD),
    ]
    if not enabled
]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_RENDERER_CLASSES": ["api.http.ORJSONRenderer"],
}
