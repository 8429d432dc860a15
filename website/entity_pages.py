"""Read-only queries for the public entity pages: a bounded number per page, whatever
the number of articles, quotes, events or relations. Articles come from public()."""

import datetime as dt
import json
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from articles.models import Article, MentionState, Quote, public_q
from articles.selectors import public_where_sql
from entities.models import Alias, Entity, EntityKind, Participation, Relation, Role

CO_MENTIONED_LIMIT = 8
# Co-mentions are counted over the entity's newest public articles, at most this many,
# so the count stays cheap however often the entity was in the news.
CO_MENTIONED_ARTICLES = 500
QUOTES_LIMIT = 10
# What a quote on an entity page shows: the quote, its article's link and headline, and
# the event it was said at.
QUOTE_FIELDS = (
    "text",
    "said_on",
    "said_on_precision",
    "said_where",
    "speaker_id",
    "article__slug",
    "article__headline",
    "context_event__kind",
    "context_event__slug",
    "context_event__name",
)


@dataclass
class RelationLine:
    """One relation as read from this entity's side: "spouse of Sergei Tikhanovsky"."""

    label: str
    other: Entity
    note: str = ""


@dataclass
class EntityPage:
    entity: Entity
    aliases: list[Alias] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    relations: list[RelationLine] = field(default_factory=list)
    timeline: list[Participation] = field(default_factory=list)
    participants: list[Participation] = field(default_factory=list)
    inside: list[Entity] = field(default_factory=list)
    events_here: list[Entity] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    co_mentioned: list[Entity] = field(default_factory=list)


# An entity as a link on another entity's page: its URL (kind, slug) and name.
_LINK = ("kind", "slug", "name")
_ROLE_FIELDS = (
    "person_id",
    "title",
    "start",
    "start_precision",
    "end",
    "end_precision",
    *(f"affiliation__{name}" for name in _LINK),
)
_RELATION_FIELDS = (
    "kind",
    "note",
    "subject_id",
    "object_id",
    *(f"subject__{name}" for name in _LINK),
    *(f"object__{name}" for name in _LINK),
)

# The places an entity page shows beside the entity itself, per kind.
_RELATED_BY_KIND = {
    EntityKind.PLACE: ["parent"],
    EntityKind.EVENT: ["location"],
    EntityKind.ORGANIZATION: ["country"],
    EntityKind.PERSON: [],
}


def _aliases_json() -> RawSQL:
    """The entity's aliases as one JSON array of [name, language] pairs, read in the
    entity's own query (a page has a budget of queries)."""
    pairs = {
        "postgresql": "json_agg(json_build_array(a.name, a.language))",
        "sqlite": "json_group_array(json_array(a.name, a.language))",
    }[connection.vendor]
    quote = connection.ops.quote_name
    entity, alias = Entity._meta.db_table, Alias._meta.db_table
    return RawSQL(
        f"(SELECT {pairs} FROM {quote(alias)} a WHERE a.entity_id = {quote(entity)}.id)", []
    )


def entity_for_page(slug: str, kind: str) -> Entity | None:
    """The entity with the places its page shows and its aliases (`alias_list`), in one
    query; a merged one comes with its survivor."""
    related = ["merged_into", *_RELATED_BY_KIND.get(kind, [])]
    # [:1], not .first(): the slug is unique, and .first() would add an ORDER BY.
    found = list(
        Entity.objects.select_related(*related)
        .annotate(aliases_json=_aliases_json())
        .filter(slug=slug, kind=kind)
        .order_by()[:1]
    )
    if not found:
        return None
    entity = found[0]
    rows = entity.aliases_json
    if isinstance(rows, str):  # SQLite returns JSON as text
        rows = json.loads(rows)
    entity.alias_list = sorted(
        (Alias(entity=entity, name=name, language=language) for name, language in rows or ()),
        key=lambda alias: alias.name,
    )
    return entity


def public_articles_mentioning(entity: Entity, now: dt.datetime | None = None) -> QuerySet:
    """Public articles with a confirmed mention of the entity, newest first."""
    mentioning = Q(mentions__entity=entity, mentions__state=MentionState.CONFIRMED)
    return Article.objects.public(now).filter(mentioning).newest_first().select_related("section")


# What an article list item shows (includes/article_list.html): no body, no bookkeeping.
LIST_ARTICLE_FIELDS = ("slug", "headline", "standfirst", "publish_at", "section__name")


def article_list_mentioning(entity: Entity, now: dt.datetime | None = None) -> QuerySet:
    """public_articles_mentioning() with only the columns a list item shows."""
    return public_articles_mentioning(entity, now).only(*LIST_ARTICLE_FIELDS)


