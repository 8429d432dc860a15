"""Article payloads at plain-SQL speed: value rows, page queries compiled once, related
rows fetched per page; and which articles a user may see through the API."""

import datetime as dt
import decimal
import functools

from django.db import connections
from django.db.models import Q
from django.utils import timezone

from api.article_serializers import (
    article_api_url,
    article_payload,
    article_url,
    render_bodies,
)
from api.http import (
    latest,
)
from articles.models import (
    Article,
    Correction,
    Mention,
    MentionState,
    Quote,
    Section,
    Statistic,
)
from articles.permissions import articles_visible_q
from entities.models import Entity

ARTICLE_COLUMNS = (
    "id",
    "slug",
    "headline",
    "standfirst",
    "body",
    "byline",
    "language",
    "status",
    "publish_at",
    "embargo_until",
    "first_published_at",
    "updated_at",
    "version",
    "section_id",
    "dateline_id",
)
MENTION_COLUMNS = ("article_id", "role", "entity__slug", "entity__name", "entity__kind")
# Only the detail needs when its mentions last changed (for Last-Modified).
MENTION_TIME_COLUMNS = ("entity__updated_at", "decided_at")


def _ref_columns(*relations: str) -> tuple[str, ...]:
    return tuple(f"{relation}__{column}" for relation in relations for column in REF)


REF = ("slug", "name", "kind")
QUOTE_COLUMNS = (
    "article_id",
    "slug",
    "text",
    "said_on",
    "said_on_precision",
    "said_where",
    *_ref_columns("speaker", "medium", "context_event"),
)
STATISTIC_COLUMNS = (
    "article_id",
    "slug",
    "value",
    "unit",
    "as_of",
    "as_of_precision",
    "source_url",
    "note",
    *_ref_columns("subject", "source"),
)
CORRECTION_COLUMNS = ("article_id", "kind", "note", "published_at")


@functools.cache
def _article_rows_template():
    return Article.objects.values(*ARTICLE_COLUMNS)


def article_rows():
    """Articles as values() rows: the page query of every article endpoint. Resolving the
    columns costs as much as running the query, so it is done once and cloned."""
    return _article_rows_template().all()


def _aware(value):
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value, dt.UTC)
    return value


def _decimal(value):
    return (
        value
        if value is None or isinstance(value, decimal.Decimal)
        else decimal.Decimal(str(value))
    )


def _date(value):
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


class PageQuery:
    """A values() query over a page of articles, compiled by the ORM once per database and
    then run as plain SQL with the page's ids: the ORM's per-query compile and per-row
    converter costs were most of the article list's time (benchmarks/bench_api.py)."""

    SENTINEL = -7_654_321

    def __init__(
        self, build, columns: tuple[str, ...], converters: dict | None = None, key="article_id"
    ):
        self.build = build  # ids -> QuerySet filtered on <key>__in=ids
        self.columns = columns
        self.converters = converters or {}
        self.key = key
        self._compiled: dict[str, tuple[list[str], list, int]] = {}

    def _compile(self, alias: str):
        queryset = self.build([self.SENTINEL]).values_list(*self.columns)
        sql, params = queryset.query.get_compiler(using=alias).as_sql()
        params = list(params)
        position = params.index(self.SENTINEL)
        return sql.split("%s"), params, position

    def __call__(self, ids: list[int], alias: str = "default") -> dict[int, list[dict]]:
        if alias not in self._compiled:
            self._compiled[alias] = self._compile(alias)
        pieces, params, position = self._compiled[alias]
        placeholders = ", ".join(["%s"] * len(ids))
        sql = (
            "".join(
                piece + (placeholders if index == position else "%s")
                for index, piece in enumerate(pieces[:-1])
            )
            + pieces[-1]
        )
        values = [*params[:position], *ids, *params[position + 1 :]]
        groups: dict[int, list[dict]] = {}
        converters = list(self.converters.items())
        with connections[alias].cursor() as cursor:
            cursor.execute(sql, values)
            for record in cursor.fetchall():
                row = dict(zip(self.columns, record, strict=True))
                for name, convert in converters:
                    row[name] = convert(row[name])
                groups.setdefault(row[self.key], []).append(row)
        return groups


