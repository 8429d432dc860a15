from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from workflow.backup import ImportRefused, newsroom_import
from workflow.loading import FixtureError


class Command(BaseCommand):
    help = (
        "Import a file written by export_newsroom into a database without content: every "
        "row validated, all or nothing, then the derived data (search index, alias forms) "
        "rebuilt. Users exported without passwords get unusable ones."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, metavar="FILE")

    def handle(self, *args, path, **options):
        try:
            result = newsroom_import(path=path)
        except ImportRefused as exc:
            raise CommandError(str(exc)) from exc
        except FixtureError as exc:
            raise CommandError("Nothing was imported:\n" + "\n".join(exc.messages)) from exc
        for label, count in sorted(result.per_model.items()):
            self.stdout.write(f"  {label}: {count}")
        self.stdout.write(self.style.SUCCESS(f"Imported {result.objects} objects."))
