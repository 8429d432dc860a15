"""The status editors see is decided at read time, like the public rule: a scheduled
article whose time has come is live everywhere (changelist, change form, filters,
dashboard, API), with no write in between."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import (
    Article,
    ArticleStatus,
    EditorialStatus,
    editorial_status,
)
from tests.api.conftest import client_for
from tests.factories import make_article

pytestmark = pytest.mark.django_db

HOUR = dt.timedelta(hours=1)


@pytest.fixture
def desk():
    """One article in each editorial status; the 'went live' one was scheduled and its
    time has passed, so its stored status still says scheduled."""
    now = timezone.now()
    return {
        EditorialStatus.DRAFT: make_article("A draft", status=ArticleStatus.DRAFT),
        EditorialStatus.IN_REVIEW: make_article("In review", status=ArticleStatus.IN_REVIEW),
        EditorialStatus.SCHEDULED: make_article(
            "Still to come", status=ArticleStatus.SCHEDULED, publish_at=now + HOUR
        ),
        EditorialStatus.EMBARGOED: make_article("Under embargo", embargo_until=now + HOUR),
        EditorialStatus.LIVE: make_article(
            "Went live", status=ArticleStatus.SCHEDULED, publish_at=now - HOUR
        ),
        EditorialStatus.WITHDRAWN: make_article("Pulled", status=ArticleStatus.WITHDRAWN),
    }


def test_one_article_and_the_queryset_agree(desk):
    """Article.editorial_status() and the queryset filter give the same answer for every
    status, and the live ones are exactly the public ones."""
    for status, article in desk.items():
        assert article.editorial_status() == status
        assert list(Article.objects.in_editorial_status(status)) == [article]
    assert set(Article.objects.public()) == set(
        Article.objects.in_editorial_status(EditorialStatus.LIVE)
    )


def test_status_at_the_second():
    """Scheduled until its second, then live; an embargo holds until its own second."""
    at = dt.datetime(2026, 3, 29, 1, 0, tzinfo=dt.UTC)
    second = dt.timedelta(seconds=1)
    scheduled = ArticleStatus.SCHEDULED
    assert editorial_status(scheduled, at, None, at - second) == EditorialStatus.SCHEDULED
    assert editorial_status(scheduled, at, None, at) == EditorialStatus.LIVE
    embargo = at + HOUR
    assert editorial_status(scheduled, at, embargo, at) == EditorialStatus.EMBARGOED
    assert editorial_status(scheduled, at, embargo, embargo) == EditorialStatus.LIVE


def status_cells(html: str) -> dict[str, str]:
    """Headline → status cell of the changelist."""
    rows = re.findall(r"<tr>(.*?)</tr>", html, re.S)
    cells = {}
    for row in rows:
        headline = re.search(r'<th class="field-headline">.*?>([^<]+)</a>', row, re.S)
        status = re.search(r'<td class="field-status_now">([^<]*)</td>', row)
        if headline and status:
            cells[headline.group(1)] = status.group(1)
    return cells


def test_changelist_column_and_filter(client, editor, desk):
    """The changelist says "Live" for the article that went live, and its status filter
    uses the same rule."""
    client.force_login(editor)
    url = reverse("admin:articles_article_changelist")
    cells = status_cells(client.get(url).content.decode())
    assert cells["Went live"] == "Live"
    assert cells["Still to come"] == "Scheduled"
    assert cells["Under embargo"] == "Embargoed"

    def rows(status: str) -> set[int]:
        response = client.get(url, {"status__exact": status})
        return {article.pk for article in response.context["cl"].result_list}

    for status, article in desk.items():
        assert rows(status) == {article.pk}


def test_change_form_and_transition_page_say_live(client, editor, desk):
    article = desk[EditorialStatus.LIVE]
    client.force_login(editor)
    html = client.get(reverse("admin:articles_article_change", args=[article.pk])).content
    assert "Status: <strong>Live</strong>" in html.decode()
    assert "Scheduled" not in re.search(r'<p class="help">Status:.*?</p>', html.decode()).group()
    page = client.get(reverse("admin:articles_article_transition", args=[article.pk, "withdraw"]))
    assert "is <strong>live</strong>" in page.content.decode()


def test_dashboard_lists_by_status_now(client, editor, desk):
    client.force_login(editor)
    context = client.get(reverse("admin:articles_dashboard")).context
    assert [a.pk for a in context["scheduled"]] == [desk[EditorialStatus.SCHEDULED].pk]
    assert [a.pk for a in context["embargoed"]] == [desk[EditorialStatus.EMBARGOED].pk]
    assert desk[EditorialStatus.LIVE] in context["recently_published"]


def test_api_status_and_live(editor, desk):
    """The API's status is decided now too, with a `live` boolean; its ?status= filter
    follows the same rule."""
    api = client_for(editor)
    for status, article in desk.items():
        if status == EditorialStatus.WITHDRAWN:
            continue
        document = api.get(f"/api/v1/articles/{article.slug}/").json()
        assert (document["status"], document["live"]) == (
            status.value,
            status == EditorialStatus.LIVE,
        )
    for status, article in desk.items():
        listed = api.get("/api/v1/articles/", {"status": status.value}).json()["results"]
        assert [doc["slug"] for doc in listed] == [article.slug]
    public = client_for(editor).get("/api/v1/articles/").json()["results"]
    assert {doc["slug"]: doc["live"] for doc in public} == {desk[EditorialStatus.LIVE].slug: True}
