"""Revision diffs compare values, not their spelling, and show times in newsroom time."""

import zoneinfo

import pytest
from django.urls import reverse

from articles.models import Revision, RevisionKind
from editorial.diff import snapshot_diff
from workflow import articles as services

VILNIUS = zoneinfo.ZoneInfo("Europe/Vilnius")


def test_same_instant_in_two_zones_is_no_change():
    before = {"publish_at": "2026-01-25T18:00:00+00:00", "embargo_until": None}
    after = {"publish_at": "2026-01-25T20:00:00+02:00", "embargo_until": None}
    assert snapshot_diff(before, after, zone=VILNIUS) == []
    assert snapshot_diff({"publish_at": "2026-01-25T18:00:00Z"}, before, zone=VILNIUS) == []


def test_changed_time_is_shown_whole_in_newsroom_time_across_dst():
    """A real change reads as two whole local times with their zones (the clocks moved
    between them), never as a character diff of two ISO strings."""
    before = {"publish_at": "2026-03-28T08:00:00+00:00"}
    after = {"publish_at": "2026-03-29T07:00:00+00:00"}
    (change,) = snapshot_diff(before, after, zone=VILNIUS)
    assert (change.before, change.after) == ("2026-03-28 10:00:00 EET", "2026-03-29 10:00:00 EEST")
    assert str(change.html) == (
        "<del>2026-03-28 10:00:00 EET</del> → <ins>2026-03-29 10:00:00 EEST</ins>"
    )


def test_time_set_or_cleared():
    (change,) = snapshot_diff(
        {"embargo_until": None}, {"embargo_until": "2026-03-29T07:00:00Z"}, zone=VILNIUS
    )
    assert str(change.html) == "<ins>2026-03-29 10:00:00 EEST</ins>"


def test_text_differing_only_in_line_breaks_and_invisibles_is_no_change():
    before = {"body": "One.\n\nTwo words.", "section": 3}
    after = {"body": "One.\r\n\r\nTwo\u00a0wo\u00adrds.", "section": "3"}
    assert snapshot_diff(before, after) == []
    (change,) = snapshot_diff(before, {"body": "One.\r\n\r\nTwo new words.", "section": 3})
    assert "<ins>" in str(change.html) and "\r" not in str(change.html)


@pytest.mark.django_db
def test_diff_page_shows_no_phantom_time_change(client, editor):
    """Two revisions whose publish times are one instant spelled in two zones: the diff
    page says there are no differences; a real change shows newsroom time."""
    article = services.article_create(actor=editor, headline="Times", body="Text.")
    first = Revision.objects.get(article=article)
    spelled = {**first.snapshot, "publish_at": "2026-01-25T18:00:00+00:00"}
    first.snapshot = spelled
    first.save()
    Revision.objects.create(
        article=article,
        version=2,
        kind=RevisionKind.EDIT,
        actor=editor,
        source="api",
        snapshot={**spelled, "publish_at": "2026-01-25T20:00:00+02:00"},
    )
    Revision.objects.create(
        article=article,
        version=3,
        kind=RevisionKind.EDIT,
        actor=editor,
        source="api",
        snapshot={**spelled, "publish_at": "2026-01-25T19:30:00+00:00"},
    )
    client.force_login(editor)
    url = reverse("admin:articles_article_revision_diff", args=[article.pk])
    same = client.get(url, {"a": 1, "b": 2})
    assert same.context["changes"] == []
    assert "No differences." in same.content.decode()
    moved = client.get(url, {"a": 2, "b": 3}).content.decode()
    assert "<del>2026-01-25 20:00:00 EET</del> → <ins>2026-01-25 21:30:00 EET</ins>" in moved
