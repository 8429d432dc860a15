"""Suggestions, candidates and import through the editorial API."""

from pathlib import Path

import pytest

from articles.models import Article, ArticleStatus, Mention, Quote
from mentions.suggestions import article_publish_warnings
from tests.factories import SEED_ARTICLE
from workflow.loading import fixtures_load

from .conftest import client_for, review_post

pytestmark = pytest.mark.django_db

IMPORT = "/api/v1/articles/import/"
SEED_TEXT = (Path(__file__).resolve().parent.parent / "data" / "seed_article.txt").read_text()


@pytest.fixture
def seeded(groups):
    fixtures_load()


def _draft(client, body: str) -> dict:
    response = client.post("/api/v1/articles/", {"headline": "Talks", "body": body}, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def test_authors_and_editors_see_suggestions_and_candidates(seeded, reporter, editor, api):
    """The draft's author and editors read suggestions (slug, kind, text, span, state) and
    unknown names at the detail URL; anonymous readers never see the draft at all."""
    author = client_for(reporter)
    draft = _draft(author, "Lukashenko met Keith Kellogg in Minsk.")
    for client in (author, client_for(editor)):
        document = client.get(f"/api/v1/articles/{draft['slug']}/").json()
        suggestion = next(
            s for s in document["suggestions"] if s["entity"] == "alexander-lukashenka"
        )
        assert suggestion["state"] == "suggested" and suggestion["kind"] == "person"
        start, end = suggestion["span"]
        assert "Lukashenko met Keith Kellogg in Minsk."[start:end] == "Lukashenko"
        assert "Keith Kellogg" in {c["text"] for c in document["candidates"]}
    assert api.get(f"/api/v1/articles/{draft['slug']}/").status_code == 404


def test_public_readers_see_no_suggestions(seeded, api, outsider):
    """The published article's public document carries no editorial review data."""
    for client in (api, client_for(outsider)):
        document = client.get(f"/api/v1/articles/{SEED_ARTICLE}/").json()
        assert "suggestions" not in document and "candidates" not in document


def test_confirm_reject_reassign_and_rejected_stays_rejected(seeded, reporter):
    """Decisions go through the entity services; a rejected suggestion does not come back
    when the article is saved again."""
    author = client_for(reporter)
    draft = _draft(author, "Lukashenko met Zelensky in Vilnius.")
    review = f"/api/v1/articles/{draft['slug']}/review/"
    assert (
        review_post(
            author, review, {"decision": "confirm", "entity": "alexander-lukashenka"}
        ).status_code
        == 200
    )
    assert (
        review_post(author, review, {"decision": "reject", "entity": "vilnius"}).status_code == 200
    )
    reassigned = review_post(
        author,
        review,
        {"decision": "reassign", "entity": "volodymyr-zelenskyy", "to": "sergei-tikhanovsky"},
    )
    assert reassigned.status_code == 200
    states = {s["entity"]: s["state"] for s in reassigned.json()["suggestions"]}
    assert states["alexander-lukashenka"] == "confirmed"
    assert states["vilnius"] == "rejected"
    assert states["sergei-tikhanovsky"] == "confirmed"
    article = Article.objects.get(slug=draft["slug"])
    response = author.patch(
        f"/api/v1/articles/{article.slug}/",
        {"body": "Lukashenko met Zelensky in Vilnius again."},
        format="json",
        headers={"if-match": author.get(f"/api/v1/articles/{article.slug}/")["ETag"]},
    )
    assert response.status_code == 200
    assert Mention.objects.get(article=article, entity__slug="vilnius").state == "rejected"


def test_confirm_all_and_bad_decisions(seeded, editor, other_reporter, reporter):
    """confirm_all confirms every pending suggestion; unknown entities, fields and other
    reporters' drafts are refused with a clear 400 or 403, never a 500."""
    author = client_for(reporter)
    draft = _draft(author, "Lukashenko met Zelensky.")
    review = f"/api/v1/articles/{draft['slug']}/review/"
    editor_client = client_for(editor)
    bad = [
        ({"decision": "confirm", "entity": "nobody"}, 400),
        ({"decision": "confirm"}, 400),
        ({"decision": "explode", "entity": "vilnius"}, 400),
        ({"decision": "confirm", "entity": "vilnius", "extra": 1}, 400),
        ({"decision": "reassign", "entity": "alexander-lukashenka", "to": "nobody"}, 400),
        ({"decision": "confirm", "entity": "bad\x00slug"}, 400),
        # Errors of list items are keyed by index (schemathesis found the 500 it gave).
        ({"decision": "resolve_occurrences", "candidate": 0, "occurrences": ["0", 0, [None]]}, 400),
    ]
    for body, expected in bad:
        assert review_post(editor_client, review, body).status_code == expected, body
    other = client_for(other_reporter).post(review, {"decision": "confirm_all"}, format="json")
    assert other.status_code == 404  # another reporter's draft is invisible to them
    done = review_post(editor_client, review, {"decision": "confirm_all"})
    assert {s["state"] for s in done.json()["suggestions"]} == {"confirmed"}


def test_import_plain_text_creates_a_draft_with_suggestions(seeded, reporter):
    """text/plain: first line the headline; the seed text yields suggestions for its people,
    organizations and places, and a suggested quote."""
    body = "Zelenskyy and Tsikhanouskaya meet in Vilnius\n" + SEED_TEXT
    response = client_for(reporter).post(IMPORT, body, content_type="text/plain")
    assert response.status_code == 201, response.content
    document = response.json()
    assert document["headline"] == "Zelenskyy and Tsikhanouskaya meet in Vilnius"
    assert document["status"] == "draft"
    suggested = {s["entity"] for s in document["suggestions"]}
    assert {
        "volodymyr-zelenskyy",
        "sviatlana-tsikhanouskaya",
        "alexander-lukashenka",
        "viasna-human-rights-center",
        "vilnius",
        "belarus",
    } <= suggested
    article = Article.objects.get(slug=document["slug"])
    assert article.status == ArticleStatus.DRAFT and article.author == reporter
    assert Quote.objects.filter(article=article).exists()


def test_import_ninjs_document(seeded, reporter):
    """A ninjs 2.x document becomes a draft with its headline and body."""
    document = {
        "uri": "urn:example:1",
        "type": "text",
        "headlines": [{"role": "main", "value": "Lukashenko speaks"}],
        "bodies": [{"role": "main", "contentType": "text/plain", "value": "Lukashenko spoke."}],
    }
    response = client_for(reporter).post(IMPORT, document, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["headline"] == "Lukashenko speaks"


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("", "text/plain"),
        ("Only a headline", "text/plain"),
        ("Head\x00line\nBody.", "text/plain"),
        ("[1, 2]", "application/json"),
        ('{"headlines": 3}', "application/json"),
        ("<p>hi</p>", "text/html"),
    ],
)
def test_bad_imports_are_refused_and_create_nothing(seeded, reporter, body, content_type):
    """Bad input answers 400 (or 415 for an unsupported type) and creates nothing."""
    before = Article.objects.count()
    response = client_for(reporter).post(IMPORT, body, content_type=content_type)
    assert response.status_code in (400, 415), (response.status_code, response.content)
    assert Article.objects.count() == before


