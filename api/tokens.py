"""Token login and logout for newsroom tools (`/api/v1/auth/token/`, `/api/v1/auth/logout/`)."""

import hashlib

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.cache import cache
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import permissions, serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.response import Response
from rest_framework.views import APIView

from api.auth import token_revoke
from api.http import reject_nul


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
            401: inline_serializer("TokenError", {"detail": serializers.CharField()}),
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
                {"detail": "Wrong username or password."},
                status=status.HTTP_401_UNAUTHORIZED,
                headers={"WWW-Authenticate": 'Token realm="api"'},
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
