"""Article write services: permissions per role, validation, versions, revisions, audit."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from articles.models import Article, Correction, Revision
from core.models import AuditLog
from tests.factories import make_article
from workflow import articles as services

LATER = dt.timedelta(hours=2)


def draft_by(user, **fields) -> Article:
    return services.article_create(actor=user, headline="Draft", body="Text.", **fields)


def in_state(status: str, author) -> Article:
    """An article in `status`, written by `author`, at version 1."""
    return make_article(status=status, author=author)


def test_reporter_creates_own_draft_with_first_revision(reporter):
    """A reporter's new article is a draft they author, version 1, with a create revision."""
    article = draft_by(reporter, section=None)
    assert (article.status, article.author, article.version) == ("draft", reporter, 1)
    revision = Revision.objects.get(article=article)
    assert (revision.version, revision.kind, revision.actor, revision.source) == (
        1,
        "create",
        reporter,
        "admin",
    )
    assert revision.snapshot["headline"] == "Draft"
    assert AuditLog.objects.filter(action="article.create", object_id=str(article.pk)).exists()


@pytest.mark.parametrize("field", ["publish_at", "embargo_until"])
def test_reporter_cannot_schedule_on_create(reporter, field):
    """Reporters may not set publish or embargo times, even when creating."""
    with pytest.raises(ValidationError) as error:
        draft_by(reporter, **{field: timezone.now() + LATER})
    assert field in error.value.message_dict
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("status", "published"),
        ("publish_at", "NOW"),
        ("embargo_until", "NOW"),
        ("author", None),
        ("version", 99),
        ("first_published_at", "NOW"),
    ],
)
def test_reporter_cannot_write_protected_fields(reporter, field, value):
    """A reporter's change of status, times, author or version is refused, nothing written."""
    article = draft_by(reporter)
    value = timezone.now() + LATER if value == "NOW" else value
    with pytest.raises(ValidationError) as error:
        services.article_update(
            article=article, actor=reporter, expected_version=1, changes={field: value}
        )
    assert field in error.value.message_dict
    article.refresh_from_db()
    assert (article.status, article.version, article.author) == ("draft", 1, reporter)


@pytest.mark.parametrize("field", ["status", "version"])
def test_nobody_writes_status_or_version_by_editing(editor, field):
    """Status changes go through transitions and versions through saves, even for editors."""
    article = in_state("draft", editor)
    with pytest.raises(ValidationError):
        services.article_update(
            article=article, actor=editor, expected_version=1, changes={field: "published"}
        )


def test_editor_may_set_times_and_author(editor, reporter):
    """Editors write publish time, embargo and author through an ordinary save."""
    article = draft_by(reporter)
    when = timezone.now() + LATER
    services.article_update(
        article=article,
        actor=editor,
        expected_version=1,
        changes={"publish_at": when, "embargo_until": when, "author": editor},
    )
    article.refresh_from_db()
    assert (article.publish_at, article.embargo_until, article.author, article.version) == (
        when,
        when,
        editor,
        2,
    )


def test_reporter_edits_only_own_drafts(reporter, other_reporter):
    """Another reporter's draft, or one's own submitted article, cannot be edited."""
    article = draft_by(reporter)
    with pytest.raises(PermissionDenied):
        services.article_update(
            article=article, actor=other_reporter, expected_version=1, changes={"body": "X"}
        )
    services.article_submit(article=article, actor=reporter)
    with pytest.raises(PermissionDenied, match="own drafts"):
        services.article_update(
            article=article, actor=reporter, expected_version=2, changes={"body": "X"}
        )


# Every transition × role: (service, start status, role, outcome).
TRANSITIONS = [
    ("submit", "draft", "reporter", "in_review"),
    ("submit", "draft", "other_reporter", PermissionDenied),
    ("submit", "draft", "editor", "in_review"),
    ("submit", "in_review", "reporter", ValidationError),
    ("send_back", "in_review", "reporter", PermissionDenied),
    ("send_back", "in_review", "editor", "draft"),
    ("send_back", "draft", "editor", ValidationError),
    ("publish", "in_review", "reporter", PermissionDenied),
    ("publish", "in_review", "editor", "published"),
    ("publish", "draft", "editor", "published"),
    ("publish", "withdrawn", "editor", ValidationError),
    ("schedule", "in_review", "reporter", PermissionDenied),
    ("schedule", "in_review", "editor", "scheduled"),
    ("withdraw", "published", "reporter", PermissionDenied),
    ("withdraw", "published", "editor", "withdrawn"),
    ("withdraw", "scheduled", "editor", "withdrawn"),
    ("withdraw", "draft", "editor", ValidationError),
    ("correct", "published", "reporter", PermissionDenied),
    ("correct", "published", "editor", "published"),
    ("correct", "draft", "editor", ValidationError),
]


