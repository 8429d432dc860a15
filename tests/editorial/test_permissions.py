"""One permission model in the admin: reporters see their own work and what is public,
write an article's parts only through the article, and create no entities; authors
preview their drafts; forbidden pages refuse up front."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from articles.models import Article, Mention, Quote, Revision, Statistic
from articles.permissions import articles_visible_to
from core.models import AuditLog
from entities.models import Entity
from mentions.models import CandidateKind, MentionCandidate
from mentions.suggestions import article_suggestions_refresh
from tests.factories import make_article, make_entity, make_mention
from workflow import articles as services

from .test_article_admin import INLINE_PREFIXES, change_url, editor_fields, form_data


@pytest.fixture
def desk(reporter, other_reporter, editor):
    """Articles in every state, by two reporters and an editor."""
    now = timezone.now()
    return {
        "own_draft": make_article("Rita draft", status="draft", author=reporter),
        "own_review": make_article("Rita review", status="in_review", author=reporter),
        "other_draft": make_article("Oleg draft", status="draft", author=other_reporter),
        "other_review": make_article("Oleg review", status="in_review", author=other_reporter),
        "scheduled": make_article(
            "Edna scheduled",
            status="scheduled",
            author=editor,
            publish_at=now + dt.timedelta(hours=3),
        ),
        "embargoed": make_article(
            "Edna embargoed", author=editor, embargo_until=now + dt.timedelta(hours=5)
        ),
        "published": make_article("Oleg published", author=other_reporter),
    }


HIDDEN_FROM_RITA = ("other_draft", "other_review", "scheduled", "embargoed")
SEEN_BY_RITA = ("own_draft", "own_review", "published")


# -- point 2: what reporters see -----------------------------------------------------------


def test_reporter_changelist_holds_own_work_and_the_public(client, reporter, desk):
    client.force_login(reporter)
    response = client.get(reverse("admin:articles_article_changelist"))
    assert response.status_code == 200
    listed = {a.pk for a in response.context["cl"].result_list}
    assert listed == {desk[name].pk for name in SEEN_BY_RITA}
    html = response.content.decode()
    for name in HIDDEN_FROM_RITA:
        assert desk[name].headline not in html


def test_editor_changelist_holds_every_article(client, editor, desk):
    client.force_login(editor)
    response = client.get(reverse("admin:articles_article_changelist"))
    assert {a.pk for a in response.context["cl"].result_list} == {a.pk for a in desk.values()}


def _article_pages(article: Article) -> list[str]:
    pk = article.pk
    return [
        reverse("admin:articles_article_change", args=[pk]),
        reverse("admin:articles_article_history", args=[pk]),
        reverse("admin:articles_article_revisions", args=[pk]),
        reverse("admin:articles_article_revision_diff", args=[pk]) + "?a=1&b=1",
        reverse("admin:articles_article_suggestions", args=[pk]),
        reverse("admin:articles_article_preview", args=[pk]),
        *(
            reverse("admin:articles_article_transition", args=[pk, action])
            for action in ("submit", "send_back", "publish", "withdraw", "correct")
        ),
    ]


@pytest.mark.parametrize("name", HIDDEN_FROM_RITA)
def test_every_page_of_a_hidden_article_refuses_a_reporter(client, reporter, desk, name):
    """Change, history, revisions, diff, suggestions, preview and workflow pages: 403,
    and none of the article's text in the answer."""
    article = desk[name]
    Revision.objects.create(article=article, version=1, kind="create", source="t", snapshot={})
    client.force_login(reporter)
    for url in _article_pages(article):
        response = client.get(url)
        assert response.status_code == 403, url
        assert article.headline not in response.content.decode(), url


def test_dashboard_and_search_show_reporters_no_hidden_articles(client, reporter, desk):
    client.force_login(reporter)
    html = client.get(reverse("admin:articles_dashboard")).content.decode()
    assert "Rita review" in html
    for name in HIDDEN_FROM_RITA:
        assert desk[name].headline not in html
    autocomplete = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "articles", "model_name": "quote", "field_name": "article", "term": "e"},
    )
    # The article autocomplete (used by part forms) lists only what Rita may see.
    texts = {row["text"] for row in autocomplete.json().get("results", [])}
    assert not texts & {desk[name].headline for name in HIDDEN_FROM_RITA}


