from django.contrib import admin
from django.urls import include, path

from editorial.two_factor import two_factor_view

# 403 and 404 are Django's views with the site's templates (403.html, 404.html). 500 needs
# a view of its own (core.errors): a database outage answers 503 with Retry-After, other
# errors the branded 500.html; under /api/ both answer JSON.
handler500 = "core.errors.server_error"

urlpatterns = [
    path("admin/two-factor/", admin.site.admin_view(two_factor_view), name="two-factor"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("api.urls")),
    path("", include("website.urls")),
]
