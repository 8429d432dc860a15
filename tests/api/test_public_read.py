"""The public read API: published content only, filters, pagination, formats, caching."""

import datetime as dt

import pytest
from django.utils import timezone

from articles.models import ArticleStatus, MentionRole, MentionState
from entities.models import Entity, EntityKind
from tests.factories import SEED_ARTICLE, make_article, make_entity, make_mention, make_section

pytestmark = pytest.mark.django_db


def slugs(response) -> list[str]:
    return [item["slug"] for item in response.json()["results"]]


def hidden_articles(entity):
    """A draft, an embargoed, a scheduled and a withdrawn article, all about `entity`."""
    now = timezone.now()
    articles = [
        make_article("Draft", status=ArticleStatus.DRAFT),
        make_article("Embargoed", embargo_until=now + dt.timedelta(hours=2)),
        make_article(
            "Scheduled", status=ArticleStatus.SCHEDULED, publish_at=now + dt.timedelta(hours=1)
        ),
        make_article("Withdrawn", status=ArticleStatus.WITHDRAWN, publish_at=now),
    ]
    for article in articles:
        make_mention(article, entity)
    return articles


def test_seed_article_in_list_with_contract_fields(api, seed):
    """The seed article is listed with every contract field and its entities by kind."""
    response = api.get("/api/v1/articles/")
    assert response.status_code == 200
    article = response.json()["results"][0]
    for field in [
        "slug", "url", "headline", "standfirst", "body", "body_html", "body_text", "byline",
        "section", "dateline", "language", "status", "publish_at", "embargo_until",
        "first_published_at", "updated_at", "version", "people", "organizations", "events",
        "places", "quotes", "statistics", "corrections",
    ]:  # fmt: skip
        assert field in article, field
    assert article["slug"] == SEED_ARTICLE
    people = {p["slug"]: p["role"] for p in article["people"]}
    assert people["sviatlana-tsikhanouskaya"] == "subject"
    assert people["alexander-lukashenka"] == "mentioned"
    assert {e["slug"] for e in article["events"]} >= {"zelenskyy-tsikhanouskaya-meeting-2026"}
    assert article["section"]["slug"] == "europe"
    assert article["dateline"]["slug"] == "vilnius"
    assert len(article["quotes"]) == 3 and len(article["statistics"]) == 2
    assert article["body_html"].startswith("<p>")


def test_article_detail_by_slug(api, seed):
    """An article is read at /api/v1/articles/<slug>/."""
    response = api.get(f"/api/v1/articles/{SEED_ARTICLE}/")
    assert response.status_code == 200
    assert response.json()["headline"].startswith("Zelenskyy and Tsikhanouskaya")


def test_filter_person_and_event_returns_seed_article(api, seed):
    """?person=…&event=… returns the article about both."""
    response = api.get(
        "/api/v1/articles/",
        {"person": "sviatlana-tsikhanouskaya", "event": "zelenskyy-tsikhanouskaya-meeting-2026"},
    )
    assert slugs(response) == [SEED_ARTICLE]


def test_repeated_entity_values_mean_all_of_them(api, seed):
    """person=a&person=b: only articles about both."""
    other = make_article("Only Zelenskyy")
    make_mention(other, Entity.objects.get(slug="volodymyr-zelenskyy"))
    both = api.get("/api/v1/articles/?person=volodymyr-zelenskyy&person=sviatlana-tsikhanouskaya")
    one = api.get("/api/v1/articles/?person=volodymyr-zelenskyy")
    assert slugs(both) == [SEED_ARTICLE]
    assert set(slugs(one)) == {SEED_ARTICLE, other.slug}


