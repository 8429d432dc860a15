from django.apps import AppConfig
from django.db.models.signals import post_migrate

from . import versions


class CoreConfig(AppConfig):
    """The bottom layer: dates, links, text folding, model helpers, the audit log and the
    named version tokens every cache of derived data keys on."""

    name = "core"
    verbose_name = "Newsroom core"

    def ready(self) -> None:
        # After every migrate and flush (which emit post_migrate): see core.versions.
        post_migrate.connect(_install_versions, sender=self)


def _install_versions(sender, using, **kwargs) -> None:
    versions.install(using)
