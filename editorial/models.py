"""Editorial history: a revision per article save, an audit log of transitions."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from articles.models import Article


class RevisionKind(models.TextChoices):
    CREATE = "create", "Created"
    EDIT = "edit", "Edited"
    RESTORE = "restore", "Restored"
    SUBMIT = "submit", "Submitted for review"
    SEND_BACK = "send_back", "Sent back to draft"
    PUBLISH = "publish", "Published"
    SCHEDULE = "schedule", "Scheduled"
    WITHDRAW = "withdraw", "Withdrawn"


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
