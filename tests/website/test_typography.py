"""Rendered text is typeset (curly quotes, dashes), stored and API text is as typed; quote
captions name their medium once; the admin is branded; the article has a readable measure."""

import re

import pytest

from articles.models import Article
from tests.factories import SEED_ARTICLE, make_article


def test_article_page_shows_curly_quotes_while_stored_text_keeps_straight_ones(client, seed):
    article = Article.objects.get(slug=SEED_ARTICLE)
    assert '"On behalf of Belarusians' in article.body  # stored as typed
    html = client.get(article.get_absolute_url()).text
    body = html.split('<div class="body">')[1].split("</div>")[0]
    assert "<p>“On behalf of Belarusians," in body
    assert "leadership,” Tsikhanouskaya wrote.</p>" in body
    assert "Zelenskyy’s" in body and "Zelenskyy's" not in body
    text = re.sub(r"<[^>]+>", "", body)
    assert '"' not in text and "&quot;" not in text
    # Entity links still sit on their words.
    assert (
        '<a href="/people/volodymyr-zelenskyy/" title="President of Ukraine.">'
        "Volodymyr Zelenskyy</a>" in body
    )
    # The API serves the text as stored.
    row = client.get(f"/api/v1/articles/{SEED_ARTICLE}/").json()
    assert '"On behalf of Belarusians' in row["body"]


def test_headlines_and_standfirsts_are_typeset_everywhere_readers_see_them(client, db):
    article = make_article(
        'Vilnius - Kyiv: the "new" partnership', standfirst="Leaders' talks", body="Words."
    )
    for url in (article.get_absolute_url(), "/"):
        html = client.get(url).text
        assert "Vilnius – Kyiv: the “new” partnership" in html
        assert "Leaders’ talks" in html
    search = client.get("/search/", {"q": "partnership"}).text
    assert "the “new” <mark>partnership</mark>" in search


def test_a_quote_caption_names_its_medium_once(client, seed):
    """ "on X" with the medium X links X there, instead of "on X (X)"."""
    html = client.get(f"/articles/{SEED_ARTICLE}/").text
    captions = [part.split("</figcaption>")[0] for part in html.split("<figcaption>")[1:]]
    x = '<a href="/organizations/x/">X</a>'
    assert any(f"on {x}, at" in caption for caption in captions)
    assert any(f"on {x}, after the meeting" in caption for caption in captions)
    assert all(f"({x})" not in caption for caption in captions)


def test_admin_is_branded_newsroom(client, admin_user_):
    login = client.get("/admin/login/").text
    assert "Django administration" not in login and "Django site admin" not in login
    assert "<title>Log in | Newsroom admin</title>" in login
    client.force_login(admin_user_)
    index = client.get("/admin/").text
    assert '<a href="/admin/">Newsroom</a>' in index
    assert "<title>Newsroom desk | Newsroom admin</title>" in index


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_article_text_keeps_a_readable_measure_at_desktop_widths(live_server, browser):
    """At 1280 and 1920 pixels, no line of the standfirst, body, quotes or figures is
    wider than about 75 characters (36 em)."""
    from workflow.loading import fixtures_load

    fixtures_load()
    for width in (1280, 1920):
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        page.goto(f"{live_server.url}/articles/{SEED_ARTICLE}/")
        measures = page.evaluate(
            """() => [...document.querySelectorAll(
                '.standfirst, .body p, .quote blockquote p, .statistics li, .involved'
            )].map(el => [el.className || el.tagName,
                el.getBoundingClientRect().width
                / parseFloat(getComputedStyle(el).fontSize)])"""
        )
        context.close()
        assert measures
        too_wide = [(name, round(em, 1)) for name, em in measures if em > 36]
        assert too_wide == [], (width, too_wide)
