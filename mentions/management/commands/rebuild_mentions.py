from django.core.management.base import BaseCommand
from tqdm import tqdm

from articles.models import Article
from mentions.suggestions import suggestions_rebuild_all


class Command(BaseCommand):
    help = (
        "Run the mention finder over every article, in batches, recording new suggestions, "
        "candidate names and text-missing flags. Confirmed and rejected mentions are kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=100)
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, batch_size, no_progress, **options):
        total = Article.objects.count()
        with tqdm(
            total=total,
            unit="article",
            desc="Finding mentions",
            file=self.stderr._out,
            disable=no_progress or None,
        ) as bar:
            done = suggestions_rebuild_all(batch_size=max(1, batch_size), progress=bar.update)
        self.stdout.write(self.style.SUCCESS(f"Refreshed the suggestions of {done} article(s)."))
