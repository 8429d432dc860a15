"""Local development: debug on, a throwaway secret, loopback hosts."""

from .base import *  # noqa: F403
from .env import env_bool, env_list, env_str

DEBUG = env_bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env_str("DJANGO_SECRET_KEY", "dev-only-insecure-key-never-use-in-production")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
WHITENOISE_USE_FINDERS = WHITENOISE_AUTOREFRESH = DEBUG
# Templates change under a developer's hands: no page cache unless asked for.
NEWSROOM_PAGE_CACHE = env_bool("NEWSROOM_PAGE_CACHE", default=not DEBUG)
