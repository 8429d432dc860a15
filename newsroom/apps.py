from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    """The project package as an app: project-wide commands and the fixture loader."""

    name = "newsroom"
    verbose_name = "Newsroom"