def test_entity_filter_checks_kind_and_unknown_slugs(api, seed):
    """An unknown slug, or one of the wrong kind, is a 400 naming the value (as an unknown
    parameter is), never an empty 200 that looks like "no articles"; entity= takes any
    kind. (issue 17, point 15)"""
    refused = [
        ("/api/v1/articles/?person=nobody-at-all", "person", "nobody-at-all"),
        ("/api/v1/articles/?person=vilnius", "person", "vilnius"),
        ("/api/v1/articles/?person=volodymyr-zelenskyy&person=nobody", "person", "nobody"),
        ("/api/v1/articles/?entity=nobody", "entity", "nobody"),
        ("/api/v1/articles/?event=vilnius&role=subject", "event", "vilnius"),
        ("/api/v1/articles/?section=nowhere", "section", "nowhere"),
        ("/api/v1/quotes/?speaker=nobody", "speaker", "nobody"),
        ("/api/v1/statistics/?subject=nobody", "subject", "nobody"),
        ("/api/v1/places/?parent=nowhere", "parent", "nowhere"),
    ]
    for url, param, value in refused:
        response = api.get(url)
        assert response.status_code == 400, (url, response.status_code)
        messages = response.json()[param]
        assert any(f"“{value}”" in message for message in messages), (url, messages)
    assert "place" in api.get("/api/v1/articles/?person=vilnius").json()["person"][0]
    assert slugs(api.get("/api/v1/articles/?entity=vilnius")) == [SEED_ARTICLE]
    assert slugs(api.get("/api/v1/articles/?place=vilnius&organization=x")) == [SEED_ARTICLE]


def test_role_filter(api, seed):
    """role=subject keeps articles where the entity is a subject, not merely mentioned."""
    assert slugs(api.get("/api/v1/articles/?person=sviatlana-tsikhanouskaya&role=subject")) == [
        SEED_ARTICLE
    ]
    assert slugs(api.get("/api/v1/articles/?person=alexander-lukashenka&role=subject")) == []
    assert slugs(api.get("/api/v1/articles/?person=alexander-lukashenka&role=mentioned")) == [
        SEED_ARTICLE
    ]


def test_person_with_only_hidden_articles_returns_none(api, seed):
    """?person= of an entity whose articles are all unpublished returns none, and its count
    says zero: drafts are invisible in lists, details, filters and counts."""
    person = make_entity("Hidden Person")
    hidden = hidden_articles(person)
    assert slugs(api.get("/api/v1/articles/?person=hidden-person")) == []
    assert api.get("/api/v1/people/hidden-person/").json()["article_count"] == 0
    for article in hidden:
        assert article.slug not in slugs(api.get("/api/v1/articles/?page_size=100"))
        assert api.get(f"/api/v1/articles/{article.slug}/").status_code in (404, 410)
    people = {p["slug"]: p for p in api.get("/api/v1/people/").json()["results"]}
    assert people["hidden-person"]["article_count"] == 0
    assert people["sviatlana-tsikhanouskaya"]["article_count"] == 1


def test_status_param_ignored_for_anonymous_and_outsiders(api, seed, outsider):
    """?status=draft shows nothing to the public or to a token without editorial rights."""
    from .conftest import client_for

    person = make_entity("Hidden Person")
    hidden_articles(person)
    assert slugs(api.get("/api/v1/articles/?status=draft")) == []
    assert slugs(client_for(outsider).get("/api/v1/articles/?status=draft")) == []
    published = slugs(api.get("/api/v1/articles/?status=published"))
    assert published == [SEED_ARTICLE]


def test_withdrawn_article_answers_410(api, seed):
    """A withdrawn article is gone: 410, not its content."""
    article = make_article("Pulled", status=ArticleStatus.WITHDRAWN, publish_at=timezone.now())
    response = api.get(f"/api/v1/articles/{article.slug}/")
    assert response.status_code == 410
    assert "body" not in response.json()


def test_quotes_and_statistics_only_from_public_articles(api, seed):
    """Quotes and statistics of a draft stay hidden."""
    from articles.models import Quote

    draft = make_article("Draft with quote", status=ArticleStatus.DRAFT)
    speaker = Entity.objects.get(slug="alexander-lukashenka")
    Quote.objects.create(slug="secret-quote", article=draft, speaker=speaker, text="Secret.")
    quotes = [q["slug"] for q in api.get("/api/v1/quotes/").json()["results"]]
    assert len(quotes) == 3 and "secret-quote" not in quotes
    assert api.get("/api/v1/quotes/secret-quote/").status_code == 404
    assert api.get("/api/v1/statistics/").json()["count"] == 2


