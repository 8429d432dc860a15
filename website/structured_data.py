"""schema.org JSON-LD and OpenGraph for pages. Pure functions over loaded objects, no ORM.

Every builder takes the objects a view already loaded (with their relations prefetched)
and `absolute`, a function that turns a path into an absolute URL. Only types and
properties that exist in schema.org are used.
"""

import json
from collections.abc import Callable, Iterable
from typing import Any

SCHEMA_TYPE_BY_KIND = {
    "person": "Person",
    "organization": "Organization",
    "place": "Place",
    "event": "Event",
}

Absolute = Callable[[str], str]


def to_script_json(data: dict) -> str:
    """JSON for a <script type="application/ld+json"> block: no "</script>" can end it."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def entity_ref(entity: Any, absolute: Absolute) -> dict:
    """A short node for an entity: its type, name, URL and @id."""
    url = absolute(entity.get_absolute_url())
    return {
        "@type": SCHEMA_TYPE_BY_KIND.get(entity.kind, "Thing"),
        "@id": url + "#entity",
        "name": entity.name,
        "url": url,
    }


def news_article(
    article: Any,
    *,
    absolute: Absolute,
    site_name: str,
    mentions: Iterable[Any] = (),
) -> dict:
    """A NewsArticle: headline, dates, author, publisher, `about` (subjects) and `mentions`."""
    url = absolute(article.get_absolute_url())
    about, mentioned = [], []
    for mention in mentions:
        ref = entity_ref(mention.entity, absolute)
        (about if mention.role == "subject" else mentioned).append(ref)
    published = article.first_published_at or article.publish_at
    modified = max(filter(None, [article.updated_at, published]), default=published)
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "@id": url + "#article",
        "mainEntityOfPage": url,
        "url": url,
        "headline": article.headline[:110],
        "description": article.standfirst,
        "inLanguage": article.language,
        "datePublished": published.isoformat() if published else None,
        "dateModified": modified.isoformat() if modified else None,
        "author": {"@type": "Person", "name": article.byline or site_name},
        "publisher": {"@type": "NewsMediaOrganization", "name": site_name, "url": absolute("/")},
    }
    if article.section is not None:
        data["articleSection"] = article.section.name
    if article.dateline is not None:
        data["contentLocation"] = entity_ref(article.dateline, absolute)
    if about:
        data["about"] = about
    if mentioned:
        data["mentions"] = mentioned
    return {key: value for key, value in data.items() if value not in (None, "")}


def entity_node(
    entity: Any,
    *,
    absolute: Absolute,
    aliases: Iterable[Any] = (),
    roles: Iterable[Any] = (),
    participants: Iterable[Any] = (),
) -> dict:
    """A Person, Organization, Place or Event with its names and main facts."""
    data: dict[str, Any] = {"@context": "https://schema.org", **entity_ref(entity, absolute)}
    if entity.description:
        data["description"] = entity.description
    same_as = entity.same_as
    if same_as:
        data["sameAs"] = same_as
    names = sorted({alias.name for alias in aliases if alias.name != entity.name})
    if names:
        data["alternateName"] = names
    if entity.kind == "person":
        titles = [role.title for role in roles if role.is_current]
        if titles:
            data["jobTitle"] = titles
    elif entity.kind == "event":
        if entity.start_date is not None:
            data["startDate"] = entity.start_date.isoformat()
        if entity.end_date is not None:
            data["endDate"] = entity.end_date.isoformat()
        if entity.location is not None:
            data["location"] = entity_ref(entity.location, absolute)
        people = [entity_ref(p.participant, absolute) for p in participants]
        if people:
            data["attendee"] = people
    elif entity.kind == "place":
        if entity.parent is not None:
            data["containedInPlace"] = entity_ref(entity.parent, absolute)
        if entity.latitude is not None and entity.longitude is not None:
            data["geo"] = {
                "@type": "GeoCoordinates",
                "latitude": float(entity.latitude),
                "longitude": float(entity.longitude),
            }
    elif entity.kind == "organization" and entity.country is not None:
        data["location"] = entity_ref(entity.country, absolute)
    return data


def opengraph(
    *, title: str, description: str, url: str, site_name: str, kind: str = "website"
) -> list[tuple[str, str]]:
    """OpenGraph (property, content) pairs."""
    pairs = [
        ("og:type", kind),
        ("og:title", title),
        ("og:url", url),
        ("og:site_name", site_name),
    ]
    if description:
        pairs.append(("og:description", description))
    return pairs
