"""API authentication: tokens for newsroom tools, login lockout, throttling, permissions.

Tokens are DRF's `authtoken` keys: one per user, created at login, deleted at logout.
A deactivated user's token stops working at once and is deleted on its next use, so
reactivating the account does not bring an old token back.
"""

import hashlib

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.cache import cache
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, permissions, serializers, status
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from .api_http import reject_nul


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
    """Anonymous requests per client address, at settings.NEWSROOM_API_ANON_RATE."""

    scope = "anon"

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


def _lockout_key(username: str, address: str) -> str:
    digest = hashlib.sha256(f"{username.casefold()}\x1f{address}".encode()).hexdigest()
    return f"api-login-failures:{digest}"


def _client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False)


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()


class ObtainTokenView(APIView):
    """Exchange a username and password for an API token.

    Repeated failures for one username from one address lock that pair out for
    NEWSROOM_API_LOGIN_LOCKOUT_SECONDS (429 with Retry-After), even with the right password.
    """

    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []
    throttle_classes: list = []

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: TokenResponseSerializer,
            400: inline_serializer("TokenError", {"detail": serializers.CharField()}),
            429: inline_serializer("TokenLockout", {"detail": serializers.CharField()}),
        },
        auth=[],
        tags=["auth"],
    )
    def post(self, request):
        reject_nul(request.data)
        form = TokenRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        username = form.validated_data["username"]
        key = _lockout_key(username, _client_address(request))
        failures = cache.get(key, 0)
        lockout = settings.NEWSROOM_API_LOGIN_LOCKOUT_SECONDS
        if failures >= settings.NEWSROOM_API_LOGIN_MAX_FAILURES:
            return Response(
                {"detail": "Too many failed logins; try again later."},
                status=status.HTTP_429_TOO_MANY_REQUESTS,
                headers={"Retry-After": str(lockout)},
            )
        user = authenticate(
            request._request, username=username, password=form.validated_data["password"]
        )
        if user is None or not user.is_active:
            try:
                cache.incr(key)
            except ValueError:
                cache.set(key, 1, lockout)
            return Response(
                {"detail": "Wrong username or password."}, status=status.HTTP_400_BAD_REQUEST
            )
        cache.delete(key)
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


class LogoutView(APIView):
    """Delete the caller's token: every tool using it must log in again."""

    permission_classes = [permissions.IsAuthenticated]
    throttle_classes: list = []

    @extend_schema(request=None, responses={204: None}, tags=["auth"])
    def post(self, request):
        token_revoke(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


def token_revoke(*, user) -> None:
    """Delete a user's API token (logout, deactivation)."""
    Token.objects.filter(user=user).delete()


def require_authenticated(request) -> None:
    if not (request.user and request.user.is_authenticated):
        raise exceptions.NotAuthenticated()
