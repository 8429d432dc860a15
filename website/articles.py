"""Public article pages. Every query starts from Article.objects.public()."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.http import http_date

from articles import body as body_format
from articles import selectors
from articles.models import Article, ArticleStatus
from website import structured_data
from website.page_cache import public_page


def home(request):
    number = selectors.page_number(request.GET.get("page"))
    page = selectors.page_of(selectors.public_articles().select_related("dateline"), number)
    # "Recent weeks" end at the newest public article, so a quiet fortnight (or the demo
    # seed) still shows who the latest news is about.
    newest = page.items[0].publish_at if number == 1 and page.items else None
    return render(
        request,
        "articles/home.html",
        {
            "page": page,
            "sections": selectors.sections(),
            "most_mentioned": selectors.most_mentioned_entities(until=newest),
            "canonical_url": request.build_absolute_uri("/"),
        },
    )


def section_detail(request, slug):
    section = get_object_or_404(selectors.sections(), slug=slug)
    articles = selectors.public_articles().filter(section=section).select_related("dateline")
    page = selectors.page_of(articles, selectors.page_number(request.GET.get("page")))
    return render(
        request,
        "articles/section_detail.html",
        {
            "section": section,
            "page": page,
            "canonical_url": request.build_absolute_uri(section.get_absolute_url()),
        },
    )


def article_context(request, article: Article) -> dict:
    """What articles/article_detail.html needs; the staff preview reuses it."""
    mentions = getattr(article, "confirmed_mentions", None)
    if mentions is None:
        mentions = [m for m in article.mentions.all() if m.state == "confirmed"]
    url = request.build_absolute_uri(article.get_absolute_url())
    entity_urls = selectors.entity_urls(mentions)
    return {
        "article": article,
        "body_html": _body_html(article, mentions, entity_urls),
        "entity_groups": selectors.entities_by_kind(mentions, entity_urls),
        "canonical_url": url,
        "json_ld": structured_data.to_script_json(
            structured_data.news_article(
                article,
                absolute=request.build_absolute_uri,
                site_name=settings.NEWSROOM_SITE_NAME,
                mentions=mentions,
            )
        ),
        "opengraph": structured_data.opengraph(
            title=article.headline,
            description=article.standfirst,
            url=url,
            site_name=settings.NEWSROOM_SITE_NAME,
            kind="article",
        ),
    }


def _body_html(article: Article, mentions, entity_urls: dict[int, str]) -> str:
    links = selectors.body_links(article, mentions, entity_urls)
    return body_format.render_html(article.body_blocks, links, typographic=True)


@public_page
def article_detail(request, slug):
    article = selectors.article_for_page(slug)
    if article is None:
        withdrawn = Article.objects.filter(slug=slug, status=ArticleStatus.WITHDRAWN).first()
        if withdrawn is not None:
            return render(
                request, "articles/article_withdrawn.html", {"article": withdrawn}, status=410
            )
        raise Http404("No such article.")
    response = render(request, "articles/article_detail.html", article_context(request, article))
    changed = [article.updated_at, article.publish_at]
    changed += [c.published_at for c in article.corrections.all()]
    response["Last-Modified"] = http_date(max(t for t in changed if t).timestamp())
    return response
