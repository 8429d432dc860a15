"""Article representations in the API.

`article_payload()` builds the JSON document of an article as a plain dict from values()
rows loaded by `api.article_rows.article_documents()` in a constant number of queries:
no model instances, no query per article or per entity (about 4× faster than prefetched
objects with 12 entities per article; see benchmarks/bench_api.py). The Serializer
classes document those dicts for the OpenAPI schema, and validate what the editorial API
accepts.
"""

import hashlib
from functools import cache
from types import SimpleNamespace

from django.conf import settings
from django.core.cache import cache as django_cache
from rest_framework import serializers

from api.entity_serializers import EntityRefSerializer, api_root, site_url
from articles import body as body_format
from articles.models import (
    CorrectionKind,
    EditorialStatus,
    MentionRole,
    Statistic,
    editorial_status,
)
from core.dates import PRECISION_CHOICES
from core.models import partial_date
from entities.models import KIND_URL_PREFIX, EntityKind

ENTITY_GROUPS = {
    EntityKind.PERSON: "people",
    EntityKind.ORGANIZATION: "organizations",
    EntityKind.EVENT: "events",
    EntityKind.PLACE: "places",
}
BODY_CACHE_SECONDS = 24 * 60 * 60
URL_SEGMENT = {kind: KIND_URL_PREFIX[kind] for kind in EntityKind.values}


def article_url(slug: str) -> str:
    return f"{site_url()}/articles/{slug}/"


def article_api_url(slug: str) -> str:
    return f"{api_root()}articles/{slug}/"


def _ref(row: dict, relation: str) -> dict | None:
    return flat_entity_ref(
        row[f"{relation}__slug"], row[f"{relation}__name"], row[f"{relation}__kind"]
    )


@cache
def _prefixes() -> dict[str, tuple[str, str]]:
    """Each kind's public-page and API URL prefixes, computed once."""
    return {
        kind: (f"{site_url()}/{segment}/", f"{api_root()}{segment}/")
        for kind, segment in URL_SEGMENT.items()
    }


def flat_entity_ref(slug: str | None, name: str | None, kind: str | None) -> dict | None:
    """entity_ref() from three columns of a values() row (None when the link is empty)."""
    if slug is None:
        return None
    site_prefix, api_prefix = _prefixes()[kind]
    return {
        "slug": slug,
        "name": name,
        "kind": kind,
        "url": f"{site_prefix}{slug}/",
        "api_url": f"{api_prefix}{slug}/",
    }


def _display(date, precision) -> str:
    value = partial_date(date, precision)
    return value.display() if value else ""


def mention_payload(row: dict) -> dict:
    site_prefix, api_prefix = _prefixes()[row["entity__kind"]]
    slug = row["entity__slug"]
    return {
        "slug": slug,
        "name": row["entity__name"],
        "role": row["role"],
        "url": f"{site_prefix}{slug}/",
        "api_url": f"{api_prefix}{slug}/",
    }


def quote_payload(row: dict) -> dict:
    said_on = row["said_on"]
    return {
        "slug": row["slug"],
        "text": row["text"],
        "speaker": flat_entity_ref(
            row["speaker__slug"], row["speaker__name"], row["speaker__kind"]
        ),
        "said_on": said_on.isoformat() if said_on else None,
        "said_on_precision": row["said_on_precision"] or None,
        "said_on_display": _display(said_on, row["said_on_precision"]),
        "said_where": row["said_where"],
        "medium": _ref(row, "medium"),
        "context_event": _ref(row, "context_event"),
    }


def statistic_payload(row: dict) -> dict:
    value = row["value"]
    return {
        "slug": row["slug"],
        "value": format(value.normalize(), "f"),
        "value_display": Statistic.value_display.fget(SimpleNamespace(value=value)),
        "unit": row["unit"],
        "subject": flat_entity_ref(
            row["subject__slug"], row["subject__name"], row["subject__kind"]
        ),
        "as_of": row["as_of"].isoformat(),
        "as_of_precision": row["as_of_precision"],
        "as_of_display": _display(row["as_of"], row["as_of_precision"]),
        "source": _ref(row, "source"),
        "source_url": row["source_url"],
        "note": row["note"],
    }


