"""API authentication: tokens for newsroom tools, throttling, permissions.

Tokens are django-rest-knox tokens (workflow.ApiToken): one per client, stored as a digest,
expiring. A token whose owner is inactive or has changed password since it was issued is
refused, and all of that owner's tokens are deleted, so reactivating the account does not
bring an old token back.
"""

from django.conf import settings
from django.core.cache import caches
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from knox.auth import TokenAuthentication
from rest_framework import exceptions, permissions
from rest_framework.throttling import AnonRateThrottle

from articles.permissions import Role, user_role
from core.clients import client_address
from workflow.tokens import token_is_current, token_touch, tokens_revoke_stale


class ActiveTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <token>`; expired, revoked and stale tokens are refused (401)."""

    def validate_user(self, auth_token):
        if not token_is_current(auth_token):
            tokens_revoke_stale(user=auth_token.user)
            raise exceptions.AuthenticationFailed("Invalid token.")
        token_touch(auth_token)
        return (auth_token.user, auth_token)


class ActiveTokenScheme(OpenApiAuthenticationExtension):
    """The token scheme in the OpenAPI schema (the name DRF's token scheme had)."""

    target_class = ActiveTokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <token>`, from POST /api/v1/auth/token/.",
        }


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
        return client_address(request) or "unknown"

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


def sees_unpublished(user) -> bool:
    """Editors and reporters: some unpublished articles are theirs to read (which ones is
    articles.permissions' answer)."""
    return user_role(user) is not Role.READER
