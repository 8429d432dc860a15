"""Two-factor authentication for staff: one TOTP authenticator app per user (django-otp).

Anyone on the staff may turn it on; with NEWSROOM_REQUIRE_2FA_FOR_EDITORS, editors (who may
publish: articles.publish_article, so superusers too) must. A user with an authenticator
signs in with a code from it, in the admin and at the API's token login alike.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.audit import audit_record

DEVICE_NAME = "Authenticator app"


def two_factor_required(user) -> bool:
    """Must this user sign in with a second factor before working?"""
    return bool(
        settings.NEWSROOM_REQUIRE_2FA_FOR_EDITORS
        and user.is_authenticated
        and user.has_perm("articles.publish_article")
    )


def totp_device(user) -> TOTPDevice | None:
    """The user's confirmed authenticator, if they have set one up."""
    if not user.is_authenticated:
        return None
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()


def two_factor_needed_at_login(user) -> bool:
    """A code is asked for at sign-in when the user has an authenticator or must have one."""
    return totp_device(user) is not None or two_factor_required(user)


def totp_verify(*, user, code: str) -> TOTPDevice | None:
    """The user's authenticator if `code` is its current code (each code works once;
    django-otp slows down repeated failures), else None."""
    code = "".join(code.split())
    if not code.isdigit() or len(code) > 10:
        return None
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(user=user, confirmed=True)
            .order_by("-pk")
            .first()
        )
        if device is None:
            return None
        allowed, _why = device.verify_is_allowed()
        if not allowed or not device.verify_token(code):
            return None
        return device


@transaction.atomic
def totp_enrollment_start(*, user) -> TOTPDevice:
    """A fresh, unconfirmed authenticator secret to scan (replaces an earlier attempt)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


@transaction.atomic
def totp_enrollment_confirm(*, user, code: str, source: str = "admin") -> TOTPDevice:
    """Confirm the pending authenticator with a code from it; it replaces any older one."""
    pending = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if pending is None:
        raise ValidationError("Start the set-up again: no authenticator is waiting.")
    code = "".join(code.split())
    if not (code.isdigit() and len(code) <= 10 and pending.verify_token(code)):
        raise ValidationError("That code is not the one your authenticator shows now.")
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    pending.confirmed = True
    pending.save(update_fields=["confirmed"])
    audit_record(actor=user, action="2fa.enable", target=user, source=source)
    return pending


@transaction.atomic
def totp_disable(*, actor, user, source: str = "admin") -> None:
    """Remove a user's authenticator: the user themselves when 2FA is optional for them,
    or a superuser (a lost phone), who is audited."""
    if actor.pk == user.pk:
        if two_factor_required(user):
            raise PermissionDenied("Two-factor authentication is required for your role.")
    elif not actor.is_superuser:
        raise PermissionDenied("Only an administrator may remove someone else's authenticator.")
    TOTPDevice.objects.filter(user=user).delete()
    audit_record(actor=actor, action="2fa.disable", target=user, source=source)
