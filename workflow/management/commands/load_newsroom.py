from django.core.management.base import BaseCommand, CommandError

from workflow.loading import FixtureError, fixtures_load


class Command(BaseCommand):
    help = (
        "Load the curated fixtures (groups, entities, articles) in one transaction and rebuild "
        "derived data. Idempotent: rows are matched by natural key and updated in place."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", help="Fixture files (default: fixtures/*.json).")

    def handle(self, *args, paths, **options):
        try:
            result = fixtures_load(paths=paths or None)
        except FixtureError as exc:
            raise CommandError("Nothing was loaded:\n" + "\n".join(exc.messages)) from exc
        for label, count in sorted(result.per_model.items()):
            self.stdout.write(f"  {label}: {count}")
        self.stdout.write(self.style.SUCCESS(f"Loaded {result.objects} objects."))
