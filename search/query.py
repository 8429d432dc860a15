"""Search queries over articles and entities, on PostgreSQL and SQLite.

Two entry points for article search, one ranking:

- `public_search_page(q, order=…, number=…)`: one page of public results (the site's
  search page). On PostgreSQL it filters, ranks and cuts the page inside the narrow search
  table, whose copies of status, publish_at and embargo_until let `public_q()` (the one
  public rule, same comparisons, read-time `now`) apply there; only the page's ids then
  reach the articles table, through `Article.objects.public()` again. So the wide table
  is read for 21 rows, not for every match (30,000 for a word in 30 % of articles).
- `article_search(queryset, q)`: any Article queryset narrowed to the matches and ranked
  (the API's `?q=` uses it as a subquery). Its contract:

- `queryset` is any Article queryset, normally `Article.objects.public()`; it is only
  narrowed, so the caller's idea of what may be seen is kept.
- `q` is the raw text a reader typed. Every word is folded with `core.text.fold_word`
  (case, diacritics, script, usual romanisations), so "Lukashenko" and "Лукашэнка" find
  "Lukashenka". All words must match (AND). Punctuation-only, NUL bytes and huge input
  are cleaned and cut first; a query with no word returns `queryset.none()`.
- Listed names count as much as the text: when words of the query (the longest run of
  them) are exactly a listed alias of an entity, an article with a confirmed mention of
  that entity matches those words whatever spelling it writes ("Svetlana Tikhanovskaya"
  finds the articles about Sviatlana Tsikhanouskaya, "Мария Колесникова" those about
  Maria Kalesnikava); the query's other words must still be in the text (see
  `alias_match`). Such articles rank as body matches unless their text matches too.
- The result is ordered by relevance: all words in the headline, else all in the
  standfirst, else elsewhere (body), then newest first; `order="newest"` orders by
  publication time only. Each row carries `search_tier` (3 headline, 2 standfirst, 1 body).
- Paginate with "next page" links (fetch one row more than shown) rather than count():
  counting a large result set costs more than finding its first page.

PostgreSQL uses the GIN-indexed tsvectors of `search_articledocument` (a narrow table:
the vectors live out of line, so finding matches never reads them); matches are always
found through the index, never by walking a date index. `article_search` takes the tier
from two hashed subplans over the headline and standfirst GIN indexes and joins the
caller's queryset, so its cost grows with the number of matches; `public_search_page`
chains tiers (and, newest first, recent months before older ones) so that its cost stays
near flat: at 100,000 articles every class of word answers in under 20 ms p95 (see
benchmarks/bench_search.py). SQLite uses the FTS5 table `search_articlefts`, whose rowid
is the article id, for both.
"""

import datetime as dt
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.db.models import IntegerField, Q, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.utils import timezone

from articles.models import Article, Mention, MentionState
from articles.selectors import PAGE_SIZE, Page, public_where_sql
from entities.models import Alias, Entity
from search.models import ArticleDocument

from .text import query_keys, recent_months

RELEVANCE = "relevance"
NEWEST = "newest"


@dataclass(frozen=True)
class AliasMatch:
    """Query words that are exactly a listed alias: the entities it names, and the
    query's other words (which must still be found in the text)."""

    entity_ids: tuple[int, ...]
    rest: tuple[str, ...]


def alias_match(keys: list[str]) -> AliasMatch | None:
    """The longest run of consecutive query keys (the first, among equals) that is the
    folded form of some active entity's listed alias, or None. One indexed query."""
    runs = {
        " ".join(keys[start:end]): (start, end)
        for start in range(len(keys))
        for end in range(start + 1, len(keys) + 1)
    }
    found: dict[str, set[int]] = {}
    rows = Alias.objects.filter(normalized__in=runs, entity__merged_into__isnull=True).values_list(
        "normalized", "entity_id"
    )
    for normalized, entity_id in rows:
        found.setdefault(normalized, set()).add(entity_id)
    if not found:
        return None
    best = min(found, key=lambda run: (runs[run][0] - runs[run][1], runs[run][0]))
    start, end = runs[best]
    return AliasMatch(entity_ids=tuple(sorted(found[best])), rest=tuple(keys[:start] + keys[end:]))


