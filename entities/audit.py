"""The audit trail of entity curation (merges, entities created from candidates).

Entity services call `audit_record` from here, one seam that now writes the editorial
audit log (editorial.AuditLog, through editorial.services.audit_record).
"""

from typing import Any

from django.db import models

from editorial.services import audit_record as editorial_audit_record


def audit_record(
    *, actor, action: str, target: models.Model, details: dict[str, Any] | None = None
):
    """Record that `actor` did `action` to `target`, with JSON-serialisable `details`."""
    return editorial_audit_record(
        actor=actor, action=action, target=target, details=details or {}, source="admin"
    )
