"""The search index: PostgreSQL table with a GIN index, or an SQLite FTS5 virtual table.

No foreign key on article_id: the index is derived data that `search.signals` keeps in
step (deleted articles are removed there), and a key would make every TRUNCATE of the
articles table (test flushes) fail.
"""

import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

POSTGRES_CREATE = [
    # toast_tuple_target = 128 moves the tsvectors out of line, so the heap holds only
    # (article_id, publish_at, three TOAST pointers): the GIN bitmap scans that find
    # matches and the sort by tier and date then read a narrow table and never detoast.
    # parallel_workers = 0: a parallel sequential scan halves the planner's cost of
    # reading every row, enough to prefer it to the GIN index; it would detoast every row.
    """
    CREATE TABLE search_articledocument (
        article_id bigint PRIMARY KEY,
        publish_at timestamp with time zone NULL,
        headline tsvector NOT NULL,
        standfirst tsvector NOT NULL,
        document tsvector NOT NULL
    ) WITH (toast_tuple_target = 128, parallel_workers = 0)
    """,
    "ALTER TABLE search_articledocument ALTER COLUMN headline SET STORAGE EXTERNAL",
    "ALTER TABLE search_articledocument ALTER COLUMN standfirst SET STORAGE EXTERNAL",
    "ALTER TABLE search_articledocument ALTER COLUMN document SET STORAGE EXTERNAL",
    # fastupdate = off: no pending list that every query must scan linearly.
    "CREATE INDEX search_articledocument_gin ON search_articledocument "
    "USING gin (document) WITH (fastupdate = off)",
    "CREATE INDEX search_articledocument_headline_gin ON search_articledocument "
    "USING gin (headline) WITH (fastupdate = off)",
    "CREATE INDEX search_articledocument_standfirst_gin ON search_articledocument "
    "USING gin (standfirst) WITH (fastupdate = off)",
]
POSTGRES_DROP = ["DROP TABLE IF EXISTS search_articledocument"]
SQLITE_CREATE = [
    "CREATE VIRTUAL TABLE search_articlefts USING fts5(headline, standfirst, body, "
    "tokenize = 'unicode61 remove_diacritics 0')"
]
SQLITE_DROP = ["DROP TABLE IF EXISTS search_articlefts"]


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": POSTGRES_CREATE, "sqlite": SQLITE_CREATE}.get(vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in {"postgresql": POSTGRES_DROP, "sqlite": SQLITE_DROP}.get(vendor, []):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    initial = True

    dependencies = [("articles", "0001_initial")]

    operations = [
        migrations.CreateModel(
            name="ArticleDocument",
            fields=[
                (
                    "article",
                    models.OneToOneField(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="search_document",
                        serialize=False,
                        to="articles.article",
                    ),
                ),
                ("publish_at", models.DateTimeField(null=True)),
                ("headline", django.contrib.postgres.search.SearchVectorField()),
                ("standfirst", django.contrib.postgres.search.SearchVectorField()),
                ("document", django.contrib.postgres.search.SearchVectorField()),
            ],
            options={"db_table": "search_articledocument", "managed": False},
        ),
        migrations.RunPython(create, drop),
    ]
