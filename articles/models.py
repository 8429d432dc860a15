"""Articles and what hangs off them: mentions, quotes, statistics, corrections."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from core.dates import PartialDate
from core.figures import format_figure
from core.links import slug_path
from core.models import (
    SlugNaturalKeyManager,
    choices_constraint,
    partial_date,
    partial_date_constraint,
    precision_field,
)
from entities.models import Entity, EntityKind

from . import body as body_format


class Section(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.CharField(max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    objects = SlugNaturalKeyManager()

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return slug_path("site:section-detail", self.slug)

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    SCHEDULED = "scheduled", "Scheduled"
    PUBLISHED = "published", "Published"
    WITHDRAWN = "withdrawn", "Withdrawn"


# Statuses whose articles go public once their publish time (and embargo) has passed.
RELEASED_STATUSES = (ArticleStatus.SCHEDULED, ArticleStatus.PUBLISHED)


def public_q(now: dt.datetime | None = None, prefix: str = "") -> Q:
    """The one definition of what the public may see, as a Q on Article.

    Decided at read time: a scheduled or embargoed article becomes public the second its
    time comes, with no scheduler. `prefix` applies it across a relation ("article__").
    """
    now = now or timezone.now()
    return Q(
        **{
            f"{prefix}status__in": RELEASED_STATUSES,
            f"{prefix}publish_at__lte": now,
        }
    ) & (Q(**{f"{prefix}embargo_until__isnull": True}) | Q(**{f"{prefix}embargo_until__lte": now}))


class EditorialStatus(models.TextChoices):
    """Where an article stands now, decided at read time like public_q().

    The stored status records the editor's last decision (publish, schedule); a scheduled
    article whose time has come is live with no write at all, so the status editors see
    is worked out from the stored status and the clock. A live article's value stays
    "published" (what API clients already know); its label says "Live".
    """

    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    SCHEDULED = "scheduled", "Scheduled"
    EMBARGOED = "embargoed", "Embargoed"
    LIVE = "published", "Live"
    WITHDRAWN = "withdrawn", "Withdrawn"


def editorial_status(
    status: str,
    publish_at: dt.datetime | None,
    embargo_until: dt.datetime | None,
    now: dt.datetime | None = None,
) -> EditorialStatus:
    """The status editors see, from the stored status and times: the mirror of
    editorial_status_q() for one row (a model or a values() row)."""
    if status not in RELEASED_STATUSES:
        return EditorialStatus(status)
    now = now or timezone.now()
    if publish_at is None or publish_at > now:
        return EditorialStatus.SCHEDULED
    if embargo_until is not None and embargo_until > now:
        return EditorialStatus.EMBARGOED
    return EditorialStatus.LIVE


def editorial_status_q(wanted: str, now: dt.datetime | None = None, prefix: str = "") -> Q:
    """Articles whose editorial status is `wanted` now, as a Q (filters, dashboards)."""
    now = now or timezone.now()
    if wanted == EditorialStatus.LIVE:
        return public_q(now, prefix)
    if wanted not in (EditorialStatus.SCHEDULED, EditorialStatus.EMBARGOED):
        return Q(**{f"{prefix}status": wanted})
    released = Q(**{f"{prefix}status__in": RELEASED_STATUSES})
    waiting = Q(**{f"{prefix}publish_at__gt": now}) | Q(**{f"{prefix}publish_at__isnull": True})
    if wanted == EditorialStatus.SCHEDULED:
        return released & waiting
    return released & ~waiting & Q(**{f"{prefix}embargo_until__gt": now})


class ArticleQuerySet(models.QuerySet):
    def public(self, now: dt.datetime | None = None):
        """Articles any reader may see now. Every public surface starts here."""
        return self.filter(public_q(now))

    def in_editorial_status(self, wanted: str, now: dt.datetime | None = None):
        """Articles whose status, decided now, is `wanted` (an EditorialStatus value)."""
        return self.filter(editorial_status_q(wanted, now))

    def newest_first(self):
        return self.order_by("-publish_at", "-pk")


class ArticleManager(SlugNaturalKeyManager.from_queryset(ArticleQuerySet)):
    pass


class Article(models.Model):
    headline = models.CharField(max_length=300)
    slug = models.SlugField(max_length=200, unique=True)
    standfirst = models.TextField(blank=True, help_text="The summary under the headline.")
    body = models.TextField(
        help_text="Paragraphs separated by blank lines; a line starting with “## ” is a "
        "subheading. Text only: any HTML is shown as typed, never run."
    )
    byline = models.CharField(max_length=200, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
    )
    dateline = models.ForeignKey(
        Entity,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="datelined_articles",
        limit_choices_to={"kind": EntityKind.PLACE},
    )
    section = models.ForeignKey(
        Section, null=True, blank=True, on_delete=models.PROTECT, related_name="articles"
    )
    language = models.CharField(
        max_length=8, choices=settings.ARTICLE_LANGUAGES, default=settings.LANGUAGE_CODE
    )
    status = models.CharField(
        max_length=10, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT
    )
    publish_at = models.DateTimeField(
        null=True, blank=True, help_text="When the article goes public (scheduled if future)."
    )
    embargo_until = models.DateTimeField(
        null=True, blank=True, help_text="Not public before this time, whatever its status."
    )
    first_published_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    withdrawn_at = models.DateTimeField(null=True, blank=True, editable=False)
    withdrawal_reason = models.TextField(blank=True)
    version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Raised by every save; stale saves are refused."
    )

    objects = ArticleManager()

    class Meta:
        ordering = ["-publish_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "publish_at"], name="article_status_publish"),
            models.Index(fields=["-publish_at", "-id"], name="article_newest_first"),
            # When the next embargo lifts: the page cache keeps pages until then.
            models.Index(
                fields=["embargo_until"],
                name="article_embargo_until",
                condition=Q(embargo_until__isnull=False),
            ),
            models.Index(fields=["updated_at"], name="article_updated"),
        ]
        constraints = [
            choices_constraint("status", ArticleStatus.choices, "article_status_valid"),
            choices_constraint("language", settings.ARTICLE_LANGUAGES, "article_language_valid"),
            models.CheckConstraint(
                condition=~Q(status__in=RELEASED_STATUSES) | Q(publish_at__isnull=False),
                name="article_released_has_publish_time",
            ),
            models.CheckConstraint(
                condition=~Q(status=ArticleStatus.PUBLISHED) | Q(first_published_at__isnull=False),
                name="article_published_has_first_published_time",
            ),
            models.CheckConstraint(
                condition=~Q(status=ArticleStatus.WITHDRAWN)
                | (Q(withdrawn_at__isnull=False) & ~Q(withdrawal_reason="")),
                name="article_withdrawn_has_time_and_reason",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="article_version_positive"),
            models.CheckConstraint(condition=~Q(slug=""), name="article_slug_not_empty"),
            models.CheckConstraint(condition=~Q(headline=""), name="article_headline_not_empty"),
        ]
        permissions = [
            ("submit_article", "Can submit an article for review"),
            ("publish_article", "Can publish, schedule and embargo articles"),
            ("withdraw_article", "Can withdraw a published article"),
            ("correct_article", "Can publish corrections"),
            ("preview_article", "Can preview unpublished articles"),
        ]

    def __str__(self) -> str:
        return self.headline

    def get_absolute_url(self) -> str:
        return slug_path("site:article-detail", self.slug)

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    def is_public(self, now: dt.datetime | None = None) -> bool:
        """Mirror of ArticleQuerySet.public() for one loaded article."""
        now = now or timezone.now()
        return (
            self.status in RELEASED_STATUSES
            and self.publish_at is not None
            and self.publish_at <= now
            and (self.embargo_until is None or self.embargo_until <= now)
        )

    def editorial_status(self, now: dt.datetime | None = None) -> EditorialStatus:
        """Draft, in review, scheduled, embargoed, live or withdrawn, decided now."""
        return editorial_status(self.status, self.publish_at, self.embargo_until, now)

    @property
    def status_now(self) -> EditorialStatus:
        """editorial_status() at this moment, for templates."""
        return self.editorial_status()

    @property
    def status_now_display(self) -> str:
        return self.editorial_status().label

    @property
    def body_blocks(self) -> list[body_format.Block]:
        return body_format.parse(self.body)

    @property
    def body_html(self) -> str:
        return body_format.render_html(self.body_blocks)

    @property
    def body_text(self) -> str:
        return body_format.render_text(self.body_blocks)

    @property
    def was_updated(self) -> bool:
        """Whether readers should see "Updated": changed after first publication."""
        return bool(
            self.first_published_at
            and self.updated_at
            and self.updated_at - self.first_published_at > dt.timedelta(minutes=1)
        )


class MentionRole(models.TextChoices):
    SUBJECT = "subject", "Subject"
    MENTIONED = "mentioned", "Mentioned"
    SOURCE = "source", "Source"
    LOCATION = "location", "Location"


class MentionState(models.TextChoices):
    SUGGESTED = "suggested", "Suggested"
    CONFIRMED = "confirmed", "Confirmed"
    REJECTED = "rejected", "Rejected"


class MentionManager(models.Manager):
    def get_by_natural_key(self, article_slug: str, entity_slug: str):
        return self.get(article__slug=article_slug, entity__slug=entity_slug)


class Mention(models.Model):
    """An article-entity link, suggested by the finder or added by an editor."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="mentions")
    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="mentions")
    role = models.CharField(
        max_length=10, choices=MentionRole.choices, default=MentionRole.MENTIONED
    )
    state = models.CharField(
        max_length=10, choices=MentionState.choices, default=MentionState.SUGGESTED
    )
    matched_text = models.CharField(max_length=200, blank=True)
    field = models.CharField(max_length=12, blank=True, help_text="headline, standfirst or body")
    span_start = models.PositiveIntegerField(null=True, blank=True)
    span_end = models.PositiveIntegerField(null=True, blank=True)
    text_missing = models.BooleanField(
        default=False, help_text="Confirmed, but its text no longer appears in the article."
    )
    note = models.CharField(
        max_length=120,
        blank=True,
        help_text="Why the finder is not sure: such a suggestion is confirmed by itself, "
        "never by Confirm all.",
    )
    occurrences = models.JSONField(
        default=list,
        blank=True,
        help_text='Every place the entity is named: [{"field", "span": [start, end], "text"}].',
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = MentionManager()

    class Meta:
        ordering = ["article", "span_start", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["article", "entity"], name="mention_unique"),
            choices_constraint("role", MentionRole.choices, "mention_role_valid"),
            choices_constraint("state", MentionState.choices, "mention_state_valid"),
            models.CheckConstraint(
                condition=Q(span_start__isnull=True, span_end__isnull=True)
                | Q(span_end__gt=F("span_start")),
                name="mention_span_valid",
            ),
        ]
        indexes = [models.Index(fields=["entity", "state"], name="mention_entity_state")]

    def __str__(self) -> str:
        return f"{self.entity} in {self.article} ({self.get_state_display()})"

    def natural_key(self) -> tuple[str, str]:
        return (self.article.slug, self.entity.slug)

    natural_key.dependencies = ["articles.article", "entities.entity"]


