"""The editors' admin: articles and their workflow, entities and merges, suggestion
review, history and users. Importing the modules registers their ModelAdmins."""

from django.conf import settings
from django.contrib import admin

from . import articles, entities, history, suggestions

# The newsroom's name, not "Django administration", on every admin page and title.
admin.site.site_header = settings.NEWSROOM_SITE_NAME
admin.site.site_title = f"{settings.NEWSROOM_SITE_NAME} admin"
admin.site.index_title = f"{settings.NEWSROOM_SITE_NAME} desk"

__all__ = ["articles", "entities", "history", "suggestions"]
