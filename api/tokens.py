"""Token login and logout for newsroom tools (`/api/v1/auth/token/`, `/api/v1/auth/logout/`)."""

from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import permissions, serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.response import Response
from rest_framework.views import APIView

from api.auth import token_revoke
from api.http import reject_nul
from core.lockout import LOCKED_OUT_DETAIL, cool_off_seconds


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False)


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()


class ObtainTokenView(APIView):
    """Exchange a username and password for an API token.

    Repeated failures for one username from one address lock that pair out (django-axes,
    the same lock as the admin's login: 429 with Retry-After), even with the right password.
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
        user = authenticate(
            request._request,
            username=form.validated_data["username"],
            password=form.validated_data["password"],
        )
        if getattr(request._request, "axes_locked_out", False):
            return Response(
                {"detail": LOCKED_OUT_DETAIL},
                status=status.HTTP_429_TOO_MANY_REQUESTS,
                headers={"Retry-After": str(cool_off_seconds())},
            )
        if user is None or not user.is_active:
            return Response(
                {"detail": "Wrong username or password."},
                status=status.HTTP_401_UNAUTHORIZED,
                headers={"WWW-Authenticate": 'Token realm="api"'},
            )
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