def run_transition(name: str, article: Article, actor):
    if name == "submit":
        return services.article_submit(article=article, actor=actor)
    if name == "send_back":
        return services.article_send_back(article=article, actor=actor, note="Needs a source.")
    if name == "publish":
        return services.article_publish(article=article, actor=actor)
    if name == "schedule":
        return services.article_publish(
            article=article, actor=actor, publish_at=timezone.now() + LATER
        )
    if name == "withdraw":
        return services.article_withdraw(article=article, actor=actor, reason="Legal request.")
    if name == "correct":
        return services.article_correct(article=article, actor=actor, note="Name corrected.")
    raise AssertionError(name)


@pytest.mark.parametrize(("name", "start", "role", "outcome"), TRANSITIONS)
def test_transition_by_role(request, reporter, name, start, role, outcome):
    """Each transition is allowed to the right role from the right state, refused otherwise."""
    actor = request.getfixturevalue(role)
    article = in_state(start, reporter)
    revisions_before = Revision.objects.filter(article=article).count()
    if isinstance(outcome, type):
        with pytest.raises(outcome):
            run_transition(name, article, actor)
        article.refresh_from_db()
        assert (article.status, article.version) == (start, 1)
        assert Revision.objects.filter(article=article).count() == revisions_before
        return
    run_transition(name, article, actor)
    article.refresh_from_db()
    assert article.status == outcome
    if name == "correct":
        assert Correction.objects.get(article=article).created_by == actor
        assert AuditLog.objects.filter(action="article.correct", actor=actor).exists()
        return
    assert article.version == 2
    revision = Revision.objects.get(article=article, version=2)
    assert (revision.actor, revision.snapshot["status"]) == (actor, outcome)
    entry = AuditLog.objects.get(object_id=str(article.pk), action__startswith="article.")
    assert (entry.actor, entry.details["from"], entry.details["to"]) == (actor, start, outcome)


def test_withdraw_needs_a_reason(editor):
    """A withdrawal without a reason is refused."""
    article = in_state("published", editor)
    with pytest.raises(ValidationError, match="reason"):
        services.article_withdraw(article=article, actor=editor, reason="   ")
    article.refresh_from_db()
    assert article.status == "published"


def test_embargo_cannot_be_in_the_past(editor):
    """Publishing or saving with an embargo that already ended is refused."""
    article = in_state("in_review", editor)
    past = timezone.now() - dt.timedelta(minutes=1)
    with pytest.raises(ValidationError, match="past"):
        services.article_publish(article=article, actor=editor, embargo_until=past)
    with pytest.raises(ValidationError, match="past"):
        services.article_update(
            article=article, actor=editor, expected_version=1, changes={"embargo_until": past}
        )
    article.refresh_from_db()
    assert (article.status, article.embargo_until, article.version) == ("in_review", None, 1)


def test_schedule_and_embargo_decided_at_the_exact_second(editor):
    """A scheduled or embargoed article is public from its second on, with no scheduler."""
    at = (timezone.now() + LATER).replace(microsecond=0)
    scheduled = in_state("in_review", editor)
    services.article_publish(article=scheduled, actor=editor, publish_at=at)
    embargoed = in_state("in_review", editor)
    services.article_publish(article=embargoed, actor=editor, embargo_until=at)
    assert (scheduled.status, embargoed.status) == ("scheduled", "published")
    just_before = at - dt.timedelta(microseconds=1)
    for article in (scheduled, embargoed):
        assert not Article.objects.public(just_before).filter(pk=article.pk).exists()
        assert Article.objects.public(at).filter(pk=article.pk).exists()
        article.refresh_from_db()
        assert not article.is_public(just_before) and article.is_public(at)
    assert scheduled.first_published_at == at == embargoed.first_published_at


