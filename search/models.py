"""The PostgreSQL search index: one row per article with folded tsvectors.

The table is created by migration 0001 only on PostgreSQL (SQLite gets an FTS5 virtual
table instead), so the model is unmanaged; rows are written by `search.services`.

`status`, `publish_at` and `embargo_until` are copies of the article's (migration 0002),
named like the article's fields so that `articles.models.public_q()` applies to this
table unchanged: search filters, ranks and cuts its page here, in the narrow table, and
reads the wide articles table only for the rows shown.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models

from articles.models import Article


class ArticleDocument(models.Model):
    # DO_NOTHING: search.signals removes the row of a deleted article; on SQLite the table
    # does not exist, so Django must never try to collect rows of it.
    article = models.OneToOneField(
        Article,
        primary_key=True,
        on_delete=models.DO_NOTHING,
        related_name="search_document",
        db_constraint=False,
    )
    status = models.CharField(max_length=10)
    publish_at = models.DateTimeField(null=True)
    embargo_until = models.DateTimeField(null=True)
    headline = SearchVectorField()
    standfirst = SearchVectorField()
    document = SearchVectorField()

    class Meta:
        managed = False
        db_table = "search_articledocument"

    def __str__(self) -> str:
        return f"Search document of article {self.article_id}"
