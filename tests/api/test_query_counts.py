"""Query counts per page stay constant whatever the page size and entities per article."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Quote, Statistic
from entities.models import Alias, EntityKind, Role
from tests.factories import make_article, make_entity, make_mention, make_section

pytestmark = pytest.mark.django_db

# Articles: the page, its sections, its datelines, then mentions (with their entities),
# quotes, statistics and corrections.
ARTICLE_LIST_QUERIES = 7
# Entities: count, page, aliases, relations, inverse relations (+ roles or participations).
ENTITY_LIST_QUERIES = 6


def corpus(articles: int, entities_per_article: int, tag: str = "a") -> None:
    section = make_section("World")
    dateline = make_entity(f"Vilnius {tag}", kind=EntityKind.PLACE)
    for index in range(articles):
        article = make_article(f"Story {tag} {index}", section=section, dateline=dateline)
        for n in range(entities_per_article):
            kind = [EntityKind.PERSON, EntityKind.ORGANIZATION, EntityKind.EVENT][n % 3]
            entity = make_entity(f"E {tag} {index} {n}", kind=kind)
            make_mention(article, entity)
            if kind == EntityKind.PERSON:
                name = f"Alias {tag} {index} {n}"
                Alias.objects.create(entity=entity, name=name, kind="spelling")
                Role.objects.create(person=entity, title="Minister", affiliation=dateline)
        speaker = make_entity(f"Speaker {tag} {index}")
        Quote.objects.create(slug=f"q-{tag}-{index}", article=article, speaker=speaker, text="Hi.")
        Statistic.objects.create(
            slug=f"s-{tag}-{index}", article=article, value=1, unit="things", subject=dateline,
            as_of="2025-01-01", as_of_precision="day",
        )  # fmt: skip


def count(api, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = api.get(url)
    assert response.status_code == 200, response.content[:300]
    return len(queries)


def test_article_list_queries_constant(api, django_assert_max_num_queries):
    """2 articles × 1 entity or 30 articles × 12 entities: the same handful of queries."""
    corpus(2, 1)
    small = count(api, "/api/v1/articles/?page_size=2")
    corpus(30, 12, "b")
    with django_assert_max_num_queries(ARTICLE_LIST_QUERIES):
        api.get("/api/v1/articles/?page_size=100")
    assert count(api, "/api/v1/articles/?page_size=100") == small
    assert count(api, "/api/v1/articles/?page_size=100&format=ninjs") == small
    assert count(api, "/api/v1/articles/?page_size=5&person=e-a-0-0") <= small + 1


def test_article_detail_queries_bounded(api, django_assert_max_num_queries):
    """The detail of an article with 30 entities costs a fixed number of queries."""
    corpus(1, 30)
    from articles.models import Article

    slug = Article.objects.get().slug
    with django_assert_max_num_queries(ARTICLE_LIST_QUERIES):
        assert api.get(f"/api/v1/articles/{slug}/").status_code == 200


@pytest.mark.parametrize("kind", ["people", "events", "organizations", "places"])
def test_entity_list_queries_constant(api, kind, django_assert_max_num_queries):
    """Entity lists, with aliases, roles, relations and article counts: constant."""
    corpus(3, 3)
    small = count(api, f"/api/v1/{kind}/?limit=2")
    corpus(10, 9, "b")
    with django_assert_max_num_queries(ENTITY_LIST_QUERIES):
        api.get(f"/api/v1/{kind}/?limit=100")
    assert count(api, f"/api/v1/{kind}/?limit=100") == small


def test_quote_and_statistic_lists_queries_constant(api, django_assert_max_num_queries):
    """Quotes and statistics: count plus one page query."""
    corpus(20, 1)
    for url in ["/api/v1/quotes/?limit=100", "/api/v1/statistics/?limit=100"]:
        with django_assert_max_num_queries(2):
            api.get(url)