def test_admin_and_api_agree_on_what_a_reporter_sees(reporter, desk):
    api = APIClient()
    api.force_authenticate(reporter)
    seen_by_api = set()
    for status in ("draft", "in_review", "scheduled", "published", "withdrawn"):
        response = api.get("/api/v1/articles/", {"status": status, "page_size": 100})
        assert response.status_code == 200, response.content
        seen_by_api |= {row["slug"] for row in response.json()["results"]}
    for article in desk.values():
        detail = api.get(f"/api/v1/articles/{article.slug}/")
        assert detail.status_code == (200 if article.slug in seen_by_api else 404)
    assert seen_by_api == set(articles_visible_to(reporter).values_list("slug", flat=True))
    assert seen_by_api == {desk[name].slug for name in SEEN_BY_RITA}


def test_entity_page_lists_only_mentioning_articles_the_viewer_may_see(
    client, reporter, editor, desk
):
    entity = make_entity("Harbour Authority", kind="organization")
    make_mention(desk["other_draft"], entity)
    make_mention(desk["published"], entity)
    url = reverse("admin:entities_entity_change", args=[entity.pk])
    client.force_login(reporter)
    html = client.get(url).content.decode()
    assert "Oleg published" in html and "Oleg draft" not in html
    client.force_login(editor)
    assert "Oleg draft" in client.get(url).content.decode()


# -- point 1: parts are written through the article -------------------------------------


@pytest.fixture
def parts(desk):
    """A quote, a statistic and a mention on the published article of another reporter."""
    article = desk["published"]
    speaker = make_entity("Harbour Master")
    return {
        "quote": Quote.objects.create(
            slug="harbour-quote", article=article, speaker=speaker, text="We are open."
        ),
        "statistic": Statistic.objects.create(
            slug="harbour-ships",
            article=article,
            value=12,
            unit="ships",
            subject=speaker,
            as_of=dt.date(2026, 1, 1),
            as_of_precision="day",
        ),
        "mention": make_mention(article, speaker),
    }


@pytest.mark.parametrize("part", ["quote", "statistic", "mention"])
def test_standalone_part_pages_write_nothing(client, reporter, editor, desk, parts, part):
    """No add, change or delete on /admin/articles/<part>/: a POST is refused and the
    part, the article's version and its public page are unchanged."""
    obj = parts[part]
    article = desk["published"]
    before = (article.version, Revision.objects.count(), AuditLog.objects.count())
    opts = obj._meta
    for user in (reporter, editor):
        client.force_login(user)
        change = reverse(f"admin:articles_{opts.model_name}_change", args=[obj.pk])
        post = {"text": "Hacked.", "unit": "hacked", "value": "99", "state": "rejected"}
        assert client.post(change, post).status_code == 403
        add = reverse(f"admin:articles_{opts.model_name}_add")
        assert client.get(add).status_code == 403
        delete = reverse(f"admin:articles_{opts.model_name}_delete", args=[obj.pk])
        assert client.post(delete, {"post": "yes"}).status_code == 403
    fresh = type(obj).objects.get(pk=obj.pk)
    assert [getattr(fresh, f.attname) for f in opts.fields] == [
        getattr(obj, f.attname) for f in opts.fields
    ]
    article.refresh_from_db()
    assert (article.version, Revision.objects.count(), AuditLog.objects.count()) == before


def test_part_lists_show_parts_of_visible_articles_only(client, reporter, desk):
    speaker = make_entity("Secret Source")
    Quote.objects.create(
        slug="secret-quote", article=desk["other_draft"], speaker=speaker, text="Off the record."
    )
    Quote.objects.create(
        slug="public-quote", article=desk["published"], speaker=speaker, text="On the record."
    )
    client.force_login(reporter)
    html = client.get(reverse("admin:articles_quote_changelist")).content.decode()
    assert "On the record." in html
    assert "Off the record." not in html and "Oleg draft" not in html


def _quote_inline(article: Article, quote: Quote, **changes) -> dict:
    data = {
        "quotes-TOTAL_FORMS": "1",
        "quotes-INITIAL_FORMS": "1",
        "quotes-0-id": quote.pk,
        "quotes-0-article": article.pk,
        "quotes-0-slug": quote.slug,
        "quotes-0-speaker": quote.speaker_id,
        "quotes-0-text": quote.text,
        "quotes-0-said_on": "",
        "quotes-0-said_on_precision": "",
        "quotes-0-said_where": quote.said_where,
        "quotes-0-medium": "",
        "quotes-0-context_event": "",
        "quotes-0-position": quote.position,
    }
    data.update({f"quotes-0-{k}": v for k, v in changes.items()})
    return data


