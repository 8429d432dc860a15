"""The project's admin site: Django's, with "view on site" limited to what the user may see.

Django's `admin/r/<content type>/<id>/` redirects any staff user to any object's public
URL, and an unpublished article's URL names its slug (its headline): a reporter could read
the headlines of others' drafts one id at a time. Kept outside the editorial.admin package
so that the admin app can load it before the ModelAdmins register.
"""

from django.contrib.admin import AdminSite
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import path


class NewsroomAdminSite(AdminSite):
    def get_urls(self):
        return [
            path(
                "r/<path:content_type_id>/<path:object_id>/",
                self.admin_view(self.view_on_site),
                name="view_on_site",
            )
            if getattr(pattern, "name", None) == "view_on_site"
            else pattern
            for pattern in super().get_urls()
        ]

    def view_on_site(self, request, content_type_id, object_id):
        """Django's redirect, for objects the user may see in their ModelAdmin; else 404."""
        try:
            model = ContentType.objects.get(pk=content_type_id).model_class()
        except (ContentType.DoesNotExist, ValueError) as error:
            raise Http404("No such object.") from error
        model_admin = self._registry.get(model)
        if model_admin is None:
            raise Http404("No such object.")
        try:
            obj = model_admin.get_queryset(request).filter(pk=object_id).first()
        except (ValueError, ValidationError) as error:
            raise Http404("No such object.") from error
        if obj is None or not model_admin.has_view_permission(request, obj):
            raise Http404("No such object.")
        return shortcut(request, content_type_id, object_id)
