"""HTTP behaviour: security headers on every HTML response, caching headers and 304s."""

import pytest

from tests.factories import SEED_ARTICLE

PAGES = [
    "/",
    f"/articles/{SEED_ARTICLE}/",
    "/people/volodymyr-zelenskyy/",
    "/events/zelenskyy-tsikhanouskaya-meeting-2026/",
    "/places/vilnius/",
    "/organizations/viasna-human-rights-center/",
    "/sections/europe/",
    "/search/?q=Vilnius",
]


@pytest.mark.parametrize("url", [*PAGES, "/no-such-page/", "/articles/nothing/"])
def test_security_headers_on_html(client, seed, url):
    """CSP without inline script, nosniff, referrer policy and frame protection."""
    response = client.get(url)
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("style-src")[0]
    assert "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_pages_have_no_inline_script(client, seed):
    """The only script blocks are JSON-LD data blocks, which browsers do not execute."""
    import re

    for url in PAGES:
        html = client.get(url).text
        for tag in re.findall(r"<script[^>]*>", html):
            assert tag == '<script type="application/ld+json">', (url, tag)
        assert " on" not in "".join(re.findall(r"<[^>]+ on\w+=", html))


@pytest.mark.parametrize("url", [*PAGES, "/feed/rss/", "/sitemap.xml"])
def test_public_responses_are_cacheable_and_answer_304(client, seed, url):
    """Anonymous responses are publicly cacheable with an ETag, and a conditional request
    with that ETag answers 304 without a body."""
    response = client.get(url)
    assert response.status_code == 200
    assert "public" in response["Cache-Control"] and "no-cache" in response["Cache-Control"]
    etag = response["ETag"]
    again = client.get(url, headers={"if-none-match": etag})
    assert again.status_code == 304
    assert again.content == b""


def test_article_last_modified_and_if_modified_since(client, seed):
    """The article page carries Last-Modified and answers If-Modified-Since with 304."""
    url = f"/articles/{SEED_ARTICLE}/"
    response = client.get(url)
    last_modified = response["Last-Modified"]
    assert last_modified.endswith("GMT")
    assert client.get(url, headers={"if-modified-since": last_modified}).status_code == 304


def test_correction_changes_the_etag(client, seed):
    """Nothing is cached on the server: a correction shows on the next request and the
    ETag changes, so a conditional request gets the new page."""
    from django.utils import timezone

    from articles.models import Article, Correction

    url = f"/articles/{SEED_ARTICLE}/"
    etag = client.get(url)["ETag"]
    Correction.objects.create(
        article=Article.objects.get(), note="A fresh correction.", published_at=timezone.now()
    )
    response = client.get(url, headers={"if-none-match": etag})
    assert response.status_code == 200 and "A fresh correction." in response.text


def test_logged_in_responses_are_private(client, seed, django_user_model):
    """A logged-in reader's pages are never stored by shared caches."""
    client.force_login(django_user_model.objects.create_user("reader", password="x-y-z-123"))
    response = client.get("/")
    assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]
