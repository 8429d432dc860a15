"""The article and entity pages run a bounded number of queries, whatever the data."""

import datetime as dt

import pytest
from django.utils import timezone

from articles.models import Article, Correction, Mention, Quote, Statistic
from entities.models import Alias, Entity, EntityKind, Participation, Relation, Role
from tests.factories import SEED_ARTICLE, make_article

MAX_QUERIES = 8
PAGES = [
    f"/articles/{SEED_ARTICLE}/",
    "/people/volodymyr-zelenskyy/",
    "/people/sviatlana-tsikhanouskaya/",
    "/organizations/viasna-human-rights-center/",
    "/events/zelenskyy-tsikhanouskaya-meeting-2026/",
    "/places/vilnius/",
    "/places/lithuania/",
]


def grow_tenfold() -> None:
    """Ten times the seed: more articles mentioning every entity, more quotes, figures,
    corrections, events, relations, roles, aliases and places."""
    seed_article = Article.objects.get(slug=SEED_ARTICLE)
    entities = list(Entity.objects.all())
    people = [e for e in entities if e.kind == EntityKind.PERSON]
    lithuania = Entity.objects.get(slug="lithuania")
    vilnius = Entity.objects.get(slug="vilnius")
    now = timezone.now()
    for i in range(10):
        article = make_article(f"Copy {i}", body=seed_article.body)
        Mention.objects.bulk_create(
            Mention(article=article, entity=e, state="confirmed") for e in entities
        )
        seed_mentions = [
            Mention(article=seed_article, entity=e, state="confirmed")
            for e in [Entity.objects.create(kind=EntityKind.PERSON, name=f"P{i}", slug=f"p-{i}")]
        ]
        Mention.objects.bulk_create(seed_mentions)
        for person in people:
            Quote.objects.create(
                slug=f"q-{i}-{person.pk}", article=article, speaker=person, text="Q"
            )
            Quote.objects.create(
                slug=f"sq-{i}-{person.pk}", article=seed_article, speaker=person, text="S"
            )
        Statistic.objects.create(
            slug=f"s-{i}",
            article=seed_article,
            value=i,
            unit="things",
            subject=lithuania,
            as_of=dt.date(2025, 1, 1),
            as_of_precision="day",
            source=people[0],
        )
        Correction.objects.create(
            article=seed_article, note=f"Fix {i}", published_at=now - dt.timedelta(minutes=i)
        )
        event = Entity.objects.create(
            kind=EntityKind.EVENT,
            name=f"Event {i}",
            slug=f"event-{i}",
            start=dt.date(2020, 1, 1),
            start_precision="year",
            location=vilnius,
        )
        place = Entity.objects.create(
            kind=EntityKind.PLACE, name=f"Town {i}", slug=f"town-{i}", parent=lithuania
        )
        for person in people:
            Participation.objects.create(event=event, participant=person, role="participant")
            Relation.objects.create(subject=person, kind="ally", object=place)
            Role.objects.create(person=person, title=f"Role {i}", affiliation=place)
            Alias.objects.create(entity=person, name=f"{person.name} {i}", kind="spelling")
        Participation.objects.create(
            event=Entity.objects.get(slug="zelenskyy-tsikhanouskaya-meeting-2026"),
            participant=place,
            role="host",
        )


@pytest.mark.parametrize("url", PAGES)
def test_page_queries_bounded_with_seed(client, seed, django_assert_max_num_queries, url):
    """At most 8 queries for each page kind with the seed."""
    with django_assert_max_num_queries(MAX_QUERIES):
        assert client.get(url).status_code == 200


def test_page_queries_bounded_with_tenfold_data(client, seed, django_assert_max_num_queries):
    """Still at most 8 queries with ten times the mentions, quotes, events and articles."""
    grow_tenfold()
    for url in PAGES:
        with django_assert_max_num_queries(MAX_QUERIES):
            response = client.get(url)
        assert response.status_code == 200, url
    assert client.get(PAGES[0]).text.count("Fix ") == 10


def test_home_section_search_queries_bounded(client, seed, django_assert_max_num_queries):
    """Home, section and search pages stay within a handful of queries too."""
    grow_tenfold()
    for url in ["/", "/sections/europe/", "/search/?q=Vilnius", "/search/?q=Vilnius&order=newest"]:
        with django_assert_max_num_queries(4):
            assert client.get(url).status_code == 200
