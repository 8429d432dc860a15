import pytest

from workflow.loading import fixtures_load


@pytest.fixture
def seed(db):
    """The demo newsroom: the seed article with its entities, quotes and statistics."""
    return fixtures_load()


CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser():
    """A real headless Chromium (Debian's package), driven by Playwright.

    Fails rather than skips when Chromium is missing: CI installs it (.ci/run).
    """
    import os
    import shutil

    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium") or CHROMIUM
    if not os.path.exists(executable):
        pytest.fail("Chromium is not installed: apt-get install chromium (see .ci/run).")
    # Playwright's sync API runs an event loop; let Django's ORM work beside it in tests.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=executable,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
