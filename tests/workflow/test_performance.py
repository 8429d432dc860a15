"""The admin stays fast: constant query counts for the article list and change form."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import make_article, make_entity, make_mention, make_section

# Measured: 9 and 12 (session, user, permissions, the page's own queries).
CHANGELIST_QUERIES = 10
CHANGE_FORM_QUERIES = 14


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_article_changelist_of_100_rows_is_constant(
    client, editor, reporter, django_assert_max_num_queries
):
    """100 rows cost the same number of queries as 5: no per-row query."""
    sections = [make_section(name) for name in ("World", "Politics", "Culture")]
    url = reverse("admin:articles_article_changelist")
    client.force_login(editor)
    for n in range(5):
        make_article(section=sections[n % 3], author=(editor, reporter)[n % 2])
    few = count_queries(client, url)
    for n in range(95):
        make_article(section=sections[n % 3], author=(editor, reporter)[n % 2], status="draft")
    with django_assert_max_num_queries(few):
        response = client.get(url)
    assert len(response.context["cl"].result_list) == 100
    assert few <= CHANGELIST_QUERIES


def test_change_form_with_50_mentions_is_constant(client, editor, django_assert_max_num_queries):
    """An article with 50 linked entities opens with as many queries as one with 2."""
    article = make_article(author=editor, status="draft")
    client.force_login(editor)
    url = reverse("admin:articles_article_change", args=[article.pk])
    for n in range(2):
        make_mention(article, make_entity(f"Person {n}"))
    few = count_queries(client, url)
    for n in range(2, 50):
        make_mention(article, make_entity(f"Person {n}"))
    with django_assert_max_num_queries(few):
        response = client.get(url)
    assert response.content.decode().count('name="mentions-') >= 50
    assert few <= CHANGE_FORM_QUERIES