MENTIONS = PageQuery(
    lambda ids: Mention.objects.filter(article_id__in=ids, state=MentionState.CONFIRMED).order_by(
        "article_id", "span_start", "pk"
    ),
    MENTION_COLUMNS,
)
MENTIONS_WITH_TIMES = PageQuery(
    MENTIONS.build,
    (*MENTION_COLUMNS, *MENTION_TIME_COLUMNS),
    {"entity__updated_at": _aware, "decided_at": _aware},
)
QUOTES = PageQuery(
    lambda ids: Quote.objects.filter(article_id__in=ids).order_by("article_id", "position", "pk"),
    QUOTE_COLUMNS,
    {"said_on": _date},
)
STATISTICS = PageQuery(
    lambda ids: Statistic.objects.filter(article_id__in=ids).order_by(
        "article_id", "position", "pk"
    ),
    STATISTIC_COLUMNS,
    {"value": _decimal, "as_of": _date},
)
CORRECTIONS = PageQuery(
    lambda ids: Correction.objects.filter(article_id__in=ids).order_by(
        "article_id", "-published_at", "-pk"
    ),
    CORRECTION_COLUMNS,
    {"published_at": _aware},
)


SECTIONS = PageQuery(
    lambda ids: Section.objects.filter(pk__in=ids).order_by(), ("id", "slug", "name"), key="id"
)
DATELINES = PageQuery(
    lambda ids: Entity.objects.filter(pk__in=ids).order_by(),
    ("id", "slug", "name", "kind"),
    key="id",
)


def with_references(rows: list[dict]) -> list[dict]:
    """Add section and dateline columns to article rows: two small queries instead of
    joins, which made SQLite sort the whole table before taking a page."""
    section_ids = list({row["section_id"] for row in rows if row["section_id"]})
    place_ids = list({row["dateline_id"] for row in rows if row["dateline_id"]})
    sections = SECTIONS(section_ids) if section_ids else {}
    places = DATELINES(place_ids) if place_ids else {}
    for row in rows:
        section = sections.get(row["section_id"], [{}])[0]
        place = places.get(row["dateline_id"], [{}])[0]
        row["section__slug"], row["section__name"] = section.get("slug"), section.get("name")
        row["dateline__slug"] = place.get("slug")
        row["dateline__name"], row["dateline__kind"] = place.get("name"), place.get("kind")
    return rows


def article_related(ids: list[int], *, with_times: bool = False) -> dict:
    """Confirmed mentions, quotes, statistics and corrections of these articles: four
    queries whatever their number, as plain rows (no model instances)."""
    if not ids:
        return {"mentions": {}, "quotes": {}, "statistics": {}, "corrections": {}}
    return {
        "mentions": (MENTIONS_WITH_TIMES if with_times else MENTIONS)(ids),
        "quotes": QUOTES(ids),
        "statistics": STATISTICS(ids),
        "corrections": CORRECTIONS(ids),
    }


def article_documents(rows: list[dict], related=None) -> list[dict]:
    rows = with_references(rows)
    related = related if related is not None else article_related([r["id"] for r in rows])
    rendered = render_bodies([row["body"] for row in rows])
    return [
        article_payload(
            row,
            mentions=related["mentions"].get(row["id"], []),
            quotes=related["quotes"].get(row["id"], []),
            statistics=related["statistics"].get(row["id"], []),
            corrections=related["corrections"].get(row["id"], []),
            rendered=rendered[row["body"]],
        )
        for row in rows
    ]


def visible_q(user) -> Q:
    """What this user may read: the admin's answer (articles.permissions), by design."""
    return articles_visible_q(user)


def visible_articles(user):
    return Article.objects.filter(visible_q(user))


def article_last_modified(row: dict, related) -> dt.datetime | None:
    """When anything the article's document shows last changed (as far as we can tell)."""
    now = timezone.now()
    mentions = related["mentions"].get(row["id"], [])
    return latest(
        [
            row["updated_at"],
            row["publish_at"] if row["publish_at"] and row["publish_at"] <= now else None,
            row["embargo_until"] if row["embargo_until"] and row["embargo_until"] <= now else None,
            *(c["published_at"] for c in related["corrections"].get(row["id"], [])),
            *(m["entity__updated_at"] for m in mentions),
            *(m["decided_at"] for m in mentions),
        ]
    )


def article_ref(row: dict) -> dict:
    slug = row["article__slug"]
    return {
        "slug": slug,
        "headline": row["article__headline"],
        "url": article_url(slug),
        "api_url": article_api_url(slug),
    }


def with_article(payload: dict, row: dict) -> dict:
    payload["article"] = article_ref(row)
    return payload
