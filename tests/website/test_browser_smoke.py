"""The home page in a real browser, as an anonymous reader sees it."""

import pytest

from articles.models import Article

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_reader_opens_the_seed_article_from_the_home_page(live_server, page):
    from workflow.loading import fixtures_load

    fixtures_load()
    article = Article.objects.get()
    page.goto(live_server.url + "/")
    page.get_by_role("link", name=article.headline).click()
    page.wait_for_url(f"**{article.get_absolute_url()}")
    assert page.locator("h1").inner_text() == article.headline
    assert page.locator("h2", has_text="From brief encounters to formal talks").count() == 1