def test_section_language_and_date_filters(api, seed):
    """section=, language=, published_from/to and updated_since narrow the list."""
    world = make_section("World")
    old = make_article("Old news", section=world, language="lt")
    old.publish_at = timezone.now() - dt.timedelta(days=400)
    old.updated_at = timezone.now() - dt.timedelta(days=400)
    old.save()
    assert slugs(api.get("/api/v1/articles/?section=world")) == [old.slug]
    assert slugs(api.get("/api/v1/articles/?language=lt")) == [old.slug]
    since = (timezone.now() - dt.timedelta(days=380)).isoformat()  # older than the seed
    assert old.slug not in slugs(api.get("/api/v1/articles/", {"updated_since": since}))
    assert slugs(api.get("/api/v1/articles/", {"published_to": since})) == [old.slug]
    assert old.slug not in slugs(api.get("/api/v1/articles/", {"published_from": since}))


def test_events_filter_by_precision_aware_overlap(api, seed):
    """An event known to the month (May 2023) meets a range inside that month."""
    response = api.get("/api/v1/events/?date_from=2023-05-20&date_to=2023-05-21")
    assert slugs(response) == ["charlemagne-prize-ceremony-2023"]
    event = api.get("/api/v1/events/charlemagne-prize-ceremony-2023/").json()
    assert event["precision"] == "month"
    assert event["date_display"] == "May 2023"
    assert event["start"] == "2023-05-01"


def test_entity_detail_fields_and_alias_search(api, seed):
    """Entities carry aliases, kind-specific fields and a link to their articles; name=
    finds them by any alias, in any script."""
    person = api.get("/api/v1/people/alexander-lukashenka/").json()
    assert {"slug", "name", "kind", "description", "aliases", "url"} <= set(person)
    assert any(alias["name"] == "Alexander Lukashenko" for alias in person["aliases"])
    assert person["articles_url"].endswith("/api/v1/articles/?entity=alexander-lukashenka")
    place = api.get("/api/v1/places/vilnius/").json()
    assert place["parent"]["slug"] == "lithuania"
    found = api.get("/api/v1/people/", {"name": "Лукашэнка"})
    assert slugs(found) == ["alexander-lukashenka"]


def test_merged_entity_points_to_survivor(api, seed):
    """A merged entity answers 301 to its survivor, and its slug still filters articles."""
    survivor = Entity.objects.get(slug="sviatlana-tsikhanouskaya")
    make_entity("Svetlana Tikhanovskaya", slug="svetlana-tikhanovskaya", merged_into=survivor)
    response = api.get("/api/v1/people/svetlana-tikhanovskaya/")
    assert response.status_code == 301
    assert response["Location"].endswith("/api/v1/people/sviatlana-tsikhanouskaya/")
    assert response.json()["merged_into"]["slug"] == "sviatlana-tsikhanouskaya"
    assert "svetlana-tikhanovskaya" not in slugs(api.get("/api/v1/people/"))
    assert slugs(api.get("/api/v1/articles/?person=svetlana-tikhanovskaya")) == [SEED_ARTICLE]


def test_cursor_pagination_is_stable_and_capped(api, db):
    """Cursor pages don't repeat or skip when an article is published meanwhile; page_size
    is capped at 100."""
    now = timezone.now()
    for index in range(5):
        make_article(f"Story {index}", publish_at=now - dt.timedelta(minutes=10 + index))
    first = api.get("/api/v1/articles/?page_size=2").json()
    make_article("Breaking", publish_at=now - dt.timedelta(minutes=1))
    second = api.get(first["next"]).json()
    seen = [a["headline"] for a in first["results"] + second["results"]]
    assert seen == ["Story 0", "Story 1", "Story 2", "Story 3"]
    assert api.get("/api/v1/articles/?page_size=1000").status_code == 400
    assert api.get("/api/v1/articles/?cursor=garbage").status_code == 400