def _mentioning(alias: AliasMatch) -> QuerySet:
    """Ids of the articles with a confirmed mention of the alias's entities."""
    return Mention.objects.filter(
        entity_id__in=alias.entity_ids, state=MentionState.CONFIRMED
    ).values("article_id")


def article_search(queryset: QuerySet, q: str, *, order: str = RELEVANCE) -> QuerySet:
    """Filter `queryset` to articles matching `q`, ordered by rank (see module docstring)."""
    keys = query_keys(q)
    if not keys:
        return queryset.none()
    alias = alias_match(keys)
    if connection.vendor == "postgresql":
        return _postgres_search(queryset, keys, order, alias)
    return _sqlite_search(queryset, keys, order, alias)


_PG_TIER = """CASE
    WHEN "search_articledocument"."article_id" IN (SELECT tier.article_id
        FROM search_articledocument tier WHERE tier.headline @@ plainto_tsquery('simple', %s))
        THEN 3
    WHEN "search_articledocument"."article_id" IN (SELECT tier.article_id
        FROM search_articledocument tier WHERE tier.standfirst @@ plainto_tsquery('simple', %s))
        THEN 2
    ELSE 1 END"""


# Written out: Django would turn search_document__article_id into articles_article.id,
# a column of the other side of the join, and PostgreSQL could no longer sort first.
_PG_DOCUMENT_ID = RawSQL('"search_articledocument"."article_id"', [])


def _fts_rowids(keys: list[str]) -> RawSQL:
    return RawSQL(
        "SELECT rowid FROM search_articlefts WHERE search_articlefts MATCH %s",
        [_fts_expression(keys)],
    )


def editorial_article_search(queryset: QuerySet, q: str) -> QuerySet:
    """The editors' article search (the admin's list): `queryset` narrowed, unranked, to
    the articles whose text matches `q` as `article_search` matches it (every word folded,
    through the full-text index), the articles linked (confirmed or suggested) to an
    entity one of whose names is `q` (`entity_search`), and the article whose slug is `q`.

    Any status: the caller's queryset decides what may be seen. The caller orders.
    """
    keys = query_keys(q)
    by_slug = Q(slug=q.strip())
    if not keys:
        return queryset.filter(by_slug)
    if connection.vendor == "postgresql":
        query = SearchQuery(" ".join(keys), config="simple", search_type="plain")
        by_text = Q(pk__in=ArticleDocument.objects.filter(document=query).values("article_id"))
    else:
        by_text = Q(pk__in=_fts_rowids(keys))
    entities = [entity.pk for entity in entity_search(q)]
    linked = Mention.objects.filter(entity__in=entities).exclude(state=MentionState.REJECTED)
    return queryset.filter(by_slug | by_text | Q(pk__in=linked.values("article_id")))


def _postgres_search(
    queryset: QuerySet, keys: list[str], order: str, alias: AliasMatch | None
) -> QuerySet:
    text = " ".join(keys)
    query = SearchQuery(text, config="simple", search_type="plain")
    match = Q(search_document__document=query)
    if alias is not None:
        mentioned = Q(pk__in=_mentioning(alias))
        if alias.rest:
            rest = SearchQuery(" ".join(alias.rest), config="simple", search_type="plain")
            mentioned &= Q(search_document__document=rest)
        match |= mentioned & Q(search_document__isnull=False)
    queryset = queryset.filter(match)
    if order == NEWEST:
        return queryset.annotate(search_tier=Value(1, output_field=IntegerField())).order_by(
            "-search_document__publish_at", _PG_DOCUMENT_ID.desc()
        )
    # The tier comes from two hashed subplans over the headline and standfirst GIN
    # indexes, and every sort key is a column of the narrow search table, so PostgreSQL
    # sorts the matches there and joins articles only for the rows of the page.
    tier = RawSQL(_PG_TIER, [text, text], output_field=IntegerField())
    return queryset.annotate(search_tier=tier).order_by(
        "-search_tier", "-search_document__publish_at", _PG_DOCUMENT_ID.desc()
    )