def test_import_needs_a_token_with_the_right_to_write(seeded, api, outsider):
    assert api.post(IMPORT, "Headline\nBody.", content_type="text/plain").status_code == 401
    forbidden = client_for(outsider).post(IMPORT, "Headline\nBody.", content_type="text/plain")
    assert forbidden.status_code == 403


def test_suggestions_can_be_read_at_the_review_url_before_deciding(seeded, reporter, editor, api):
    """GET …/review/ answers what POST …/review/ answers after a decision: suggestions,
    candidates and the warnings publishing would give, for the author and editors only."""
    author = client_for(reporter)
    draft = _draft(author, "Lukashenko met Keith Kellogg in Minsk.")
    review = f"/api/v1/articles/{draft['slug']}/review/"
    for client in (author, client_for(editor)):
        response = client.get(review)
        assert response.status_code == 200, response.content
        payload = response.json()
        assert {s["entity"]: s["state"] for s in payload["suggestions"]}[
            "alexander-lukashenka"
        ] == "suggested"
        assert "Keith Kellogg" in {c["text"] for c in payload["candidates"]}
        assert any("not yet confirmed" in w for w in payload["warnings"])
    # Nothing changed by reading.
    assert not Mention.objects.filter(article__slug=draft["slug"], state="confirmed").exists()
    decided = review_post(author, review, {"decision": "confirm_all"}).json()
    assert not any("not yet confirmed" in w for w in decided["warnings"])
    assert author.get(review).json() == decided


def test_review_url_is_not_for_readers(seeded, reporter, other_reporter, outsider, api):
    """Anonymous clients get 401, logged-in outsiders 403 (even on a public article),
    another reporter does not see the draft at all (404)."""
    draft = _draft(client_for(reporter), "Lukashenko met Keith Kellogg in Minsk.")
    assert api.get(f"/api/v1/articles/{SEED_ARTICLE}/review/").status_code == 401
    assert client_for(outsider).get(f"/api/v1/articles/{SEED_ARTICLE}/review/").status_code == 403
    assert (
        client_for(other_reporter).get(f"/api/v1/articles/{draft['slug']}/review/").status_code
        == 404
    )


def test_publish_response_carries_the_admins_publish_warnings(seeded, reporter, editor):
    """Publishing with undecided suggestions succeeds and says so, as the admin does."""
    draft = _draft(client_for(reporter), "Lukashenko met Keith Kellogg in Minsk.")
    client = client_for(editor)
    slug = draft["slug"]
    published = client.post(
        f"/api/v1/articles/{slug}/publish/",
        HTTP_IF_MATCH=client.get(f"/api/v1/articles/{slug}/")["ETag"],
    )
    assert published.status_code == 200, published.content
    document = published.json()
    assert document["status"] == "published"
    warnings = document["warnings"]
    assert any("not yet confirmed" in w for w in warnings)
    assert warnings == article_publish_warnings(Article.objects.get(slug=slug))
