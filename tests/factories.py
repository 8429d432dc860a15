"""Small helpers that make valid rows with sensible defaults."""

import datetime as dt
import itertools

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.text import slugify

from articles.models import Article, ArticleStatus, Mention, MentionState, Section
from entities.models import Alias, AliasKind, Entity, EntityKind
from search.services import search_index_update

# The demo article of fixtures/articles.json.
SEED_ARTICLE = "zelenskyy-and-tsikhanouskaya-hold-first-formal-meeting-in-vilnius"

_counter = itertools.count(1)


def make_entity(name: str | None = None, kind: str = EntityKind.PERSON, **fields) -> Entity:
    name = name or f"Entity {next(_counter)}"
    fields.setdefault("slug", slugify(name) or f"entity-{next(_counter)}")
    if kind == EntityKind.EVENT:
        fields.setdefault("start", dt.date(2025, 1, 1))
        fields.setdefault("start_precision", "day")
    return Entity.objects.create(kind=kind, name=name, **fields)


def make_section(name: str = "World") -> Section:
    return Section.objects.get_or_create(slug=slugify(name), defaults={"name": name})[0]


def make_article(
    headline: str | None = None,
    status: str = ArticleStatus.PUBLISHED,
    publish_at: dt.datetime | None = None,
    **fields,
) -> Article:
    headline = headline or f"Article {next(_counter)}"
    now = timezone.now()
    fields.setdefault("slug", f"{slugify(headline)[:180]}-{next(_counter)}")
    fields.setdefault("body", "A paragraph.")
    if status in (ArticleStatus.PUBLISHED, ArticleStatus.SCHEDULED) and publish_at is None:
        publish_at = now - dt.timedelta(hours=1)
    if status == ArticleStatus.PUBLISHED:
        fields.setdefault("first_published_at", publish_at)
    if status == ArticleStatus.WITHDRAWN:
        fields.setdefault("withdrawn_at", now)
        fields.setdefault("withdrawal_reason", "Legal request.")
    article = Article.objects.create(
        headline=headline, status=status, publish_at=publish_at, **fields
    )
    # The services index every article they write; rows made here are indexed the same way.
    search_index_update(articles=[article])
    return article


def make_mention(article: Article, entity: Entity, **fields) -> Mention:
    fields.setdefault("state", MentionState.CONFIRMED)
    return Mention.objects.create(article=article, entity=entity, **fields)


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
