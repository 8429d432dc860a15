"""Every write to an article goes through these services: admin, API and import alike.

Each service checks permission (PermissionDenied), validates (ValidationError), runs in one
transaction, raises the article's version with a conditional UPDATE (a stale copy raises
StaleArticleError, never overwrites), records a Revision, and logs transitions in the
AuditLog. Roles are permissions, granted through the "Reporter" and "Editor" groups:

- reporters (articles.add/change/submit_article) write their own drafts and submit them;
- editors (articles.publish_article) edit any article, send back, schedule, embargo,
  publish; withdraw and correct need withdraw_article and correct_article.
"""

import datetime as dt
import zoneinfo
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

from articles.models import (
    Article,
    ArticleStatus,
    Correction,
    CorrectionKind,
    Revision,
    RevisionKind,
    Section,
)
from articles.permissions import article_can, user_is_editor
from core.audit import audit_record
from core.text import clean_text
from entities.models import Entity
from mentions.suggestions import article_suggestions_refresh
from search.services import search_index_remove, search_index_update

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# The article's text and placement: what a revision can bring back and what the admin
# shows as its content fieldset (scheduling, author and status are decisions, not text).
TEXT_FIELDS = (
    "headline",
    "slug",
    "standfirst",
    "body",
    "byline",
    "section",
    "dateline",
    "language",
)
# Fields article_update() accepts in `changes`.
EDITABLE_FIELDS = (*TEXT_FIELDS, "publish_at", "embargo_until", "author")
# Of those, the ones only editors may write; reporters get a ValidationError.
EDITOR_ONLY_FIELDS = ("publish_at", "embargo_until", "author")
# Typed text: cleaned (line breaks, invisible characters) before anything reads it.
TYPED_TEXT_FIELDS = ("headline", "standfirst", "body", "byline")
# Fields restored from a revision.
RESTORABLE_FIELDS = TEXT_FIELDS
# After first publication, a change to these needs `minor=True` or a correction note.
CONTENT_FIELDS = ("headline", "standfirst", "body")
# What a revision records, and what the conditional UPDATE writes.
SNAPSHOT_FIELDS = (*EDITABLE_FIELDS, "status", "withdrawal_reason")
_WRITTEN_FIELDS = (*SNAPSHOT_FIELDS, "first_published_at", "withdrawn_at")


class StaleArticleError(Exception):
    """The article changed since the caller read it; nothing was written."""

    def __init__(
        self,
        *,
        article_pk: int,
        saved_by,
        saved_at: dt.datetime | None,
        current_version: int,
        expected_version: int,
    ):
        self.article_pk = article_pk
        self.saved_by = saved_by
        self.saved_at = saved_at
        self.current_version = current_version
        self.expected_version = expected_version
        super().__init__(self.message)

    @property
    def saved_by_name(self) -> str:
        if self.saved_by is None:
            return "someone"
        return self.saved_by.get_full_name() or self.saved_by.get_username()

    @property
    def saved_at_display(self) -> str:
        if self.saved_at is None:
            return "an unknown time"
        zone = zoneinfo.ZoneInfo(settings.NEWSROOM_TIME_ZONE)
        return timezone.localtime(self.saved_at, zone).strftime("%Y-%m-%d %H:%M:%S %Z")

    @property
    def message(self) -> str:
        return (
            f"This article was changed by {self.saved_by_name} at {self.saved_at_display} "
            f"(now version {self.current_version}; you opened version "
            f"{self.expected_version}). Nothing was saved."
        )


# ---------------------------------------------------------------------------------------
# Permissions


def article_can_edit(*, article: Article, user) -> bool:
    """Editors edit any article; reporters only their own drafts (articles.permissions)."""
    return article_can(user, "edit", article)


def article_writable_fields(*, user) -> tuple[str, ...]:
    """The fields of `changes` this user may write."""
    if user_is_editor(user):
        return EDITABLE_FIELDS
    return tuple(name for name in EDITABLE_FIELDS if name not in EDITOR_ONLY_FIELDS)