class Quote(models.Model):
    """Words a person said, exactly as published, with when and where."""

    slug = models.SlugField(max_length=200, unique=True)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="quotes")
    speaker = models.ForeignKey(
        Entity,
        on_delete=models.PROTECT,
        related_name="quotes",
        limit_choices_to={"kind": EntityKind.PERSON},
    )
    text = models.TextField()
    said_on = models.DateField(null=True, blank=True)
    said_on_precision = precision_field()
    said_where = models.CharField(
        max_length=200, blank=True, help_text="Where or how: “on X”, “in an interview”."
    )
    medium = models.ForeignKey(
        Entity,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="quotes_published",
        help_text="The platform or outlet it was said on, if any.",
    )
    context_event = models.ForeignKey(
        Entity,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="quotes_at",
        limit_choices_to={"kind": EntityKind.EVENT},
    )
    position = models.PositiveSmallIntegerField(default=0)

    objects = SlugNaturalKeyManager()

    class Meta:
        ordering = ["article", "position", "pk"]
        constraints = [
            partial_date_constraint("said_on", "quote_said_on_precision"),
            models.CheckConstraint(condition=~Q(text=""), name="quote_text_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.speaker}: “{self.text[:60]}”"

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    natural_key.dependencies = ["articles.article", "entities.entity"]

    @property
    def said_on_date(self) -> PartialDate | None:
        return partial_date(self.said_on, self.said_on_precision)


class Statistic(models.Model):
    """A sourced figure: 1,131 political prisoners in Belarus as of 31 December 2025."""

    slug = models.SlugField(max_length=200, unique=True)
    article = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.SET_NULL, related_name="statistics"
    )
    value = models.DecimalField(max_digits=20, decimal_places=4)
    unit = models.CharField(max_length=200, help_text="What is counted: “political prisoners”.")
    subject = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="statistics")
    as_of = models.DateField()
    as_of_precision = precision_field()
    source = models.ForeignKey(
        Entity,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="statistics_sourced",
    )
    source_url = models.URLField(blank=True)
    note = models.CharField(max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    objects = SlugNaturalKeyManager()

    class Meta:
        ordering = ["article", "position", "pk"]
        constraints = [
            partial_date_constraint("as_of", "statistic_as_of_precision"),
            models.CheckConstraint(condition=~Q(unit=""), name="statistic_unit_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.value_display} {self.unit}"

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    natural_key.dependencies = ["articles.article", "entities.entity"]

    @property
    def as_of_date(self) -> PartialDate:
        return partial_date(self.as_of, self.as_of_precision)

    @property
    def value_display(self) -> str:
        """1131 → "1,131"; 2.5 → "2.5"."""
        return format_figure(self.value)


class CorrectionKind(models.TextChoices):
    CORRECTION = "correction", "Correction"
    CLARIFICATION = "clarification", "Clarification"
    UPDATE = "update", "Update"


class CorrectionManager(models.Manager):
    def get_by_natural_key(self, article_slug: str, published_at: str):
        return self.get(article__slug=article_slug, published_at=published_at)


class Correction(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(
        max_length=13, choices=CorrectionKind.choices, default=CorrectionKind.CORRECTION
    )
    note = models.TextField()
    published_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = CorrectionManager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "published_at"], name="correction_unique_time"
            ),
            choices_constraint("kind", CorrectionKind.choices, "correction_kind_valid"),
            models.CheckConstraint(condition=~Q(note=""), name="correction_note_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.article}"

    def natural_key(self) -> tuple:
        return (self.article.slug, self.published_at)

    natural_key.dependencies = ["articles.article"]


class RevisionKind(models.TextChoices):
    CREATE = "create", "Created"
    EDIT = "edit", "Edited"
    RESTORE = "restore", "Restored"
    SUBMIT = "submit", "Submitted for review"
    SEND_BACK = "send_back", "Sent back to draft"
    PUBLISH = "publish", "Published"
    SCHEDULE = "schedule", "Scheduled"
    WITHDRAW = "withdraw", "Withdrawn"
    REINSTATE = "reinstate", "Reinstated as draft"
    REVIEW = "review", "Entity links reviewed"


class Revision(models.Model):
    """The article as it was after one save: who, when, through which path, what."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField(help_text="The article's version after this save.")
    kind = models.CharField(max_length=10, choices=RevisionKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    source = models.CharField(max_length=20, help_text="admin, api, import, …")
    minor = models.BooleanField(default=False)
    note = models.TextField(blank=True)
    snapshot = models.JSONField(help_text="The editable fields after the save.")

    class Meta:
        ordering = ["article", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["article", "version"], name="revision_unique_version")
        ]

    def __str__(self) -> str:
        return f"{self.article_id} v{self.version} ({self.get_kind_display()})"
