"""Public pages. The site views live in their apps; this module names them."""

from django.urls import path

from articles import views as article_views
from entities import views as entity_views

app_name = "site"

urlpatterns = [
    path("", article_views.home, name="home"),
    path("articles/<slug:slug>/", article_views.article_detail, name="article-detail"),
    path("sections/<slug:slug>/", article_views.section_detail, name="section-detail"),
    path(
        "people/<slug:slug>/", entity_views.entity_detail, {"kind": "person"}, name="person-detail"
    ),
    path(
        "organizations/<slug:slug>/",
        entity_views.entity_detail,
        {"kind": "organization"},
        name="organization-detail",
    ),
    path("events/<slug:slug>/", entity_views.entity_detail, {"kind": "event"}, name="event-detail"),
    path("places/<slug:slug>/", entity_views.entity_detail, {"kind": "place"}, name="place-detail"),
]
