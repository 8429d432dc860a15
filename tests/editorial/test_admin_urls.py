"""Source links typed without a scheme become https:// links in the admin."""

from django.contrib import admin
from django.contrib.auth.models import User
from django.test import RequestFactory

from articles.models import Statistic


def test_statistic_source_without_scheme_is_https(db):
    """Statistics are edited on their article (the standalone page is a read-only list)."""
    request = RequestFactory().get("/admin/")
    request.user = User.objects.create_superuser("chief", password="pw-for-tests-only")
    inline = next(
        i
        for i in admin.site._registry[Statistic.article.field.related_model].inlines
        if i.model is Statistic
    )(Statistic.article.field.related_model, admin.site)
    field = inline.get_formset(request).form.base_fields["source_url"]
    assert field.clean("example.org/report") == "https://example.org/report"
