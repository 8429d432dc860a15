"""Writes within the entity tables alone: derived columns."""

from django.db import transaction

from core.search_keys import search_key
from core.text import normalize

from .models import Alias, Entity


@transaction.atomic
def entity_derived_data_rebuild() -> None:
    """Recompute derived columns: alias normal forms, name search keys, event periods.

    Fixtures are loaded raw (no save() logic), so loading ends by calling this.
    """
    aliases = list(Alias.objects.all())
    for alias in aliases:
        alias.normalized = normalize(alias.name)
        alias.search_key = search_key(alias.name)
    Alias.objects.bulk_update(aliases, ["normalized", "search_key"], batch_size=500)
    entities = list(Entity.objects.all())
    for entity in entities:
        entity.refresh_derived_fields()
    Entity.objects.bulk_update(
        entities, ["search_key", "period_start", "period_end"], batch_size=500
    )
