"""The article change form as editors meet it: a large body editor, one author field, a
compact mentions panel, figures as written, and a publish form with a date-time picker
that states its format and zone."""

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from articles.models import Article, Mention, Statistic
from tests.factories import SEED_ARTICLE, make_article
from workflow import articles as services

pytestmark = pytest.mark.django_db

ADMIN_CSS = Path(settings.BASE_DIR) / "core/static/newsroom/admin.css"


def change_page(client, article: Article) -> str:
    response = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert response.status_code == 200
    return response.content.decode()


def group(html: str, prefix: str) -> str:
    """The HTML of one inline group of the change form."""
    start = html.index(f'id="{prefix}-group"')
    end = html.find('-group"', start + len(prefix) + 12)
    return html[start : end if end != -1 else None]


def test_body_editor_is_page_sized(client, editor, seed):
    article = Article.objects.get(slug=SEED_ARTICLE)
    client.force_login(editor)
    html = change_page(client, article)
    textarea = re.search(r"<textarea[^>]*id=\"id_body\"[^>]*>", html).group(0)
    assert 'rows="30"' in textarea and "article-body-editor" in textarea
    css = ADMIN_CSS.read_text()
    assert "textarea.article-body-editor" in css and "min-height: 36rem" in css


def test_one_author_field(client, editor, reporter):
    """Editors choose the author in one field; reporters read it once."""
    article = services.article_create(actor=reporter, headline="Mine", body="Text.")
    client.force_login(editor)
    html = change_page(client, article)
    assert html.count("Author:</label>") == 1
    assert 'id="id_author"' in html
    client.force_login(reporter)
    html = change_page(client, article)
    assert html.count("Author:</label>") == 1
    assert 'id="id_author"' not in html


def test_mentions_are_a_compact_panel(client, editor, seed):
    """No red ⊗ on every healthy row, no edit/add/view icons per row; a mention whose
    text has gone says so in words."""
    article = Article.objects.get(slug=SEED_ARTICLE)
    gone = Mention.objects.filter(article=article).order_by("pk").first()
    Mention.objects.filter(pk=gone.pk).update(text_missing=True)
    client.force_login(editor)
    panel = group(change_page(client, article), "mentions")
    rows = Mention.objects.filter(article=article).count()
    assert panel.count('class="form-row has_original') == rows
    assert "icon-no.svg" not in panel and "icon-yes.svg" not in panel
    assert "related-widget-wrapper-link" not in panel
    assert panel.count("Text no longer in the article") == 1
    assert "mentions-panel" in panel
    assert "fieldset.mentions-panel td.original p" in ADMIN_CSS.read_text()


def test_statistics_are_shown_as_written(client, editor, seed):
    """1,131 in the article's form and in the statistics list, never 1131.0000."""
    article = Article.objects.get(slug=SEED_ARTICLE)
    statistic = Statistic.objects.get(article=article, value=Decimal("1131"))
    client.force_login(editor)
    panel = group(change_page(client, article), "statistics")
    assert 'value="1,131"' in panel
    assert "1131.0000" not in panel
    listing = client.get(reverse("admin:articles_statistic_changelist")).content.decode()
    assert "1,131" in listing and "1131.0000" not in listing
    # Its own page is a read-only record now (parts are edited on their article).
    page = client.get(reverse("admin:articles_statistic_change", args=[statistic.pk])).text
    assert "1,131" in page and "1131.0000" not in page


def _as_posted(form) -> dict:
    """What a browser posts for a bound-from-initial Django form (and its prefix)."""
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        key = form.add_prefix(name)
        if isinstance(value, list | tuple):
            data[key] = [("" if v is None else v) for v in value]
        elif isinstance(value, bool):
            if value:
                data[key] = "on"
        else:
            data[key] = "" if value is None else value
        widget = field.widget
        if hasattr(widget, "widgets") and not isinstance(value, list | tuple):  # split fields
            for index, part in enumerate(widget.decompress(value)):
                data[f"{key}_{index}"] = "" if part is None else part
    return data


def _article_post(client, article: Article, value: str):
    """Post the article's change form as shown, with the statistic's figure typed anew."""
    url = reverse("admin:articles_article_change", args=[article.pk])
    context = client.get(url).context
    data = _as_posted(context["adminform"].form)
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(_as_posted(formset.management_form))
        for form in formset.forms:
            data.update(_as_posted(form))
            if form.instance.pk and isinstance(form.instance, Statistic):
                data[form.add_prefix("value")] = value
    data["minor"] = "on"  # the seed article is published: a figure's format is a minor edit
    return client.post(url, data)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("1,234", Decimal("1234")), ("12 345.5", Decimal("12345.5")), ("2.5", Decimal("2.5"))],
)
def test_figures_are_typed_as_written(client, admin_user_, seed, typed, stored):
    """In the article's statistics panel (the only place figures are edited)."""
    article = Article.objects.get(slug=SEED_ARTICLE)
    statistic = Statistic.objects.get(article=article, value=Decimal("1131"))
    client.force_login(admin_user_)
    response = _article_post(client, article, typed)
    assert response.status_code == 302, response.context["adminform"].form.errors
    statistic.refresh_from_db()
    assert statistic.value == stored


def test_a_decimal_comma_is_refused_not_misread(client, admin_user_, seed):
    """ "2,5" is not read as 25: the form says how to write the figure."""
    article = Article.objects.get(slug=SEED_ARTICLE)
    statistic = Statistic.objects.get(article=article, value=Decimal("1131"))
    client.force_login(admin_user_)
    response = _article_post(client, article, "2,5")
    assert response.status_code == 200
    assert "a point for decimals" in response.content.decode()
    statistic.refresh_from_db()
    assert statistic.value == Decimal("1131")


def test_publish_form_has_a_date_time_picker_stating_format_and_zone(client, editor):
    article = make_article(status="in_review", author=editor)
    client.force_login(editor)
    url = reverse("admin:articles_article_transition", args=[article.pk, "publish"])
    html = client.get(url).content.decode()
    for name in ("publish_at", "embargo_until"):
        field = re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)
        assert 'type="datetime-local"' in field
    assert html.count(f"Newsroom time: {settings.NEWSROOM_TIME_ZONE}") == 2
    assert "Format YYYY-MM-DD HH:MM" in html
    # The picker's value and a typed one are both read in the newsroom zone (EEST, +3).
    response = client.post(url, {"version": article.version, "publish_at": "2027-07-01 10:00"})
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.publish_at == dt.datetime(2027, 7, 1, 7, 0, tzinfo=dt.UTC)


def test_change_form_times_state_their_zone(client, editor):
    article = make_article(status="draft", author=editor)
    client.force_login(editor)
    html = change_page(client, article)
    assert html.count(f"Newsroom time: {settings.NEWSROOM_TIME_ZONE}") == 2
