"""Writes that touch entities."""

from django.db import transaction

from .models import Alias, Entity, EntityKind
from .text import normalize


@transaction.atomic
def entity_derived_data_rebuild() -> None:
    """Recompute derived columns: alias normal forms and event periods.

    Fixtures are loaded raw (no save() logic), so loading ends by calling this.
    """
    aliases = list(Alias.objects.all())
    for alias in aliases:
        alias.normalized = normalize(alias.name)
    Alias.objects.bulk_update(aliases, ["normalized"], batch_size=500)
    events = list(Entity.objects.filter(kind=EntityKind.EVENT))
    for event in events:
        event.refresh_derived_fields()
    Entity.objects.bulk_update(events, ["period_start", "period_end"], batch_size=500)
