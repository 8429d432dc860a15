"""The desk in a real headless Chromium: draft, submit, schedule, go public, correct."""

import datetime as dt
import time
import zoneinfo

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.utils import timezone

from articles.models import Article

pytestmark = pytest.mark.browser

LEAD = dt.timedelta(seconds=15)  # how far ahead the editor schedules


def make_staff(username: str, group: str) -> None:
    user = User.objects.create_user(username=username, password=f"pw-{username}", is_staff=True)
    user.groups.add(Group.objects.get(name=group))


def log_in(page, base: str, username: str) -> None:
    page.goto(base + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", f"pw-{username}")
    page.click("input[type=submit]")
    page.wait_for_url(base + "/admin/")


@pytest.mark.django_db(transaction=True)
def test_reporter_to_editor_to_reader(live_server, browser):
    """A reporter writes and submits; an editor schedules a few seconds ahead; the article
    is not public, then public once its time passes; a correction shows on the page."""
    call_command("loaddata", "fixtures/groups.json", verbosity=0)
    make_staff("rita", "Reporter")
    make_staff("edna", "Editor")
    base = live_server.url
    contexts = [browser.new_context() for _ in range(3)]
    reporter, editor, reader = (context.new_page() for context in contexts)
    for page in (reporter, editor, reader):
        page.set_default_timeout(15_000)
    try:
        # The reporter writes a draft and submits it.
        log_in(reporter, base, "rita")
        reporter.goto(base + "/admin/articles/article/add/")
        assert reporter.locator("#id_status, #id_publish_at_0, #id_author").count() == 0
        reporter.fill("#id_headline", "Bridge reopens after repairs")
        reporter.fill("#id_body", "The bridge reopened on Monday.\n\nTraffic is light.")
        # The slug is filled in from the headline by the admin's script.
        assert reporter.input_value("#id_slug") == "bridge-reopens-after-repairs"
        reporter.click("input[name=_continue]")
        reporter.wait_for_selector("button[data-action=submit]")
        article = Article.objects.get(headline="Bridge reopens after repairs")
        assert (article.status, article.author.username) == ("draft", "rita")
        reporter.click("button[data-action=submit]")
        reporter.wait_for_selector(".messagelist")
        article.refresh_from_db()
        assert article.status == "in_review"

        # The editor opens it and schedules it a few seconds ahead, in newsroom time.
        log_in(editor, base, "edna")
        editor.goto(base + f"/admin/articles/article/{article.pk}/change/")
        editor.click("a[data-action=publish]")
        at = (timezone.now() + LEAD).replace(microsecond=0)
        local = timezone.localtime(at, zoneinfo.ZoneInfo(settings.NEWSROOM_TIME_ZONE))
        editor.fill("#id_publish_at", local.strftime("%Y-%m-%dT%H:%M:%S"))
        editor.click("input[name=confirm]")
        editor.wait_for_selector(".messagelist")
        article.refresh_from_db()
        assert (article.status, article.publish_at) == ("scheduled", at)

        # Not public before its time…
        public_url = base + article.get_absolute_url()
        assert timezone.now() < at, "the browser steps took longer than the lead time"
        assert reader.goto(public_url).status == 404
        # …public once it has passed, with no scheduler running.
        status = None
        deadline = time.monotonic() + LEAD.total_seconds() + 30
        while time.monotonic() < deadline:
            status = reader.goto(public_url).status
            if status == 200:
                break
            time.sleep(1)
        assert status == 200
        assert timezone.now() >= at
        assert reader.locator("h1").inner_text() == "Bridge reopens after repairs"

        # The editor publishes a correction; readers see it on the article.
        editor.goto(base + f"/admin/articles/article/{article.pk}/change/")
        editor.click("a[data-action=correct]")
        editor.fill("#id_note", "An earlier version gave the wrong day of reopening.")
        editor.click("input[name=confirm]")
        editor.wait_for_selector(".messagelist")
        reader.goto(public_url)
        corrections = reader.get_by_role("region", name="Corrections")
        assert "An earlier version gave the wrong day" in corrections.inner_text()
    finally:
        for context in contexts:
            context.close()
