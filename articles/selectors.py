"""Read-only queries for the public article pages. Everything starts from public()."""

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from entities.models import Entity, EntityKind

from . import body as body_format
from .models import (
    RELEASED_STATUSES,
    Article,
    Mention,
    MentionState,
    Quote,
    Section,
    Statistic,
    public_q,
)

PAGE_SIZE = 20
MOST_MENTIONED_WEEKS = 4
MOST_MENTIONED_ARTICLES = 300
# The panel and JSON-LD list entities in this order of kinds.
KIND_ORDER = [EntityKind.PERSON, EntityKind.ORGANIZATION, EntityKind.PLACE, EntityKind.EVENT]


@dataclass
class Page:
    """One page of a list, found without counting the whole list (one query)."""

    items: Sequence[Any]
    number: int
    has_next: bool
    has_previous: bool = field(init=False)

    def __post_init__(self) -> None:
        self.has_previous = self.number > 1

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous


def page_number(raw: str | None) -> int:
    """A page number from a query string; anything odd is page 1, huge values are capped."""
    try:
        number = int(str(raw)[:6])
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), 10_000)


def page_of(queryset: QuerySet, number: int, size: int = PAGE_SIZE) -> Page:
    offset = (number - 1) * size
    rows = list(queryset[offset : offset + size + 1])
    return Page(items=rows[:size], number=number, has_next=len(rows) > size)


def public_articles(now: dt.datetime | None = None) -> QuerySet:
    """Public articles, newest first, with what list items show."""
    return Article.objects.public(now).newest_first().select_related("section")


# public_q() compiled to SQL once per table, at this stand-in time; the real `now` is put
# in its place on every call. Hand-written hot queries (search, co-mentions) paste it in,
# so they follow the one rule without paying Django's query building on every request.
_STAND_IN_NOW = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


@functools.cache
def _public_where_compiled(model: type, vendor: str) -> tuple[str, tuple]:
    query = model._default_manager.filter(public_q(_STAND_IN_NOW)).query
    return query.get_compiler(connection=connection).compile(query.where)


def public_where_sql(model: type = Article, now: dt.datetime | None = None) -> tuple[str, list]:
    """public_q(now) as an SQL condition over `model`'s table: Article, or a table with
    copies of its status, publish_at and embargo_until (the search index)."""
    sql, params = _public_where_compiled(model, connection.vendor)
    adapt = connection.ops.adapt_datetimefield_value
    stand_in, real = adapt(_STAND_IN_NOW), adapt(now or timezone.now())
    return sql, [real if param == stand_in else param for param in params]


def next_public_change_sql(now: dt.datetime) -> tuple[str, list]:
    """Two SQL expressions and their parameters: the first publish_at and the first
    embargo_until after `now` of a released article (NULL when there is none).

    public() changes with no write exactly at these moments (see public_q): the page
    cache keeps a page until the earlier of the two.
    """
    table = connection.ops.quote_name(Article._meta.db_table)
    released = ", ".join(["%s"] * len(RELEASED_STATUSES))
    at = connection.ops.adapt_datetimefield_value(now)
    sql = ", ".join(
        f"(SELECT MIN({column}) FROM {table} WHERE status IN ({released}) AND {column} > %s)"
        for column in ("publish_at", "embargo_until")
    )
    return sql, [*RELEASED_STATUSES, at] * 2


def sections() -> QuerySet:
    return Section.objects.all()


def most_mentioned_entities(
    *,
    kinds: Sequence[str] = (EntityKind.PERSON, EntityKind.ORGANIZATION),
    weeks: int = MOST_MENTIONED_WEEKS,
    limit: int = 10,
    now: dt.datetime | None = None,
    until: dt.datetime | None = None,
) -> list[Entity]:
    """Entities most often confirmed in public articles of the `weeks` weeks before
    `until` (default: now)."""
    now = now or timezone.now()
    since = min(until or now, now) - dt.timedelta(weeks=weeks)
    # The newest public articles of the period, at most MOST_MENTIONED_ARTICLES of them,
    # so the count stays cheap however busy the weeks were.
    recent = (
        Article.objects.public(now)
        .filter(publish_at__gte=since)
        .newest_first()
        .values("pk")[:MOST_MENTIONED_ARTICLES]
    )
    return list(
        Entity.objects.active()
        .filter(
            kind__in=kinds,
            mentions__state=MentionState.CONFIRMED,
            mentions__article__in=recent,
        )
        .annotate(mention_count=Count("mentions"))
        .order_by("-mention_count", "name")[:limit]
    )


# What the article page shows of an entity: name, kind and slug (its URL), description.
PAGE_ENTITY_FIELDS = ("id", "kind", "name", "slug", "description")