def _require(user, perm: str, doing: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied(f"You do not have permission to {doing}.")


def _refuse_fields(names, *, user) -> None:
    """ValidationError naming every field this user may not write."""
    allowed = article_writable_fields(user=user)
    errors = {}
    for name in names:
        if name not in EDITABLE_FIELDS:
            errors[name] = f"“{name}” cannot be changed by editing; use the workflow actions."
        elif name not in allowed:
            errors[name] = f"Your role may not set “{name}”."
    if errors:
        raise ValidationError(errors)


# ---------------------------------------------------------------------------------------
# Helpers


def _was_published(article: Article, now: dt.datetime) -> bool:
    """Whether the article has gone public at least once (the corrections rule applies)."""
    return article.first_published_at is not None and article.first_published_at <= now


def _check_embargo(value: dt.datetime | None, now: dt.datetime) -> None:
    if value is not None and value < now:
        raise ValidationError({"embargo_until": "An embargo cannot end in the past."})


def _unique_slug(headline: str) -> str:
    base = slugify(headline)[:180] or "article"
    slug, n = base, 1
    while Article.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def clean_typed_text(values: dict[str, object]) -> dict[str, object]:
    """`values` with its typed text fields cleaned (core.text.clean_text).

    The one place where article text is cleaned on its way in: every service that
    writes text calls it before validating, so the stored text, the finder's spans and
    the rendered page all count the same characters.
    """
    return {
        name: clean_text(value) if name in TYPED_TEXT_FIELDS and isinstance(value, str) else value
        for name, value in values.items()
    }


def _json_value(value):
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return value


def article_snapshot(article: Article) -> dict:
    """The editable state of an article as JSON (foreign keys as primary keys)."""
    snapshot = {}
    for name in SNAPSHOT_FIELDS:
        field = Article._meta.get_field(name)
        snapshot[name] = _json_value(getattr(article, field.attname))
    return snapshot


def _stale(article_pk: int, expected_version: int) -> StaleArticleError:
    current = Article.objects.filter(pk=article_pk).values("version", "updated_at").first()
    if current is None:
        raise Article.DoesNotExist(f"Article {article_pk} no longer exists.")
    last = (
        Revision.objects.filter(article_id=article_pk)
        .select_related("actor")
        .order_by("-version")
        .first()
    )
    return StaleArticleError(
        article_pk=article_pk,
        saved_by=last.actor if last else None,
        saved_at=last.created_at if last else current["updated_at"],
        current_version=current["version"],
        expected_version=expected_version,
    )


def _load_current(article: Article, expected_version: int) -> Article:
    """The article as stored, or StaleArticleError if it moved past `expected_version`."""
    current = Article.objects.get(pk=article.pk)
    if current.version != expected_version:
        raise _stale(article.pk, expected_version)
    return current


def _write(
    *,
    original: Article,
    candidate: Article,
    expected_version: int,
    actor: "User",
    kind: str,
    source: str,
    minor: bool = False,
    note: str = "",
) -> Article:
    """Conditional UPDATE on the version, then a Revision. Updates `original` in place."""
    now = timezone.now()
    values = {
        Article._meta.get_field(n).attname: getattr(candidate, Article._meta.get_field(n).attname)
        for n in _WRITTEN_FIELDS
    }
    updated = Article.objects.filter(pk=candidate.pk, version=expected_version).update(
        version=F("version") + 1, updated_at=now, **values
    )
    if updated != 1:
        raise _stale(candidate.pk, expected_version)
    candidate.version = expected_version + 1
    candidate.updated_at = now
    Revision.objects.create(
        article=candidate,
        version=candidate.version,
        kind=kind,
        actor=actor,
        created_at=now,
        source=source,
        minor=minor,
        note=note,
        snapshot=article_snapshot(candidate),
    )
    for field in Article._meta.concrete_fields:
        setattr(original, field.attname, getattr(candidate, field.attname))
    return original


def _assign(article: Article, name: str, value) -> None:
    """Set a field from a value or, for foreign keys, an instance or a primary key."""
    field = Article._meta.get_field(name)
    if field.is_relation and not isinstance(value, models.Model):
        setattr(article, field.attname, value)
    else:
        setattr(article, name, value)


def _differs(before: Article, after: Article, name: str) -> bool:
    attname = Article._meta.get_field(name).attname
    return getattr(before, attname) != getattr(after, attname)


# ---------------------------------------------------------------------------------------
# Services


@transaction.atomic
def article_create(
    *,
    actor: "User",
    headline: str,
    body: str,
    standfirst: str = "",
    section: Section | None = None,
    byline: str = "",
    dateline: Entity | None = None,
    language: str = "en",
    publish_at: dt.datetime | None = None,
    embargo_until: dt.datetime | None = None,
    slug: str | None = None,
    source: str = "admin",
) -> Article:
    """A new draft written by `actor` (its author), with its first revision."""
    _require(actor, "articles.add_article", "create articles")
    _refuse_fields(
        [
            name
            for name, value in (("publish_at", publish_at), ("embargo_until", embargo_until))
            if value is not None
        ],
        user=actor,
    )
    now = timezone.now()
    _check_embargo(embargo_until, now)
    text = clean_typed_text(
        {"headline": headline, "standfirst": standfirst, "body": body, "byline": byline}
    )
    article = Article(
        headline=text["headline"],
        slug=slug or _unique_slug(text["headline"]),
        standfirst=text["standfirst"],
        body=text["body"],
        byline=text["byline"],
        section=section,
        dateline=dateline,
        language=language or settings.LANGUAGE_CODE,
        publish_at=publish_at,
        embargo_until=embargo_until,
        author=actor,
        status=ArticleStatus.DRAFT,
        version=1,
        created_at=now,
        updated_at=now,
    )
    article.full_clean()
    article.save()
    Revision.objects.create(
        article=article,
        version=1,
        kind=RevisionKind.CREATE,
        actor=actor,
        created_at=now,
        source=source,
        snapshot=article_snapshot(article),
    )
    audit_record(actor=actor, action="article.create", target=article, source=source)
    _derived_refresh(article)
    return article


def _derived_refresh(article: Article, *, text_changed: bool = True) -> None:
    """Bring what is derived from the article up to date, in the writer's transaction:
    the search index always (it holds the article's status and times too), mention
    suggestions when the text changed. Every write service ends here."""
    search_index_update(articles=[article])
    if text_changed:
        article_suggestions_refresh(article=article)


def _require_edit(article: Article, actor: "User") -> None:
    if not article_can_edit(article=article, user=actor):
        if user_is_editor(actor) or not actor.has_perm("articles.change_article"):
            raise PermissionDenied("You do not have permission to edit articles.")
        raise PermissionDenied("Reporters may only edit their own drafts.")


def _check_parts(
    *, article: Article, parts: "Sequence[str]", minor: bool, correction_note: str, now
) -> None:
    """Quotes, statistics and mentions are published content: after first publication a
    change to them needs `minor` or a correction note, like the text."""
    if parts and _was_published(article, now) and not minor and not correction_note:
        raise ValidationError(
            f"This article has been published: mark the change to its {', '.join(parts)} "
            "as minor or add a correction note."
        )


def article_parts_check(
    *,
    article: Article,
    actor: "User",
    parts: "Sequence[str]",
    minor: bool = False,
    correction_note: str = "",
) -> None:
    """Raise what article_update(parts=…) would for these parts, writing nothing (forms)."""
    current = Article.objects.get(pk=article.pk)
    _require_edit(current, actor)
    _check_parts(
        article=current,
        parts=parts,
        minor=minor,
        correction_note=(correction_note or "").strip(),
        now=timezone.now(),
    )


def _update_prepare(
    *,
    article: Article,
    actor: "User",
    expected_version: int,
    changes: dict[str, object],
    minor: bool,
    correction_note: str,
    parts: "Sequence[str]" = (),
) -> Article:
    """Every check of article_update(); returns the validated, unsaved new state."""
    _refuse_fields(changes, user=actor)
    changes = clean_typed_text(changes)
    current = _load_current(article, expected_version)
    _require_edit(current, actor)
    now = timezone.now()
    candidate = Article.objects.get(pk=current.pk)
    for name, value in changes.items():
        _assign(candidate, name, value)
    changed = [name for name in changes if _differs(current, candidate, name)]
    if "embargo_until" in changed:
        _check_embargo(candidate.embargo_until, now)
    published = _was_published(current, now)
    if correction_note:
        if not published:
            raise ValidationError(
                {"correction_note": "Corrections apply only after first publication."}
            )
        _require(actor, "articles.correct_article", "publish corrections")
    content_changed = [name for name in changed if name in CONTENT_FIELDS]
    if published and content_changed and not minor and not correction_note:
        raise ValidationError(
            {
                name: "This article has been published: mark the change as minor or "
                "add a correction note."
                for name in content_changed
            }
        )
    _check_parts(
        article=current, parts=parts, minor=minor, correction_note=correction_note, now=now
    )
    candidate.full_clean()
    return candidate


def article_update_check(
    *,
    article: Article,
    actor: "User",
    expected_version: int,
    changes: dict[str, object],
    minor: bool = False,
    correction_note: str = "",
) -> None:
    """Raise what article_update() would raise, writing nothing (for forms)."""
    _update_prepare(
        article=article,
        actor=actor,
        expected_version=expected_version,
        changes=changes,
        minor=minor,
        correction_note=(correction_note or "").strip(),
    )


@transaction.atomic
def article_update(
    *,
    article: Article,
    actor: "User",
    expected_version: int,
    changes: dict[str, object],
    minor: bool = False,
    correction_note: str = "",
    source: str = "admin",
    kind: str = RevisionKind.EDIT,
    parts: "Sequence[str]" = (),
    write_parts: "Callable[[], dict | None] | None" = None,
) -> Article:
    """Apply `changes` to the article if it is still at `expected_version`.

    After first publication, a change to headline, standfirst or body must be `minor` or
    carry a `correction_note`, which is published as a correction.

    `parts` names the article's parts this save changes ("quotes", "statistics",
    "mentions"); `write_parts` writes them (the admin's inline formsets) inside this
    transaction, after the permission, version and correction checks, and may return
    what it changed for the audit entry. The same rules apply to them as to the text, the
    version rises once, the revision notes them and the audit log records the change.
    """
    correction_note = (correction_note or "").strip()
    parts = tuple(parts)
    candidate = _update_prepare(
        article=article,
        actor=actor,
        expected_version=expected_version,
        changes=changes,
        minor=minor,
        correction_note=correction_note,
        parts=parts,
    )
    parts_note = f"Changed {', '.join(parts)}." if parts else ""
    _write(
        original=article,
        candidate=candidate,
        expected_version=expected_version,
        actor=actor,
        kind=kind,
        source=source,
        minor=minor,
        note="\n".join(text for text in (correction_note, parts_note) if text),
    )
    if write_parts is not None:
        written = write_parts()
        if parts:
            audit_record(
                actor=actor,
                action="article.parts",
                target=article,
                details={"parts": list(parts), "version": article.version, **(written or {})},
                source=source,
            )
    if correction_note:
        _correction_add(article=article, actor=actor, note=correction_note, source=source)
    _derived_refresh(article, text_changed=any(name in CONTENT_FIELDS for name in changes))
    return article


@transaction.atomic
def article_review_decide(
    *,
    article: Article,
    actor: "User",
    decide: "Callable[[Article], tuple[str, dict]]",
    expected_version: int | None = None,
    correction_note: str = "",
    source: str = "admin",
) -> Article:
    """One decision on the article's entity links (workflow.review), as an article write.

    The article is locked and checked first (the "edit" permission; `expected_version`,
    when given, or StaleArticleError; None acts on the stored version, as the transition
    services do), then `decide(current)` changes the links and returns the revision's note
    and the audit entry's details. The version rises once, with a "review" revision and
    an "article.review" audit entry, all in this transaction.

    Linking a name to its entity page changes no words of the article: after first
    publication a decision is recorded as a minor revision, or, with a `correction_note`
    (say when a wrong person was linked), publishes that correction.
    """
    correction_note = (correction_note or "").strip()
    current = Article.objects.select_for_update().get(pk=article.pk)
    if expected_version is not None and current.version != expected_version:
        raise _stale(article.pk, expected_version)
    _require_edit(current, actor)
    published = _was_published(current, timezone.now())
    if correction_note:
        if not published:
            raise ValidationError(
                {"correction_note": "Corrections apply only after first publication."}
            )
        _require(actor, "articles.correct_article", "publish corrections")
    note, details = decide(current)
    _write(
        original=article,
        candidate=current,
        expected_version=current.version,
        actor=actor,
        kind=RevisionKind.REVIEW,
        source=source,
        minor=published and not correction_note,
        note="\n".join(text for text in (correction_note, note) if text),
    )
    audit_record(
        actor=actor,
        action="article.review",
        target=article,
        details={**details, "note": note, "version": article.version},
        source=source,
    )
    if correction_note:
        _correction_add(article=article, actor=actor, note=correction_note, source=source)
    _derived_refresh(article, text_changed=False)
    return article


def article_check_version(*, article: Article, expected_version: int) -> None:
    """StaleArticleError if the stored article moved past `expected_version`."""
    _load_current(article, expected_version)


@transaction.atomic
def article_restore(
    *,
    article: Article,
    actor: "User",
    revision: Revision,
    expected_version: int,
    minor: bool = False,
    correction_note: str = "",
    source: str = "admin",
) -> Article:
    """Bring back a revision's text as a new revision; nothing is deleted."""
    if revision.article_id != article.pk:
        raise ValidationError("That revision belongs to another article.")
    changes = {}
    for name in RESTORABLE_FIELDS:
        if name not in revision.snapshot:
            continue
        value = revision.snapshot[name]
        if name == "dateline" and value and not Entity.objects.filter(pk=value).exists():
            value = None  # the place was merged or deleted since
        changes[name] = value
    result = article_update(
        article=article,
        actor=actor,
        expected_version=expected_version,
        changes=changes,
        minor=minor,
        correction_note=correction_note,
        source=source,
        kind=RevisionKind.RESTORE,
    )
    audit_record(
        actor=actor,
        action="article.restore",
        target=article,
        details={"restored_version": revision.version, "version": article.version},
        source=source,
    )
    return result


def _transition(
    *,
    article: Article,
    actor: "User",
    allowed_from: tuple[str, ...],
    doing: str,
    kind: str,
    apply,
    source: str,
    note: str = "",
    details: dict | None = None,
) -> Article:
    current = _load_current(article, article.version)
    if current.status not in allowed_from:
        raise ValidationError(
            f"Cannot {doing} an article that is {current.status_now_display.lower()}."
        )
    candidate = Article.objects.get(pk=current.pk)
    apply(candidate)
    candidate.full_clean()
    _write(
        original=article,
        candidate=candidate,
        expected_version=current.version,
        actor=actor,
        kind=kind,
        source=source,
        note=note,
    )
    audit_record(
        actor=actor,
        action=f"article.{kind}",
        target=article,
        details={"from": current.status, "to": article.status, **(details or {})},
        source=source,
    )
    _derived_refresh(article, text_changed=False)
    return article


@transaction.atomic
def article_submit(*, article: Article, actor: "User", source: str = "admin") -> Article:
    """Draft → in review. Reporters submit their own drafts."""
    _require(actor, "articles.submit_article", "submit articles for review")
    if not user_is_editor(actor) and article.author_id != actor.pk:
        raise PermissionDenied("Reporters may only submit their own drafts.")

    def apply(candidate: Article) -> None:
        candidate.status = ArticleStatus.IN_REVIEW

    return _transition(
        article=article,
        actor=actor,
        allowed_from=(ArticleStatus.DRAFT,),
        doing="submit",
        kind=RevisionKind.SUBMIT,
        apply=apply,
        source=source,
    )


@transaction.atomic
def article_send_back(
    *, article: Article, actor: "User", note: str = "", source: str = "admin"
) -> Article:
    """In review (or scheduled, before its time) → draft, with an optional note."""
    _require(actor, "articles.publish_article", "send articles back")
    now = timezone.now()
    if article.status == ArticleStatus.SCHEDULED and article.is_public(now):
        raise ValidationError("This article is already public: withdraw it instead.")

    def apply(candidate: Article) -> None:
        candidate.status = ArticleStatus.DRAFT
        if candidate.first_published_at and candidate.first_published_at > now:
            candidate.first_published_at = None  # the planned first publication is off

    return _transition(
        article=article,
        actor=actor,
        allowed_from=(ArticleStatus.IN_REVIEW, ArticleStatus.SCHEDULED),
        doing="send back",
        kind=RevisionKind.SEND_BACK,
        apply=apply,
        source=source,
        note=note.strip(),
        details={"note": note.strip()} if note.strip() else None,
    )


@transaction.atomic
def article_publish(
    *,
    article: Article,
    actor: "User",
    publish_at: dt.datetime | None = None,
    embargo_until: dt.datetime | None = None,
    source: str = "admin",
) -> Article:
    """Publish now, or schedule when `publish_at` is in the future; optionally embargo.

    Public visibility is decided at read time (Article.objects.public()), so a scheduled
    article goes public at its second with no scheduler. `embargo_until=None` keeps the
    article's current embargo.
    """
    _require(actor, "articles.publish_article", "publish or schedule articles")
    now = timezone.now()
    _check_embargo(embargo_until, now)
    when = publish_at or now
    scheduled = when > now

    def apply(candidate: Article) -> None:
        candidate.publish_at = when
        if embargo_until is not None:
            candidate.embargo_until = embargo_until
        candidate.status = ArticleStatus.SCHEDULED if scheduled else ArticleStatus.PUBLISHED
        if not _was_published(candidate, now):
            embargo = candidate.embargo_until
            candidate.first_published_at = max(when, embargo) if embargo else when

    return _transition(
        article=article,
        actor=actor,
        allowed_from=(ArticleStatus.DRAFT, ArticleStatus.IN_REVIEW, ArticleStatus.SCHEDULED),
        doing="publish",
        kind=RevisionKind.SCHEDULE if scheduled else RevisionKind.PUBLISH,
        apply=apply,
        source=source,
        details={
            "publish_at": when.isoformat(),
            "embargo_until": embargo_until.isoformat() if embargo_until else None,
        },
    )


@transaction.atomic
def article_withdraw(
    *, article: Article, actor: "User", reason: str, source: str = "admin"
) -> Article:
    """Scheduled or published → withdrawn: gone from every public surface, 410 with notice."""
    _require(actor, "articles.withdraw_article", "withdraw articles")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"withdrawal_reason": "A withdrawn article needs a reason."})
    now = timezone.now()

    def apply(candidate: Article) -> None:
        candidate.status = ArticleStatus.WITHDRAWN
        candidate.withdrawn_at = now
        candidate.withdrawal_reason = reason

    return _transition(
        article=article,
        actor=actor,
        allowed_from=(ArticleStatus.SCHEDULED, ArticleStatus.PUBLISHED),
        doing="withdraw",
        kind=RevisionKind.WITHDRAW,
        apply=apply,
        source=source,
        note=reason,
        details={"reason": reason},
    )


