"""RSS 2.0 and Atom feeds: the whole site, each section, each entity ("follow this person").

Every feed starts from Article.objects.public(); links are absolute, dates RFC 822 in RSS
and RFC 3339 in Atom, and each feed names itself with a self link (Django adds it).

Feed readers render an item's RSS `<description>` and Atom `<summary type="html">` as
HTML. Those are built here from escaped text only (`item_summary_html`), so a headline,
standfirst or correction note that looks like markup reaches the reader as the words
it is. Titles, feed names and descriptions are plain text in both formats (RSS 2.0's
`<title>`, Atom's default `type="text"`), so Django's XML escaping is all they need.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.http import Http404
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import format_html, format_html_join

from articles.models import Article, Correction, Section
from articles.selectors import public_articles
from entities.models import Entity
from website.entity_pages import public_articles_mentioning

FEED_ITEMS = 30
SUMMARY_FALLBACK_CHARACTERS = 300


def item_summary_html(article: Article) -> str:
    """An item's HTML summary from escaped text: the standfirst (or the start of the body)
    and the article's corrections, newest first, each in its own paragraph."""
    summary = article.standfirst or article.body_text[:SUMMARY_FALLBACK_CHARACTERS]
    parts = [format_html("<p>{}</p>", summary)] if summary else []
    corrections = getattr(article, "feed_corrections", None)
    if corrections is None:
        corrections = list(article.corrections.all())
    parts.append(
        format_html_join(
            "",
            "<p><strong>{}:</strong> {}</p>",
            ((c.get_kind_display(), c.note) for c in corrections),
        )
    )
    return "".join(parts)


def _with_corrections(articles):
    """Feed items with their corrections, in one more query."""
    return list(
        articles.prefetch_related(
            Prefetch("corrections", queryset=Correction.objects.all(), to_attr="feed_corrections")
        )[:FEED_ITEMS]
    )


class SiteFeed(Feed):
    feed_type = Rss201rev2Feed
    description_template = None

    def title(self, obj=None):
        return settings.NEWSROOM_SITE_NAME

    def link(self, obj=None):
        return "/"

    def description(self, obj=None):
        return f"The latest articles from {settings.NEWSROOM_SITE_NAME}."

    def items(self, obj=None):
        return _with_corrections(public_articles())

    def item_title(self, item):
        return item.headline

    def item_description(self, item):
        return item_summary_html(item)

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return item.first_published_at or item.publish_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.byline or None

    def item_categories(self, item):
        return [item.section.name] if item.section else []

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        feed.feed["language"] = settings.LANGUAGE_CODE
        return feed


class SiteAtomFeed(SiteFeed):
    feed_type = Atom1Feed
    subtitle = SiteFeed.description


class SectionFeed(SiteFeed):
    def get_object(self, request, slug):
        section = Section.objects.filter(slug=slug).first()
        if section is None:
            raise Http404("No such section.")
        return section

    def title(self, obj=None):
        return f"{obj.name} · {settings.NEWSROOM_SITE_NAME}"

    def link(self, obj=None):
        return obj.get_absolute_url()

    def description(self, obj=None):
        return obj.description or f"The latest articles in {obj.name}."

    def items(self, obj=None):
        return _with_corrections(public_articles().filter(section=obj))


class SectionAtomFeed(SectionFeed):
    feed_type = Atom1Feed
    subtitle = SectionFeed.description


class EntityFeed(SiteFeed):
    def get_object(self, request, slug, kind):
        entity = Entity.objects.active().filter(slug=slug, kind=kind).first()
        if entity is None:
            raise Http404("No such page.")
        return entity

    def title(self, obj=None):
        return f"{obj.name} · {settings.NEWSROOM_SITE_NAME}"

    def link(self, obj=None):
        return obj.get_absolute_url()

    def description(self, obj=None):
        return f"Articles mentioning {obj.name}."

    def items(self, obj=None):
        return _with_corrections(public_articles_mentioning(obj))


class EntityAtomFeed(EntityFeed):
    feed_type = Atom1Feed
    subtitle = EntityFeed.description
