"""Articles from outside: plain text or ninjs in, a draft with suggestions out."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from articles.importing import ArticleImportError, parse_ninjs, parse_plain_text
from articles.models import Article, Quote
from core.models import unique_slug
from entities.models import Entity, EntityKind
from mentions.finder import suggest_quotes
from mentions.suggestions import current_finder
from workflow import articles as article_services


@transaction.atomic
def article_import(
    *,
    text: str | None = None,
    document: dict | str | None = None,
    actor,
    headline: str | None = None,
) -> Article:
    """Create a draft from a plain-text article or a ninjs 2.x document, with suggestions.

    The draft is created by workflow.articles.article_create (so `actor` needs the right
    to add articles, and the draft gets its first revision and audit entry, source
    "import"). Raises ArticleImportError (a ValueError) with a readable message on bad
    input, and nothing is created then. The draft gets mention suggestions, candidate
    names and Quote rows for direct quotes whose speaker the finder knows.
    """
    if (text is None) == (document is None):
        raise ArticleImportError("Give either a plain text or a ninjs document.")
    if text is not None:
        parsed = parse_plain_text(text, headline=headline)
    else:
        parsed = parse_ninjs(document, headline=headline)
    language = parsed.language
    if language not in {code for code, _name in settings.ARTICLE_LANGUAGES}:
        language = settings.LANGUAGE_CODE
    try:
        article = article_services.article_create(
            actor=actor,
            headline=parsed.headline,
            body=parsed.body,
            standfirst=parsed.standfirst,
            byline=parsed.byline[:200],
            language=language,
            source="import",
        )
    except ValidationError as exc:
        raise ArticleImportError(" ".join(exc.messages)) from exc
    article_quotes_suggest(article=article)
    return article


@transaction.atomic
def article_quotes_suggest(*, article: Article) -> list[Quote]:
    """Add a Quote for each direct quote of the body whose speaker is a known person."""
    finder = current_finder()
    people = set(Entity.objects.filter(kind=EntityKind.PERSON).values_list("pk", flat=True))
    existing = set(article.quotes.values_list("text", flat=True))
    quotes = []
    for position, suggestion in enumerate(suggest_quotes(article.body), start=1):
        speakers = [
            m.entity_id for m in finder.find(suggestion.speaker, "body") if m.entity_id in people
        ]
        if not speakers or suggestion.quote in existing:
            continue
        quote = Quote(
            slug=unique_slug(Quote, f"{article.slug[:120]}-quote-{position}"),
            article=article,
            speaker_id=speakers[0],
            text=suggestion.quote,
            position=position,
        )
        quote.full_clean()
        quote.save()
        existing.add(quote.text)
        quotes.append(quote)
    return quotes
