"""Production: refuses to start without a secret key and allowed hosts."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .env import cache_from_url, env_bool, env_str

if not SECRET_KEY:  # noqa: F405
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production.")
if not ALLOWED_HOSTS:  # noqa: F405
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must be set in production.")

DEBUG = False
# Throttle counters shared by every worker and host: Redis when CACHE_URL is Redis (or
# NEWSROOM_COUNTER_CACHE_URL says where), else the database, never a per-process locmem.
if not env_str("NEWSROOM_COUNTER_CACHE_URL") and not CACHES["counters"]["BACKEND"].endswith(  # noqa: F405
    "RedisCache"
):
    CACHES["counters"] = cache_from_url("db://")  # noqa: F405
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_RENDERER_CLASSES": ["api.http.ORJSONRenderer"],
}
