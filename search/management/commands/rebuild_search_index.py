from django.core.management.base import BaseCommand

from search.services import search_index_rebuild


class Command(BaseCommand):
    help = "Rebuild the full-text search index of articles from the articles table."

    def handle(self, *args, **options):
        count = search_index_rebuild()
        self.stdout.write(f"Indexed {count} articles.")
