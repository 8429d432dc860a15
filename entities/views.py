"""Public entity pages: a person, organization, event or place and its public articles."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render

from articles.models import Article, MentionState

from .models import Entity

PAGE_SIZE = 20


def entity_detail(request, slug, kind):
    entity = get_object_or_404(Entity.objects.select_related("merged_into"), slug=slug, kind=kind)
    if entity.merged_into_id is not None:
        return redirect(entity.merged_into, permanent=True)
    articles = (
        Article.objects.public()
        .filter(mentions__entity=entity, mentions__state=MentionState.CONFIRMED)
        .newest_first()
        .select_related("section")
    )
    page = Paginator(articles, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "entities/entity_detail.html",
        {"entity": entity, "aliases": entity.aliases.all(), "page": page},
    )
