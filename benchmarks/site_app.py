"""Settings, URLs and WSGI app for bench_site.py: the real site plus a bare baseline view.

DJANGO_SETTINGS_MODULE=benchmarks.site_app gunicorn benchmarks.site_app:application
"""

import os

from newsroom.settings.base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "benchmark-only-insecure-key"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "benchmarks.site_app"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}


def bare(request):
    """The baseline: 20 public articles from the same database, through a template."""
    from django.http import HttpResponse
    from django.template import engines

    from articles.models import Article

    rows = Article.objects.public().newest_first().select_related("section")[:20]
    template = engines["django"].from_string(BARE_TEMPLATE)
    return HttpResponse(template.render({"rows": rows}, request))


BARE_TEMPLATE = """<!doctype html><html lang="en"><head><title>Bare</title></head><body><ul>
{% for a in rows %}<li><a href="{{ a.get_absolute_url }}">{{ a.headline }}</a>
<time datetime="{{ a.publish_at|date:'c' }}">{{ a.publish_at|date:'j F Y' }}</time>
{% if a.section %}{{ a.section.name }}{% endif %}</li>{% endfor %}</ul></body></html>"""


def _urlpatterns():
    from django.urls import include, path

    return [path("bench/bare/", bare), path("", include("newsroom.urls"))]


if os.environ.get("DJANGO_SETTINGS_MODULE") == "benchmarks.site_app":
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()
    urlpatterns = _urlpatterns()