@transaction.atomic
def article_reinstate(
    *, article: Article, actor: "User", reason: str, source: str = "admin"
) -> Article:
    """Withdrawn → draft, with a reason: the article can be edited and published again.

    Whoever may withdraw may reinstate. The withdrawal stays on record (its revision and
    audit entry; this audit entry repeats its time and reason); the article keeps its
    first publication time, so later text changes still need minor or a correction.
    It stays gone from the public (410) until it is published again.
    """
    _require(actor, "articles.withdraw_article", "reinstate withdrawn articles")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Reinstating an article needs a reason."})
    withdrawn = {"withdrawn_at": None, "withdrawal_reason": ""}

    def apply(candidate: Article) -> None:
        withdrawn["withdrawn_at"] = _json_value(candidate.withdrawn_at)
        withdrawn["withdrawal_reason"] = candidate.withdrawal_reason
        candidate.status = ArticleStatus.DRAFT
        candidate.withdrawn_at = None
        candidate.withdrawal_reason = ""

    return _transition(
        article=article,
        actor=actor,
        allowed_from=(ArticleStatus.WITHDRAWN,),
        doing="reinstate",
        kind=RevisionKind.REINSTATE,
        apply=apply,
        source=source,
        note=reason,
        details={"reason": reason, "withdrawal": withdrawn},
    )


