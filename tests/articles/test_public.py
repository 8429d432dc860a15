"""One definition of public, decided at read time, exact to the second."""

import datetime as dt

import pytest
from django.utils import timezone

from articles.models import Article, ArticleStatus
from tests.factories import make_article

NOW = timezone.make_aware(dt.datetime(2026, 1, 25, 9, 0, 0), dt.UTC)
SECOND = dt.timedelta(seconds=1)


@pytest.fixture
def articles(db):
    past = NOW - dt.timedelta(days=1)
    return {
        "published": make_article("published", publish_at=past),
        "draft": make_article("draft", status=ArticleStatus.DRAFT),
        "in_review": make_article("in review", status=ArticleStatus.IN_REVIEW),
        "scheduled": make_article("scheduled", status=ArticleStatus.SCHEDULED, publish_at=NOW),
        "embargoed": make_article("embargoed", publish_at=past, embargo_until=NOW),
        "withdrawn": make_article(
            "withdrawn",
            status=ArticleStatus.WITHDRAWN,
            publish_at=past,
            first_published_at=past,
        ),
        "embargo_lifted": make_article("lifted", publish_at=past, embargo_until=past),
    }


def _public(now):
    return set(Article.objects.public(now).values_list("headline", flat=True))


def test_only_released_articles_are_public(articles):
    assert _public(NOW - SECOND) == {"published", "lifted"}


def test_scheduled_and_embargoed_articles_appear_the_second_their_time_comes(articles):
    assert _public(NOW) == {"published", "lifted", "scheduled", "embargoed"}


def test_the_python_mirror_agrees_with_the_queryset(articles):
    for now in (NOW - SECOND, NOW, NOW + SECOND):
        expected = _public(now)
        mirrored = {a.headline for a in articles.values() if a.is_public(now)}
        assert mirrored == expected


def test_a_published_status_with_a_future_time_is_not_public(db):
    make_article("early", publish_at=NOW + SECOND)
    assert _public(NOW) == set()
    assert _public(NOW + SECOND) == {"early"}
