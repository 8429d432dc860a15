"""API authentication: tokens for newsroom tools, login lockout, throttling, permissions.

Tokens are DRF's `authtoken` keys: one per user, created at login, deleted at logout.
A deactivated user's token stops working at once and is deleted on its next use, so
reactivating the account does not bring an old token back.
"""

from django.conf import settings
from django.core.cache import caches
from rest_framework import exceptions, permissions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.throttling import AnonRateThrottle

from core.clients import client_address


class ActiveTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>`; inactive users are refused (401)."""

    keyword = "Token"

    def authenticate_credentials(self, key):
        try:
            token = Token.objects.select_related("user").get(key=key)
        except (Token.DoesNotExist, ValueError) as exc:
            raise exceptions.AuthenticationFailed("Invalid token.") from exc
        if not token.user.is_active:
            token.delete()
            raise exceptions.AuthenticationFailed("Invalid token.")
        return (token.user, token)


class AnonymousThrottle(AnonRateThrottle):
    """Anonymous requests per client address, at settings.NEWSROOM_API_ANON_RATE.

    The address is core.clients.client_address (X-Forwarded-For only from trusted proxies);
    the counts live in the "counters" cache, which production shares between workers.
    """

    scope = "anon"

    @property
    def cache(self):
        return caches["counters"]

    def get_ident(self, request) -> str:
        return client_address(request)

    def get_rate(self) -> str:
        return settings.NEWSROOM_API_ANON_RATE


class ReadPublicWriteEditorial(permissions.BasePermission):
    """Anyone may read (what they see is decided by the queryset); writes need a login.

    What a logged-in user may write is decided by the article services (the same rules
    as the admin), which raise PermissionDenied.
    """

    def has_permission(self, request, view) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        return bool(request.user and request.user.is_authenticated and request.user.is_active)


class PublicReadOnly(permissions.BasePermission):
    """Read-only endpoints open to everyone (published content only)."""

    def has_permission(self, request, view) -> bool:
        return request.method in permissions.SAFE_METHODS


def can_preview(user) -> bool:
    """Editors: read every article whatever its status."""
    return bool(user and user.is_authenticated and user.has_perm("articles.preview_article"))


def is_author(user) -> bool:
    """Reporters: read their own unpublished articles."""
    return bool(user and user.is_authenticated and user.has_perm("articles.change_article"))


def token_revoke(*, user) -> None:
    """Delete a user's API token (logout, deactivation)."""
    Token.objects.filter(user=user).delete()
