from django.contrib import admin
from django.urls import include, path

# A database outage answers 503 with Retry-After; other errors a branded 500.
handler500 = "core.errors.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("api.urls")),
    path("", include("website.urls")),
]
