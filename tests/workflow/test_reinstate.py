"""A withdrawn article can be reinstated as a draft (audited, with a reason) and
published again; the 410 stops the moment it is public again."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from articles.models import Article, ArticleStatus, Revision, RevisionKind
from core.models import AuditLog
from tests.api.conftest import client_for
from workflow import articles as services

pytestmark = pytest.mark.django_db


@pytest.fixture
def withdrawn(editor):
    article = services.article_create(actor=editor, headline="Pulled story", body="A fact.")
    services.article_publish(article=article, actor=editor)
    services.article_withdraw(article=article, actor=editor, reason="Legal hold.")
    return article


def test_reinstate_then_republish(client, editor, withdrawn):
    """Reinstate: draft again, withdrawal cleared, a revision and an audit entry with
    the reason (and the withdrawal it undid). Published again: the page is back."""
    assert client.get(withdrawn.get_absolute_url()).status_code == 410
    first_published = withdrawn.first_published_at
    services.article_reinstate(article=withdrawn, actor=editor, reason="Hold lifted.")
    withdrawn.refresh_from_db()
    assert (withdrawn.status, withdrawn.withdrawn_at, withdrawn.withdrawal_reason) == (
        ArticleStatus.DRAFT,
        None,
        "",
    )
    assert withdrawn.first_published_at == first_published
    revision = Revision.objects.get(article=withdrawn, version=withdrawn.version)
    assert (revision.kind, revision.note, revision.actor) == (
        RevisionKind.REINSTATE,
        "Hold lifted.",
        editor,
    )
    entry = AuditLog.objects.get(action="article.reinstate")
    assert entry.details["reason"] == "Hold lifted."
    assert entry.details["withdrawal"]["withdrawal_reason"] == "Legal hold."
    assert (entry.details["from"], entry.details["to"]) == ("withdrawn", "draft")
    # A draft is not public: no longer 410, not a page either.
    assert client.get(withdrawn.get_absolute_url()).status_code == 404

    services.article_publish(article=withdrawn, actor=editor)
    assert client.get(withdrawn.get_absolute_url()).status_code == 200
    assert client.get(f"/api/v1/articles/{withdrawn.slug}/").status_code == 200


def test_reinstate_needs_a_reason_the_right_and_a_withdrawn_article(editor, reporter, withdrawn):
    version = withdrawn.version
    with pytest.raises(ValidationError):
        services.article_reinstate(article=withdrawn, actor=editor, reason="  ")
    with pytest.raises(PermissionDenied):
        services.article_reinstate(article=withdrawn, actor=reporter, reason="Please.")
    assert Article.objects.get(pk=withdrawn.pk).version == version
    live = services.article_create(actor=editor, headline="Live one", body="Text.")
    services.article_publish(article=live, actor=editor)
    with pytest.raises(ValidationError, match="Cannot reinstate"):
        services.article_reinstate(article=live, actor=editor, reason="Why?")
    assert not AuditLog.objects.filter(action="article.reinstate").exists()


def test_admin_reinstate_action(client, editor, withdrawn):
    """The change form offers "Reinstate as draft" on a withdrawn article; it asks for a
    reason (400 without one) and goes through the service."""
    client.force_login(editor)
    change = client.get(reverse("admin:articles_article_change", args=[withdrawn.pk]))
    assert 'data-action="reinstate"' in change.content.decode()
    url = reverse("admin:articles_article_transition", args=[withdrawn.pk, "reinstate"])
    refused = client.post(url, {"version": withdrawn.version, "reason": ""})
    assert refused.status_code == 400
    done = client.post(url, {"version": withdrawn.version, "reason": "Cleared by legal."})
    assert done.status_code == 302
    withdrawn.refresh_from_db()
    assert withdrawn.status == ArticleStatus.DRAFT
    assert AuditLog.objects.filter(action="article.reinstate", source="admin").exists()


def test_api_reinstate_then_publish(editor, reporter, withdrawn):
    """POST …/reinstate/ with If-Match and a reason; then …/publish/: 410 → 200."""
    url = f"/api/v1/articles/{withdrawn.slug}/"
    api = APIClient()
    assert api.get(url).status_code == 410
    client = client_for(editor)
    etag = client.get(url)["ETag"]
    assert client.post(url + "reinstate/", {}, format="json", HTTP_IF_MATCH=etag).status_code == 400
    forbidden = client_for(reporter).post(
        url + "reinstate/", {"reason": "x"}, format="json", HTTP_IF_MATCH=etag
    )
    assert forbidden.status_code in (403, 404)
    response = client.post(
        url + "reinstate/", {"reason": "Cleared."}, format="json", HTTP_IF_MATCH=etag
    )
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["live"]) == ("draft", False)
    published = client.post(url + "publish/", {}, format="json", HTTP_IF_MATCH=response["ETag"])
    assert published.status_code == 200, published.content
    assert api.get(url).status_code == 200
