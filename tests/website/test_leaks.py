"""Never a draft: every public surface, as an anonymous reader and as a reporter, shows no
article that is not public, and shows an embargoed one at the exact second it lifts."""

import datetime as dt
from unittest import mock

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone

from articles.models import ArticleStatus, Quote
from entities.models import EntityKind
from search.services import search_index_rebuild
from tests.factories import make_article, make_entity, make_mention, make_section

NOW = dt.datetime(2026, 3, 2, 12, 0, 0, tzinfo=dt.UTC)
LIFT = NOW + dt.timedelta(hours=2)

# One marker word per non-public state, in headline, standfirst, body and a quote.
MARKERS = {
    "draft": "zqxdraftmarker",
    "in_review": "zqxreviewmarker",
    "scheduled": "zqxscheduledmarker",
    "embargoed": "zqxembargomarker",
    "withdrawn": "zqxwithdrawnmarker",
}


@pytest.fixture
def newsroom(db):
    """A public article mentioning `shared`, which every non-public article also mentions;
    `secret` is mentioned only by the non-public ones; `speaker` is quoted only in them."""
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        section = make_section("World")
        shared = make_entity("Shared Person")
        secret = make_entity("Secret Organization", kind=EntityKind.ORGANIZATION)
        speaker = make_entity("Quoted Person")
        public = make_article(
            "Public story",
            section=section,
            body="Shared Person spoke.",
            publish_at=NOW - dt.timedelta(hours=1),
        )
        make_mention(public, shared)
        hidden = {}
        for state, marker in MARKERS.items():
            fields = {
                "section": section,
                "standfirst": f"Standfirst {marker}",
                "body": f"Shared Person and {marker} in the body.",
            }
            if state == "draft":
                article = make_article(f"Headline {marker}", status=ArticleStatus.DRAFT, **fields)
            elif state == "in_review":
                article = make_article(
                    f"Headline {marker}", status=ArticleStatus.IN_REVIEW, **fields
                )
            elif state == "scheduled":
                article = make_article(
                    f"Headline {marker}",
                    status=ArticleStatus.SCHEDULED,
                    publish_at=NOW + dt.timedelta(days=1),
                    **fields,
                )
            elif state == "embargoed":
                article = make_article(
                    f"Headline {marker}",
                    publish_at=NOW - dt.timedelta(minutes=30),
                    embargo_until=LIFT,
                    **fields,
                )
            else:
                article = make_article(
                    f"Headline {marker}",
                    status=ArticleStatus.WITHDRAWN,
                    publish_at=NOW - dt.timedelta(days=1),
                    first_published_at=NOW - dt.timedelta(days=1),
                    **fields,
                )
            make_mention(article, shared)
            make_mention(article, secret)
            Quote.objects.create(
                slug=f"quote-{state}", article=article, speaker=speaker, text=f"Said {marker}."
            )
            hidden[state] = article
        search_index_rebuild()
    return {
        "public": public,
        "hidden": hidden,
        "section": section,
        "entities": [shared, secret, speaker],
    }


def surfaces(newsroom) -> list[str]:
    urls = ["/", "/robots.txt", "/feed/rss/", "/feed/atom/", "/sitemap.xml"]
    urls += ["/sitemap-articles.xml", "/sitemap-entities.xml", "/sitemap-news.xml"]
    section = newsroom["section"]
    urls += [section.get_absolute_url(), f"/sections/{section.slug}/feed/rss/"]
    urls += [f"/sections/{section.slug}/feed/atom/"]
    for entity in newsroom["entities"]:
        url = entity.get_absolute_url()
        urls += [url, url + "feed/rss/", url + "feed/atom/"]
    urls += [a.get_absolute_url() for a in newsroom["hidden"].values()]
    urls += [newsroom["public"].get_absolute_url()]
    # Words every hidden article holds (a search for a marker itself echoes the query).
    urls += ["/search/?q=Shared+Person", "/search/?q=Headline", "/search/?q=Standfirst"]
    urls += ["/search/?q=body&order=newest", "/search/?q=Said"]
    return urls


def reporter_client(client):
    reporter = User.objects.create_user("reporter", password="pw-for-tests-only")
    group = Group.objects.get_or_create(name="Reporter")[0]
    reporter.groups.add(group)
    client.force_login(reporter)
    return client


def assert_no_marker(client, newsroom, markers):
    for url in surfaces(newsroom):
        response = client.get(url)
        assert response.status_code in (200, 404, 410), (url, response.status_code)
        text = response.content.decode()
        for marker in markers:
            assert marker not in text, (url, marker)
    for marker in markers:
        for order in ("relevance", "newest"):
            text = client.get(f"/search/?q={marker}&order={order}").content.decode()
            assert "No articles match" in text and "search-results" not in text, marker


@pytest.mark.parametrize("who", ["anonymous", "reporter"])
def test_no_surface_shows_a_non_public_article(client, newsroom, who):
    """Pages, feeds, sitemaps and search never show a draft, in-review, scheduled,
    embargoed or withdrawn article, to readers or to reporters without rights on it."""
    if who == "reporter":
        client = reporter_client(client)
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        assert_no_marker(client, newsroom, MARKERS.values())
        # The public article itself is there, so the surfaces really were looked at.
        assert "Public story" in client.get("/").text
        assert "Public story" in client.get("/search/?q=Shared+Person").text
        assert "Public story" in client.get("/people/shared-person/").text


def test_embargoed_article_appears_at_the_exact_second(client, newsroom):
    """One microsecond before the embargo lifts nothing shows it; at that second every
    surface does."""
    marker = MARKERS["embargoed"]
    article = newsroom["hidden"]["embargoed"]
    others = [m for state, m in MARKERS.items() if state != "embargoed"]
    with mock.patch("django.utils.timezone.now", return_value=LIFT - dt.timedelta(microseconds=1)):
        assert client.get(article.get_absolute_url()).status_code == 404
        assert marker not in client.get("/").text
    with mock.patch("django.utils.timezone.now", return_value=LIFT):
        assert timezone.now() == LIFT
        assert client.get(article.get_absolute_url()).status_code == 200
        for url in [
            "/",
            "/feed/rss/",
            "/feed/atom/",
            "/sitemap-articles.xml",
            "/sitemap-news.xml",
            f"/search/?q={marker}",
            "/people/shared-person/",
            "/people/shared-person/feed/atom/",
            "/organizations/secret-organization/",
            "/people/quoted-person/",
            f"/sections/{newsroom['section'].slug}/",
        ]:
            assert marker in client.get(url).content.decode(), url
        assert_no_marker(client, newsroom, others)
