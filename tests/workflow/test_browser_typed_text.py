"""Point 1 of issue 17 in a real Chromium: an article typed into the admin's textarea
(which the browser sends with CRLF line breaks) keeps every entity link it was given."""

import re

import pytest
from django.contrib.auth.models import Group, User

from articles.models import Article, Mention, MentionState
from workflow.loading import fixtures_load

pytestmark = pytest.mark.browser

# Each entity is linked where it first appears (as before): every paragraph brings new ones.
PARAGRAPHS = [
    "Ukrainian President Volodymyr Zelenskyy arrived in Vilnius in the morning.",
    "Sviatlana Tsikhanouskaya said the talks with Volodymyr Zelenskyy were useful.",
    "Both spoke of Alexander Lukashenka and of political prisoners in Belarus.",
]
EXPECTED = {
    0: ["/people/volodymyr-zelenskyy/", "/places/vilnius/"],
    1: ["/people/sviatlana-tsikhanouskaya/"],
    2: ["/people/alexander-lukashenka/", "/places/belarus/"],
}


@pytest.mark.django_db(transaction=True)
def test_admin_article_keeps_links_in_every_paragraph(live_server, browser):
    """Write three paragraphs in the admin, confirm every suggestion, publish: each
    confirmed entity is linked where it first appears, whatever the paragraph."""
    fixtures_load()
    editor = User.objects.create_user(username="edna", password="pw-edna", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editor"))
    base = live_server.url
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(base + "/admin/login/")
        page.fill("#id_username", "edna")
        page.fill("#id_password", "pw-edna")
        page.click("input[type=submit]")
        page.wait_for_url(base + "/admin/")

        page.goto(base + "/admin/articles/article/add/")
        page.fill("#id_headline", "Talks in the capital")
        page.fill("#id_body", "\n\n".join(PARAGRAPHS))
        page.click("input[name=_continue]")
        page.wait_for_selector("a[data-action=publish]")
        article = Article.objects.get(headline="Talks in the capital")

        page.goto(base + f"/admin/articles/article/{article.pk}/suggestions/")
        page.click("form:has(input[value=confirm_all]) button")
        page.wait_for_selector("text=No pending suggestions.")
        confirmed = Mention.objects.filter(article=article, state=MentionState.CONFIRMED)
        assert confirmed.count() >= 3

        page.goto(base + f"/admin/articles/article/{article.pk}/change/")
        page.click("a[data-action=publish]")
        page.click("input[name=confirm]")
        page.wait_for_selector(".messagelist")

        assert page.goto(base + article.get_absolute_url()).status == 200
        paragraphs = page.locator("article .body p")
        assert paragraphs.count() == 3
        for index, hrefs in EXPECTED.items():
            html = paragraphs.nth(index).inner_html()
            linked = re.findall(r'href="([^"]+)"', html)
            assert linked == hrefs, (index, html)
        # Every confirmed body mention is a link somewhere in the body.
        body_links = set(
            page.locator("article .body a").evaluate_all("els => els.map(e => e.pathname)")
        )
        for mention in confirmed.filter(field="body").select_related("entity"):
            assert mention.entity.get_absolute_url() in body_links
        # The browser sent CRLF line breaks; the text is stored with plain ones.
        article.refresh_from_db()
        assert "\r" not in article.body
    finally:
        context.close()
