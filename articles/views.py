"""Public article pages. Every query starts from Article.objects.public()."""

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from .models import Article, ArticleStatus, Mention, MentionState, Section

PAGE_SIZE = 20


def home(request):
    articles = Article.objects.public().newest_first().select_related("section", "dateline")
    page = Paginator(articles, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "articles/home.html",
        {"page": page, "sections": Section.objects.all()},
    )


def section_detail(request, slug):
    section = get_object_or_404(Section, slug=slug)
    articles = (
        Article.objects.public().filter(section=section).newest_first().select_related("dateline")
    )
    page = Paginator(articles, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "articles/section_detail.html", {"section": section, "page": page})


def article_detail(request, slug):
    confirmed = Mention.objects.filter(state=MentionState.CONFIRMED).select_related("entity")
    article = (
        Article.objects.public()
        .select_related("section", "dateline")
        .prefetch_related(
            Prefetch("mentions", queryset=confirmed, to_attr="confirmed_mentions"),
            "quotes__speaker",
            "statistics__subject",
            "statistics__source",
            "corrections",
        )
        .filter(slug=slug)
        .first()
    )
    if article is None:
        withdrawn = Article.objects.filter(slug=slug, status=ArticleStatus.WITHDRAWN).first()
        if withdrawn is not None:
            return render(
                request, "articles/article_withdrawn.html", {"article": withdrawn}, status=410
            )
        article = get_object_or_404(Article.objects.none())
    return render(request, "articles/article_detail.html", {"article": article})
