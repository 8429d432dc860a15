"""Small builders for the entity-intelligence tests."""

from django.contrib.auth import get_user_model

from entities.models import Alias, AliasKind, EntityKind
from tests.factories import make_entity


def person(name: str, *aliases: str, short: tuple[str, ...] = (), **fields):
    """A person with spelling aliases and short-form aliases."""
    entity = make_entity(name, EntityKind.PERSON, **fields)
    for alias in aliases:
        Alias(entity=entity, name=alias, kind=AliasKind.SPELLING).save()
    for alias in short:
        Alias(entity=entity, name=alias, kind=AliasKind.SHORT).save()
    return entity


def make_editor(username: str = "editor"):
    return get_user_model().objects.create_superuser(username, f"{username}@example.org", "pw")
