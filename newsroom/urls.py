from django.contrib import admin
from django.urls import include, path

# A database outage answers 503 with Retry-After; other errors a branded 500.
handler500 = "core.errors.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("api.urls")),
    path("", include("website.urls")),
]

# 403 and 404 are Django's views with the site's templates; 500 needs its own view (see
# website.errors). Unknown API paths answer JSON through api.urls' catch-all instead.
handler500 = "website.errors.server_error"
