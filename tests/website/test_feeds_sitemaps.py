"""Feeds parse with feedparser, sitemaps with lxml, robots.txt points to them."""

import datetime as dt

import feedparser
import pytest
from django.utils import timezone
from lxml import etree

from tests.factories import SEED_ARTICLE, make_article, make_entity, make_mention, make_section

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


@pytest.mark.parametrize(
    "url",
    [
        "/feed/rss/",
        "/feed/atom/",
        "/sections/europe/feed/rss/",
        "/sections/europe/feed/atom/",
        "/people/volodymyr-zelenskyy/feed/rss/",
        "/people/volodymyr-zelenskyy/feed/atom/",
        "/organizations/viasna-human-rights-center/feed/rss/",
        "/events/zelenskyy-tsikhanouskaya-meeting-2026/feed/atom/",
        "/places/vilnius/feed/rss/",
    ],
)
def test_feeds_are_valid_with_absolute_links_dates_and_self_link(client, seed, url):
    """Every feed parses cleanly; entries have a title, absolute link, date and id; the
    feed links to itself."""
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert any(link.get("rel") == "self" for link in feed.feed.links)
    (entry,) = feed.entries
    assert entry.link == f"http://testserver/articles/{SEED_ARTICLE}/"
    assert entry.title.startswith("Zelenskyy and Tsikhanouskaya")
    assert entry.id and entry.published_parsed
    if "/rss/" in url:
        assert b"<pubDate>Sun, 25 Jan 2026" in response.content  # RFC 822


def test_feed_of_unknown_or_merged_entity_is_404(client, db):
    """Only active entities have a feed."""
    survivor = make_entity("Survivor")
    merged = make_entity("Merged", merged_into=survivor)
    assert client.get(merged.get_absolute_url() + "feed/rss/").status_code == 404
    assert client.get("/people/nobody/feed/rss/").status_code == 404


def test_sitemap_index_lists_article_and_entity_sitemaps(client, seed):
    """sitemap.xml is an index of the article and entity sitemaps, which list every public
    article and every entity with a public article."""
    index = etree.fromstring(client.get("/sitemap.xml").content)
    assert index.tag == f"{SM}sitemapindex"
    children = [loc.text for loc in index.iter(f"{SM}loc")]
    assert children == [
        "http://testserver/sitemap-articles.xml",
        "http://testserver/sitemap-entities.xml",
    ]
    articles = etree.fromstring(client.get("/sitemap-articles.xml").content)
    assert [loc.text for loc in articles.iter(f"{SM}loc")] == [
        f"http://testserver/articles/{SEED_ARTICLE}/"
    ]
    assert articles.find(f"{SM}url/{SM}lastmod") is not None
    entities = etree.fromstring(client.get("/sitemap-entities.xml").content)
    locs = {loc.text for loc in entities.iter(f"{SM}loc")}
    assert "http://testserver/people/volodymyr-zelenskyy/" in locs
    assert "http://testserver/events/charlemagne-prize-ceremony-2023/" in locs


def test_news_sitemap_holds_two_days_at_most_1000(client, db):
    """The Google News sitemap lists public articles of the last two days, newest first,
    at most 1,000, with publication name, language, date and title."""
    now = timezone.now()
    section = make_section("World")
    recent = make_article("Recent news", section=section, publish_at=now - dt.timedelta(hours=5))
    make_article("Old news", publish_at=now - dt.timedelta(days=3))
    make_article("Draft news", status="draft")
    root = etree.fromstring(client.get("/sitemap-news.xml").content)
    urls = root.findall(f"{SM}url")
    assert len(urls) == 1
    assert urls[0].findtext(f"{SM}loc") == "http://testserver" + recent.get_absolute_url()
    news = urls[0].find(f"{NEWS}news")
    assert news.findtext(f"{NEWS}title") == "Recent news"
    assert news.findtext(f"{NEWS}publication/{NEWS}language") == "en"
    assert news.findtext(f"{NEWS}publication_date").startswith(str(recent.publish_at.year))


def test_news_sitemap_caps_at_1000(client, db):
    """No more than 1,000 items, whatever is published."""
    from articles.models import Article

    now = timezone.now()
    Article.objects.bulk_create(
        Article(
            headline=f"Bulk {i}",
            slug=f"bulk-{i}",
            body="Text.",
            status="published",
            publish_at=now - dt.timedelta(minutes=i + 1),
            first_published_at=now - dt.timedelta(minutes=i + 1),
        )
        for i in range(1005)
    )
    root = etree.fromstring(client.get("/sitemap-news.xml").content)
    assert len(root.findall(f"{SM}url")) == 1000


def test_robots_txt_points_to_sitemaps(client, db):
    """robots.txt names both sitemaps and keeps crawlers out of the admin."""
    text = client.get("/robots.txt").text
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Sitemap: http://testserver/sitemap-news.xml" in text
    assert "Disallow: /admin/" in text


def test_entity_feed_lists_its_public_articles_only(client, db):
    """An entity's feed follows it: its public articles, not others, not drafts."""
    person = make_entity("Followed Person")
    mine = make_article("About them")
    make_mention(mine, person)
    draft = make_article("Draft about them", status="draft")
    make_mention(draft, person)
    make_article("Not about them")
    feed = feedparser.parse(client.get(person.get_absolute_url() + "feed/atom/").content)
    assert [entry.title for entry in feed.entries] == ["About them"]
