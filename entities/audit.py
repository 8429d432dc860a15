"""The audit trail of entity curation (merges, created-from-candidate entities).

One function, `audit_record`, so that the integrator can point it at the editorial audit
log (editorial.AuditLog) in one place. Until then it writes Django admin's LogEntry
table: real rows, listed in the admin's "Recent actions" and in each object's history.
"""

import json
from typing import Any

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models


def audit_record(
    *, actor, action: str, target: models.Model, details: dict[str, Any] | None = None
) -> LogEntry:
    """Record that `actor` did `action` to `target`, with JSON-serialisable `details`."""
    message = {"action": action, "details": details or {}}
    return LogEntry.objects.create(
        user_id=actor.pk,
        content_type=ContentType.objects.get_for_model(target, for_concrete_model=False),
        object_id=str(target.pk),
        object_repr=str(target)[:200],
        action_flag=CHANGE,
        # LogEntry shows a JSON list as its change message; a plain dict is kept verbatim.
        change_message=json.dumps([{"changed": {"fields": [action]}}, message], default=str),
    )
