from django.apps import AppConfig

from core import versions


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles"

    def ready(self) -> None:
        from .models import (
            RELEASED_STATUSES,
            Article,
            Correction,
            Mention,
            Quote,
            Section,
            Statistic,
        )

        # Only what can show moves the public version, so that editors saving drafts (and
        # their mentions, quotes, …) leave cached pages alone: an article row only while
        # it is released (before or after the write), its parts only while their article
        # is. Revisions never show.
        released = ", ".join(f"'{status}'" for status in RELEASED_STATUSES)
        article = Article._meta.db_table
        versions.watch(versions.PUBLIC, article, f"{{row}}.status IN ({released})")
        versions.watch(versions.PUBLIC, Section._meta.db_table)
        for model in (Mention, Quote, Statistic, Correction):
            versions.watch(
                versions.PUBLIC,
                model._meta.db_table,
                f'EXISTS (SELECT 1 FROM "{article}" a WHERE a.id = {{row}}.article_id '
                f"AND a.status IN ({released}))",
            )
