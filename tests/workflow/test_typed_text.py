"""Typed text is cleaned once on its way in, so mention spans never drift from it.

Browsers send CRLF line breaks and pasted text brings invisible characters; the write
services and the fixture loader store the text cleaned (core.text.clean_text), and the
finder, the renderer and the API all count the same characters.
"""

import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles import body as body_format
from articles.models import Article, Mention, MentionState
from articles.selectors import body_links
from core.text import clean_text
from tests.api.conftest import client_for, review_post
from tests.factories import person
from workflow import articles as services
from workflow.loading import fixtures_load
from workflow.review import mentions_confirm_all

pytestmark = pytest.mark.django_db

UNCLEAN = re.compile("[\r\u0085\u2028\u2029\u00ad\u200b\u200c\u200d\u2060\ufeff\u00a0\u2007\u202f]")
PARAGRAPHS = [
    "Ukrainian President Volodymyr Zelenskyy arrived in the morning.",
    "Sviatlana Tsikhanouskaya said the talks were useful.",
    "Both spoke to reporters in Vilnius after the meeting.",
]
LINKED = {
    0: "/people/volodymyr-zelenskyy/",
    1: "/people/sviatlana-tsikhanouskaya/",
    2: "/places/vilnius/",
}


def body_paragraphs(page: str) -> list[str]:
    """The paragraphs of the article body on a public page."""
    body = re.search(r'<div class="body">(.*?)</div>', page, re.S).group(1)
    return re.findall(r"<p>(.*?)</p>", body, re.S)


def test_crlf_article_through_the_api_links_every_paragraph(seed, editor, client):
    """The issue's reproduction: a body with CRLF between paragraphs, posted through the
    API, every suggestion confirmed, published: every paragraph has its link."""
    api = client_for(editor)
    created = api.post(
        "/api/v1/articles/",
        {"headline": "Three paragraphs", "body": "\r\n\r\n".join(PARAGRAPHS)},
        format="json",
    )
    assert created.status_code == 201, created.content
    slug = created.json()["slug"]
    assert created.json()["body"] == "\n\n".join(PARAGRAPHS)
    review = review_post(api, f"/api/v1/articles/{slug}/review/", {"decision": "confirm_all"})
    assert review.status_code == 200
    etag = api.get(f"/api/v1/articles/{slug}/")["ETag"]
    published = api.post(f"/api/v1/articles/{slug}/publish/", {}, format="json", HTTP_IF_MATCH=etag)
    assert published.status_code == 200, published.content
    page = client.get(f"/articles/{slug}/").content.decode()
    paragraphs = body_paragraphs(page)
    assert len(paragraphs) == 3
    for index, href in LINKED.items():
        assert f'href="{href}"' in paragraphs[index], (index, paragraphs[index])


def test_edit_that_only_changes_line_endings_changes_nothing(seed, editor):
    """A form that sends the stored text back with CRLF line breaks is no edit: no
    correction is asked for, the text and its spans stay as they were."""
    article = services.article_create(
        actor=editor, headline="Line endings", body="\n\n".join(PARAGRAPHS)
    )
    services.article_publish(article=article, actor=editor)
    before = sorted(Mention.objects.filter(article=article).values_list("span_start", "span_end"))
    services.article_update(
        article=article,
        actor=editor,
        expected_version=article.version,
        changes={"body": "\r\n\r\n".join(PARAGRAPHS)},
    )
    article.refresh_from_db()
    assert article.body == "\n\n".join(PARAGRAPHS)
    after = sorted(Mention.objects.filter(article=article).values_list("span_start", "span_end"))
    assert after == before


