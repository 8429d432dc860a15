"""Mention review decisions are article writes: permission, version, revision, audit entry.

Confirming, rejecting or reassigning a suggestion, confirming all, and resolving,
creating or dismissing a name change the article's links, so each goes through the
article's write path, on the admin suggestion page and on POST …/review/ alike.
"""

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from articles.models import (
    Article,
    ArticleStatus,
    Correction,
    Mention,
    MentionState,
    Revision,
    RevisionKind,
)
from core.models import AuditLog
from entities.models import Entity, EntityRevision
from mentions.models import CandidateKind, CandidateState, MentionCandidate
from mentions.suggestions import article_suggestions_refresh
from tests.api.conftest import client_for
from tests.factories import make_article, person
from workflow import articles as article_services
from workflow import review as services

pytestmark = pytest.mark.django_db


def _article(status=ArticleStatus.DRAFT, author=None) -> Article:
    """Two sure suggestions, an ambiguous short form (twice) and an unknown name."""
    person("Volodymyr Zelenskyy", "Zelensky", description="President.")
    person("Sviatlana Tsikhanouskaya", short=("Tsikhanouskaya",))
    person("Anna Tsikhanouskaya", short=("Tsikhanouskaya",))
    person("Sergei Tikhanovsky", "Siarhei Tsikhanouski")
    article = make_article(
        "Talks",
        body="Zelensky met Siarhei Tsikhanouski. Later Tsikhanouskaya met Keith Kellogg. "
        "Tsikhanouskaya left.",
        status=status,
        author=author,
    )
    article_suggestions_refresh(article=article)
    return Article.objects.get(pk=article.pk)


def _mention(article: Article, slug: str) -> Mention:
    return Mention.objects.get(article=article, entity__slug=slug)


def _candidate(article: Article, kind: str) -> MentionCandidate:
    return MentionCandidate.objects.get(article=article, kind=kind, state=CandidateState.OPEN)


def _last_revision(article: Article) -> Revision:
    return Revision.objects.filter(article=article).order_by("-version").first()


DECISIONS = {
    "confirm": lambda a, actor, v: services.mention_confirm(
        mention=_mention(a, "volodymyr-zelenskyy"), actor=actor, expected_version=v
    ),
    "reject": lambda a, actor, v: services.mention_reject(
        mention=_mention(a, "volodymyr-zelenskyy"), actor=actor, expected_version=v
    ),
    "reassign": lambda a, actor, v: services.mention_reassign(
        mention=_mention(a, "sergei-tikhanovsky"),
        entity=Entity.objects.get(slug="anna-tsikhanouskaya"),
        actor=actor,
        expected_version=v,
    ),
    "confirm_all": lambda a, actor, v: services.mentions_confirm_all(
        article=a, actor=actor, expected_version=v
    ),
    "resolve": lambda a, actor, v: services.candidate_resolve(
        candidate=_candidate(a, CandidateKind.AMBIGUOUS),
        entity=Entity.objects.get(slug="anna-tsikhanouskaya"),
        actor=actor,
        expected_version=v,
    ),
    "resolve_occurrences": lambda a, actor, v: services.candidate_resolve_occurrences(
        candidate=(candidate := _candidate(a, CandidateKind.AMBIGUOUS)),
        choices=[
            Entity.objects.get(slug="anna-tsikhanouskaya").pk
            for _ in candidate.occurrences or [None]
        ],
        actor=actor,
        expected_version=v,
    ),
    "create_entity": lambda a, actor, v: services.candidate_create_entity(
        candidate=_candidate(a, CandidateKind.UNKNOWN), actor=actor, expected_version=v
    ),
    "dismiss": lambda a, actor, v: services.candidate_dismiss(
        candidate=_candidate(a, CandidateKind.UNKNOWN), actor=actor, expected_version=v
    ),
}


@pytest.mark.parametrize("decision", sorted(DECISIONS))
def test_every_decision_bumps_the_version_with_a_review_revision_and_audit_entry(editor, decision):
    article = _article()
    before = article.version
    DECISIONS[decision](article, editor, before)
    article.refresh_from_db()
    assert article.version == before + 1
    revision = _last_revision(article)
    assert (revision.version, revision.kind, revision.actor) == (
        article.version,
        RevisionKind.REVIEW,
        editor,
    )
    assert revision.note  # says what was decided
    assert not revision.minor  # a draft: nothing public changed
    entry = AuditLog.objects.filter(action="article.review", object_id=str(article.pk)).get()
    assert entry.actor == editor
    assert entry.details["decision"] == decision
    assert entry.details["version"] == article.version


