"""The audit log: who did what to which record, through which path (admin, api, …)."""

from django.contrib.contenttypes.models import ContentType
from django.db import models

from core.models import AuditLog


def audit_record(
    *,
    actor,
    action: str,
    target: models.Model | None = None,
    details: dict | None = None,
    source: str = "admin",
) -> AuditLog:
    """Record a transition, merge, deletion or permission change ("article.publish", …)."""
    entry = AuditLog(
        actor=actor if actor is not None and actor.pk else None,
        actor_name=actor.get_username() if actor is not None and actor.pk else "",
        action=action,
        source=source,
        details=details or {},
    )
    if target is not None:
        entry.content_type = ContentType.objects.get_for_model(target, for_concrete_model=False)
        entry.object_id = str(target.pk)
        entry.object_repr = str(target)[:300]
    entry.full_clean()
    entry.save()
    return entry
