"""The project's one API router, its OpenAPI schema and its docs, mounted at /api/v1/."""

from django.urls import include, path, re_path
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import routers
from rest_framework.decorators import api_view, permission_classes, renderer_classes
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny

from api.articles import ArticleViewSet
from api.auth import PublicReadOnly
from api.entities import EventViewSet, OrganizationViewSet, PersonViewSet, PlaceViewSet
from api.http import ConditionalGetMixin, ORJSONRenderer, check_request_hygiene
from api.quotes import QuoteViewSet
from api.sections import SectionViewSet
from api.statistics import StatisticViewSet
from api.tokens import LogoutView, ObtainTokenView, TokenDetailView, TokenListView


class APIRootView(ConditionalGetMixin, routers.APIRootView):
    """Newsroom API: published articles and the entities they are about."""

    permission_classes = [PublicReadOnly]


class Router(routers.DefaultRouter):
    APIRootView = APIRootView
    include_format_suffixes = False


class SchemaView(ConditionalGetMixin, SpectacularAPIView):
    permission_classes = [PublicReadOnly]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        check_request_hygiene(request)


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI from drf-spectacular-sidecar's static files: no CDN, and its start-up
    script served as a file (`?script=`), not inline, so the page's CSP allows no inline
    script."""

    permission_classes = [PublicReadOnly]


@extend_schema(exclude=True)
@api_view(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"])
@permission_classes([AllowAny])
@renderer_classes([ORJSONRenderer])
def not_found(request):
    raise NotFound("No such API endpoint.")


router = Router(trailing_slash=True)
router.register("articles", ArticleViewSet, basename="article")
router.register("people", PersonViewSet, basename="person")
router.register("organizations", OrganizationViewSet, basename="organization")
router.register("events", EventViewSet, basename="event")
router.register("places", PlaceViewSet, basename="place")
router.register("quotes", QuoteViewSet, basename="quote")
router.register("statistics", StatisticViewSet, basename="statistic")
router.register("sections", SectionViewSet, basename="section")

app_name = "api"

urlpatterns = [
    path("auth/token/", ObtainTokenView.as_view(), name="auth-token"),
    path("auth/logout/", LogoutView.as_view(), name="auth-logout"),
    path("auth/tokens/", TokenListView.as_view(), name="auth-tokens"),
    path("auth/tokens/<str:public_id>/", TokenDetailView.as_view(), name="auth-token-detail"),
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", DocsView.as_view(url_name="api:schema"), name="docs"),
    path("", include(router.urls)),
    # Anything else under /api/v1/ answers JSON, not the site's HTML 404 page.
    re_path(r"^.*$", not_found, name="not-found"),
]
