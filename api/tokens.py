"""Token login, logout, and the caller's tokens (`/api/v1/auth/…`).

A token belongs to one client and has a name; only its digest is stored, so it is shown
once, in the login response. Owners list and revoke their tokens; editors
(workflow.revoke_any_token) list and revoke everyone's.
"""

from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_login_failed
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from api.http import check_request_hygiene, reject_nul
from core.lockout import LOCKED_OUT_DETAIL, cool_off_seconds
from workflow.models import ApiToken
from workflow.tokens import (
    token_issue,
    token_revoke,
    tokens_revoke_all,
    tokens_visible_to,
)
from workflow.two_factor import totp_device, totp_verify, two_factor_needed_at_login

DEFAULT_CLIENT_NAME = "API client"


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False)
    name = serializers.CharField(
        max_length=100,
        required=False,
        default=DEFAULT_CLIENT_NAME,
        help_text="Which client or tool this token is for (shown in the token list).",
    )
    otp = serializers.CharField(
        max_length=12,
        required=False,
        default="",
        help_text="The current code from the user's authenticator app, for users who have "
        "set up two-factor authentication (or must have: NEWSROOM_REQUIRE_2FA_FOR_EDITORS).",
    )


class TokenFilterSerializer(serializers.Serializer):
    # Untrimmed: a username is matched exactly, and " " is a (matchless) username.
    user = serializers.CharField(
        max_length=150,
        required=False,
        trim_whitespace=False,
        help_text="Only this username's tokens.",
    )


class TokenSerializer(serializers.Serializer):
    """A token as its owner and editors see it: never the token itself."""

    id = serializers.CharField(source="public_id")
    name = serializers.CharField()
    user = serializers.CharField(source="user.username")
    created = serializers.DateTimeField()
    expiry = serializers.DateTimeField()
    last_used = serializers.DateTimeField(allow_null=True)
    current = serializers.SerializerMethodField(
        help_text="True for the token this request was made with."
    )

    def get_current(self, token) -> bool:
        auth = self.context["request"].auth
        return isinstance(auth, ApiToken) and auth.pk == token.pk


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send as `Authorization: Token <token>`.")
    id = serializers.CharField()
    name = serializers.CharField()
    expiry = serializers.DateTimeField()


class ObtainTokenView(APIView):
    """Exchange a username and password for a new token for one named client.

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
            403: inline_serializer("TokenNeedsTwoFactor", {"detail": serializers.CharField()}),
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
            return _locked_out()
        if user is None or not user.is_active:
            return _unauthorized("Wrong username or password.")
        second_factor = False
        if two_factor_needed_at_login(user):
            if totp_device(user) is None:
                return Response(
                    {"detail": "Your role requires two-factor authentication: set up an "
                     "authenticator app in the admin first."},
                    status=status.HTTP_403_FORBIDDEN,
                )  # fmt: skip
            if totp_verify(user=user, code=form.validated_data["otp"]) is None:
                # A wrong or missing code is a failed login: it counts towards the lockout.
                user_login_failed.send(
                    sender=__name__,
                    credentials={"username": form.validated_data["username"]},
                    request=request._request,
                )
                if getattr(request._request, "axes_locked_out", False):
                    return _locked_out()
                return _unauthorized("Enter the current code from your authenticator app (otp).")
            second_factor = True
        token, key = token_issue(
            user=user, name=form.validated_data["name"], two_factor=second_factor, source="api"
        )
        return Response(
            {"token": key, "id": token.public_id, "name": token.name, "expiry": token.expiry}
        )


def _locked_out() -> Response:
    return Response(
        {"detail": LOCKED_OUT_DETAIL},
        status=status.HTTP_429_TOO_MANY_REQUESTS,
        headers={"Retry-After": str(cool_off_seconds())},
    )


def _unauthorized(detail: str) -> Response:
    return Response(
        {"detail": detail},
        status=status.HTTP_401_UNAUTHORIZED,
        headers={"WWW-Authenticate": 'Token realm="api"'},
    )


class LogoutView(APIView):
    """End the token this request was made with (other clients' tokens live on).

    Signed in with a session instead of a token: end all of the caller's tokens.
    """

    permission_classes = [permissions.IsAuthenticated]
    throttle_classes: list = []

    @extend_schema(request=None, responses={204: None}, tags=["auth"])
    def post(self, request):
        if isinstance(request.auth, ApiToken):
            token_revoke(actor=request.user, token=request.auth, source="api")
        else:
            tokens_revoke_all(user=request.user, actor=request.user, reason="logout", source="api")
        return Response(status=status.HTTP_204_NO_CONTENT)


class HygienicView(APIView):
    """NUL bytes and oversized parameters: 400 before any query (as everywhere in the API)."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        check_request_hygiene(request, kwargs.values())


class TokenListView(HygienicView):
    """The caller's live tokens; editors see everyone's (filter with `?user=`)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        parameters=[TokenFilterSerializer],
        responses={200: TokenSerializer(many=True)},
        tags=["auth"],
    )
    def get(self, request):
        query = TokenFilterSerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        tokens = tokens_visible_to(request.user)
        if query.validated_data.get("user"):
            tokens = tokens.filter(user__username=query.validated_data["user"])
        context = {"request": request}
        return Response(TokenSerializer(tokens, many=True, context=context).data)


PUBLIC_ID = OpenApiParameter(
    "public_id",
    str,
    OpenApiParameter.PATH,
    description="The token's public id, as listed by GET /api/v1/auth/tokens/ "
    "(never the secret itself).",
)


class TokenDetailView(HygienicView):
    """Revoke one token: its owner or an editor. Other tokens answer 404."""

    permission_classes = [permissions.IsAuthenticated]

    def _token(self, request, public_id: str) -> ApiToken:
        token = tokens_visible_to(request.user).filter(public_id=public_id).first()
        if token is None:
            raise Http404("No such token.")
        return token

    @extend_schema(parameters=[PUBLIC_ID], responses={200: TokenSerializer}, tags=["auth"])
    def get(self, request, public_id: str):
        token = self._token(request, public_id)
        return Response(TokenSerializer(token, context={"request": request}).data)

    @extend_schema(
        parameters=[PUBLIC_ID],
        description="Revoke the token: it stops working at once (its owner or an editor).",
        responses={204: None},
        tags=["auth"],
    )
    def delete(self, request, public_id: str):
        token_revoke(actor=request.user, token=self._token(request, public_id), source="api")
        return Response(status=status.HTTP_204_NO_CONTENT)
