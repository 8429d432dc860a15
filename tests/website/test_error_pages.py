"""Error pages are the site's own: its layout, a search box, no Django debug page."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.urls import get_resolver

from tests.factories import make_article

ROOT = Path(__file__).resolve().parents[2]


def assert_branded(html: str, heading: str) -> None:
    assert 'class="site-header"' in html  # the site's layout
    assert 'href="/static/newsroom/site.css"' in html
    assert 'id="error-search-q"' in html  # a search box in the page itself
    assert 'action="/search/"' in html
    assert f'<h1 id="error-heading">{heading}</h1>' in html
    assert '<meta name="robots" content="noindex">' in html
    assert "Django" not in html


def test_404_is_the_sites_page(client, db):
    """An unknown address answers 404 with the site's page. The path is not echoed: a
    slug typed for an unpublished article says nothing more than "not found"."""
    response = client.get("/no-such-page/<b>/")
    assert response.status_code == 404
    assert_branded(response.text, "Page not found")
    assert "no-such-page" not in response.text


def test_unknown_article_404_is_the_sites_page(client, db):
    assert_branded(client.get("/articles/no-such-article/").text, "Page not found")


def test_410_for_a_withdrawn_article_is_the_sites_page(client, db):
    article = make_article("Pulled", status="withdrawn")
    response = client.get(article.get_absolute_url())
    assert response.status_code == 410
    assert_branded(response.text, "This article has been withdrawn")


def test_403_is_the_sites_page(db):
    request = RequestFactory().get("/somewhere/")
    handler = get_resolver().resolve_error_handler(403)
    response = handler(request, exception=PermissionDenied("no"))
    assert response.status_code == 403
    assert_branded(response.content.decode(), "Access denied")


def test_500_is_the_sites_page_and_needs_no_database(django_assert_num_queries, db):
    """The 500 page renders from settings alone: the database may be what failed."""
    request = RequestFactory().get("/broken/")
    handler = get_resolver().resolve_error_handler(500)
    with django_assert_num_queries(0):
        response = handler(request)
    assert response.status_code == 500
    html = response.content.decode()
    assert_branded(html, "Something went wrong")
    assert "<title>Something went wrong · Newsroom</title>" in html


def _dev_server_answers(**env) -> subprocess.CompletedProcess:
    """What `make run` (the dev settings) answers for an unknown page and a static file."""
    environment = {k: v for k, v in os.environ.items() if k not in ("DJANGO_DEBUG",)}
    environment.update(env, DJANGO_SETTINGS_MODULE="newsroom.settings.dev")
    script = (
        "import django; django.setup();"
        "from django.conf import settings; from django.test import Client;"
        "c = Client(HTTP_HOST='127.0.0.1');"
        "r = c.get('/no-such-page/'); s = c.get('/static/newsroom/site.css');"
        "print(settings.DEBUG, r.status_code, 'error-search-q' in r.text,"
        " 'URLconf' in r.text, s.status_code)"
    )
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "False 404 True False 200"),  # make run: the reader's pages, styled
        ({"DJANGO_DEBUG": "1"}, "True 404 False True 200"),  # a developer's switch
    ],
)
def test_make_run_shows_the_sites_error_pages_unless_debug_is_asked_for(env, expected):
    result = _dev_server_answers(**env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == expected.split()