def _correction_add(
    *, article: Article, actor, note: str, kind: str = CorrectionKind.CORRECTION, source: str
) -> Correction:
    correction = Correction(
        article=article, kind=kind, note=note, published_at=timezone.now(), created_by=actor
    )
    correction.full_clean()
    correction.save()
    audit_record(
        actor=actor,
        action="article.correct",
        target=article,
        details={"kind": kind, "note": note, "correction": correction.pk},
        source=source,
    )
    return correction


@transaction.atomic
def article_correct(
    *,
    article: Article,
    actor: "User",
    note: str,
    kind: str = CorrectionKind.CORRECTION,
    source: str = "admin",
) -> Correction:
    """Publish a correction (or clarification, update) on a published article."""
    _require(actor, "articles.correct_article", "publish corrections")
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": "A correction needs a note."})
    if kind not in CorrectionKind.values:
        raise ValidationError({"kind": f"Unknown kind “{kind}”."})
    current = Article.objects.get(pk=article.pk)
    if not _was_published(current, timezone.now()):
        raise ValidationError("Corrections apply only after first publication.")
    return _correction_add(article=current, actor=actor, note=note, kind=kind, source=source)


@transaction.atomic
def article_delete(*, article: Article, actor: "User", source: str = "admin") -> None:
    """Delete an article for good (superusers only; editors withdraw), audited, and take it
    out of the search index."""
    if not actor.is_superuser:
        raise PermissionDenied("Only administrators may delete articles; withdraw it instead.")
    audit_record(
        actor=actor,
        action="article.delete",
        target=article,
        details={"slug": article.slug, "status": article.status},
        source=source,
    )
    article_id = article.pk
    article.delete()
    search_index_remove(article_ids=[article_id])


@transaction.atomic
def article_revisions_baseline(*, actor=None, source: str = "import") -> int:
    """Give every article without history a first revision of its current state.

    Fixtures load raw (no services), so the import path calls this after loading; later
    saves then diff against what was imported. Returns how many revisions were written.
    """
    missing = Article.objects.exclude(pk__in=Revision.objects.values("article_id")).order_by("pk")
    now = timezone.now()
    revisions = [
        Revision(
            article=article,
            version=article.version,
            kind=RevisionKind.CREATE,
            actor=actor,
            created_at=now,
            source=source,
            snapshot=article_snapshot(article),
        )
        for article in missing
    ]
    Revision.objects.bulk_create(revisions, batch_size=500)
    return len(revisions)
