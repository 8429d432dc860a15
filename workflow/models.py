"""API tokens: hashed, named, expiring, one per client (django-rest-knox's token model)."""

import secrets

from django.db import models
from knox.models import AbstractAuthToken


def new_public_id() -> str:
    return secrets.token_hex(6)


class ApiToken(AbstractAuthToken):
    """One API client's token. Only its SHA-512 digest is stored (knox); the token itself
    is shown once, at login.

    `user_stamp` is the owner's session hash at issue (a keyed hash of the password hash):
    a password change, however it is made, makes it stale, and a stale token is refused.
    """

    public_id = models.CharField(max_length=12, unique=True, default=new_public_id)
    name = models.CharField(max_length=100, help_text="Which client or tool uses it.")
    user_stamp = models.CharField(max_length=128, editable=False)
    last_used = models.DateTimeField(null=True, blank=True)
    two_factor = models.BooleanField(
        default=False, help_text="Issued at a login that gave an authenticator code."
    )

    class Meta:
        verbose_name = "API token"
        ordering = ["-created"]
        permissions = [("revoke_any_token", "Can list and revoke anyone's API tokens")]

    def __str__(self) -> str:
        return f"{self.name} ({self.user}, {self.public_id})"