def test_send_back_of_a_scheduled_article_cancels_its_publication(editor):
    """Sending back a scheduled article makes it a draft that never counted as published."""
    article = in_state("in_review", editor)
    services.article_publish(article=article, actor=editor, publish_at=timezone.now() + LATER)
    services.article_send_back(article=article, actor=editor)
    article.refresh_from_db()
    assert (article.status, article.first_published_at) == ("draft", None)


def test_after_publication_text_changes_need_minor_or_a_note(editor):
    """Headline/standfirst/body changes after publication are minor or carry a correction."""
    article = in_state("published", editor)
    with pytest.raises(ValidationError, match="minor"):
        services.article_update(
            article=article, actor=editor, expected_version=1, changes={"body": "Changed."}
        )
    services.article_update(  # other fields need neither
        article=article, actor=editor, expected_version=1, changes={"byline": "Staff"}
    )
    services.article_update(
        article=article, actor=editor, expected_version=2, changes={"body": "Typo."}, minor=True
    )
    assert not Correction.objects.exists()
    services.article_update(
        article=article,
        actor=editor,
        expected_version=3,
        changes={"headline": "Right name"},
        correction_note="An earlier version misspelled the minister's name.",
    )
    correction = Correction.objects.get(article=article)
    assert correction.note.startswith("An earlier version")
    assert Revision.objects.get(article=article, version=4).note == correction.note
    assert Revision.objects.get(article=article, version=3).minor


def test_stale_save_is_refused_and_names_who_saved(editor, other_editor):
    """A save from an outdated copy raises StaleArticleError naming the last saver; no write."""
    article = in_state("draft", editor)
    mine = Article.objects.get(pk=article.pk)
    theirs = Article.objects.get(pk=article.pk)
    services.article_update(
        article=theirs, actor=other_editor, expected_version=1, changes={"body": "Theirs."}
    )
    with pytest.raises(services.StaleArticleError) as error:
        services.article_update(
            article=mine, actor=editor, expected_version=1, changes={"body": "Mine."}
        )
    assert error.value.saved_by == other_editor
    assert error.value.current_version == 2
    assert "Emil Editor" in str(error.value)
    assert error.value.saved_at is not None
    article.refresh_from_db()
    assert (article.body, article.version) == ("Theirs.", 2)
    # Transitions refuse stale copies too.
    with pytest.raises(services.StaleArticleError):
        services.article_submit(article=mine, actor=editor)


@pytest.mark.parametrize("source", ["admin", "api", "import"])
def test_every_write_path_records_a_revision(editor, source):
    """Creates, edits and transitions from any source each leave one revision with actor."""
    article = services.article_create(actor=editor, headline="H", body="B", source=source)
    services.article_update(
        article=article, actor=editor, expected_version=1, changes={"body": "C"}, source=source
    )
    services.article_submit(article=article, actor=editor, source=source)
    services.article_publish(article=article, actor=editor, source=source)
    revisions = list(Revision.objects.filter(article=article).order_by("version"))
    assert [r.kind for r in revisions] == ["create", "edit", "submit", "publish"]
    assert {(r.actor_id, r.source) for r in revisions} == {(editor.pk, source)}
    assert article.version == 4


def test_restore_makes_a_new_revision(editor):
    """Restoring an old revision brings its text back as a new version; history is kept."""
    article = services.article_create(actor=editor, headline="First", body="One.")
    services.article_update(
        article=article, actor=editor, expected_version=1, changes={"headline": "Second"}
    )
    first = Revision.objects.get(article=article, version=1)
    services.article_restore(article=article, actor=editor, revision=first, expected_version=2)
    article.refresh_from_db()
    assert (article.headline, article.version) == ("First", 3)
    assert list(
        Revision.objects.filter(article=article).order_by("version").values_list("kind", flat=True)
    ) == ["create", "edit", "restore"]
    assert AuditLog.objects.filter(action="article.restore").count() == 1


def test_imported_articles_get_a_baseline_revision(seed):
    """Articles loaded from fixtures get one 'import' revision each, once."""
    assert Revision.objects.count() == Article.objects.count() > 0  # load_newsroom made them
    assert services.article_revisions_baseline() == 0
    Revision.objects.all().delete()
    assert services.article_revisions_baseline() == Article.objects.count()
    assert services.article_revisions_baseline() == 0
    revision = Revision.objects.first()
    assert (revision.source, revision.kind) == ("import", "create")
    assert revision.snapshot["headline"] == revision.article.headline