def entity_page(entity: Entity, now: dt.datetime | None = None) -> EntityPage:
    """Everything an entity page shows besides its article list (at most 5 queries when
    the entity comes from entity_for_page)."""
    # Explicit orderings throughout: the models' default ones start with a foreign key,
    # which Django expands into a join for nothing.
    # Rows that carry joined entities are sorted here, not in SQL: Django spends more
    # building an ORDER BY over a wide joined select than SQLite spends running it.
    aliases = getattr(entity, "alias_list", None)
    if aliases is None:
        aliases = list(entity.aliases.order_by("name"))
    page = EntityPage(entity=entity, aliases=aliases)
    if entity.kind == EntityKind.PERSON:
        roles = (
            Role.objects.filter(person=entity)
            .select_related("affiliation")
            .only(*_ROLE_FIELDS)
            .order_by()
        )
        page.roles = sorted(roles, key=_role_order)
    page.relations = _relations(entity)
    if entity.kind == EntityKind.PLACE:
        nearby = Entity.objects.active().filter(Q(parent=entity) | Q(location=entity))
        for other in nearby.order_by("name"):
            if other.parent_id == entity.pk:
                page.inside.append(other)
            if other.location_id == entity.pk:
                page.events_here.append(other)
        page.events_here.sort(key=lambda e: e.period_start or dt.date.min, reverse=True)
    else:
        participations = (
            Participation.objects.filter(Q(participant=entity) | Q(event=entity))
            .select_related("event", "event__location", "participant")
            .order_by()
        )
        for participation in sorted(participations, key=lambda p: (p.role, p.pk)):
            if participation.participant_id == entity.pk:
                page.timeline.append(participation)
            if participation.event_id == entity.pk:
                page.participants.append(participation)
        page.timeline.sort(key=lambda p: p.event.period_start or dt.date.min, reverse=True)
    if entity.kind == EntityKind.PERSON:
        page.quotes = list(
            Quote.objects.filter(public_q(now, prefix="article__"), speaker=entity)
            .select_related("article", "context_event")
            .only(*QUOTE_FIELDS)
            .order_by("-said_on", "-article__publish_at", "pk")[:QUOTES_LIMIT]
        )
    page.co_mentioned = co_mentioned_entities(entity, now)
    return page


def _relations(entity: Entity) -> list[RelationLine]:
    lines = []
    relations = (
        Relation.objects.filter(Q(subject=entity) | Q(object=entity))
        .select_related("subject", "object")
        .only(*_RELATION_FIELDS)
        .order_by()
    )
    for relation in sorted(relations, key=lambda r: (r.kind, r.pk)):
        if relation.subject_id == entity.pk:
            lines.append(RelationLine(relation.get_kind_display(), relation.object, relation.note))
        elif relation.is_symmetric:
            lines.append(RelationLine(relation.get_kind_display(), relation.subject, relation.note))
        else:
            inverse = {
                "member": "has member",
                "leader": "led by",
                "founder": "founded by",
                "adviser": "advised by",
            }.get(relation.kind, relation.get_kind_display())
            lines.append(RelationLine(inverse, relation.subject, relation.note))
    return lines


# Co-mentions, written out: Django took four times longer to build this query than
# SQLite to run it. {public} is public_q() compiled for articles_article (the one rule).
_CO_MENTIONED_SQL = """
    SELECT e.id, e.kind, e.name, e.slug, COUNT(*) AS together
    FROM articles_mention m JOIN entities_entity e ON e.id = m.entity_id
    WHERE m.state = %s AND m.entity_id <> %s AND e.merged_into_id IS NULL
      AND m.article_id IN (
        SELECT articles_article.id FROM articles_article
        JOIN articles_mention mine ON mine.article_id = articles_article.id
        WHERE mine.entity_id = %s AND mine.state = %s AND {public}
        ORDER BY articles_article.publish_at DESC, articles_article.id DESC
        LIMIT %s)
    GROUP BY e.id, e.kind, e.name, e.slug
    ORDER BY together DESC, e.name
    LIMIT %s
"""


def co_mentioned_entities(
    entity: Entity, now: dt.datetime | None = None, limit: int = CO_MENTIONED_LIMIT
) -> list[Entity]:
    """Active entities most often confirmed in the same public articles as this one,
    counted over its CO_MENTIONED_ARTICLES newest public articles (one grouped query)."""
    public, public_params = public_where_sql(Article, now)
    confirmed = MentionState.CONFIRMED
    params = [confirmed, entity.pk, entity.pk, confirmed, *public_params]
    with connection.cursor() as cursor:
        cursor.execute(
            _CO_MENTIONED_SQL.format(public=public), [*params, CO_MENTIONED_ARTICLES, limit]
        )
        rows = cursor.fetchall()
    entities = []
    for pk, kind, name, slug, together in rows:
        other = Entity(pk=pk, kind=kind, name=name, slug=slug)
        other.together = together
        entities.append(other)
    return entities


def _role_order(role: Role) -> tuple:
    """Current roles first, then by end date; later starts first; then as entered
    (what ORDER BY "end", "-start", pk does on SQLite, NULLs first ascending)."""
    return (
        role.end is not None,
        role.end or dt.date.min,
        role.start is None,
        -(role.start or dt.date.min).toordinal(),
        role.pk,
    )
