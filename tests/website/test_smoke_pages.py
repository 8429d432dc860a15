"""A newcomer's first look: the home page lists the seed article, the admin shows every record."""

import pytest
from django.contrib import admin

from articles.models import Article, ArticleStatus
from tests.factories import SEED_ARTICLE, make_article


def test_home_lists_the_seed_article(client, seed):
    response = client.get("/")
    assert response.status_code == 200
    article = Article.objects.get(slug=SEED_ARTICLE)
    assert article.headline in response.text
    assert article.get_absolute_url() in response.text


def test_article_page_renders_the_body_with_subheadings(client, seed):
    response = client.get(f"/articles/{SEED_ARTICLE}/")
    assert response.status_code == 200
    assert "<h2>From brief encounters to formal talks</h2>" in response.text


def test_withdrawn_article_answers_410(client, db):
    article = make_article("Gone", status=ArticleStatus.WITHDRAWN)
    response = client.get(article.get_absolute_url())
    assert response.status_code == 410
    assert "withdrawn" in response.text


def test_draft_is_404(client, db):
    article = make_article("Secret draft", status=ArticleStatus.DRAFT)
    assert client.get(article.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("slug", ["volodymyr-zelenskyy", "sviatlana-tsikhanouskaya"])
def test_person_pages_list_the_article(client, seed, slug):
    response = client.get(f"/people/{slug}/")
    assert response.status_code == 200
    assert Article.objects.get(slug=SEED_ARTICLE).headline in response.text


def test_admin_shows_every_seed_record(admin_client, seed):
    for model in admin.site._registry:
        opts = model._meta
        if opts.app_label not in ("articles", "entities"):
            continue
        response = admin_client.get(f"/admin/{opts.app_label}/{opts.model_name}/")
        assert response.status_code == 200, opts.label
        queryset = model._default_manager.all()
        for obj in queryset[:50]:
            change = admin_client.get(f"/admin/{opts.app_label}/{opts.model_name}/{obj.pk}/change/")
            assert change.status_code == 200, (opts.label, obj.pk)
        if queryset.exists():
            assert f"{queryset.count()} " in response.text, opts.label
