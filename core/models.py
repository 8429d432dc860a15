"""Model building blocks shared by the apps."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from core.dates import PRECISION_CHOICES, PartialDate, Precision

PRECISION_VALUES = [p.value for p in Precision]


def precision_field(**kwargs) -> models.CharField:
    return models.CharField(max_length=5, choices=PRECISION_CHOICES, blank=True, **kwargs)


def partial_date(date, precision) -> PartialDate | None:
    """A PartialDate from a model's date and precision columns, or None when unset."""
    if date is None:
        return None
    return PartialDate(date, precision or Precision.DAY)


def partial_date_constraint(date_field: str, name: str) -> models.CheckConstraint:
    """A date column has a valid precision exactly when it is set."""
    precision_field_name = f"{date_field}_precision"
    return models.CheckConstraint(
        condition=(
            Q(**{f"{date_field}__isnull": True, precision_field_name: ""})
            | Q(**{f"{date_field}__isnull": False, f"{precision_field_name}__in": PRECISION_VALUES})
        ),
        name=name,
        violation_error_message=f"{date_field} needs a precision (year, month or day), "
        "and a precision needs a date.",
    )


def choices_constraint(field: str, choices, name: str, allow_blank: bool = False):
    """Guard an enumeration in the database, not only in forms."""
    values = [value for value, _label in choices]
    if allow_blank:
        values.append("")
    return models.CheckConstraint(condition=Q(**{f"{field}__in": values}), name=name)


def unique_slug(model, base: str, *, max_length: int = 200) -> str:
    """A slug from `base` that no row of `model` has yet ("name", "name-2", …)."""
    base = (slugify(base) or model._meta.model_name)[: max_length - 8].strip("-")
    slug, suffix = base, 2
    while model._base_manager.filter(slug=slug).exists():
        slug = f"{base}-{suffix}"
        suffix += 1
    return slug


class SlugNaturalKeyManager(models.Manager):
    """Resolve fixtures' natural keys by slug."""

    def get_by_natural_key(self, slug: str):
        return self.get(slug=slug)


class AuditLog(models.Model):
    """One transition, merge, deletion or permission-relevant change, with actor and time."""

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=150, blank=True, help_text="Kept if the user goes.")
    action = models.CharField(max_length=40, db_index=True)
    source = models.CharField(max_length=20, default="admin")
    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=300, blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="audit_object")]

    def __str__(self) -> str:
        return f"{self.action} {self.object_repr} by {self.actor_name or '—'}"


class Version(models.Model):
    """One slot of a named version token (see core.versions): rewritten by triggers."""

    name = models.CharField(max_length=40)
    slot = models.PositiveSmallIntegerField(default=1)
    token = models.CharField(max_length=32)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["name", "slot"], name="version_unique_slot")]

    def __str__(self) -> str:
        return f"{self.name}[{self.slot}] {self.token}"


class CounterCacheEntry(models.Model):
    """A row of Django's database cache (`db://`): throttle counters shared by every
    worker when no Redis is configured. A model, so that `migrate` creates the table that
    `createcachetable` would (same columns), on every database, with no extra deploy step.
    """

    cache_key = models.CharField(max_length=255, primary_key=True)
    value = models.TextField()
    expires = models.DateTimeField(db_index=True)

    class Meta:
        db_table = "newsroom_counter_cache"

    def __str__(self) -> str:
        return self.cache_key
