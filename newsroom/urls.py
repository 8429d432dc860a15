from django.contrib import admin
from django.urls import include, path

from editorial.two_factor import two_factor_view

urlpatterns = [
    path("admin/two-factor/", admin.site.admin_view(two_factor_view), name="two-factor"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("api.urls")),
    path("", include("website.urls")),
]