def test_the_revision_note_says_what_was_decided(editor):
    article = _article()
    services.mention_reassign(
        mention=_mention(article, "sergei-tikhanovsky"),
        entity=Entity.objects.get(slug="anna-tsikhanouskaya"),
        actor=editor,
        expected_version=article.version,
    )
    note = _last_revision(article).note
    assert "Siarhei Tsikhanouski" in note and "Anna Tsikhanouskaya" in note


def test_a_stale_decision_writes_nothing(editor, other_editor):
    article = _article()
    opened = article.version
    services.mention_confirm(
        mention=_mention(article, "volodymyr-zelenskyy"),
        actor=other_editor,
        expected_version=opened,
    )
    with pytest.raises(article_services.StaleArticleError) as raised:
        services.mention_reject(
            mention=_mention(article, "volodymyr-zelenskyy"), actor=editor, expected_version=opened
        )
    assert "Nothing was saved" in raised.value.message
    assert _mention(article, "volodymyr-zelenskyy").state == MentionState.CONFIRMED
    assert Article.objects.get(pk=article.pk).version == opened + 1


@pytest.mark.parametrize("decision", sorted(DECISIONS))
def test_reporters_decide_only_on_their_own_drafts(reporter, other_reporter, decision):
    """The article's "edit" rule (articles.permissions): another reporter's draft, or the
    author's own article once submitted, is refused and nothing moves."""
    article = _article(author=other_reporter)
    with pytest.raises(PermissionDenied):
        DECISIONS[decision](article, reporter, article.version)
    Article.objects.filter(pk=article.pk).update(status=ArticleStatus.IN_REVIEW)
    with pytest.raises(PermissionDenied):
        DECISIONS[decision](article, other_reporter, article.version)
    assert Article.objects.get(pk=article.pk).version == article.version
    assert not Revision.objects.filter(article=article).exists()
    assert not Mention.objects.filter(article=article, decided_by__isnull=False).exists()
    assert not MentionCandidate.objects.filter(article=article, decided_by__isnull=False).exists()


def test_an_author_decides_on_their_own_draft(reporter):
    article = _article(author=reporter)
    services.mention_confirm(
        mention=_mention(article, "volodymyr-zelenskyy"),
        actor=reporter,
        expected_version=article.version,
    )
    assert _last_revision(article).actor == reporter


def test_after_publication_a_decision_is_a_minor_revision_or_a_correction(editor):
    """Linking a name changes no words: after first publication decisions are recorded as
    minor, unless the editor adds a correction note, which is published."""
    article = _article(status=ArticleStatus.PUBLISHED)
    services.mention_reject(
        mention=_mention(article, "volodymyr-zelenskyy"),
        actor=editor,
        expected_version=article.version,
    )
    assert _last_revision(article).minor
    article.refresh_from_db()
    services.mention_reassign(
        mention=_mention(article, "sergei-tikhanovsky"),
        entity=Entity.objects.get(slug="anna-tsikhanouskaya"),
        actor=editor,
        expected_version=article.version,
        correction_note="An earlier version linked the wrong person.",
    )
    revision = _last_revision(article)
    assert not revision.minor
    assert "wrong person" in revision.note
    correction = Correction.objects.get(article=article)
    assert correction.note == "An earlier version linked the wrong person."


def test_a_correction_note_on_a_draft_is_refused(editor):
    article = _article()
    with pytest.raises(Exception) as raised:
        services.mention_confirm(
            mention=_mention(article, "volodymyr-zelenskyy"),
            actor=editor,
            expected_version=article.version,
            correction_note="Nothing to correct.",
        )
    assert "after first publication" in str(raised.value)
    assert Article.objects.get(pk=article.pk).version == article.version


def test_a_refused_duplicate_leaves_the_version_alone(editor):
    article = _article()
    person("Keith Kellogg", description="Envoy.")
    with pytest.raises(services.PossibleDuplicateError):
        services.candidate_create_entity(
            candidate=_candidate(article, CandidateKind.UNKNOWN),
            actor=editor,
            expected_version=article.version,
        )
    assert Article.objects.get(pk=article.pk).version == article.version
    assert not Revision.objects.filter(article=article).exists()