def public_search_page(
    q: str,
    *,
    order: str = RELEVANCE,
    number: int = 1,
    size: int = PAGE_SIZE,
    queryset: QuerySet | None = None,
    now: dt.datetime | None = None,
) -> Page:
    """Page `number` of the public articles matching `q`, ranked as `article_search`
    ranks, each with `search_tier`; "next page" known without counting.

    `queryset` (default `Article.objects.public(now)`) loads the page's rows, so callers
    choose select_related(); it is applied to the page's ids, so an article it excludes
    is never shown (a stale index row can hide an article, never leak one).
    """
    keys = query_keys(q)
    if queryset is None:
        queryset = Article.objects.public(now)
    if not keys:
        return Page(items=[], number=number, has_next=False)
    offset = (number - 1) * size
    if connection.vendor != "postgresql":  # FTS5 finds and ranks fast enough in place
        rows = list(article_search(queryset, q, order=order)[offset : offset + size + 1])
        return Page(items=rows[:size], number=number, has_next=len(rows) > size)
    alias = alias_match(keys)
    ranked = _postgres_page_ids(keys, alias, order, now or timezone.now(), offset, size + 1)
    found = queryset.in_bulk([pk for pk, _tier in ranked])
    rows = []
    for pk, tier in ranked:
        if pk in found:
            found[pk].search_tier = tier
            rows.append(found[pk])
    return Page(items=rows[:size], number=number, has_next=len(ranked) > size)


# One page of (article id, tier) from the search table alone, written out: Django took
# longer to build this SQL than PostgreSQL to run it. {public} is public_q() compiled for
# this table (articles.selectors.public_where_sql); _MATCH the query as a tsquery.
_MATCH = "plainto_tsquery('simple', %s)"
_IN_HEADLINE = (
    "article_id IN (SELECT h.article_id FROM search_articledocument h "
    f"WHERE h.headline @@ {_MATCH})"
)
_IN_STANDFIRST = (
    "article_id IN (SELECT s.article_id FROM search_articledocument s "
    f"WHERE s.standfirst @@ {_MATCH})"
)
_BRANCH = (
    "(SELECT article_id, {tier} FROM search_articledocument WHERE {public} AND {where} "
    "ORDER BY publish_at DESC, article_id DESC LIMIT %s)"
)
# Articles whose confirmed mentions name an entity of the query's alias (AliasMatch).
_MENTIONED = (
    f"article_id IN (SELECT article_id FROM {Mention._meta.db_table} "
    "WHERE state = %s AND entity_id = ANY(%s))"
)
# Relevance: tier by tier, each newest first and cut at the page's end, chained with
# UNION ALL. PostgreSQL runs the branches in order and stops once the page is full, so a
# word in 30 % of articles is usually served by its (ten times fewer) headline matches,
# and no row is ever scored. The hashed NOT IN subplans keep the tiers disjoint. (The
# table has parallel_workers = 0, so the branches are never run side by side.)
#
# Newest first: the matches of the last NEWEST_WINDOW_MONTHS months (found through the
# month words in the document vector, so the GIN index yields only those), then the older
# ones (by the publish_at column, read from the narrow heap). Every row of the first
# branch is newer than every row of the second, so the chain is in order; a word in 30 %
# of articles fills its page from the first branch without touching older matches.
NEWEST_WINDOW_MONTHS = 3


def _document_match(
    text: str, alias: AliasMatch | None, months: str | None = None
) -> tuple[str, list]:
    """SQL (and its parameters) for "the document matches the query": all its words, or
    (with an alias) a mention of the alias's entity and the query's other words; within
    the `months` tsquery when given."""
    window = " && %s::tsquery" if months else ""
    window_params = [months] if months else []
    sql, params = f"document @@ ({_MATCH}{window})", [text, *window_params]
    if alias is None:
        return sql, params
    mentioned, mentioned_params = _MENTIONED, [MentionState.CONFIRMED, list(alias.entity_ids)]
    if alias.rest:
        mentioned += f" AND document @@ ({_MATCH}{window})"
        mentioned_params += [" ".join(alias.rest), *window_params]
    elif months:
        mentioned += " AND document @@ %s::tsquery"
        mentioned_params += [months]
    return f"({sql} OR ({mentioned}))", params + mentioned_params


