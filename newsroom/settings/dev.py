"""Local development (`make run`): a throwaway secret, loopback hosts, and the site as
readers see it, its own error pages included; DJANGO_DEBUG=1 brings Django's debug pages
back for developers."""

from .base import *  # noqa: F403
from .env import env_bool, env_list, env_str

DEBUG = env_bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env_str("DJANGO_SECRET_KEY", "dev-only-insecure-key-never-use-in-production")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
# WhiteNoise serves static files straight from the apps (no collectstatic), debug or not,
# so the pages keep their styles with the debug pages off.
WHITENOISE_USE_FINDERS = WHITENOISE_AUTOREFRESH = True
# Templates change under a developer's hands: no page cache unless asked for.
NEWSROOM_PAGE_CACHE = env_bool("NEWSROOM_PAGE_CACHE", default=False)
