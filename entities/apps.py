from django.apps import AppConfig

from core import versions


class EntitiesConfig(AppConfig):
    name = "entities"
    verbose_name = "Entities"

    def ready(self) -> None:
        from .models import Alias, Entity

        # Everything about an entity can show on a public page; names feed the finder.
        for model in self.get_models(include_auto_created=True):
            if model._meta.managed and not model._meta.proxy:
                versions.watch(versions.PUBLIC, model._meta.db_table)
        for model in (Entity, Alias):
            versions.watch(versions.ALIASES, model._meta.db_table)