def _postgres_page_ids(
    keys: list[str],
    alias: AliasMatch | None,
    order: str,
    now: dt.datetime,
    offset: int,
    limit: int,
) -> list[tuple[int, int]]:
    """(article id, tier) of one page, found in the search table alone."""
    text = " ".join(keys)
    # public_q(now) over the search table's copies of the article's fields.
    public, public_params = public_where_sql(ArticleDocument, now)
    end = offset + limit
    if order == NEWEST:
        months, window_start = recent_months(now, NEWEST_WINDOW_MONTHS)
        recent, recent_params = _document_match(
            text, alias, " | ".join(f"'{key}'" for key in months)
        )
        older, older_params = _document_match(text, alias)
        tiers = [
            (1, recent, recent_params),
            (1, f"{older} AND publish_at < %s", [*older_params, window_start]),
        ]
    else:
        anywhere, anywhere_params = _document_match(text, alias)
        tiers = [
            (3, f"headline @@ {_MATCH}", [text]),
            (2, f"standfirst @@ {_MATCH} AND NOT {_IN_HEADLINE}", [text, text]),
            (
                1,
                f"{anywhere} AND NOT {_IN_HEADLINE} AND NOT {_IN_STANDFIRST}",
                [*anywhere_params, text, text],
            ),
        ]
    parts, params = [], []
    for tier, where, where_params in tiers:
        parts.append(_BRANCH.format(tier=tier, public=public, where=where))
        params += [*public_params, *where_params, end]
    sql = f"SELECT * FROM ({' UNION ALL '.join(parts)}) AS page LIMIT %s OFFSET %s"
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit, offset])
        return cursor.fetchall()


def _fts_expression(keys: list[str], column: str | None = None) -> str:
    # Keys are letters and digits only (see query_keys), so quoting cannot be broken out of.
    terms = " ".join(f'"{key}"' for key in keys)
    return f"{column} : ({terms})" if column else terms


def _sqlite_search(
    queryset: QuerySet, keys: list[str], order: str, alias: AliasMatch | None
) -> QuerySet:
    table = queryset.model._meta.db_table
    match = Q(pk__in=_fts_rowids(keys))
    if alias is not None:
        mentioned = Q(pk__in=_mentioning(alias))
        if alias.rest:
            mentioned &= Q(pk__in=_fts_rowids(list(alias.rest)))
        match |= mentioned
    queryset = queryset.filter(match)
    if order == NEWEST:
        return queryset.annotate(search_tier=Value(1, output_field=IntegerField())).order_by(
            "-publish_at", "-pk"
        )
    tier = RawSQL(
        f"""CASE
            WHEN EXISTS (SELECT 1 FROM search_articlefts
                WHERE search_articlefts MATCH %s AND rowid = "{table}"."id") THEN 3
            WHEN EXISTS (SELECT 1 FROM search_articlefts
                WHERE search_articlefts MATCH %s AND rowid = "{table}"."id") THEN 2
            ELSE 1 END""",
        [_fts_expression(keys, "headline"), _fts_expression(keys, "standfirst")],
        output_field=IntegerField(),
    )
    return queryset.annotate(search_tier=tier).order_by("-search_tier", "-publish_at", "-pk")


MAX_ENTITY_RESULTS = 5


def entity_search(q: str, *, limit: int = MAX_ENTITY_RESULTS) -> list[Entity]:
    """Entities one of whose names or aliases is the query, or starts or ends with it as
    whole words ("Lukashenko" → Alexander Lukashenka), folded like the articles."""
    keys = query_keys(q)
    if not keys:
        return []
    folded = " ".join(keys)  # what core.text.normalize makes of the same words
    match = (
        Q(aliases__normalized=folded)
        | Q(aliases__normalized__startswith=folded + " ")
        | Q(aliases__normalized__endswith=" " + folded)
    )
    matching = Entity.objects.active().filter(match).values("pk")
    return list(Entity.objects.filter(pk__in=matching).order_by("name")[:limit])