def test_ninjs_format_and_accept_header(api, seed):
    """?format=ninjs and Accept: application/ninjs+json answer ninjs 2.2, list and detail."""
    detail = api.get(f"/api/v1/articles/{SEED_ARTICLE}/?format=ninjs")
    assert detail["Content-Type"].startswith("application/ninjs+json")
    doc = detail.json()
    assert doc["uri"].endswith(f"/articles/{SEED_ARTICLE}/")
    assert doc["pubstatus"] == "usable"
    assert doc["headlines"][0]["value"].startswith("Zelenskyy")
    assert {b["contenttype"] for b in doc["bodies"]} == {"text/html", "text/plain"}
    rels = {p["uri"].rsplit("/", 2)[-2]: p["rel"] for p in doc["people"]}
    assert rels["sviatlana-tsikhanouskaya"] == "subject"
    assert doc["located"] == "Vilnius"
    listed = api.get("/api/v1/articles/", HTTP_ACCEPT="application/ninjs+json")
    assert listed.json()["results"][0]["uri"] == doc["uri"]


def test_etag_last_modified_and_304(api, seed):
    """Every GET has ETag and Last-Modified; a matching If-None-Match gets 304."""
    for url in [
        "/api/v1/articles/",
        f"/api/v1/articles/{SEED_ARTICLE}/",
        "/api/v1/people/",
        "/api/v1/events/january-uprising/",
        "/api/v1/sections/",
        "/api/v1/",
    ]:
        response = api.get(url)
        assert response.status_code == 200, url
        assert response["ETag"] and response["Last-Modified"], url
        again = api.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
        assert again.status_code == 304, url
    detail = api.get(f"/api/v1/articles/{SEED_ARTICLE}/")
    assert detail["Last-Modified"] == "Sun, 25 Jan 2026 18:00:00 GMT"
    assert (
        api.get(
            f"/api/v1/articles/{SEED_ARTICLE}/", HTTP_IF_MODIFIED_SINCE=detail["Last-Modified"]
        ).status_code
        == 304
    )
    assert detail["ETag"].startswith('"v1.')


def test_etag_changes_when_content_changes(api, seed):
    """An entity renamed: the article's ETag changes, so no stale 304."""
    before = api.get(f"/api/v1/articles/{SEED_ARTICLE}/")["ETag"]
    entity = Entity.objects.get(slug="vilnius")
    entity.name = "Vilnius (Lithuania)"
    entity.save()
    response = api.get(f"/api/v1/articles/{SEED_ARTICLE}/", HTTP_IF_NONE_MATCH=before)
    assert response.status_code == 200


def test_anonymous_throttling(api, db, settings):
    """Anonymous clients over the documented limit get 429 with Retry-After."""
    settings.NEWSROOM_API_ANON_RATE = "3/minute"
    statuses = [api.get("/api/v1/sections/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = api.get("/api/v1/sections/")
    assert int(response["Retry-After"]) > 0


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/articles/?person=a%00b",
        "/api/v1/articles/?section=" + "x" * 5000,
        "/api/v1/articles/?published_from=0001-01-01T00:00:00%2B14:00",
        "/api/v1/articles/?page_size=abc",
        "/api/v1/articles/?unknown=1",
        "/api/v1/articles/?language=",
        "/api/v1/articles/?ordering=headline",
        "/api/v1/people/?limit=-1",
        "/api/v1/people/?offset=99999999999999999999999",
        "/api/v1/events/?date_from=2023-13-45",
        "/api/v1/articles/a%00b/",
        "/api/v1/quotes/?speaker=not a slug",
    ],
)
def test_bad_input_is_400_never_500(api, seed, url):
    """NUL bytes, huge values, impossible dates, unknown parameters: 400."""
    assert api.get(url).status_code == 400


