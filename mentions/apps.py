from django.apps import AppConfig


class MentionsConfig(AppConfig):
    name = "mentions"
    verbose_name = "Entity linker"
