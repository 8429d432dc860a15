"""API token services: issue, list, revoke; every change lands in the audit log.

All of a user's tokens end when their password changes or the account is deactivated:
`end_tokens_on_credential_change` is connected to the user model's saves (workflow.apps)
because Django's own admin forms, `changepassword` and `createsuperuser` save users without
calling any service of ours. A password changed by a bare `UPDATE` still ends them:
api.auth refuses a token whose `user_stamp` no longer matches.
"""

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from core.audit import audit_record
from workflow.models import ApiToken
from workflow.two_factor import two_factor_required

# How often `last_used` is written: enough to tell a live client from a dead one.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def token_ttl() -> dt.timedelta:
    return dt.timedelta(days=settings.NEWSROOM_API_TOKEN_DAYS)


def can_manage_all_tokens(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm("workflow.revoke_any_token"))


def tokens_visible_to(user) -> QuerySet[ApiToken]:
    """Live tokens the user may see: their own; editors (revoke_any_token) see all."""
    live = ApiToken.objects.select_related("user").filter(expiry__gt=timezone.now())
    if can_manage_all_tokens(user):
        return live
    if not (user and user.is_authenticated):
        return live.none()
    return live.filter(user=user)


@transaction.atomic
def token_issue(
    *, user, name: str, two_factor: bool = False, source: str = "api"
) -> tuple[ApiToken, str]:
    """A new token for one client of `user`; returns the row and the token, shown once.

    `two_factor`: the login gave an authenticator code (see api.tokens)."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Name the client this token is for."})
    if not user.is_active:
        raise PermissionDenied("Inactive users get no token.")
    token, key = ApiToken.objects.create(
        user=user,
        expiry=token_ttl(),
        name=name[:100],
        user_stamp=user.get_session_auth_hash(),
        two_factor=two_factor,
    )
    audit_record(
        actor=user,
        action="token.issue",
        target=user,  # a token's key is its digest: the audit log names it by public id
        details={"token": token.public_id, "name": token.name, "expiry": token.expiry.isoformat()},
        source=source,
    )
    return token, key


@transaction.atomic
def token_revoke(*, actor, token: ApiToken, source: str = "api") -> None:
    """End one token: its owner or an editor (revoke_any_token) may."""
    if actor.pk != token.user_id and not can_manage_all_tokens(actor):
        raise PermissionDenied("You may revoke only your own tokens.")
    audit_record(
        actor=actor,
        action="token.revoke",
        target=token.user,
        details={"token": token.public_id, "name": token.name},
        source=source,
    )
    token.delete()


@transaction.atomic
def tokens_revoke_all(*, user, actor=None, reason: str, source: str = "system") -> int:
    """End every token of `user` (password change, deactivation, logout of a session)."""
    count, _ = ApiToken.objects.filter(user=user).delete()
    if count:
        audit_record(
            actor=actor,
            action="token.revoke_all",
            target=user,
            details={"reason": reason, "count": count},
            source=source,
        )
    return count


@transaction.atomic
def tokens_revoke_stale(*, user, source: str = "api") -> int:
    """Delete the tokens that can no longer authenticate: all of an inactive user's, and
    those issued under an earlier password (changed by a path that sent no signal)."""
    tokens = ApiToken.objects.filter(user=user)
    if user.is_active:
        tokens = tokens.exclude(user_stamp=user.get_session_auth_hash())
    count, _ = tokens.delete()
    if count:
        audit_record(
            actor=None,
            action="token.revoke_all",
            target=user,
            details={"reason": "stale tokens", "count": count},
            source=source,
        )
    return count


def token_is_current(token: ApiToken) -> bool:
    """Not expired, owner active, issued under the owner's current password, and with a
    second factor when the owner's role requires one (tokens from before the requirement
    stop working when it is turned on)."""
    user = token.user
    return (
        user.is_active
        and (token.expiry is None or token.expiry > timezone.now())
        and token.user_stamp == user.get_session_auth_hash()
        and (token.two_factor or not two_factor_required(user))
    )


def token_touch(token: ApiToken) -> None:
    """Record that the token was used, at most once per LAST_USED_RESOLUTION."""
    now = timezone.now()
    if token.last_used is None or now - token.last_used >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used=now)
        token.last_used = now


def end_tokens_on_credential_change(sender, instance, raw=False, **kwargs) -> None:
    """pre_save of the user model: a new password or a deactivation ends every token."""
    update_fields = kwargs.get("update_fields")
    if raw or instance.pk is None:
        return
    if update_fields is not None and not {"password", "is_active"} & set(update_fields):
        return  # last_login and the like: no query
    before = (
        get_user_model()
        ._base_manager.filter(pk=instance.pk)
        .values("password", "is_active")
        .first()
    )
    if before is None:
        return
    if before["password"] != instance.password:
        tokens_revoke_all(user=instance, reason="password change")
    elif before["is_active"] and not instance.is_active:
        tokens_revoke_all(user=instance, reason="deactivation")
