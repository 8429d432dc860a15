"""Article representations in the API.

`article_payload()` builds the JSON document of an article as a plain dict from a row
loaded with `articles.api_views.article_queryset()` (everything prefetched: no query per
article or per entity). The Serializer classes document those dicts for the OpenAPI
schema, and validate what the editorial API accepts.
"""

from django.conf import settings
from rest_framework import serializers

from entities.models import EntityKind
from entities.serializers import EntityRefSerializer, api_root, entity_ref, site_url

from .models import Article, ArticleStatus, CorrectionKind, MentionRole

ENTITY_GROUPS = {
    EntityKind.PERSON: "people",
    EntityKind.ORGANIZATION: "organizations",
    EntityKind.EVENT: "events",
    EntityKind.PLACE: "places",
}


def article_url(slug: str) -> str:
    return f"{site_url()}/articles/{slug}/"


def article_api_url(slug: str) -> str:
    return f"{api_root()}articles/{slug}/"


def _mention_payload(mention) -> dict:
    entity = mention.entity
    return {
        "slug": entity.slug,
        "name": entity.name,
        "role": mention.role,
        "url": entity_ref(entity)["url"],
        "api_url": entity_ref(entity)["api_url"],
    }


def _quote_payload(quote) -> dict:
    said_on = quote.said_on_date
    return {
        "slug": quote.slug,
        "text": quote.text,
        "speaker": entity_ref(quote.speaker),
        "said_on": quote.said_on.isoformat() if quote.said_on else None,
        "said_on_precision": quote.said_on_precision or None,
        "said_on_display": said_on.display() if said_on else "",
        "said_where": quote.said_where,
        "medium": entity_ref(quote.medium),
        "context_event": entity_ref(quote.context_event),
    }


def _statistic_payload(statistic) -> dict:
    return {
        "slug": statistic.slug,
        "value": format(statistic.value.normalize(), "f"),
        "value_display": statistic.value_display,
        "unit": statistic.unit,
        "subject": entity_ref(statistic.subject),
        "as_of": statistic.as_of.isoformat(),
        "as_of_precision": statistic.as_of_precision,
        "as_of_display": statistic.as_of_date.display(),
        "source": entity_ref(statistic.source),
        "source_url": statistic.source_url,
        "note": statistic.note,
    }


def article_payload(article: Article) -> dict:
    """The full JSON document of one article (public or editorial)."""
    blocks = article.body_blocks
    from . import body as body_format

    groups: dict[str, list[dict]] = {name: [] for name in ENTITY_GROUPS.values()}
    for mention in article.confirmed_mentions:
        groups[ENTITY_GROUPS[mention.entity.kind]].append(_mention_payload(mention))
    section = article.section
    return {
        "slug": article.slug,
        "url": article_url(article.slug),
        "api_url": article_api_url(article.slug),
        "headline": article.headline,
        "standfirst": article.standfirst,
        "body": article.body,
        "body_html": body_format.render_html(blocks),
        "body_text": body_format.render_text(blocks),
        "byline": article.byline,
        "section": {
            "slug": section.slug,
            "name": section.name,
            "url": f"{site_url()}/sections/{section.slug}/",
        }
        if section is not None
        else None,
        "dateline": entity_ref(article.dateline),
        "language": article.language,
        "status": article.status,
        "publish_at": article.publish_at,
        "embargo_until": article.embargo_until,
        "first_published_at": article.first_published_at,
        "updated_at": article.updated_at,
        "version": article.version,
        **groups,
        "quotes": [_quote_payload(quote) for quote in article.quotes.all()],
        "statistics": [_statistic_payload(stat) for stat in article.statistics.all()],
        "corrections": [
            {"kind": c.kind, "note": c.note, "published_at": c.published_at}
            for c in article.corrections.all()
        ],
    }


# --- OpenAPI documentation of the payloads above ----------------------------------------


class SectionRefSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    url = serializers.URLField()


class ArticleEntitySerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    role = serializers.ChoiceField(choices=MentionRole.choices)
    url = serializers.URLField(help_text="The entity's public page.")
    api_url = serializers.URLField()


class QuoteSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    text = serializers.CharField()
    speaker = EntityRefSerializer()
    said_on = serializers.DateField(allow_null=True)
    said_on_precision = serializers.ChoiceField(choices=["year", "month", "day"], allow_null=True)
    said_on_display = serializers.CharField(allow_blank=True)
    said_where = serializers.CharField(allow_blank=True)
    medium = EntityRefSerializer(allow_null=True)
    context_event = EntityRefSerializer(allow_null=True)


class StatisticSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    value = serializers.CharField(help_text="Decimal, as a string: “1131”, “2.5”.")
    value_display = serializers.CharField()
    unit = serializers.CharField()
    subject = EntityRefSerializer()
    as_of = serializers.DateField()
    as_of_precision = serializers.ChoiceField(choices=["year", "month", "day"])
    as_of_display = serializers.CharField()
    source = EntityRefSerializer(allow_null=True)
    source_url = serializers.CharField(allow_blank=True)
    note = serializers.CharField(allow_blank=True)


class CorrectionSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=CorrectionKind.choices)
    note = serializers.CharField()
    published_at = serializers.DateTimeField()


class ArticleSerializer(serializers.Serializer):
    """An article: the public document, and for editors also unpublished ones."""

    slug = serializers.SlugField()
    url = serializers.URLField(help_text="The public page.")
    api_url = serializers.URLField()
    headline = serializers.CharField()
    standfirst = serializers.CharField(allow_blank=True)
    body = serializers.CharField(help_text="The editable source (see the body format).")
    body_html = serializers.CharField(allow_blank=True)
    body_text = serializers.CharField(allow_blank=True)
    byline = serializers.CharField(allow_blank=True)
    section = SectionRefSerializer(allow_null=True)
    dateline = EntityRefSerializer(allow_null=True)
    language = serializers.ChoiceField(choices=settings.ARTICLE_LANGUAGES)
    status = serializers.ChoiceField(choices=ArticleStatus.choices)
    publish_at = serializers.DateTimeField(allow_null=True)
    embargo_until = serializers.DateTimeField(allow_null=True)
    first_published_at = serializers.DateTimeField(allow_null=True)
    updated_at = serializers.DateTimeField()
    version = serializers.IntegerField()
    people = ArticleEntitySerializer(many=True)
    organizations = ArticleEntitySerializer(many=True)
    events = ArticleEntitySerializer(many=True)
    places = ArticleEntitySerializer(many=True)
    quotes = QuoteSerializer(many=True)
    statistics = StatisticSerializer(many=True)
    corrections = CorrectionSerializer(many=True)


class SectionSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    url = serializers.URLField()
    api_url = serializers.URLField()
    articles_url = serializers.URLField()


class QuoteDetailSerializer(QuoteSerializer):
    article = serializers.DictField(help_text="slug, headline, url, api_url of its article")


class StatisticDetailSerializer(StatisticSerializer):
    article = serializers.DictField(help_text="slug, headline, url, api_url of its article")


# --- ninjs 2.2 (documented loosely: the official JSON Schema is the reference) ----------


class NinjsSerializer(serializers.Serializer):
    """An IPTC ninjs 2.2 document (https://iptc.org/std/ninjs/)."""

    uri = serializers.URLField()
    type = serializers.CharField()
    version = serializers.CharField()


# --- Editorial writes ------------------------------------------------------------------


class ArticleWriteSerializer(serializers.Serializer):
    """What a newsroom tool may send to create or edit an article.

    Fields outside this list are refused (400 naming them), never ignored; `publish_at`
    and `embargo_until` need the publish permission.
    """

    headline = serializers.CharField(max_length=300)
    body = serializers.CharField(max_length=200_000)
    standfirst = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    byline = serializers.CharField(max_length=200, required=False, allow_blank=True)
    section = serializers.SlugField(max_length=100, required=False, allow_null=True)
    dateline = serializers.SlugField(max_length=200, required=False, allow_null=True)
    language = serializers.ChoiceField(choices=settings.ARTICLE_LANGUAGES, required=False)
    publish_at = serializers.DateTimeField(required=False, allow_null=True)
    embargo_until = serializers.DateTimeField(required=False, allow_null=True)


class ArticlePatchSerializer(serializers.Serializer):
    """A partial edit: any writable field, plus how a published change is recorded."""

    headline = serializers.CharField(max_length=300, required=False)
    body = serializers.CharField(max_length=200_000, required=False)
    standfirst = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    byline = serializers.CharField(max_length=200, required=False, allow_blank=True)
    section = serializers.SlugField(max_length=100, required=False, allow_null=True)
    dateline = serializers.SlugField(max_length=200, required=False, allow_null=True)
    language = serializers.ChoiceField(choices=settings.ARTICLE_LANGUAGES, required=False)
    publish_at = serializers.DateTimeField(required=False, allow_null=True)
    embargo_until = serializers.DateTimeField(required=False, allow_null=True)
    slug = serializers.SlugField(max_length=200, required=False)
    minor = serializers.BooleanField(
        required=False, help_text="A published article's change that needs no correction."
    )
    correction_note = serializers.CharField(
        max_length=5000,
        required=False,
        allow_blank=True,
        help_text="Publishes a correction with this change.",
    )


class PublishSerializer(serializers.Serializer):
    publish_at = serializers.DateTimeField(
        required=False, allow_null=True, help_text="Omit to publish now; future: scheduled."
    )
    embargo_until = serializers.DateTimeField(required=False, allow_null=True)


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=5000)


class CorrectSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=5000)
    kind = serializers.ChoiceField(choices=CorrectionKind.choices, required=False)
