"""Feeds carry hostile text as text: no headline, standfirst, entity name or correction
note reaches a feed reader as live markup (issue 11, point 6)."""

import lxml.html
import pytest
from lxml import etree

from articles.models import Correction, CorrectionKind
from entities.models import EntityKind
from tests.factories import make_article, make_entity, make_mention, make_section

VECTORS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(2)">',
    '"><svg onload=alert(3)>',
    "&lt;b&gt;pre-escaped&lt;/b&gt;",
    "<a href='javascript:alert(4)'>link</a>",
]
# The HTML the feed builds around escaped text, and nothing else.
FEED_TAGS = {"p", "strong"}
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def hostile(db):
    section = make_section("Section " + VECTORS[1])
    entity = make_entity("Name " + VECTORS[0], kind=EntityKind.PERSON)
    articles = []
    for index, vector in enumerate(VECTORS):
        article = make_article(
            f"Headline {index} {vector}",
            standfirst=f"Standfirst {vector}",
            section=section,
        )
        Correction.objects.create(
            article=article, kind=CorrectionKind.CORRECTION, note=f"Note {vector}"
        )
        make_mention(article, entity)
        articles.append(article)
    return section, entity, articles


def _html_fields(document: etree._Element) -> list[str]:
    """The feed fields a reader renders as HTML, as the reader gets them (XML-decoded)."""
    fields = [element.text or "" for element in document.iter("description")]
    fields = fields[1:] if document.tag == "rss" else fields  # the channel's is plain text
    fields += [
        element.text or ""
        for element in document.iter(f"{ATOM}summary", f"{ATOM}content")
        if element.get("type") in ("html", "xhtml")
    ]
    return fields


@pytest.mark.parametrize("format_", ["rss", "atom"])
def test_feed_html_fields_are_built_from_escaped_text(client, hostile, format_):
    """Every HTML field of every feed parses to our own <p>/<strong> wrappers only, with the
    hostile strings inside as literal text; titles are plain text that round-trips."""
    section, entity, articles = hostile
    urls = [
        f"/feed/{format_}/",
        f"{section.get_absolute_url()}feed/{format_}/",
        f"{entity.get_absolute_url()}feed/{format_}/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        document = etree.fromstring(response.content)
        fields = _html_fields(document)
        assert len(fields) == len(VECTORS), url
        seen = []
        for field in fields:
            fragment = lxml.html.fragment_fromstring(field, create_parent="div")
            tags = {element.tag for element in fragment.iterdescendants()}
            assert tags <= FEED_TAGS, (url, field)
            assert not any(element.attrib for element in fragment.iterdescendants()), field
            seen.append(fragment.text_content())
        for vector in VECTORS:
            assert any(f"Standfirst {vector}" in text for text in seen), (url, vector)
            assert any(f"Note {vector}" in text for text in seen), (url, vector)
        titles = [
            element.text
            for element in document.iter("title", f"{ATOM}title")
            if element.get("type", "text") == "text"
        ]
        for article in articles:
            assert article.headline in titles, url
        assert any(entity.name in (title or "") for title in titles) or "/people/" not in url
