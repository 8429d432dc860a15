"""Two-factor authentication in the admin: the sign-in form with a code field, the page
where staff set up (or confirm) their authenticator app, and the gate that keeps a session
without its second factor out of the admin and the API when one is needed."""

import base64
from urllib.parse import urlencode

import django_otp
import segno
from django import forms
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django_otp.plugins.otp_totp.models import TOTPDevice

from workflow.two_factor import (
    totp_device,
    totp_disable,
    totp_enrollment_confirm,
    totp_enrollment_start,
    totp_verify,
    two_factor_needed_at_login,
    two_factor_required,
)

WRONG_CODE = "Enter the current code from your authenticator app."


class TwoFactorAdminLoginForm(AdminAuthenticationForm):
    """Username and password, and a code for users who have an authenticator.

    A wrong or missing code counts as a failed sign-in (django-axes), like a wrong password.
    """

    otp_code = forms.CharField(
        label="Code",
        required=False,
        max_length=12,
        help_text="From your authenticator app, if you have set up two-factor authentication.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean(self):
        cleaned = super().clean()
        user = self.user_cache
        if user is not None and totp_device(user) is not None:
            device = totp_verify(user=user, code=cleaned.get("otp_code") or "")
            if device is None:
                self.user_cache = None
                user_login_failed.send(
                    sender=__name__,
                    credentials={"username": user.get_username()},
                    request=self.request,
                )
                raise ValidationError(WRONG_CODE, code="otp")
            user.otp_device = device  # django-otp marks the session verified at login
        return cleaned


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return reverse("admin:index")


@never_cache
def two_factor_view(request):
    """Set up, confirm, move or turn off the user's authenticator app."""
    user = request.user
    error = ""
    if request.method == "POST":
        action = request.POST.get("action", "")
        code = request.POST.get("code", "")[:20]
        try:
            if action == "start":
                totp_enrollment_start(user=user)
            elif action == "confirm":
                device = totp_enrollment_confirm(user=user, code=code)
                django_otp.login(request, device)
                return redirect(_safe_next(request))
            elif action == "verify":
                device = totp_verify(user=user, code=code)
                if device is None:
                    raise ValidationError(WRONG_CODE)
                django_otp.login(request, device)
                return redirect(_safe_next(request))
            elif action == "disable":
                totp_disable(actor=user, user=user)
                return redirect("two-factor")
            else:
                error = "Unknown action."
        except (ValidationError, PermissionDenied) as exc:
            error = " ".join(getattr(exc, "messages", [str(exc)]))
    device = totp_device(user)
    pending = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    context = {
        **admin.site.each_context(request),
        "title": "Two-factor authentication",
        "device": device,
        "verified": user.is_verified(),
        "required": two_factor_required(user),
        "pending": pending,
        "error": error,
        "next": _safe_next(request),
    }
    if pending is not None:
        context["qr_data_uri"] = segno.make(pending.config_url, error="m").svg_data_uri(scale=5)
        context["secret"] = _base32(pending.bin_key)
    status = 400 if error else 200
    return TemplateResponse(request, "admin/editorial/two_factor.html", context, status=status)


def _base32(key: bytes) -> str:
    raw = base64.b32encode(key).decode().rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


class TwoFactorGateMiddleware:
    """A signed-in user who needs a second factor and has not given it this session may
    only reach the sign-in, sign-out and two-factor pages of the admin; for the API such
    a session is anonymous (tokens are checked at their own login)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.open_paths: set[str] | None = None
        self.admin_prefix = ""

    def __call__(self, request):
        if self.open_paths is None:
            self.admin_prefix = reverse("admin:index")
            self.open_paths = {
                reverse("admin:login"),
                reverse("admin:logout"),
                reverse("admin:jsi18n"),
                reverse("two-factor"),
            }
        path = request.path
        # Public pages never touch the session here (no Vary: Cookie on cached pages).
        if not path.startswith((self.admin_prefix, "/api/")):
            return self.get_response(request)
        user = request.user
        if user.is_authenticated and not user.is_verified() and two_factor_needed_at_login(user):
            if path.startswith("/api/"):
                request.user = AnonymousUser()
            elif path not in self.open_paths:
                return redirect(f"{reverse('two-factor')}?{urlencode({'next': path})}")
        return self.get_response(request)
