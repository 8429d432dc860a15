"""The search index: PostgreSQL table with a GIN index, or an SQLite FTS5 virtual table.

No foreign key on article_id: the index is derived data that `search.signals` keeps in
step (deleted articles are removed there), and a key would make every TRUNCATE of the
articles table (test flushes) fail.
"""

import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

POSTGRES_CREATE = [
    """
    CREATE TABLE search_articledocument (
        article_id bigint PRIMARY KEY,
        publish_at timestamp with time zone NULL,
        headline tsvector NOT NULL,
        standfirst tsvector NOT NULL,
        document tsvector NOT NULL
    )
    """,
    "CREATE INDEX search_articledocument_gin ON search_articledocument USING gin (document)",
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
