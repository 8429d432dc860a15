"""The editorial API: tokens, the admin's role matrix, field refusals, If-Match."""

import datetime as dt

import pytest
from django.utils import timezone

from articles.models import Article, ArticleStatus, Correction, Revision
from tests.factories import make_article

from .conftest import client_for

pytestmark = pytest.mark.django_db

LIST = "/api/v1/articles/"


def create(client, **fields):
    fields.setdefault("headline", "Council meets")
    fields.setdefault("body", "The council met on Monday.")
    return client.post(LIST, fields, format="json")


def url(article_or_slug, action: str = "") -> str:
    slug = getattr(article_or_slug, "slug", article_or_slug)
    return f"/api/v1/articles/{slug}/" + (f"{action}/" if action else "")


def etag(client, slug) -> str:
    response = client.get(url(slug))
    assert response.status_code == 200
    return response["ETag"]


# --- tokens ----------------------------------------------------------------------------


def test_token_login_and_use(api, reporter):
    """A username and password give a token that authenticates the editorial API."""
    response = api.post(
        "/api/v1/auth/token/", {"username": "rita", "password": "pw-rita-long"}, format="json"
    )
    assert response.status_code == 200
    api.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert create(api).status_code == 201


def test_wrong_password_then_lockout_per_username_and_address(api, reporter):
    """Five failures lock that username out from that address (the fifth already answers
    429), even with the right password; another address is not locked."""
    statuses = [
        api.post(
            "/api/v1/auth/token/", {"username": "rita", "password": "nope"}, format="json"
        ).status_code
        for _ in range(5)
    ]
    assert statuses == [401, 401, 401, 401, 429]
    right = {"username": "rita", "password": "pw-rita-long"}
    locked = api.post("/api/v1/auth/token/", right, format="json")
    assert locked.status_code == 429
    assert int(locked["Retry-After"]) > 0
    elsewhere = api.post("/api/v1/auth/token/", right, format="json", REMOTE_ADDR="10.0.0.9")
    assert elsewhere.status_code == 200


def test_token_login_lockout_ignores_x_forwarded_for_and_is_shared(api, reporter):
    """A client cannot dodge the lock with a new X-Forwarded-For on each try (no proxy is
    trusted by default), and the lock is the admin's: the database, not a worker's memory."""
    from axes.models import AccessAttempt

    for n in range(5):
        api.post(
            "/api/v1/auth/token/", {"username": "rita", "password": "nope"}, format="json",
            HTTP_X_FORWARDED_FOR=f"10.7.7.{n}",
        )  # fmt: skip
    right = {"username": "rita", "password": "pw-rita-long"}
    locked = api.post("/api/v1/auth/token/", right, format="json", HTTP_X_FORWARDED_FOR="1.1.1.1")
    assert locked.status_code == 429
    assert AccessAttempt.objects.get(username="rita").failures_since_start == 5
    admin = api.post("/admin/login/", {**right, "next": "/admin/"})
    assert admin.status_code == 429


def test_logout_kills_the_token(reporter):
    """After logout, the token is refused (401)."""
    client = client_for(reporter)
    assert client.post("/api/v1/auth/logout/").status_code == 204
    assert create(client).status_code == 401


def test_deactivation_kills_the_token(reporter):
    """A deactivated user's token stops working at once and is deleted."""
    from workflow.models import ApiToken

    client = client_for(reporter)
    reporter.is_active = False
    reporter.save()
    assert client.get(LIST).status_code == 401
    reporter.is_active = True
    reporter.save()
    assert not ApiToken.objects.filter(user=reporter).exists()
    assert client.get(LIST).status_code == 401


def test_anonymous_and_bad_token_cannot_write(api, db):
    """Writes need a valid token: 401 without one."""
    assert create(api).status_code == 401
    api.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert create(api).status_code == 401


# --- role matrix ---------------------------------------------------------------------


def test_reporter_creates_edits_and_submits_own_draft(reporter):
    """Reporters write drafts as themselves, edit them with If-Match, submit them; each
    write is a revision with the actor and the API as source."""
    client = client_for(reporter)
    created = create(client, standfirst="Short.")
    assert created.status_code == 201
    doc = created.json()
    assert doc["status"] == "draft" and doc["version"] == 1
    article = Article.objects.get(slug=doc["slug"])
    assert article.author == reporter
    edited = client.patch(
        url(article), {"headline": "Council meets again"}, format="json",
        HTTP_IF_MATCH=created["ETag"],
    )  # fmt: skip
    assert edited.status_code == 200, edited.json()
    assert edited.json()["version"] == 2
    submitted = client.post(url(article, "submit"), HTTP_IF_MATCH=edited["ETag"])
    assert submitted.status_code == 200
    assert submitted.json()["status"] == "in_review"
    revisions = list(Revision.objects.filter(article=article).order_by("version"))
    assert [r.kind for r in revisions] == ["create", "edit", "submit"]
    assert {r.actor for r in revisions} == {reporter}
    assert {r.source for r in revisions} == {"api"}


def test_reporter_may_not_publish_or_touch_others(reporter, other_reporter):
    """A reporter can't publish, and can't edit or even read another reporter's draft."""
    mine = create(client_for(reporter)).json()
    theirs = client_for(other_reporter)
    assert theirs.get(url(mine["slug"])).status_code == 404
    assert (
        theirs.patch(
            url(mine["slug"]), {"headline": "X"}, format="json", HTTP_IF_MATCH='"v1"'
        ).status_code
        == 404
    )
    client = client_for(reporter)
    response = client.post(url(mine["slug"], "publish"), HTTP_IF_MATCH=etag(client, mine["slug"]))
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("publish_at", "2030-01-01T09:00:00Z"),
        ("embargo_until", "2030-01-01T09:00:00Z"),
        ("status", "published"),
        ("version", 7),
        ("author", 1),
        ("first_published_at", "2020-01-01T00:00:00Z"),
        ("colour", "red"),
    ],
)
def test_reporter_forbidden_fields_are_refused_by_name(reporter, field, value):
    """A field the role may not write is a 400 naming it, never silently dropped."""
    response = create(client_for(reporter), **{field: value})
    assert response.status_code == 400
    assert field in response.json()
    assert not Article.objects.exists()


