"""Fixtures every test package shares: the seed, users in their roles, the browser."""

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command

from workflow.loading import fixtures_load


@pytest.fixture
def seed(db):
    """The demo newsroom: the seed article with its entities, quotes and statistics."""
    return fixtures_load()


@pytest.fixture
def groups(db):
    """The Reporter and Editor groups from fixtures/groups.json."""
    call_command("loaddata", "fixtures/groups.json", verbosity=0)
    return {group.name: group for group in Group.objects.all()}


def make_user(username: str, group: Group | None = None, **fields) -> User:
    """A staff user whose password is `pw-<username>-long`, in `group` if given."""
    fields.setdefault("is_staff", group is not None)
    user = User.objects.create_user(username=username, password=f"pw-{username}-long", **fields)
    if group is not None:
        user.groups.add(group)
    return User.objects.get(pk=user.pk)  # fresh: no stale permission cache


@pytest.fixture
def reporter(groups):
    return make_user("rita", groups["Reporter"], first_name="Rita", last_name="Reporter")


@pytest.fixture
def other_reporter(groups):
    return make_user("oleg", groups["Reporter"])


@pytest.fixture
def editor(groups):
    return make_user("edna", groups["Editor"], first_name="Edna", last_name="Editor")


@pytest.fixture
def other_editor(groups):
    return make_user("emil", groups["Editor"], first_name="Emil", last_name="Editor")


@pytest.fixture
def outsider(db):
    """Logged in, but neither reporter nor editor."""
    return make_user("olga")


@pytest.fixture
def admin_user_(db):
    return User.objects.create_superuser(username="root", password="pw-root", email="r@x.test")


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
