"""Times entered in the newsroom's zone across daylight saving; staff previews."""

import datetime as dt
import zoneinfo

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article, make_mention, person
from workflow import articles as services

from .test_article_admin import editor_fields, form_data

UTC = dt.UTC
# Europe/Vilnius (the default NEWSROOM_TIME_ZONE): clocks go 03:00 → 04:00 on 28 March 2027
# and 04:00 → 03:00 on 31 October 2027.
SPRING_FORWARD, FALL_BACK = "2027-03-28", "2027-10-31"


def publish(client, article, date: str, time: str):
    url = reverse("admin:articles_article_transition", args=[article.pk, "publish"])
    # What the form's date-time picker posts.
    return client.post(url, {"version": article.version, "publish_at": f"{date}T{time}"})


@pytest.mark.parametrize(
    ("date", "expected_utc"),
    [
        ("2027-03-27", dt.datetime(2027, 3, 27, 8, 0, tzinfo=UTC)),  # EET, +2
        (SPRING_FORWARD, dt.datetime(2027, 3, 28, 7, 0, tzinfo=UTC)),  # EEST from 03:00, +3
        (FALL_BACK, dt.datetime(2027, 10, 31, 8, 0, tzinfo=UTC)),  # EET again from 04:00
    ],
)
def test_schedule_time_is_newsroom_local_across_dst(client, editor, date, expected_utc):
    """10:00 entered on (or beside) a daylight-saving day is stored as the right UTC time."""
    article = make_article(status="in_review", author=editor)
    client.force_login(editor)
    response = publish(client, article, date, "10:00")
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == "scheduled"
    assert article.publish_at == expected_utc
    # Shown back to the editor as the local time they typed.
    html = client.get(reverse("admin:articles_article_change", args=[article.pk])).content
    assert 'value="10:00:00"' in html.decode()


@pytest.mark.parametrize(
    ("date", "time"),
    [(SPRING_FORWARD, "03:30"), (FALL_BACK, "03:30")],  # does not exist / happens twice
)
def test_nonexistent_or_ambiguous_local_time_is_refused(client, editor, date, time):
    """A local time skipped or repeated by a clock change is a form error, never a 500."""
    article = make_article(status="in_review", author=editor)
    client.force_login(editor)
    response = publish(client, article, date, time)
    assert response.status_code == 400
    assert "time zone" in response.content.decode()
    article.refresh_from_db()
    assert article.status == "in_review"


def test_change_form_times_are_newsroom_local(client, editor):
    """The change form's embargo field is read in the newsroom's zone on a DST day."""
    article = make_article(status="draft", author=editor)
    client.force_login(editor)
    data = form_data(article, **editor_fields(article))
    data.update(embargo_until_0=SPRING_FORWARD, embargo_until_1="09:30")
    response = client.post(reverse("admin:articles_article_change", args=[article.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    article.refresh_from_db()
    assert article.embargo_until == dt.datetime(2027, 3, 28, 6, 30, tzinfo=UTC)


def test_staff_preview_of_a_draft(client, editor):
    """Editors preview a draft as readers will see it: marked, not cached, not indexed."""
    article = services.article_create(actor=editor, headline="Secret plan", body="Draft text.")
    client.force_login(editor)
    response = client.get(reverse("admin:articles_article_preview", args=[article.pk]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Robots-Tag"] == "noindex"
    html = response.content.decode()
    assert '<meta name="robots" content="noindex">' in html
    assert "Secret plan" in html and "Draft text." in html
    assert "Preview" in html
    assert response.context["preview"] is True
    assert response.context["article"] == article
    # Still not public.
    client.logout()
    assert client.get(article.get_absolute_url()).status_code == 404


def test_preview_is_for_the_author_and_editors(client, reporter, other_reporter, editor):
    """Authors preview their own drafts; another reporter gets 403; no login, no preview."""
    article = services.article_create(actor=reporter, headline="Mine", body="Secret text.")
    url = reverse("admin:articles_article_preview", args=[article.pk])
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(reporter)
    response = client.get(url)
    assert response.status_code == 200
    assert "Secret text." in response.content.decode()
    assert response["Cache-Control"] == "private, no-store"
    client.force_login(other_reporter)
    response = client.get(url)
    assert response.status_code == 403
    assert "Secret text." not in response.content.decode()
    client.force_login(editor)
    assert client.get(url).status_code == 200


def _main(html: str) -> str:
    return html.split('<main id="main" tabindex="-1">')[1].split("</main>")[0]


def test_preview_is_the_public_page_with_a_banner(client, editor):
    """The preview renders the public template with the public page's data: entity links
    in the body, the "In this article" panel, quotes; once published, the public page's
    content is the preview's without its banner."""
    ales = person("Ales Bialiatski")
    body = "First paragraph.\n\nAles Bialiatski was freed."
    start = body.index("Ales")
    past = timezone.now() - dt.timedelta(hours=2)
    article = make_article("Freed", status="in_review", publish_at=past, author=editor, body=body)
    make_mention(
        article,
        ales,
        field="body",
        span_start=start,
        span_end=start + len("Ales Bialiatski"),
        matched_text="Ales Bialiatski",
    )
    client.force_login(editor)
    preview = client.get(reverse("admin:articles_article_preview", args=[article.pk]))
    assert preview.status_code == 200
    assert preview["Cache-Control"] == "private, no-store"
    html = preview.content.decode()
    assert '<a href="/people/ales-bialiatski/">Ales Bialiatski</a> was freed.' in html
    assert 'id="involved-heading">In this article</h2>' in html
    assert html.count('class="preview-banner"') == 1
    assert "Preview — not published." in html
    client.logout()
    article.refresh_from_db()
    Article.objects.filter(pk=article.pk).update(
        status="published", first_published_at=article.updated_at
    )
    # Readers see times in the newsroom's zone (issue 17, point 2), as the preview does.
    with timezone.override(zoneinfo.ZoneInfo(settings.NEWSROOM_TIME_ZONE)):
        public = client.get(article.get_absolute_url())
    assert public.status_code == 200
    banner, content = _main(html).split("<article", 1)
    assert 'class="preview-banner"' in banner
    assert content == _main(public.content.decode()).split("<article", 1)[1]
    client.force_login(editor)
    live = client.get(reverse("admin:articles_article_preview", args=[article.pk])).text
    assert "This article is public" in live and "not published" not in live
