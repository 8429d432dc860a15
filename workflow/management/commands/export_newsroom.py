from pathlib import Path

from django.core.management.base import BaseCommand

from workflow.backup import newsroom_export


class Command(BaseCommand):
    help = (
        "Export everything editors curated (articles, revisions, corrections, quotes, "
        "statistics, entities, aliases, users and groups) to FILE, with natural keys; "
        "written to a temporary file and renamed, so FILE is never half written."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, metavar="FILE")
        parser.add_argument(
            "--with-passwords",
            action="store_true",
            help="Include users' password hashes (keep such a file as secret as the database).",
        )

    def handle(self, *args, path, with_passwords, **options):
        result = newsroom_export(path=path, with_passwords=with_passwords)
        for label, count in result.per_model.items():
            self.stdout.write(f"  {label}: {count}")
        total = sum(result.per_model.values())
        self.stdout.write(self.style.SUCCESS(f"Exported {total} objects to {result.path}."))
