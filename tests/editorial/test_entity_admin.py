"""Entity curation in the admin: alias search, merge action, the suggestion review page."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from articles.models import Article, ArticleStatus, Mention, MentionState
from entities.models import Entity, EntityKind
from mentions.models import MentionCandidate
from mentions.suggestions import article_suggestions_refresh
from tests.factories import make_article, make_editor, make_entity, make_mention, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    client.force_login(make_editor())
    return client


@pytest.mark.parametrize(
    "term",
    ["Лукашенко", "Лукашэнка", "Lukasenka", "Łukašenka", "lukashenko", "ALEXANDER LUKASHENKA"],
)
def test_entity_search_by_any_alias_in_any_script(seed, editor_client, term):
    """Cyrillic, Łacinka, without diacritics or in capitals: the record is found."""
    for url in (
        reverse("admin:entities_entity_changelist"),
        reverse("admin:entities_person_changelist"),
    ):
        response = editor_client.get(url, {"q": term})
        assert response.status_code == 200
        names = [e.name for e in response.context["cl"].result_list]
        assert names == ["Alexander Lukashenka"], (url, term, names)


def test_autocomplete_finds_entities_by_folded_alias(seed, editor_client):
    response = editor_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "Ціханоўская",
            "app_label": "articles",
            "model_name": "mention",
            "field_name": "entity",
        },
    )
    assert response.status_code == 200
    found = [r["text"] for r in response.json()["results"]]
    assert "Sviatlana Tsikhanouskaya" in found
    assert "Sergei Tikhanovsky" not in found  # her husband: another surname form


def test_entity_change_page_lists_articles_mentioning_it(seed, editor_client):
    entity = Entity.objects.get(slug="sviatlana-tsikhanouskaya")
    response = editor_client.get(reverse("admin:entities_person_change", args=[entity.pk]))
    assert response.status_code == 200
    assert "Zelenskyy and Tsikhanouskaya hold first formal bilateral meeting" in (
        response.content.decode()
    )


def test_merge_action_asks_for_the_survivor_then_merges(editor_client):
    a = person("Sviatlana Tsikhanouskaya")
    b = person("Svetlana Tikhanovskaya")
    url = reverse("admin:entities_person_changelist")
    data = {"action": "merge_entities", "_selected_action": [a.pk, b.pk]}
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert b"Which record survives?" in response.content
    response = editor_client.post(url, {**data, "confirm": "yes", "survivor": b.pk})
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.merged_into == b
    assert b.aliases.filter(name="Sviatlana Tsikhanouskaya", kind="merged").exists()


@pytest.fixture
def review(db):
    """A draft with two suggestions, one ambiguous short form and one unknown name."""
    person("Volodymyr Zelenskyy", "Zelensky", description="President.")
    person("Sviatlana Tsikhanouskaya", short=("Tsikhanouskaya",))
    person("Anna Tsikhanouskaya", short=("Tsikhanouskaya",))
    person("Sergei Tikhanovsky", "Siarhei Tsikhanouski")
    article = make_article(
        "Talks",
        body="Zelensky met Siarhei Tsikhanouski. Later Tsikhanouskaya met Keith Kellogg.",
        status=ArticleStatus.DRAFT,
    )
    article_suggestions_refresh(article=article)
    return article


def _url(article):
    return reverse("admin:articles_article_suggestions", args=[article.pk])


def _shown_version(article) -> int:
    """The version the suggestion page shows (its forms post it as expected_version)."""
    return Article.objects.values_list("version", flat=True).get(pk=article.pk)


def test_review_page_shows_text_in_context_with_few_queries(
    review, editor_client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        response = editor_client.get(_url(review))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<mark>Zelensky</mark> met Siarhei Tsikhanouski" in html
    assert "<mark>Siarhei Tsikhanouski</mark>" in html
    assert "Anna Tsikhanouskaya" in html and "Keith Kellogg" in html
    # More suggestions and candidates do not cost more queries.
    for n in range(10):
        person(f"Person Number{n}", description="x")
    review.body += " " + " ".join(f"Person Number{n} spoke." for n in range(10))
    review.save()
    article_suggestions_refresh(article=review)
    with django_assert_max_num_queries(12):
        assert editor_client.get(_url(review)).status_code == 200


def test_review_decisions_are_posts_with_csrf(review):
    """GET never changes anything; a POST without the CSRF token is refused."""
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(make_editor("strict"))
    mention = Mention.objects.filter(article=review).first()
    response = csrf_client.post(
        _url(review),
        {"action": "confirm", "mention": mention.pk, "expected_version": review.version},
    )
    assert response.status_code == 403
    mention.refresh_from_db()
    assert mention.state == MentionState.SUGGESTED


def test_review_confirm_reject_reassign_resolve_create_and_confirm_all(review, editor_client):
    url = _url(review)
    mentions = {m.entity.slug: m for m in Mention.objects.filter(article=review)}
    zelensky, husband = mentions["volodymyr-zelenskyy"], mentions["sergei-tikhanovsky"]
    rejected = editor_client.post(
        url,
        {"action": "reject", "mention": zelensky.pk, "expected_version": _shown_version(review)},
    )
    assert rejected.status_code == 302
    zelensky.refresh_from_db()
    assert zelensky.state == MentionState.REJECTED
    other = Entity.objects.get(slug="anna-tsikhanouskaya")
    editor_client.post(
        url,
        {
            "action": "reassign",
            "mention": husband.pk,
            f"m{husband.pk}-entity": other.pk,
            "expected_version": _shown_version(review),
        },
    )
    assert Mention.objects.get(article=review, entity=other).state == MentionState.CONFIRMED
    ambiguous = MentionCandidate.objects.get(article=review, kind="ambiguous")
    sviatlana = Entity.objects.get(slug="sviatlana-tsikhanouskaya")
    editor_client.post(
        url,
        {
            "action": "resolve",
            "candidate": ambiguous.pk,
            "entity": sviatlana.pk,
            "expected_version": _shown_version(review),
        },
    )
    assert Mention.objects.get(article=review, entity=sviatlana).state == "confirmed"
    unknown = MentionCandidate.objects.get(article=review, text="Keith Kellogg")
    editor_client.post(
        url,
        {
            "action": "create_entity",
            "candidate": unknown.pk,
            "kind": "person",
            "expected_version": _shown_version(review),
        },
    )
    assert Mention.objects.get(article=review, entity__name="Keith Kellogg").state == "confirmed"
    editor_client.post(
        url,
        {"action": "confirm", "mention": zelensky.pk, "expected_version": _shown_version(review)},
    )
    zelensky.refresh_from_db()
    assert zelensky.state == MentionState.CONFIRMED
    response = editor_client.post(
        url, {"action": "confirm_all", "expected_version": _shown_version(review)}
    )
    assert response.status_code == 302
    assert not Mention.objects.filter(article=review, state="suggested").exists()


def test_review_bad_input_is_not_a_server_error(review, editor_client):
    url = _url(review)
    assert editor_client.post(url, {"action": "confirm", "mention": "x"}).status_code == 404
    assert editor_client.post(url, {"action": "confirm", "mention": 999999}).status_code == 404
    assert editor_client.post(url, {"action": "nonsense"}).status_code == 302
    assert editor_client.get(
        reverse("admin:articles_article_suggestions", args=[0])
    ).status_code in (
        302,
        404,
    )


def test_admin_save_refreshes_suggestions(editor_client):
    person("Volodymyr Zelenskyy", "Zelensky", description="President.")
    article = make_article("Talks", body="Nothing yet.", status=ArticleStatus.DRAFT)
    url = reverse("admin:articles_article_change", args=[article.pk])
    form = editor_client.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name in form.fields
    }
    data.update(body="Zelensky spoke.", headline="Talks", slug=article.slug)
    data["expected_version"] = article.version
    for prefix in ("mentions", "quotes", "statistics", "corrections"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Mention.objects.filter(article=article, entity__slug="volodymyr-zelenskyy").exists()


# -- merging and creating: the survivor and the duplicate ---------------------------------


def _preselected_survivor(editor_client, *entities) -> str:
    response = editor_client.post(
        reverse("admin:entities_person_changelist"),
        {"action": "merge_entities", "_selected_action": [e.pk for e in entities]},
    )
    assert response.status_code == 200
    checked = re.findall(
        r'<input type="radio" name="survivor" value="(\d+)" checked', response.content.decode()
    )
    assert len(checked) == 1
    return checked[0]


def test_merge_preselects_the_record_articles_mention_most(editor_client):
    """The empty duplicate (first by name) is not the default survivor: the record with
    the most mentions is."""
    empty = person("Svetlana Tikhanovskaya")
    linked = person("Sviatlana Tsikhanouskaya")
    once = person("Sviatlana Tsikhanouskaja")
    for _ in range(2):
        make_mention(make_article(), linked)
    make_mention(make_article(), once)
    assert _preselected_survivor(editor_client, empty, linked, once) == str(linked.pk)


def test_merge_preselects_the_oldest_record_when_mentions_tie(editor_client):
    older = person("Zianon Pazniak")
    newer = person("Zenon Poznyak")
    Entity.objects.filter(pk=older.pk).update(created_at=timezone.now() - dt.timedelta(days=9))
    assert _preselected_survivor(editor_client, newer, older) == str(older.pk)


def _add_person(client, name: str, *aliases: str, **extra):
    data = {
        "name": name,
        "slug": slugify(name) or "x",
        "description": "",
        **{f"roles-{k}": v for k, v in INLINE_EMPTY.items()},
        **{f"relations-{k}": v for k, v in INLINE_EMPTY.items()},
        "aliases-TOTAL_FORMS": str(len(aliases)),
        "aliases-INITIAL_FORMS": "0",
        **extra,
    }
    for index, alias in enumerate(aliases):
        data.update({f"aliases-{index}-name": alias, f"aliases-{index}-kind": "spelling"})
    return client.post(reverse("admin:entities_person_add"), data)


INLINE_EMPTY = {"TOTAL_FORMS": "0", "INITIAL_FORMS": "0"}


@pytest.mark.parametrize(
    ("name", "aliases"),
    [
        ("Alexander Lukashenko", ()),  # another spelling of the name: the same key
        ("Lukasenka", ()),  # his alias Łukašenka, typed without diacritics
        ("A. Lukashenka", ("Лукашэнка",)),  # an alias of the new record is one of his
    ],
)
def test_new_entity_named_like_an_existing_one_warns_with_a_link(editor_client, name, aliases):
    """The add form holds a likely duplicate back, links to the record it duplicates,
    and creates it once the editor ticks "Create it anyway"."""
    existing = person("Alexander Lukashenka", "Łukašenka", "Лукашэнка")
    response = _add_person(editor_client, name, *aliases)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Already in the newsroom" in html
    assert reverse("admin:entities_person_change", args=[existing.pk]) in html
    assert 'type="checkbox" name="create_anyway"' in html
    assert not Entity.objects.filter(name=name).exists()

    response = _add_person(editor_client, name, *aliases, create_anyway="on")
    assert response.status_code == 302
    assert Entity.objects.filter(name=name, kind="person").count() == 1


def test_new_entity_with_a_new_name_or_of_another_kind_is_not_held(editor_client):
    person("Alexander Lukashenka")
    make_entity("Georgia", EntityKind.PLACE)
    assert _add_person(editor_client, "Maria Kalesnikava").status_code == 302
    response = _add_person(editor_client, "Georgia", slug="georgia-the-person")
    assert response.status_code == 302  # a person, not the place


def test_creating_from_a_name_that_exists_meanwhile_warns_and_links_instead(review, editor_client):
    """A name without an entity whose record was created since (from another article)
    is shown with a link to it; creating again is held back until the editor insists."""
    url = _url(review)
    unknown = MentionCandidate.objects.get(article=review, text="Keith Kellogg")
    kellogg = person("Keith Kellogg", description="US envoy.")
    html = editor_client.get(url).content.decode()
    assert "Already in the newsroom" in html
    assert reverse("admin:entities_entity_change", args=[kellogg.pk]) in html

    # A page opened before the record existed posts no override: held, with a warning.
    response = editor_client.post(
        url,
        {
            "action": "create_entity",
            "candidate": unknown.pk,
            "kind": "person",
            "expected_version": _shown_version(review),
        },
        follow=True,
    )
    assert Entity.objects.filter(name="Keith Kellogg").count() == 1
    assert "may be" in response.content.decode()
    # Linking to the existing record.
    editor_client.post(
        url,
        {
            "action": "resolve",
            "candidate": unknown.pk,
            "entity": kellogg.pk,
            "expected_version": _shown_version(review),
        },
    )
    mention = Mention.objects.get(article=review, entity=kellogg)
    assert mention.state == MentionState.CONFIRMED
