import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Create (or reset) a demo editor account with a fresh random password, and print it."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="editor")

    def handle(self, *args, username, **options):
        try:
            editors = Group.objects.get(name="Editor")
        except Group.DoesNotExist as exc:
            raise CommandError("No Editor group: run `manage.py load_newsroom` first.") from exc
        password = secrets.token_urlsafe(12)
        user, _created = get_user_model().objects.get_or_create(username=username)
        user.is_staff = True
        user.is_active = True
        user.set_password(password)
        user.save()
        user.groups.add(editors)
        self.stdout.write(
            self.style.SUCCESS(f"Demo editor: username {username!r}, password {password!r}")
        )
