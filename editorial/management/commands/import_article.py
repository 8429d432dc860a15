import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from articles.importing import ArticleImportError, parse_article_file
from articles.models import Mention, Quote
from mentions.models import MentionCandidate
from workflow.imports import article_import


class Command(BaseCommand):
    help = (
        "Import a plain-text article (first line the headline, then paragraphs) or a ninjs "
        "2.x JSON document as a draft, with its mention suggestions, candidate names and "
        "quotes. Nothing is created when the input is bad."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="A .txt plain-text article or a ninjs .json document.")
        parser.add_argument("--headline", help="The headline, when the text has no headline line.")
        parser.add_argument(
            "--user",
            help="Username of the author, who needs the right to add articles "
            "(default: the only superuser, if there is exactly one).",
        )

    def handle(self, *args, file, headline, user, **options):
        path = Path(file)
        try:
            content = path.read_text(encoding="utf-8")
        except FileNotFoundError as exc:
            raise CommandError(f"{path}: no such file.") from exc
        except UnicodeDecodeError as exc:
            raise CommandError(f"{path}: not UTF-8 text ({exc.reason}).") from exc
        except OSError as exc:
            raise CommandError(f"{path}: cannot be read ({exc.strerror}).") from exc
        try:
            parse_article_file(content, headline=headline)  # fail early, before any write
        except ArticleImportError as exc:
            raise CommandError(f"{path}: {exc} Nothing was imported.") from exc
        actor = self._author(user)
        try:
            if content.lstrip().startswith("{"):
                article = article_import(
                    document=json.loads(content), actor=actor, headline=headline
                )
            else:
                article = article_import(text=content, actor=actor, headline=headline)
        except (ArticleImportError, PermissionDenied) as exc:
            raise CommandError(f"{path}: {exc} Nothing was imported.") from exc
        mentions = Mention.objects.filter(article=article).count()
        candidates = MentionCandidate.objects.filter(article=article).count()
        quotes = Quote.objects.filter(article=article).count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported draft “{article.headline}” (id {article.pk}): {mentions} mention "
                f"suggestion(s), {candidates} candidate name(s), {quotes} quote(s).\n"
                f"Review: {reverse('admin:articles_article_suggestions', args=[article.pk])}"
            )
        )

    def _author(self, username: str | None):
        users = get_user_model().objects
        if username:
            actor = users.filter(username=username).first()
            if actor is None:
                raise CommandError(f"No user named {username!r}. Nothing was imported.")
            return actor
        superusers = list(users.filter(is_superuser=True, is_active=True)[:2])
        if len(superusers) != 1:
            raise CommandError(
                "Say who imports the article with --user USERNAME (the draft's author). "
                "Nothing was imported."
            )
        return superusers[0]
