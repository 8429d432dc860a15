"""The public search page: entities first, then ranked public articles with snippets."""

from django.shortcuts import render

from articles.models import Article
from articles.selectors import page_number
from core.typography import smarten
from search.query import NEWEST, RELEVANCE, entity_search, public_search_page
from search.text import clean_query, contains_any, highlight, query_keys

SNIPPET_CHARS = 240


def search(request):
    q = clean_query(request.GET.get("q", ""))
    order = NEWEST if request.GET.get("order") == NEWEST else RELEVANCE
    keys = query_keys(q)
    results, entities, page = [], [], None
    if keys:
        entities = entity_search(q)
        page = public_search_page(
            q,
            order=order,
            number=page_number(request.GET.get("page")),
            queryset=Article.objects.public().select_related("section"),
        )
        for article in page:
            text = article.standfirst if contains_any(article.standfirst, keys) else article.body
            results.append(
                {
                    "article": article,
                    "headline_html": highlight(smarten(article.headline), keys),
                    "snippet_html": highlight(smarten(text), keys, limit=SNIPPET_CHARS),
                }
            )
    return render(
        request,
        "search/search.html",
        {
            "q": q,
            "order": order,
            "entities": entities,
            "results": results,
            "page": page,
            "searched": bool(q),
        },
    )
