"""The editors' admin: articles and their workflow, entities and merges, suggestion
review, history and users. Importing the modules registers their ModelAdmins."""

from django.conf import settings
from django.contrib import admin

from editorial.two_factor import TwoFactorAdminLoginForm

from . import articles, devices, entities, history, suggestions, tokens

# The newsroom's name, not "Django administration", on every admin page and title.
admin.site.site_header = settings.NEWSROOM_SITE_NAME
admin.site.site_title = f"{settings.NEWSROOM_SITE_NAME} admin"
admin.site.index_title = f"{settings.NEWSROOM_SITE_NAME} desk"
# Sign-in asks for the authenticator code of users who have set one up.
admin.site.login_form = TwoFactorAdminLoginForm
admin.site.login_template = "admin/login_two_factor.html"

__all__ = ["articles", "devices", "entities", "history", "suggestions", "tokens"]