def test_forbidden_field_on_edit_is_refused(reporter):
    """The same on PATCH: status cannot be set by editing."""
    client = client_for(reporter)
    created = create(client)
    response = client.patch(
        url(created.json()["slug"]), {"status": "published"}, format="json",
        HTTP_IF_MATCH=created["ETag"],
    )  # fmt: skip
    assert response.status_code == 400
    assert "status" in response.json()


def test_outsider_token_cannot_create(outsider):
    """A logged-in user without the reporter or editor role gets 403."""
    assert create(client_for(outsider)).status_code == 403


def test_editor_publishes_schedules_withdraws_and_corrects(api, editor, reporter):
    """Editors publish (the article goes public), schedule, withdraw, and correct."""
    draft = create(client_for(reporter)).json()
    client = client_for(editor)
    published = client.post(
        url(draft["slug"], "publish"), HTTP_IF_MATCH=etag(client, draft["slug"])
    )
    assert published.status_code == 200, published.json()
    assert published.json()["status"] == "published"
    assert api.get(url(draft["slug"])).status_code == 200
    corrected = client.post(
        url(draft["slug"], "correct"), {"note": "We misspelled the council."}, format="json",
        HTTP_IF_MATCH=published["ETag"],
    )  # fmt: skip
    assert corrected.status_code == 200
    assert Correction.objects.filter(article__slug=draft["slug"]).count() == 1
    assert api.get(url(draft["slug"])).json()["corrections"][0]["note"].startswith("We mis")
    withdrawn = client.post(
        url(draft["slug"], "withdraw"), {"reason": "Legal request."}, format="json",
        HTTP_IF_MATCH=corrected["ETag"],
    )  # fmt: skip
    assert withdrawn.status_code == 200
    assert api.get(url(draft["slug"])).status_code == 410

    later = create(client).json()
    when = (timezone.now() + dt.timedelta(hours=3)).isoformat()
    scheduled = client.post(
        url(later["slug"], "publish"), {"publish_at": when}, format="json",
        HTTP_IF_MATCH=etag(client, later["slug"]),
    )  # fmt: skip
    assert scheduled.json()["status"] == "scheduled"
    assert api.get(url(later["slug"])).status_code == 404


def test_editor_and_author_list_unpublished_with_status(editor, reporter, other_reporter):
    """?status=draft lists drafts for editors (all) and authors (their own) only."""
    mine = create(client_for(reporter)).json()["slug"]
    make_article("Someone's draft", status=ArticleStatus.DRAFT)

    def drafts(user):
        return {a["slug"] for a in client_for(user).get(f"{LIST}?status=draft").json()["results"]}

    assert mine in drafts(editor) and len(drafts(editor)) == 2
    assert drafts(reporter) == {mine}
    assert drafts(other_reporter) == set()
    assert client_for(editor).get(url(mine)).json()["status"] == "draft"


# --- If-Match -------------------------------------------------------------------------


def test_write_without_if_match_is_428_and_stale_is_412(reporter):
    """No If-Match: 428. An old ETag: 412 naming who saved last and the current version."""
    client = client_for(reporter)
    created = create(client)
    slug = created.json()["slug"]
    assert client.patch(url(slug), {"headline": "A"}, format="json").status_code == 428
    first = client.patch(url(slug), {"headline": "B"}, format="json", HTTP_IF_MATCH=created["ETag"])
    assert first.status_code == 200
    stale = client.patch(url(slug), {"headline": "C"}, format="json", HTTP_IF_MATCH=created["ETag"])
    assert stale.status_code == 412
    body = stale.json()
    assert body["current_version"] == 2 and body["saved_by"] == "rita"
    assert Article.objects.get(slug=slug).headline == "B"
    assert client.post(url(slug, "submit"), HTTP_IF_MATCH=created["ETag"]).status_code == 412
    assert client.patch(url(slug), {}, format="json", HTTP_IF_MATCH="*").status_code == 400


def test_concurrent_writers_lose_no_edit(editor, reporter):
    """Eight tools read the same version and all save: exactly one wins, seven get 412,
    and the stored text is the winner's. Nothing is overwritten silently."""
    slug = create(client_for(reporter)).json()["slug"]
    clients = [client_for(editor) for _ in range(8)]
    tags = [etag(client, slug) for client in clients]
    assert len(set(tags)) == 1
    results = [
        client.patch(url(slug), {"body": f"Text {n}."}, format="json", HTTP_IF_MATCH=tag)
        for n, (client, tag) in enumerate(zip(clients, tags, strict=True))
    ]
    statuses = [r.status_code for r in results]
    assert statuses.count(200) == 1 and statuses.count(412) == 7
    winner = statuses.index(200)
    assert Article.objects.get(slug=slug).body == f"Text {winner}."
    assert Revision.objects.filter(article__slug=slug).count() == 2


def test_nul_and_huge_bodies_are_400(reporter):
    """NUL characters and oversized fields in a JSON body: 400, not 500."""
    client = client_for(reporter)
    assert create(client, headline="a\x00b").status_code == 400
    assert create(client, body="x" * 300_000).status_code == 400
    assert client.post(LIST, "[1, 2]", content_type="application/json").status_code == 400
