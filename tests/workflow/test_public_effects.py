"""What readers see of the workflow: corrections newest first, withdrawn articles gone."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from core.models import AuditLog
from tests.factories import make_article
from workflow import articles as services


def test_corrections_are_public_newest_first_with_time(client, editor):
    """Corrections published through the service show on the article, newest first."""
    article = make_article(status="published", author=editor)
    first = services.article_correct(article=article, actor=editor, note="First fix.")
    second = services.article_correct(
        article=article, actor=editor, note="Second fix.", kind="clarification"
    )
    assert second.published_at > first.published_at
    html = client.get(article.get_absolute_url()).content.decode()
    assert html.index("Second fix.") < html.index("First fix.")
    assert "Clarification" in html
    assert f'datetime="{second.published_at.isoformat()}"' in html


def test_withdrawn_article_answers_410_everywhere(client, editor):
    """After withdrawal the article is off the home page and its URL answers 410."""
    article = make_article("Soon gone", status="published", author=editor)
    assert "Soon gone" in client.get(reverse("site:home")).content.decode()
    services.article_withdraw(article=article, actor=editor, reason="Legal request.")
    assert client.get(article.get_absolute_url()).status_code == 410
    assert "Soon gone" not in client.get(reverse("site:home")).content.decode()
    assert not Article.objects.public().filter(pk=article.pk).exists()


def test_scheduled_article_is_hidden_until_its_time(client, editor):
    """A scheduled article's page is 404 before its time, whatever its status says."""
    article = make_article(status="in_review", author=editor)
    services.article_publish(
        article=article, actor=editor, publish_at=timezone.now() + dt.timedelta(minutes=5)
    )
    assert client.get(article.get_absolute_url()).status_code == 404


def test_admin_deletion_is_audited(client, admin_user_):
    """An admin's single delete is recorded in the audit log with actor and slug."""
    article = make_article("To delete", status="draft")
    client.force_login(admin_user_)
    url = reverse("admin:articles_article_delete", args=[article.pk])
    response = client.post(url, {"post": "yes"})
    assert response.status_code == 302
    entry = AuditLog.objects.get(action="article.delete")
    assert (entry.actor, entry.details["slug"]) == (admin_user_, article.slug)
