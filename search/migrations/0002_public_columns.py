"""Copy the article's status and embargo into the search table (publish_at is there), and
add the publication month word (search.text.month_key) to every document vector.

With them, the public rule (`articles.models.public_q`) is evaluated on the narrow search
table, so a search ranks and cuts its page without reading every matching article row.
Existing rows are filled from the articles table; `search.services` keeps them in step.
Every row is rewritten, so the GIN indexes are dropped first and built again after (one
sorted build each instead of an index update per lexeme per row), as a rebuild does, and
the table is vacuumed after: the old row versions would otherwise double what every search
reads until autovacuum came by. VACUUM cannot run in a transaction, so the migration is
not atomic; every step can be run again (IF [NOT] EXISTS).
"""

from django.db import migrations, models

GIN_INDEXES = {
    "search_articledocument_gin": "document",
    "search_articledocument_headline_gin": "headline",
    "search_articledocument_standfirst_gin": "standfirst",
}
POSTGRES_FORWARD = [
    *(f"DROP INDEX IF EXISTS {name}" for name in GIN_INDEXES),
    "ALTER TABLE search_articledocument "
    "ADD COLUMN IF NOT EXISTS status varchar(10) NOT NULL DEFAULT 'draft', "
    "ADD COLUMN IF NOT EXISTS embargo_until timestamp with time zone NULL",
    """
    UPDATE search_articledocument AS d
    SET status = a.status, publish_at = a.publish_at, embargo_until = a.embargo_until,
        document = d.document || array_to_tsvector(ARRAY(
            SELECT '@m' || to_char(a.publish_at AT TIME ZONE 'UTC', 'YYYYMM')
            WHERE a.publish_at IS NOT NULL))
    FROM articles_article AS a WHERE a.id = d.article_id
    """,
    *(
        f"CREATE INDEX IF NOT EXISTS {name} ON search_articledocument "
        f"USING gin ({column}) WITH (fastupdate = off)"
        for name, column in GIN_INDEXES.items()
    ),
    "VACUUM ANALYZE search_articledocument",
]
POSTGRES_BACKWARD = [
    "ALTER TABLE search_articledocument "
    "DROP COLUMN IF EXISTS status, DROP COLUMN IF EXISTS embargo_until"
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in POSTGRES_FORWARD:
            schema_editor.execute(sql)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in POSTGRES_BACKWARD:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("search", "0001_initial"), ("articles", "0001_initial")]

    operations = [
        # The model is unmanaged: these change Django's idea of it, RunPython the table.
        migrations.AddField(
            model_name="articledocument",
            name="status",
            field=models.CharField(max_length=10),
        ),
        migrations.AddField(
            model_name="articledocument",
            name="embargo_until",
            field=models.DateTimeField(null=True),
        ),
        migrations.RunPython(forward, backward),
    ]