def article_for_page(slug: str, now: dt.datetime | None = None) -> Article | None:
    """A public article with everything its page shows, in six small queries.

    No joins besides section and dateline, and no SQL ordering where a row holds joined
    models: Django spends more building such SQL (it hashes every selected column to
    match the ORDER BY) than SQLite spends running it. The entities of mentions, quotes
    and figures come in one query for all of them, with only the columns the page shows.
    """
    # The slug is unique: no ORDER BY (which .first() would add).
    return _article_page(Article.objects.public(now).filter(slug=slug).order_by())


def article_for_preview(pk: int) -> Article | None:
    """Any article (draft, scheduled, withdrawn…) with exactly what its public page would
    show, loaded as `article_for_page` loads it: the staff preview's data."""
    return _article_page(Article.objects.filter(pk=pk).order_by())


def _article_page(queryset) -> Article | None:
    found = list(
        queryset.select_related("section", "dateline").prefetch_related(*article_page_prefetches())[
            :1
        ]
    )
    if not found:
        return None
    article = found[0]
    mentions = article.confirmed_mentions
    mentions.sort(key=lambda m: (m.span_start is None, m.span_start or 0, m.pk))
    quotes, statistics = article.quotes.all(), article.statistics.all()
    wanted = {m.entity_id for m in mentions}
    wanted.update(q.speaker_id for q in quotes)
    wanted.update(q.medium_id for q in quotes)
    wanted.update(q.context_event_id for q in quotes)
    wanted.update(s.subject_id for s in statistics)
    wanted.update(s.source_id for s in statistics)
    wanted.discard(None)
    entities = Entity.objects.only(*PAGE_ENTITY_FIELDS).order_by().in_bulk(wanted)
    for mention in mentions:
        mention.entity = entities[mention.entity_id]
    for quote in quotes:
        quote.speaker = entities[quote.speaker_id]
        quote.medium = entities.get(quote.medium_id)
        quote.context_event = entities.get(quote.context_event_id)
    for statistic in statistics:
        statistic.subject = entities[statistic.subject_id]
        statistic.source = entities.get(statistic.source_id)
    return article


def article_page_prefetches() -> list[Prefetch]:
    """The rows hanging off an article page, without their entities (see above)."""
    return [
        Prefetch(
            "mentions",
            queryset=Mention.objects.filter(state=MentionState.CONFIRMED).order_by(),
            to_attr="confirmed_mentions",
        ),
        # Explicit orderings: the models' default ones start with the article foreign key,
        # which Django expands into a join on articles for nothing.
        Prefetch("quotes", queryset=Quote.objects.order_by("position", "pk")),
        Prefetch("statistics", queryset=Statistic.objects.order_by("position", "pk")),
        "corrections",
    ]


def entity_urls(mentions: Sequence[Mention]) -> dict[int, str]:
    """Each mentioned entity's page URL, reversed once (the body, the panel and the
    structured data each link every entity)."""
    return {m.entity_id: m.entity.get_absolute_url() for m in mentions}


def body_links(
    article: Article, mentions: Sequence[Mention], urls: dict[int, str] | None = None
) -> list[body_format.Link]:
    """Links for the first confirmed mention of each entity found in the body.

    A span is trusted only while the body still holds the matched text there, so an edit
    that moved the text can never link the wrong words.
    """
    source = article.body
    links, seen = [], set()
    spans = sorted(
        (m for m in mentions if m.field == "body" and m.span_start is not None),
        key=lambda m: m.span_start,
    )
    for mention in spans:
        if mention.entity_id in seen or mention.text_missing:
            continue
        text = source[mention.span_start : mention.span_end]
        if mention.matched_text and text != mention.matched_text:
            continue
        seen.add(mention.entity_id)
        links.append(
            body_format.Link(
                start=mention.span_start,
                end=mention.span_end,
                href=urls[mention.entity_id] if urls else mention.entity.get_absolute_url(),
                title=mention.entity.description,
            )
        )
    return links


def entities_by_kind(
    mentions: Sequence[Mention], urls: dict[int, str] | None = None
) -> list[tuple[str, list[tuple[Entity, str]]]]:
    """The involved entities grouped by kind, in panel order, each listed once, with
    their page URLs."""
    urls = urls if urls is not None else entity_urls(mentions)
    groups: dict[str, list[tuple[Entity, str]]] = {kind: [] for kind in KIND_ORDER}
    seen = set()
    for mention in mentions:
        entity = mention.entity
        if entity.pk in seen or entity.kind not in groups:
            continue
        seen.add(entity.pk)
        groups[entity.kind].append((entity, urls[entity.pk]))
    labels = {
        EntityKind.PERSON: "People",
        EntityKind.ORGANIZATION: "Organizations",
        EntityKind.PLACE: "Places",
        EntityKind.EVENT: "Events",
    }
    return [(labels[kind], entities) for kind, entities in groups.items() if entities]
