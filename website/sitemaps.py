"""Sitemaps (articles and entity pages), the Google News sitemap and robots.txt."""

import datetime as dt

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Q
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from articles.models import Article, MentionState, public_q
from entities.models import Entity

NEWS_MAX_ITEMS = 1000
NEWS_MAX_AGE = dt.timedelta(days=2)


class ArticleSitemap(Sitemap):
    limit = 5000
    changefreq = "daily"

    def items(self):
        return Article.objects.public().newest_first().only("slug", "updated_at", "publish_at")

    def lastmod(self, item):
        return max(item.updated_at, item.publish_at)


class EntitySitemap(Sitemap):
    """Entity pages that have at least one public article (others are thin pages)."""

    limit = 5000
    changefreq = "weekly"

    def items(self):
        mentioned = Q(mentions__state=MentionState.CONFIRMED) & public_q(
            prefix="mentions__article__"
        )
        return (
            Entity.objects.active()
            .filter(mentioned)
            .annotate(latest=Max("mentions__article__updated_at"))
            .only("slug", "kind")
            .order_by("pk")
        )

    def lastmod(self, item):
        return item.latest


SITEMAPS = {"articles": ArticleSitemap, "entities": EntitySitemap}


@require_safe
def news_sitemap(request):
    """Google News: public articles of the last two days, at most 1,000, newest first."""
    now = timezone.now()
    articles = (
        Article.objects.public(now)
        .filter(publish_at__gte=now - NEWS_MAX_AGE)
        .newest_first()
        .only("slug", "headline", "language", "publish_at", "first_published_at")[:NEWS_MAX_ITEMS]
    )
    return render(
        request,
        "sitemaps/news.xml",
        {"articles": articles, "base": request.build_absolute_uri("/").rstrip("/")},
        content_type="application/xml; charset=utf-8",
    )


@require_safe
def robots_txt(request):
    base = request.build_absolute_uri("/").rstrip("/")
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /search/",
        "",
        f"Sitemap: {base}{reverse('site:sitemap-index')}",
        f"Sitemap: {base}{reverse('site:sitemap-news')}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
