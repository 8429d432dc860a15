from django.apps import AppConfig
from django.db.models.signals import post_migrate


class NewsroomConfig(AppConfig):
    """The project package as an app: project-wide commands, the fixture loader and the
    public version that server-side page caching keys on."""

    name = "newsroom"
    verbose_name = "Newsroom"

    def ready(self) -> None:
        # After every migrate and flush (which emit post_migrate): see public_version.
        post_migrate.connect(_install_public_version, sender=self)


def _install_public_version(sender, using, **kwargs) -> None:
    from . import public_version

    public_version.install(using)
