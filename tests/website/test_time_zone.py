"""Readers see times in the newsroom's zone; machines get exact instants.

Europe/Vilnius (the default NEWSROOM_TIME_ZONE) moves from EET (+2) to EEST (+3) at
01:00 UTC on 29 March 2026: the test articles sit on both sides of that instant.
"""

import datetime as dt
import email.utils
import json
import re

import pytest
from django.core.cache import cache

from tests.factories import SEED_ARTICLE, make_article

pytestmark = pytest.mark.django_db

UTC = dt.UTC
BEFORE_DST = dt.datetime(2026, 3, 29, 0, 30, tzinfo=UTC)  # 02:30 EET
AFTER_DST = dt.datetime(2026, 3, 29, 1, 30, tzinfo=UTC)  # 04:30 EEST
LATE_EVENING = dt.datetime(2026, 3, 28, 23, 30, tzinfo=UTC)  # already 29 March in Vilnius


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


def meta_line(html: str) -> str:
    return re.search(r'<p class="meta">(.*?)</p>', html, re.S).group(1)


@pytest.mark.parametrize(
    ("when", "shown", "machine"),
    [
        (BEFORE_DST, "29 March 2026, 02:30 EET", "2026-03-29T00:30:00+00:00"),
        (AFTER_DST, "29 March 2026, 04:30 EEST", "2026-03-29T01:30:00+00:00"),
    ],
)
def test_article_time_is_local_with_its_zone_across_dst(client, when, shown, machine):
    """The publication time reads in newsroom time with its zone; `datetime=` is the same
    instant in ISO 8601 UTC (unchanged for machines), and JSON-LD keeps the exact instant."""
    article = make_article("Clocks change", publish_at=when)
    html = client.get(article.get_absolute_url()).content.decode()
    meta = meta_line(html)
    assert f'<time datetime="{machine}">{shown}</time>' in meta
    assert dt.datetime.fromisoformat(machine) == when
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    )
    graph = data if isinstance(data, list) else data.get("@graph", [data])
    published = [item["datePublished"] for item in graph if "datePublished" in item]
    assert published and dt.datetime.fromisoformat(published[0]) == when


def test_seed_article_shows_newsroom_time(client, seed):
    """The seed article, published 18:00 UTC on 25 January 2026, reads 20:00 EET."""
    html = client.get(f"/articles/{SEED_ARTICLE}/").content.decode()
    shown = re.sub(r"<[^>]+>", "", meta_line(html))  # the text, not the attributes
    assert "25 January 2026, 20:00 EET" in shown
    assert "18:00" not in shown


def test_lists_show_the_local_date(client):
    """23:30 UTC on 28 March is 29 March in Vilnius: lists give the reader's date."""
    make_article("Late news", publish_at=LATE_EVENING)
    html = client.get("/").content.decode()
    assert '<time datetime="2026-03-28T23:30:00+00:00">29 March 2026</time>' in html


def test_feed_dates_stay_exact(client):
    """Feeds carry the exact instant (RFC 822 with offset), whatever the display zone."""
    make_article("Feed item", publish_at=AFTER_DST)
    rss = client.get("/feed/rss/").content.decode()
    pubdate = re.search(r"<pubDate>(.*?)</pubDate>", rss).group(1)
    assert email.utils.parsedate_to_datetime(pubdate) == AFTER_DST


def test_api_times_stay_exact_utc(client):
    """The API serves machine-readable instants: unchanged by the newsroom's zone."""
    article = make_article("API item", publish_at=AFTER_DST)
    document = client.get(f"/api/v1/articles/{article.slug}/").json()
    assert dt.datetime.fromisoformat(document["publish_at"].replace("Z", "+00:00")) == AFTER_DST


def test_news_sitemap_dates_stay_utc(client):
    """The news sitemap's publication_date is the exact instant in UTC, as before."""
    make_article("Sitemap item", publish_at=dt.datetime.now(UTC).replace(microsecond=0))
    xml = client.get("/sitemap-news.xml").content.decode()
    date = re.search(r"<news:publication_date>(.*?)</news:publication_date>", xml).group(1)
    assert date.endswith("+00:00")