def correction_payload(row: dict) -> dict:
    return {"kind": row["kind"], "note": row["note"], "published_at": row["published_at"]}


def render_bodies(bodies: list[str]) -> dict[str, tuple[str, str]]:
    """(html, text) of each body, rendered once and then served from the cache.

    A memo of a pure function, not derived data to invalidate: keyed by a hash of the
    source and the release (`NEWSROOM_RELEASE`, so that a deploy that changes the renderer
    never serves the old one's output from a shared cache). One get_many per page.
    """
    prefix = f"api-body:{settings.NEWSROOM_RELEASE}:"
    keys = {
        body: prefix + hashlib.blake2b(body.encode(), digest_size=16).hexdigest() for body in bodies
    }
    cached = django_cache.get_many(list(keys.values()))
    rendered: dict[str, tuple[str, str]] = {}
    missing = {}
    for body, key in keys.items():
        if key in cached:
            rendered[body] = cached[key]
        else:
            blocks = body_format.parse(body)
            rendered[body] = missing[key] = (
                body_format.render_html(blocks),
                body_format.render_text(blocks),
            )
    if missing:
        django_cache.set_many(missing, BODY_CACHE_SECONDS)
    return rendered


def article_payload(
    row: dict,
    *,
    mentions: list[dict],
    quotes: list[dict],
    statistics: list[dict],
    corrections: list[dict],
    rendered: tuple[str, str] | None = None,
) -> dict:
    """The full JSON document of one article, from values() rows (see
    api.article_rows.article_documents(), which loads them in constant queries).
    `rendered` is the body's (html, text), from render_bodies()."""
    if rendered is None:
        rendered = render_bodies([row["body"]])[row["body"]]
    body_html, body_text = rendered
    groups: dict[str, list[dict]] = {name: [] for name in ENTITY_GROUPS.values()}
    for mention in mentions:
        groups[ENTITY_GROUPS[mention["entity__kind"]]].append(mention_payload(mention))
    slug = row["slug"]
    section_slug = row["section__slug"]
    return {
        "slug": slug,
        "url": article_url(slug),
        "api_url": article_api_url(slug),
        "headline": row["headline"],
        "standfirst": row["standfirst"],
        "body": row["body"],
        "body_html": body_html,
        "body_text": body_text,
        "byline": row["byline"],
        "section": {
            "slug": section_slug,
            "name": row["section__name"],
            "url": f"{site_url()}/sections/{section_slug}/",
        }
        if section_slug is not None
        else None,
        "dateline": _ref(row, "dateline"),
        "language": row["language"],
        # Decided now, like the public rule: a scheduled article whose time has come
        # is "published" and live, with no write in between.
        **_status_now(row),
        "publish_at": row["publish_at"],
        "embargo_until": row["embargo_until"],
        "first_published_at": row["first_published_at"],
        "updated_at": row["updated_at"],
        "version": row["version"],
        **groups,
        "quotes": [quote_payload(quote) for quote in quotes],
        "statistics": [statistic_payload(statistic) for statistic in statistics],
        "corrections": [correction_payload(correction) for correction in corrections],
    }


def _status_now(row: dict) -> dict:
    status = editorial_status(row["status"], row["publish_at"], row["embargo_until"])
    return {"status": status.value, "live": status == EditorialStatus.LIVE}


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
    said_on_precision = serializers.ChoiceField(choices=PRECISION_CHOICES, allow_null=True)
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
    as_of_precision = serializers.ChoiceField(choices=PRECISION_CHOICES)
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
    status = serializers.ChoiceField(
        choices=EditorialStatus.choices,
        help_text="Decided at read time: “scheduled” until publish_at, “embargoed” until "
        "embargo_until, then “published” (live).",
    )
    live = serializers.BooleanField(help_text="Whether any reader can see it now.")
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


class PublishedArticleSerializer(ArticleSerializer):
    """The article just published or scheduled, with what an editor should know."""

    warnings = serializers.ListField(
        child=serializers.CharField(),
        help_text="The admin's publish warnings: pending suggestions, ambiguous names, "
        "linked entities without a description. Empty when there is nothing to check.",
    )


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


class ReinstateSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=5000)


class CorrectSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=5000)
    kind = serializers.ChoiceField(choices=CorrectionKind.choices, required=False)
