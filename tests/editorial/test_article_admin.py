"""The articles admin wired to the services: roles, crafted POSTs, stale saves, actions."""

import datetime as dt
import zoneinfo

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Correction, Revision
from core.models import AuditLog
from search.services import search_index_remove
from tests.factories import make_article, make_mention, person
from workflow import articles as services

INLINE_PREFIXES = ("mentions", "quotes", "statistics", "corrections")
XSS = "<img src=x onerror=alert(1)>"


def form_data(article: Article | None = None, **fields) -> dict:
    """What the article change form posts: content fields, version, empty inlines."""
    data = {
        "headline": article.headline if article else "A new draft",
        "slug": article.slug if article else "a-new-draft",
        "standfirst": article.standfirst if article else "",
        "body": article.body if article else "First paragraph.",
        "byline": article.byline if article else "",
        "section": "",
        "dateline": "",
        "language": "en",
    }
    if article is not None:
        data["expected_version"] = article.version
    for prefix in INLINE_PREFIXES:
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    data.update(fields)
    return data


def editor_fields(article: Article) -> dict:
    """The publication fields an editor's form posts, as shown: newsroom-local times."""
    zone = zoneinfo.ZoneInfo(settings.NEWSROOM_TIME_ZONE)
    data = {"author": article.author_id or ""}
    for name in ("publish_at", "embargo_until"):
        value = getattr(article, name)
        local = timezone.localtime(value, zone) if value else None
        data[f"{name}_0"] = local.strftime("%Y-%m-%d") if local else ""
        data[f"{name}_1"] = local.strftime("%H:%M:%S") if local else ""
    return data