def test_unknown_api_paths_answer_json_404(api, db):
    """Unknown endpoints under /api/v1/ answer JSON, not an HTML page."""
    response = api.get("/api/v1/nothing/here/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


def test_schema_and_docs_without_cdn(api, db):
    """The OpenAPI schema is served, and the docs page loads its assets locally."""
    schema = api.get("/api/v1/schema/?format=json")
    assert schema.status_code == 200
    assert "/api/v1/articles/{slug}/publish/" in schema.json()["paths"]
    docs = api.get("/api/v1/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "swagger-ui" in html
    assert "cdn" not in html.lower() and "unpkg" not in html.lower()


def test_every_parameter_and_write_operation_is_described(api, db):
    """Every query and path parameter of every operation has a description of its own,
    and every write operation a description that is its own, not the mixin's docstring
    shared by all of them. (issue 17, point 15)"""
    paths = api.get("/api/v1/schema/?format=json").json()["paths"]
    undescribed, writes = [], {}
    for path, operations in paths.items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                if not parameter.get("description", "").strip():
                    undescribed.append((path, method, parameter["name"]))
            if method in ("post", "put", "patch", "delete"):
                writes[(path, method)] = operation.get("description", "").strip()
    assert undescribed == []
    assert all(writes.values()), [key for key, text in writes.items() if not text]
    shared = {text for text in writes.values() if list(writes.values()).count(text) > 1}
    assert shared == set(), shared
    create = writes[("/api/v1/articles/", "post")]
    edit = writes[("/api/v1/articles/{slug}/", "patch")]
    assert "draft" in create.lower() and "if-match" in edit.lower()


def test_every_api_view_declares_its_permissions():
    """Every view under /api/v1/ declares permission classes of its own; the project
    default stays IsAuthenticated."""
    from django.conf import settings
    from django.urls import get_resolver
    from rest_framework.views import APIView

    assert settings.REST_FRAMEWORK["DEFAULT_PERMISSION_CLASSES"] == [
        "rest_framework.permissions.IsAuthenticated"
    ]
    api_root = next(p for p in get_resolver().url_patterns if str(p.pattern) == "api/v1/")

    def callbacks(patterns):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                yield from callbacks(pattern.url_patterns)
            else:
                yield pattern.callback

    checked = 0
    for callback in callbacks(api_root.url_patterns):
        cls = getattr(callback, "cls", None) or callback.view_class
        declared = [
            klass
            for klass in cls.__mro__
            if klass is not APIView and "permission_classes" in vars(klass)
        ]
        assert declared, cls
        checked += 1
    assert checked >= 10


def test_mention_roles_cover_subject_and_mentioned():
    """The role filter's choices are the mention roles."""
    assert {MentionRole.SUBJECT, MentionRole.MENTIONED} <= set(MentionRole.values)
    assert MentionState.CONFIRMED in MentionState.values
    assert EntityKind.EVENT in EntityKind.values


def test_q_uses_the_site_search_when_present(api, seed):
    """q= is the site's alias-aware search (search.query.article_search) once merged;
    before that it is refused (400) rather than silently ignored."""
    from api.article_filters import article_search

    response = api.get("/api/v1/articles/", {"q": "Lukashenko"})
    if article_search is None:
        assert response.status_code == 400
    else:
        assert slugs(response) == [SEED_ARTICLE]


def test_schema_generates_without_warnings(tmp_path):
    """Every choice set has one name; drf-spectacular's warnings fail the build."""
    from django.core.management import call_command

    call_command("spectacular", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))
    schema = (tmp_path / "schema.yml").read_text()
    assert "PrecisionEnum:" in schema and "StartPrecisionEnum" not in schema


def test_errors_answer_json_even_when_ninjs_was_asked_for(api, seed):
    """An error body is not a ninjs document: it comes as application/json, as documented
    (schemathesis found a 400 served as application/ninjs+json)."""
    response = api.get(f"/api/v1/articles/{SEED_ARTICLE}/?format=ninjs&bogus=1")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "bogus" in response.json()
    missing = api.get("/api/v1/articles/no-such-article/", HTTP_ACCEPT="application/ninjs+json")
    assert missing.status_code == 404 and missing["Content-Type"] == "application/json"
