import os
import secrets
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError


def stored_password(path: Path) -> str:
    """The password kept in `path`, or a new random one written there (mode 0600, by a
    rename, so that a reader never sees half a file)."""
    if path.exists():
        password = path.read_text(encoding="utf-8").strip()
        if password:
            return password
    password = secrets.token_urlsafe(12)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(password + "\n")
    os.replace(temporary, path)
    return password


class Command(BaseCommand):
    help = (
        "Create (or reset) a demo editor account and print its password: a fresh random one, "
        "or with --password-file the one kept in that file (created on first use)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="editor")
        parser.add_argument(
            "--password-file",
            type=Path,
            help="Keep the password in this file (git-ignored), so it survives every run.",
        )

    def handle(self, *args, username, password_file=None, **options):
        try:
            editors = Group.objects.get(name="Editor")
        except Group.DoesNotExist as exc:
            raise CommandError("No Editor group: run `manage.py load_newsroom` first.") from exc
        password = stored_password(password_file) if password_file else secrets.token_urlsafe(12)
        user, _created = get_user_model().objects.get_or_create(username=username)
        user.is_staff = True
        user.is_active = True
        # Re-hashing the same password would end the editor's open sessions on every run.
        if not user.check_password(password):
            user.set_password(password)
        user.save()
        user.groups.add(editors)
        self.stdout.write(
            self.style.SUCCESS(f"Demo editor: username {username!r}, password {password!r}")
        )