def test_fixture_loader_cleans_text_and_moves_spans(db, tmp_path):
    """A fixture whose body has CRLF breaks and a soft hyphen is stored clean, and its
    mention spans are moved with the text (they were recorded against the raw text)."""
    data = json.loads(Path("fixtures/articles.json").read_text(encoding="utf-8"))
    article_row = next(row for row in data if row["model"] == "articles.article")
    raw = article_row["fields"]["body"].replace("\n", "\r\n").replace("Vilnius", "Vil\u00adnius")
    old = article_row["fields"]["body"]
    article_row["fields"]["body"] = raw
    for row in data:
        fields = row["fields"]
        if row["model"] == "articles.mention" and fields.get("field") == "body":
            # Re-anchor the curated spans on the raw text, as a hand-edited fixture has them.
            prefix = old[: fields["span_start"]]
            start = len(prefix.replace("\n", "\r\n").replace("Vilnius", "Vil\u00adnius"))
            matched = old[fields["span_start"] : fields["span_end"]]
            fields["span_start"] = start
            fields["span_end"] = start + len(matched.replace("Vilnius", "Vil\u00adnius"))
            fields["matched_text"] = matched.replace("Vilnius", "Vil\u00adnius")
    path = tmp_path / "articles.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    fixtures_load(paths=["fixtures/groups.json", "fixtures/entities.json", path])
    article = Article.objects.get(slug=article_row["fields"]["slug"])
    assert article.body == old
    for mention in Mention.objects.filter(article=article, field="body"):
        assert article.body[mention.span_start : mention.span_end] == mention.matched_text


NAMES = ["Volodymyr Zelenskyy", "Sviatlana Tsikhanouskaya", "Vilnius", "Anna Kovalenko"]
FILLER = ["met", "the press", "on Monday", "said", "in the morning", "and", "talks"]
SEPARATORS = ["\n\n", "\r\n\r\n", "\r\r", "\r\n\n", "\n \r\n", "\u2029\u2029", "\r\n\u00a0\r\n"]
INVISIBLE = [
    "\u00ad",
    "\u200b",
    "\u200c",
    "\u200d",
    "\u2060",
    "\ufeff",
    "\u00a0",
    "\u202f",
    "\u2007",
]


def sprinkle(text: str, data) -> str:
    """Insert invisible characters at random places."""
    positions = data.draw(st.lists(st.integers(0, len(text)), max_size=4), label="positions")
    for position in sorted(positions, reverse=True):
        text = text[:position] + data.draw(st.sampled_from(INVISIBLE)) + text[position:]
    return text


@st.composite
def bodies(draw):
    paragraphs = []
    for _ in range(draw(st.integers(1, 4))):
        words = draw(st.lists(st.sampled_from(NAMES + FILLER), min_size=1, max_size=6))
        line_break = draw(st.sampled_from([" ", "\r\n", "\n", "\r"]))
        paragraphs.append(line_break.join(words) + ".")
    separators = [draw(st.sampled_from(SEPARATORS)) for _ in paragraphs[1:]]
    body = paragraphs[0]
    for separator, paragraph in zip(separators, paragraphs[1:], strict=True):
        body += separator + paragraph
    return body


@pytest.fixture
def writer(seed, editor):
    person("Anna Kovalenko")
    return editor


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(body=bodies(), data=st.data())
def test_spans_cover_their_text_after_save(writer, body, data):
    """Property: whatever the line endings and invisible characters of a body, after save
    the stored text is clean and every mention's span covers its matched text; once
    confirmed, every body mention is a link on the rendered page."""
    body = sprinkle(body, data)
    article = services.article_create(
        actor=writer, headline=sprinkle("Talks in Vilnius", data), body=body
    )
    article.refresh_from_db()
    assert article.body == clean_text(body)
    assert not UNCLEAN.search(article.body) and not UNCLEAN.search(article.headline)
    mentions = list(Mention.objects.filter(article=article).select_related("entity"))
    for mention in mentions:
        text = getattr(article, mention.field)
        assert text[mention.span_start : mention.span_end] == mention.matched_text
    mentions_confirm_all(article=article, actor=writer)
    confirmed = list(
        Mention.objects.filter(
            article=article, state=MentionState.CONFIRMED, field="body"
        ).select_related("entity")
    )
    links = body_links(article, confirmed)
    assert len(links) == len({m.entity_id for m in confirmed})
    html = body_format.render_html(article.body_blocks, links)
    assert html.count("<a href=") == len(links)
