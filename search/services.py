"""Writes to the search index. The index is derived data: rebuilt from articles at will.

Every article (whatever its state) is indexed, with copies of the fields the public rule
reads (status, publish_at, embargo_until): search applies `public_q()` to the index to
cut its page there, and loads the page's articles through `Article.objects.public()`, so
what is public is still decided at read time, by the one rule. `search_index_update` is
called for each saved article and each revision the article services record (see
`search.signals`), `search_index_rebuild` by `load_newsroom` and the
`rebuild_search_index` command. The document vector also holds the publication month
as a word no query can produce (`search.text.month_key`), for newest-first search.
"""

from collections.abc import Iterable

from django.db import connection, transaction

from articles.models import Article

from .text import fold_document, month_key

BATCH_SIZE = 1000
_FIELDS = ("id", "headline", "standfirst", "body", "status", "publish_at", "embargo_until")


def _rows(articles: Iterable[Article]) -> list[tuple]:
    return [
        (
            article.pk,
            article.status,
            article.publish_at,
            article.embargo_until,
            fold_document(article.headline),
            fold_document(article.standfirst),
            fold_document(article.body),
        )
        for article in articles
    ]


_PG_UPSERT = """
    INSERT INTO search_articledocument
        (article_id, status, publish_at, embargo_until, headline, standfirst, document)
    VALUES (%s, %s, %s, %s, to_tsvector('simple', %s), to_tsvector('simple', %s),
        setweight(to_tsvector('simple', %s), 'A') || setweight(to_tsvector('simple', %s), 'B')
        || setweight(to_tsvector('simple', %s), 'C') || array_to_tsvector(%s::text[]))
    ON CONFLICT (article_id) DO UPDATE SET status = EXCLUDED.status,
        publish_at = EXCLUDED.publish_at, embargo_until = EXCLUDED.embargo_until,
        headline = EXCLUDED.headline, standfirst = EXCLUDED.standfirst,
        document = EXCLUDED.document
"""
_SQLITE_DELETE = "DELETE FROM search_articlefts WHERE rowid = %s"
_SQLITE_INSERT = (
    "INSERT INTO search_articlefts (rowid, headline, standfirst, body) VALUES (%s, %s, %s, %s)"
)


def _write(rows: list[tuple]) -> None:
    if not rows:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.executemany(
                _PG_UPSERT,
                [
                    (pk, st, at, em, h, s, h, s, b, [month_key(at)] if at else [])
                    for pk, st, at, em, h, s, b in rows
                ],
            )
        elif connection.vendor == "sqlite":
            cursor.executemany(_SQLITE_DELETE, [(row[0],) for row in rows])
            cursor.executemany(_SQLITE_INSERT, [(pk, h, s, b) for pk, *_public, h, s, b in rows])


@transaction.atomic
def search_index_update(*, articles: Iterable[Article]) -> None:
    """Index (or re-index) the given articles."""
    _write(_rows(articles))


@transaction.atomic
def search_index_remove(*, article_ids: Iterable[int]) -> None:
    """Drop articles from the index."""
    ids = [(pk,) for pk in article_ids]
    if not ids:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.executemany("DELETE FROM search_articledocument WHERE article_id = %s", ids)
        elif connection.vendor == "sqlite":
            cursor.executemany(_SQLITE_DELETE, ids)


# The GIN indexes of migration 0001, dropped during a full rebuild and built again after
# the rows are in (one sorted build instead of 100,000 index updates).
_PG_GIN_INDEXES = {
    "search_articledocument_gin": "document",
    "search_articledocument_headline_gin": "headline",
    "search_articledocument_standfirst_gin": "standfirst",
}


@transaction.atomic
def search_index_rebuild() -> int:
    """Rebuild the whole index from the articles table; return the number indexed."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("TRUNCATE search_articledocument")
            for name in _PG_GIN_INDEXES:
                cursor.execute(f"DROP INDEX IF EXISTS {name}")
        elif connection.vendor == "sqlite":
            cursor.execute("DELETE FROM search_articlefts")
    count = 0
    batch: list[Article] = []
    for article in Article.objects.only(*_FIELDS).order_by("pk").iterator(chunk_size=BATCH_SIZE):
        batch.append(article)
        if len(batch) >= BATCH_SIZE:
            _write(_rows(batch))
            count += len(batch)
            batch = []
    _write(_rows(batch))
    count += len(batch)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for name, column in _PG_GIN_INDEXES.items():
                cursor.execute(
                    f"CREATE INDEX {name} ON search_articledocument "
                    f"USING gin ({column}) WITH (fastupdate = off)"
                )
            cursor.execute("ANALYZE search_articledocument")
    return count
