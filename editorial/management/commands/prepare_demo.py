"""`make run`'s setup, one run at a time: migrate, load the fixtures, the demo editor."""

import fcntl
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

DEFAULT_LOCK_FILE = ".make-run.lock"
DEFAULT_PASSWORD_FILE = ".demo-editor-password"


class Command(BaseCommand):
    help = (
        "Migrate, load the fixtures and (re)create the demo editor, holding a lock so that "
        "two `make run` at once take turns; the editor's password is kept in "
        f"{DEFAULT_PASSWORD_FILE} (git-ignored) and printed every time."
    )

    def add_arguments(self, parser):
        parser.add_argument("--lock-file", type=Path, default=None)
        parser.add_argument("--password-file", type=Path, default=None)

    def handle(self, *args, lock_file=None, password_file=None, **options):
        lock_file = lock_file or Path(settings.BASE_DIR) / DEFAULT_LOCK_FILE
        password_file = password_file or Path(settings.BASE_DIR) / DEFAULT_PASSWORD_FILE
        with open(lock_file, "a") as lock:
            # Blocks until any other setup is done; the OS drops the lock if we die.
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                call_command("migrate", interactive=False, verbosity=0)
                call_command("load_newsroom", stdout=self.stdout)
                call_command("create_demo_editor", password_file=password_file, stdout=self.stdout)
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)