def test_part_change_on_a_published_article_needs_minor_or_a_correction(
    client, editor, desk, parts
):
    article = desk["published"]
    quote = parts["quote"]
    client.force_login(editor)
    data = form_data(article, **editor_fields(article))
    for prefix in INLINE_PREFIXES:
        data[f"{prefix}-MAX_NUM_FORMS"] = "1000"
    data.update(_quote_inline(article, quote, text="We are closed."))
    response = client.post(change_url(article), data)
    assert response.status_code == 200
    assert "mark the change to its quotes as minor" in response.content.decode()
    quote.refresh_from_db()
    assert quote.text == "We are open."
    article.refresh_from_db()
    assert article.version == 1

    data["correction_note"] = "An earlier version misquoted the harbour master."
    response = client.post(change_url(article), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    quote.refresh_from_db()
    assert quote.text == "We are closed."
    article.refresh_from_db()
    assert article.version == 2
    revision = Revision.objects.get(article=article, version=2)
    assert (revision.actor, revision.source) == (editor, "admin")
    assert "quotes" in revision.note
    entry = AuditLog.objects.get(action="article.parts", object_id=str(article.pk))
    assert entry.actor == editor and entry.details["parts"] == ["quotes"]
    assert entry.details["quotes"]["changed"]
    assert article.corrections.get().note.startswith("An earlier version")


def test_reporter_edits_parts_of_own_draft_through_the_service(client, reporter, desk):
    article = desk["own_draft"]
    speaker = make_entity("Dock Worker")
    quote = Quote.objects.create(slug="dock", article=article, speaker=speaker, text="Busy.")
    client.force_login(reporter)
    data = form_data(article)
    data.update(_quote_inline(article, quote, text="Very busy."))
    response = client.post(change_url(article), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    quote.refresh_from_db()
    article.refresh_from_db()
    assert (quote.text, article.version) == ("Very busy.", 2)
    assert AuditLog.objects.filter(action="article.parts", actor=reporter).exists()


# -- also found by a new reporter --------------------------------------------------------


def _unknown_name(article: Article) -> MentionCandidate:
    article.body = "The envoy Keith Kellogg arrived on Monday."
    article.save()
    article_suggestions_refresh(article=article)
    return MentionCandidate.objects.get(article=article, kind=CandidateKind.UNKNOWN)


def test_reporter_cannot_create_entities_from_the_suggestion_screen(client, reporter, desk):
    article = desk["own_draft"]
    candidate = _unknown_name(article)
    url = reverse("admin:articles_article_suggestions", args=[article.pk])
    client.force_login(reporter)
    page = client.get(url).content.decode()
    assert "Keith Kellogg" in page
    assert 'value="create_entity"' not in page
    response = client.post(
        url,
        {
            "action": "create_entity",
            "candidate": candidate.pk,
            "kind": "person",
            "expected_version": article.version,  # as the page shows it
        },
    )
    assert response.status_code == 403
    assert not Entity.objects.filter(name="Keith Kellogg").exists()
    assert not Mention.objects.filter(article=article, matched_text="Keith Kellogg").exists()


def test_editor_still_creates_entities_from_the_suggestion_screen(client, editor, desk):
    article = desk["own_draft"]
    candidate = _unknown_name(article)
    url = reverse("admin:articles_article_suggestions", args=[article.pk])
    client.force_login(editor)
    assert 'value="create_entity"' in client.get(url).content.decode()
    client.post(
        url,
        {
            "action": "create_entity",
            "candidate": candidate.pk,
            "kind": "person",
            "expected_version": article.version,  # as the page shows it
        },
    )
    assert Entity.objects.filter(name="Keith Kellogg").exists()


def test_publish_page_refuses_a_reporter_up_front(client, reporter, desk):
    """The publish page answered 200 and refused only on submit; now 403 before the form,
    and the change page offers reporters no button they may not use."""
    article = desk["own_review"]
    client.force_login(reporter)
    response = client.get(
        reverse("admin:articles_article_transition", args=[article.pk, "publish"])
    )
    assert response.status_code == 403
    draft = desk["own_draft"]
    html = client.get(change_url(draft)).content.decode()
    assert reverse("admin:articles_article_transition", args=[draft.pk, "submit"]) in html
    assert reverse("admin:articles_article_transition", args=[draft.pk, "publish"]) not in html
    assert reverse("admin:articles_article_preview", args=[draft.pk]) in html


def test_services_refuse_reporters_on_others_articles(reporter, desk):
    with pytest.raises(PermissionDenied):
        services.article_parts_check(article=desk["other_draft"], actor=reporter, parts=["quotes"])
