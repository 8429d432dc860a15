"""django.contrib.admin's app config with the project's site (editorial.admin_site).

In INSTALLED_APPS in place of "django.contrib.admin"; a module of its own, because
editorial.apps may declare only one AppConfig.
"""

from django.contrib.admin.apps import AdminConfig


class NewsroomAdminConfig(AdminConfig):
    default_site = "editorial.admin_site.NewsroomAdminSite"
