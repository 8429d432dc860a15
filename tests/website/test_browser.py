"""The public site in headless Chromium: every page kind loads, links lead from an article
to a person to an event, and axe-core finds no WCAG 2.1 A/AA violation."""

from pathlib import Path

import pytest

from tests.factories import SEED_ARTICLE

pytestmark = pytest.mark.browser

AXE_JS = Path(__file__).parent / "vendor" / "axe.min.js"
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


@pytest.fixture
def axe_page(browser):
    # bypass_csp: the site's CSP (rightly) forbids the injected axe script.
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def axe_violations(page) -> list[dict]:
    page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    result = page.evaluate("async (options) => await axe.run(document, options)", AXE_OPTIONS)
    return [
        {"id": v["id"], "nodes": [n["html"][:120] for n in v["nodes"]]}
        for v in result["violations"]
    ]


@pytest.mark.django_db(transaction=True)
def test_reader_follows_article_to_person_to_event_with_no_axe_violation(live_server, axe_page):
    """Article → person → event by clicking links; every page kind passes axe."""
    from workflow.loading import fixtures_load

    fixtures_load()
    page = axe_page
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Zelenskyy and Tsikhanouskaya hold first formal").click()
    page.wait_for_url(f"**/articles/{SEED_ARTICLE}/")
    assert axe_violations(page) == []

    page.locator(".body").get_by_role("link", name="Sviatlana Tsikhanouskaya").first.click()
    page.wait_for_url("**/people/sviatlana-tsikhanouskaya/")
    assert page.locator("h1").inner_text() == "Sviatlana Tsikhanouskaya"
    assert axe_violations(page) == []

    page.locator(".timeline").get_by_role("link", name="Charlemagne Prize ceremony 2023").click()
    page.wait_for_url("**/events/charlemagne-prize-ceremony-2023/")
    assert "May 2023" in page.locator(".facts").inner_text()
    assert axe_violations(page) == []

    for path in [
        "/",
        "/places/vilnius/",
        "/organizations/viasna-human-rights-center/",
        "/sections/europe/",
        "/search/?q=Лукашэнка",
    ]:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert axe_violations(page) == [], path

    # The skip link is the first stop of the keyboard and lands on the main content.
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"


@pytest.mark.django_db(transaction=True)
def test_search_form_works_in_the_browser(live_server, axe_page):
    """Typing a Belarusian spelling in the header search finds the article and the person."""
    from workflow.loading import fixtures_load

    fixtures_load()
    page = axe_page
    page.goto(live_server.url + "/")
    page.get_by_label("Search", exact=True).fill("Лукашэнка")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/search/?q=*")
    assert page.get_by_role("link", name="Alexander Lukashenka").count() == 1
    assert page.locator(".search-results mark").first.inner_text() == "Lukashenka"
