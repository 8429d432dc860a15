"""Importing articles: plain text, ninjs 2.x, bad input, and the seed text."""

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from articles.importing import ArticleImportError, parse_ninjs, parse_plain_text
from articles.models import Article, ArticleStatus, Mention, Quote
from entities.models import EntityKind
from mentions.models import MentionCandidate
from tests.factories import make_editor
from workflow.imports import article_import

SEED_TEXT = Path(__file__).resolve().parent.parent / "data" / "seed_article.txt"

PLAIN = """Tsikhanouskaya meets Zelensky in Vilnius

Belarusian opposition leader Sviatlana Tsikhanouskaya met
Ukrainian President Volodymyr Zelenskyy on Sunday.

What they discussed

"We are together," Tsikhanouskaya wrote on X.
"""

NINJS = {
    "uri": "https://newsroom.example/articles/1",
    "type": "text",
    "version": "1",
    "language": "en",
    "headlines": [
        {"role": "sub", "value": "A sub headline"},
        {"role": "main", "value": "Zelenskyy in Vilnius"},
    ],
    "descriptions": [{"role": "summary", "value": "A <b>short</b> summary."}],
    "bodies": [
        {
            "role": "main",
            "contenttype": "text/html",
            "value": "<p>Volodymyr Zelenskyy arrived in <i>Vilnius</i>.</p><h2>Talks</h2>"
            "<p>He met Sviatlana Tsikhanouskaya.<script>alert(1)</script></p>",
        }
    ],
    "by": "Jane Reporter",
}


def test_plain_text_paragraphs_subheadings_and_joined_lines():
    """First line the headline; blank lines separate paragraphs; short lines are subheadings."""
    parsed = parse_plain_text(PLAIN)
    assert parsed.headline == "Tsikhanouskaya meets Zelensky in Vilnius"
    assert parsed.body.split("\n\n") == [
        "Belarusian opposition leader Sviatlana Tsikhanouskaya met Ukrainian President "
        "Volodymyr Zelenskyy on Sunday.",
        "## What they discussed",
        '"We are together," Tsikhanouskaya wrote on X.',
    ]


def test_ninjs_picks_main_headline_summary_and_reduces_html_to_blocks():
    parsed = parse_ninjs(json.dumps(NINJS))
    assert parsed.headline == "Zelenskyy in Vilnius"
    assert parsed.standfirst == "A short summary."
    assert parsed.body == (
        "Volodymyr Zelenskyy arrived in Vilnius.\n\n## Talks\n\nHe met Sviatlana Tsikhanouskaya."
    )
    assert (parsed.byline, parsed.language) == ("Jane Reporter", "en")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("Only a headline\n", "no body"),
        ("This first line is a sentence, so it is not a headline.\nBody.", "--headline"),
        ("x" * 301 + "\nBody.", "headline"),
    ],
)
def test_bad_plain_text_is_refused_with_a_reason(text, message):
    with pytest.raises(ArticleImportError, match=message):
        parse_plain_text(text)


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("{not json", "Not valid JSON"),
        ("[1, 2]", "JSON object"),
        ({"type": "picture", "headlines": [{"value": "H"}]}, "type"),
        ({"bodies": [{"value": "Body"}]}, "headline"),
        ({"headlines": [{"role": "main", "value": "H"}]}, "body"),
        ({"headlines": "H", "bodies": []}, "headlines"),
    ],
)
def test_bad_ninjs_is_refused_with_a_reason(document, message):
    with pytest.raises(ArticleImportError, match=message):
        parse_ninjs(document)


@pytest.mark.django_db
def test_import_plain_text_creates_a_draft_with_suggestions_and_quotes(seed):
    editor = make_editor()
    article = article_import(text=PLAIN, actor=editor)
    assert (article.status, article.author) == (ArticleStatus.DRAFT, editor)
    assert not article.is_public()
    slugs = set(Mention.objects.filter(article=article).values_list("entity__slug", flat=True))
    assert {"sviatlana-tsikhanouskaya", "volodymyr-zelenskyy", "vilnius", "x"} <= slugs
    assert set(Mention.objects.filter(article=article).values_list("state", flat=True)) == {
        "suggested"
    }
    quote = Quote.objects.get(article=article)
    assert (quote.speaker.slug, quote.text) == ("sviatlana-tsikhanouskaya", "We are together")


@pytest.mark.django_db
def test_import_ninjs_document(seed):
    article = article_import(document=NINJS, actor=make_editor())
    assert article.headline == "Zelenskyy in Vilnius"
    assert "<" not in article.body
    slugs = set(Mention.objects.filter(article=article).values_list("entity__slug", flat=True))
    assert {"volodymyr-zelenskyy", "vilnius", "sviatlana-tsikhanouskaya"} <= slugs


@pytest.mark.django_db
def test_bad_input_creates_nothing(seed, tmp_path):
    """A refused import leaves no article, mention, candidate or quote behind."""
    counts = [m.objects.count() for m in (Article, Mention, MentionCandidate, Quote)]
    with pytest.raises(ArticleImportError):
        article_import(document={"headlines": [{"value": "H"}]}, actor=make_editor())
    bad = tmp_path / "bad.json"
    bad.write_text('{"headlines": [}', encoding="utf-8")
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_article", str(bad))
    binary = tmp_path / "bad.txt"
    binary.write_bytes(b"\xff\xfe\x00headline")
    with pytest.raises(CommandError, match="UTF-8"):
        call_command("import_article", str(binary))
    assert [m.objects.count() for m in (Article, Mention, MentionCandidate, Quote)] == counts


@pytest.mark.django_db
def test_seed_text_needs_a_headline_then_suggests_every_seed_entity(seed, capsys):
    """The seed text has no headline line: the command says so; with --headline it imports
    a draft with a suggestion for every person, organization and place of the fixtures
    (that the text names) and candidates for names it does not know."""
    with pytest.raises(CommandError, match="--headline"):
        call_command("import_article", str(SEED_TEXT))
    assert not Article.objects.filter(status=ArticleStatus.DRAFT).exists()
    make_editor()
    call_command("import_article", str(SEED_TEXT), "--headline", "Zelenskyy meets Tsikhanouskaya")
    article = Article.objects.get(status=ArticleStatus.DRAFT)
    found = set(Mention.objects.filter(article=article).values_list("entity__slug", flat=True))
    from entities.models import Entity

    expected = set(
        Entity.objects.filter(
            kind__in=[EntityKind.PERSON, EntityKind.ORGANIZATION, EntityKind.PLACE]
        )
        .exclude(slug__in=["germany", "denmark"])  # the text never names them
        .values_list("slug", flat=True)
    )
    assert expected <= found, expected - found
    assert (
        not found
        - expected
        - set(Entity.objects.filter(kind=EntityKind.EVENT).values_list("slug", flat=True))
    )
    assert Quote.objects.filter(article=article, speaker__slug="sviatlana-tsikhanouskaya").exists()
    assert "Imported draft" in capsys.readouterr().out
