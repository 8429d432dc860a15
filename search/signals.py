"""Keep the search index in step with article saves, wherever they come from.

The index is derived data, like Wagtail's search index: every write path (services,
admin, shell) saves articles, so a post_save receiver is the one place that cannot be
forgotten. Raw saves (loaddata) are skipped: `load_newsroom` rebuilds the whole index.

The article services write with a conditional `UPDATE … WHERE version = …` (no
post_save), and record every such write as an `editorial.Revision` holding the article as
written; so a saved revision re-indexes its article too (publish, withdraw, edit,
restore), in the same transaction.
"""

from django.db.models.signals import post_delete, post_save

from articles.models import Article


def _article_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    from .services import search_index_update

    search_index_update(articles=[instance])


def _revision_saved(sender, instance, created=False, raw=False, **kwargs):
    if raw or not created:
        return
    from .services import search_index_update

    search_index_update(articles=[instance.article])


def _article_deleted(sender, instance, **kwargs):
    from .services import search_index_remove

    search_index_remove(article_ids=[instance.pk])


def connect() -> None:
    post_save.connect(_article_saved, sender=Article, dispatch_uid="search_article_saved")
    post_save.connect(
        _revision_saved, sender="editorial.Revision", dispatch_uid="search_revision_saved"
    )
    post_delete.connect(_article_deleted, sender=Article, dispatch_uid="search_article_deleted")