def change_url(article: Article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


def action_url(article: Article, action: str) -> str:
    return reverse("admin:articles_article_transition", args=[article.pk, action])


def test_reporter_writes_a_draft_through_the_admin(client, reporter):
    """The add form creates a draft authored by the reporter, through the service."""
    client.force_login(reporter)
    response = client.post(reverse("admin:articles_article_add"), form_data())
    assert response.status_code == 302, response.content.decode()[:3000]
    article = Article.objects.get()
    assert (article.status, article.author, article.version) == ("draft", reporter, 1)
    revision = Revision.objects.get(article=article)
    assert (revision.kind, revision.source, revision.actor) == ("create", "admin", reporter)


def test_reporter_form_hides_workflow_fields(client, reporter):
    """Reporters' forms show no status, publish time, embargo or author inputs."""
    article = services.article_create(actor=reporter, headline="Mine", body="Text.")
    client.force_login(reporter)
    html = client.get(change_url(article)).content.decode()
    assert 'id="id_headline"' in html
    for name in ("status", "publish_at_0", "embargo_until_0", "author", "version"):
        assert f'id="id_{name}"' not in html
    assert 'name="expected_version"' in html


@pytest.mark.parametrize(
    "crafted",
    [
        {"status": "published"},
        {"publish_at_0": "2026-01-01", "publish_at_1": "10:00"},
        {"embargo_until_0": "2030-01-01", "embargo_until_1": "10:00"},
        {"author": "1"},
        {"version": "42"},
    ],
)
def test_crafted_post_from_a_reporter_is_refused(client, reporter, crafted):
    """A reporter's POST adding status, times, author or version is refused; nothing saved."""
    article = services.article_create(actor=reporter, headline="Mine", body="Text.")
    client.force_login(reporter)
    response = client.post(change_url(article), form_data(article, body="Changed.", **crafted))
    assert response.status_code == 200
    assert "Refused: your role may not set" in response.content.decode()
    article.refresh_from_db()
    assert (article.status, article.body, article.version, article.publish_at) == (
        "draft",
        "Text.",
        1,
        None,
    )
    assert article.author == reporter


def test_reporter_cannot_edit_someone_elses_draft(client, reporter, other_reporter):
    """Another reporter's draft is view-only: a POST is forbidden."""
    article = services.article_create(actor=other_reporter, headline="Theirs", body="Text.")
    client.force_login(reporter)
    response = client.post(change_url(article), form_data(article, body="Mine now."))
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.body == "Text."


def test_stale_admin_save_names_who_saved_and_keeps_the_text(client, editor, other_editor):
    """The second of two editors to save gets a clear message and a reload link; no loss."""
    article = make_article(status="draft", author=editor, body="Original.")
    client.force_login(editor)
    opened = client.get(change_url(article))
    assert 'name="expected_version" value="1"' in opened.content.decode()
    services.article_update(
        article=article, actor=other_editor, expected_version=1, changes={"body": "Theirs."}
    )
    response = client.post(
        change_url(article), form_data(article, body="Mine, typed.", expected_version=1)
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "changed by Emil Editor at" in html
    assert f'href="{change_url(article)}">reload the latest version' in html
    assert "Mine, typed." in html  # what the user typed is still in the form
    article.refresh_from_db()
    assert (article.body, article.version) == ("Theirs.", 2)


def test_editor_save_goes_through_the_service(client, editor):
    """An editor's save raises the version and records an admin revision."""
    article = make_article(status="draft", author=editor)
    client.force_login(editor)
    response = client.post(
        change_url(article),
        form_data(article, body="New body.", **editor_fields(article)),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    article.refresh_from_db()
    assert (article.body, article.version) == ("New body.", 2)
    assert Revision.objects.get(article=article, version=2).actor == editor


def test_published_article_edit_needs_minor_or_correction(client, editor):
    """After publication the admin refuses a silent text change and publishes a correction."""
    article = make_article(status="published", author=editor, body="Old fact.")
    client.force_login(editor)
    refused = client.post(
        change_url(article), form_data(article, body="New fact.", **editor_fields(article))
    )
    assert refused.status_code == 200
    assert "mark the change as minor" in refused.content.decode()
    response = client.post(
        change_url(article),
        form_data(
            article,
            body="New fact.",
            correction_note="The fact was wrong.",
            **editor_fields(article),
        ),
    )
    assert response.status_code == 302
    assert Correction.objects.get(article=article).note == "The fact was wrong."


def test_transitions_are_post_only_and_role_checked(client, reporter, editor):
    """A GET shows a form and changes nothing; reporters may not publish (refused up front,
    before any form); editors may."""
    article = services.article_create(actor=reporter, headline="Story", body="Text.")
    services.article_submit(article=article, actor=reporter)
    client.force_login(reporter)
    assert client.get(action_url(article, "publish")).status_code == 403
    response = client.post(action_url(article, "publish"), {"version": article.version})
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.status == "in_review"
    client.force_login(editor)
    client.get(action_url(article, "publish"))
    article.refresh_from_db()
    assert article.status == "in_review"
    response = client.post(action_url(article, "publish"), {"version": article.version})
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == "published" and article.is_public()


def test_stale_transition_is_reported(client, editor, other_editor):
    """A transition posted from an outdated page is refused with who saved last."""
    article = make_article(status="in_review", author=editor)
    services.article_update(
        article=article, actor=other_editor, expected_version=1, changes={"byline": "X"}
    )
    client.force_login(editor)
    response = client.post(action_url(article, "publish"), {"version": 1})
    assert response.status_code == 409
    assert "Emil Editor" in response.content.decode()
    article.refresh_from_db()
    assert article.status == "in_review"


def test_withdraw_needs_a_reason_in_the_form(client, editor):
    """Withdrawing through the action page without a reason is refused."""
    article = make_article(status="published", author=editor)
    client.force_login(editor)
    response = client.post(action_url(article, "withdraw"), {"version": 1, "reason": ""})
    assert response.status_code == 400
    article.refresh_from_db()
    assert article.status == "published"


def test_bulk_delete_is_replaced_by_withdraw(client, editor, admin_user_):
    """No delete action, even for admins; bulk withdraw asks for a reason, then withdraws."""
    articles = [make_article(status="published", author=editor) for _ in range(3)]
    changelist = reverse("admin:articles_article_changelist")
    client.force_login(admin_user_)
    assert "delete_selected" not in client.get(changelist).content.decode()
    response = client.post(
        changelist,
        {"action": "delete_selected", "_selected_action": [a.pk for a in articles]},
    )
    assert Article.objects.count() == 3
    client.force_login(editor)
    selected = {"action": "withdraw_selected", "_selected_action": [a.pk for a in articles]}
    response = client.post(changelist, selected)
    assert response.status_code == 200 and "Reason" in response.content.decode()
    response = client.post(changelist, {**selected, "apply": "1", "reason": "Legal request."})
    assert response.status_code == 302
    assert set(Article.objects.values_list("status", flat=True)) == {"withdrawn"}
    assert AuditLog.objects.filter(action="article.withdraw", actor=editor).count() == 3


def test_headlines_stay_text_everywhere_in_the_admin(client, editor):
    """A headline with markup is escaped in lists, forms, messages, history and dashboard."""
    article = make_article(headline=XSS, status="in_review", author=editor)
    client.force_login(editor)
    response = client.post(action_url(article, "publish"), {"version": 1}, follow=True)
    pages = [response]  # the change form with the success message
    services.article_update(
        article=article, actor=editor, expected_version=2, changes={"byline": "B"}
    )
    pages += [
        client.get(reverse("admin:articles_article_changelist")),
        client.get(reverse("admin:articles_article_revisions", args=[article.pk])),
        client.get(reverse("admin:articles_article_revision_diff", args=[article.pk]) + "?a=2&b=3"),
        client.get(reverse("admin:articles_dashboard")),
        client.get(action_url(article, "withdraw")),
    ]
    for page in pages:
        html = page.content.decode()
        assert page.status_code == 200
        assert XSS not in html
        assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "Publish or schedule" in pages[0].content.decode()  # the message was shown


def test_audit_log_is_for_admins(client, editor, admin_user_):
    """Admins read the audit log; editors cannot."""
    article = make_article(status="in_review", author=editor)
    services.article_publish(article=article, actor=editor)
    url = reverse("admin:core_auditlog_changelist")
    client.force_login(editor)
    assert client.get(url).status_code == 403
    client.force_login(admin_user_)
    response = client.get(url)
    assert response.status_code == 200
    assert "article.publish" in response.content.decode()


def test_user_role_change_is_audited(client, admin_user_, reporter, groups):
    """Giving a user the Editor role through the admin is logged with actor and change."""
    client.force_login(admin_user_)
    url = reverse("admin:auth_user_change", args=[reporter.pk])
    data = {
        "username": reporter.username,
        "first_name": reporter.first_name,
        "last_name": reporter.last_name,
        "email": "",
        "is_active": "on",
        "is_staff": "on",
        "groups": [groups["Editor"].pk],
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "10:00:00",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = AuditLog.objects.get(action="user.permissions")
    assert entry.actor == admin_user_
    assert entry.details["groups"] == {"from": ["Reporter"], "to": ["Editor"]}


def test_history_diff_and_restore(client, editor):
    """Editors see revisions, a word diff between two, and restore one as a new revision."""
    article = services.article_create(actor=editor, headline="Draft", body="The cat sat.")
    services.article_update(
        article=article, actor=editor, expected_version=1, changes={"body": "The dog sat."}
    )
    client.force_login(editor)
    history = client.get(reverse("admin:articles_article_revisions", args=[article.pk]))
    assert history.status_code == 200 and "Edited" in history.content.decode()
    diff = client.get(
        reverse("admin:articles_article_revision_diff", args=[article.pk]) + "?a=1&b=2"
    )
    assert "<del>cat</del><ins>dog</ins>" in diff.content.decode()
    bad = client.get(reverse("admin:articles_article_revision_diff", args=[article.pk]) + "?a=x")
    assert bad.status_code == 400
    restore = reverse("admin:articles_article_revision_restore", args=[article.pk, 1])
    assert client.get(restore).status_code == 200
    article.refresh_from_db()
    assert article.version == 2  # a GET restores nothing
    response = client.post(restore, {"expected_version": 2})
    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.body, article.version) == ("The cat sat.", 3)
    assert Revision.objects.filter(article=article).count() == 3


def test_dashboard_lists_the_desk(client, editor):
    """The dashboard shows in-review, scheduled and embargoed times, recent, suggestions."""
    now = timezone.now()
    review = make_article("Waiting story", status="in_review", author=editor)
    scheduled = make_article(
        "Later story", status="scheduled", publish_at=now + dt.timedelta(hours=3)
    )
    embargoed = make_article("Embargoed story", embargo_until=now + dt.timedelta(hours=5))
    published = make_article("Fresh story")
    client.force_login(editor)
    response = client.get(reverse("admin:articles_dashboard"))
    context = response.context
    assert [a.pk for a in context["in_review"]] == [review.pk]
    assert [a.pk for a in context["scheduled"]] == [scheduled.pk]
    assert [a.pk for a in context["embargoed"]] == [embargoed.pk]
    assert [a.pk for a in context["recently_published"]] == [published.pk]
    assert context["pending_suggestions"] == 0
    html = response.content.decode()
    assert 'id="pending-suggestions"' in html
    local = timezone.localtime(scheduled.publish_at, timezone.get_fixed_timezone(0))
    assert scheduled.publish_at.isoformat()[:10] in html or local
    index = client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:articles_dashboard") in index


def test_crafted_withdraw_action_from_a_reporter_does_nothing(client, reporter):
    """A reporter posting the bulk withdraw action by hand withdraws nothing."""
    article = make_article(status="published", author=reporter)
    client.force_login(reporter)
    assert (
        "withdraw_selected"
        not in client.get(reverse("admin:articles_article_changelist")).content.decode()
    )
    client.post(
        reverse("admin:articles_article_changelist"),
        {
            "action": "withdraw_selected",
            "_selected_action": [article.pk],
            "apply": "1",
            "reason": "Because.",
        },
    )
    article.refresh_from_db()
    assert article.status == "published"
    assert not AuditLog.objects.filter(action="article.withdraw").exists()


def test_changelist_filters_and_search(client, editor, reporter):
    """The article list filters by status, author, public-now, and searches headline/body."""
    draft = make_article("Harbour plans", status="draft", author=reporter, body="Cranes.")
    live = make_article("Election night", author=editor, body="Turnout was high.")
    client.force_login(editor)
    url = reverse("admin:articles_article_changelist")

    def rows(query: str) -> set[int]:
        response = client.get(url + query)
        assert response.status_code == 200
        return {article.pk for article in response.context["cl"].result_list}

    assert rows("?status__exact=draft") == {draft.pk}
    assert rows(f"?author__id__exact={editor.pk}") == {live.pk}
    assert rows("?public=yes") == {live.pk}
    assert rows("?public=no") == {draft.pk}
    assert rows("?q=turnout") == {live.pk}
    assert rows("?q=harbour") == {draft.pk}
    html = client.get(url).content.decode()
    for column in ("column-status_now", "column-section", "column-author", "column-publish_at"):
        assert column in html
    assert "column-embargo_until" in html and "column-public_now" in html


@pytest.mark.parametrize("term", ["Lukashenko", "Лукашэнка", "lukashenka", "Łukašenka"])
def test_changelist_search_folds_spellings_and_finds_linked_articles(client, editor, term):
    """Admin search folds like the public search: any spelling or script of a word finds
    the articles writing it another way, and an entity's listed name finds the articles
    linked to it, in any status; a rejected link does not count."""
    lukashenka = person("Alexander Lukashenka", "Aliaksandr Lukashenka", "Лукашэнка")
    written = make_article("Minsk talks", status="draft", body="Lukashenka spoke on Monday.")
    linked = make_article("The ruler's decree", body="The Belarusian ruler signed it.")
    make_mention(linked, lukashenka, state="suggested")
    rejected = make_article("Unrelated", body="Nothing about him.")
    make_mention(rejected, lukashenka, state="rejected")
    make_article("Other news", body="Lukashevich spoke.")
    client.force_login(editor)
    response = client.get(reverse("admin:articles_article_changelist"), {"q": term})
    assert response.status_code == 200
    found = {article.pk for article in response.context["cl"].result_list}
    assert found == {written.pk, linked.pk}


def test_changelist_search_uses_the_index_not_the_body_column(client, editor):
    """The search reads the full-text index: an article whose index row is missing is not
    found by a word of its body (so no LIKE scans every body), but its slug still is."""
    article = make_article("Harbour plans", body="Cranes arrive.")
    search_index_remove(article_ids=[article.pk])
    client.force_login(editor)
    url = reverse("admin:articles_article_changelist")

    def rows(term: str) -> set[int]:
        return {a.pk for a in client.get(url, {"q": term}).context["cl"].result_list}

    assert rows("cranes") == set()
    assert rows(article.slug) == {article.pk}
    assert rows("!!!") == set()