def test_an_entity_created_from_a_name_has_its_first_revision(editor):
    article = _article()
    entity = services.candidate_create_entity(
        candidate=_candidate(article, CandidateKind.UNKNOWN),
        actor=editor,
        expected_version=article.version,
    )
    revision = EntityRevision.objects.get(entity=entity)
    assert (revision.kind, revision.actor) == ("create", editor)


# -- the admin suggestion page -----------------------------------------------------------


def _page(article: Article) -> str:
    return reverse("admin:articles_article_suggestions", args=[article.pk])


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_admin_page_carries_the_version_through_a_sequence_of_decisions(client, editor):
    article = _article()
    client.force_login(editor)
    for mention in Mention.objects.filter(article=article).order_by("pk"):
        page = client.get(_page(article)).content.decode()
        version = Article.objects.get(pk=article.pk).version
        assert f'name="expected_version" value="{version}"' in page
        response = client.post(
            _page(article),
            {"action": "reject", "mention": mention.pk, "expected_version": version},
        )
        assert response.status_code == 302
        mention.refresh_from_db()
        assert mention.state == MentionState.REJECTED
    article.refresh_from_db()
    kinds = list(Revision.objects.filter(article=article).values_list("kind", flat=True))
    assert kinds == [RevisionKind.REVIEW] * Mention.objects.filter(article=article).count()
    assert article.version == 1 + len(kinds)


def test_admin_stale_decision_gets_the_stale_save_message(client, editor, other_editor):
    article = _article()
    opened = article.version
    services.mentions_confirm_all(article=article, actor=other_editor, expected_version=opened)
    client.force_login(editor)
    mention = _mention(article, "volodymyr-zelenskyy")
    response = client.post(
        _page(article), {"action": "reject", "mention": mention.pk, "expected_version": opened}
    )
    assert response.status_code == 302
    (message,) = _messages(response)
    assert "was changed by emil" in message.lower() or "Emil Editor" in message
    assert "Nothing was saved" in message
    assert _mention(article, "volodymyr-zelenskyy").state == MentionState.CONFIRMED


def test_admin_decision_without_a_version_is_refused_clearly(client, editor):
    article = _article()
    client.force_login(editor)
    mention = _mention(article, "volodymyr-zelenskyy")
    response = client.post(_page(article), {"action": "confirm", "mention": mention.pk})
    assert response.status_code == 302
    (message,) = _messages(response)
    assert "reload" in message.lower()
    assert _mention(article, "volodymyr-zelenskyy").state == MentionState.SUGGESTED


# -- the API -----------------------------------------------------------------------------


def _review_url(article: Article) -> str:
    return f"/api/v1/articles/{article.slug}/review/"


def test_api_review_requires_if_match_and_answers_the_new_etag(editor):
    """Without If-Match 428; with a stale one 412; each answer carries the ETag of the new
    version, so a client makes several decisions in a row."""
    article = _article()
    api = client_for(editor)
    url = _review_url(article)
    confirm = {"decision": "confirm", "entity": "volodymyr-zelenskyy"}
    assert api.post(url, confirm, format="json").status_code == 428
    etag = api.get(url)["ETag"]
    assert etag.startswith(f'"v{article.version}.')
    first = api.post(url, confirm, format="json", headers={"if-match": etag})
    assert first.status_code == 200, first.content
    assert first["ETag"].startswith(f'"v{article.version + 1}.')
    stale = api.post(
        url,
        {"decision": "reject", "entity": "sergei-tikhanovsky"},
        format="json",
        headers={"if-match": etag},
    )
    assert stale.status_code == 412
    assert stale.json()["current_version"] == article.version + 1
    assert _mention(article, "sergei-tikhanovsky").state == MentionState.SUGGESTED
    second = api.post(
        url,
        {"decision": "reject", "entity": "sergei-tikhanovsky"},
        format="json",
        headers={"if-match": first["ETag"]},
    )
    assert second.status_code == 200, second.content
    assert second["ETag"].startswith(f'"v{article.version + 2}.')
    revision = _last_revision(article)
    assert (revision.kind, revision.source) == (RevisionKind.REVIEW, "api")


def test_api_review_correction_note_after_publication(editor):
    article = _article(status=ArticleStatus.PUBLISHED)
    api = client_for(editor)
    url = _review_url(article)
    response = api.post(
        url,
        {
            "decision": "reject",
            "entity": "volodymyr-zelenskyy",
            "correction_note": "An earlier version linked the wrong person.",
        },
        format="json",
        headers={"if-match": api.get(url)["ETag"]},
    )
    assert response.status_code == 200, response.content
    assert Correction.objects.filter(article=article).count() == 1
