"""Public pages. The site views live in their apps; this module names them."""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from entities.models import KIND_URL_PREFIX
from website import articles as article_views
from website import entities as entity_views
from website import feeds, sitemaps
from website import search as search_views

app_name = "site"

urlpatterns = [
    path("", article_views.home, name="home"),
    path("feed/rss/", feeds.SiteFeed(), name="feed-rss"),
    path("feed/atom/", feeds.SiteAtomFeed(), name="feed-atom"),
    path("search/", search_views.search, name="search"),
    path("articles/<slug:slug>/", article_views.article_detail, name="article-detail"),
    path("sections/<slug:slug>/", article_views.section_detail, name="section-detail"),
    path("sections/<slug:slug>/feed/rss/", feeds.SectionFeed(), name="section-feed-rss"),
    path("sections/<slug:slug>/feed/atom/", feeds.SectionAtomFeed(), name="section-feed-atom"),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": sitemaps.SITEMAPS, "sitemap_url_name": "site:sitemap-section"},
        name="sitemap-index",
    ),
    path("sitemap-news.xml", sitemaps.news_sitemap, name="sitemap-news"),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": sitemaps.SITEMAPS},
        name="sitemap-section",
    ),
    path("robots.txt", sitemaps.robots_txt, name="robots"),
]

for kind, prefix in KIND_URL_PREFIX.items():
    urlpatterns += [
        path(
            f"{prefix}/<slug:slug>/",
            entity_views.entity_detail,
            {"kind": kind.value},
            name=f"{kind.value}-detail",
        ),
        path(
            f"{prefix}/<slug:slug>/feed/rss/",
            feeds.EntityFeed(),
            {"kind": kind.value},
            name=f"{kind.value}-feed-rss",
        ),
        path(
            f"{prefix}/<slug:slug>/feed/atom/",
            feeds.EntityAtomFeed(),
            {"kind": kind.value},
            name=f"{kind.value}-feed-atom",
        ),
    ]
