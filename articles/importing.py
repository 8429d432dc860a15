"""Parse articles to import: plain text or a ninjs 2.x JSON document. Pure, no ORM.

Plain text: the first line is the headline, then paragraphs. Paragraphs are separated by
blank lines (a paragraph's lines are joined) or, in text without blank lines, one per
line; a short line without final punctuation is a subheading. A first line that reads
like a paragraph is refused: the caller must give the headline.

ninjs 2.x (IPTC): `headlines` (role "main" first), `descriptions` (role "summary"), `bodies`
(text/plain or text/html; HTML is reduced to paragraphs and subheadings, never kept as
markup), `by`, `language`. The ninjs 1.x single fields (`headline`, `body_text`,
`description_text`) are read too when the 2.x lists are absent.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from html.parser import HTMLParser

from .body import SUBHEADING_PREFIX, from_plain_text, looks_like_subheading

MAX_HEADLINE = 300
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_WHITESPACE = re.compile(r"\s+")
_SENTENCE_END = (".", "!", "?", ";", ",", '"', "”", "»")


class ArticleImportError(ValueError):
    """The input is not an article we can import; the message says why."""


@dataclass(frozen=True)
class ParsedArticle:
    headline: str
    body: str  # in the body format of articles.body
    standfirst: str = ""
    byline: str = ""
    language: str = ""


def parse_article_file(content: str, *, headline: str | None = None) -> ParsedArticle:
    """Parse a file's text: a JSON object is read as ninjs, anything else as plain text."""
    if content.lstrip().startswith("{"):
        return parse_ninjs(content, headline=headline)
    return parse_plain_text(content, headline=headline)


def parse_plain_text(text: str, *, headline: str | None = None) -> ParsedArticle:
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    if "\x00" in text:
        raise ArticleImportError("This is not a text file (it holds NUL bytes).")
    text = text.strip()
    if headline is None:
        first, _, text = text.partition("\n")
        headline = first.strip()
        if not headline:
            raise ArticleImportError("The file is empty.")
        if len(headline) > MAX_HEADLINE or headline.endswith(_SENTENCE_END[:2]):
            raise ArticleImportError(
                "The first line reads like a paragraph, not a headline "
                f"(“{headline[:60]}…”). Put the headline on the first line, or give it "
                "with --headline."
            )
    headline = _clean_headline(headline)
    body = plain_text_to_body(text)
    if not body:
        raise ArticleImportError("The article has a headline but no body text.")
    return ParsedArticle(headline=headline, body=body)


def plain_text_to_body(text: str) -> str:
    """Paragraphs and subheadings of a plain text, in the body format."""
    text = text.strip()
    if not _BLANK_LINE.search(text):
        return from_plain_text(text)
    blocks = []
    for chunk in _BLANK_LINE.split(text):
        lines = [line.strip() for line in chunk.split("\n") if line.strip()]
        if not lines:
            continue
        if len(lines) == 1 and looks_like_subheading(lines[0]):
            blocks.append(SUBHEADING_PREFIX + lines[0])
        else:
            blocks.append(" ".join(lines))
    return "\n\n".join(blocks)


def parse_ninjs(document: dict | str, *, headline: str | None = None) -> ParsedArticle:
    if isinstance(document, str | bytes):
        try:
            document = json.loads(document)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise ArticleImportError(f"Not valid JSON: {exc}.") from exc
    if not isinstance(document, dict):
        raise ArticleImportError("A ninjs document is a JSON object.")
    kind = document.get("type", "text")
    if kind != "text":
        raise ArticleImportError(f"Only ninjs items of type “text” are articles, not “{kind}”.")
    headline = headline or _pick(document, "headlines", "main") or document.get("headline")
    if not isinstance(headline, str) or not headline.strip():
        raise ArticleImportError("The ninjs document has no headline (headlines[role=main]).")
    body = _ninjs_body(document)
    if not body:
        raise ArticleImportError("The ninjs document has no body (bodies[role=main]).")
    standfirst = _pick(document, "descriptions", "summary") or document.get("description_text")
    byline = document.get("by") if isinstance(document.get("by"), str) else ""
    language = document.get("language") if isinstance(document.get("language"), str) else ""
    return ParsedArticle(
        headline=_clean_headline(headline),
        body=body,
        standfirst=_WHITESPACE.sub(" ", _strip_html(standfirst or "")).strip(),
        byline=byline.strip(),
        language=language.strip().lower(),
    )


def _clean_headline(headline: str) -> str:
    headline = _WHITESPACE.sub(" ", headline).strip()
    if not headline:
        raise ArticleImportError("The headline is empty.")
    if len(headline) > MAX_HEADLINE:
        raise ArticleImportError(f"The headline is longer than {MAX_HEADLINE} characters.")
    return headline


def _pick(document: dict, key: str, role: str) -> str | None:
    """The value of the entry with `role` in a ninjs 2.x list, else of the first one."""
    entries = document.get(key)
    if entries is None:
        return None
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise ArticleImportError(f"“{key}” must be a list of objects with a “value”.")
    ordered = sorted(entries, key=lambda entry: entry.get("role") != role)
    for entry in ordered:
        if isinstance(entry.get("value"), str) and entry["value"].strip():
            return entry["value"]
    return None


def _ninjs_body(document: dict) -> str:
    entries = document.get("bodies")
    if entries is None:
        if isinstance(document.get("body_html"), str):
            return html_to_body(document["body_html"])
        if isinstance(document.get("body_text"), str):
            return plain_text_to_body(document["body_text"])
        return ""
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise ArticleImportError("“bodies” must be a list of objects with a “value”.")
    for entry in sorted(entries, key=lambda entry: entry.get("role", "main") != "main"):
        value = entry.get("value")
        if not isinstance(value, str) or not value.strip():
            continue
        contenttype = str(entry.get("contenttype", "text/plain")).lower()
        return html_to_body(value) if "html" in contenttype else plain_text_to_body(value)
    return ""


class _BlockCollector(HTMLParser):
    """Collects paragraphs and headings of an HTML fragment as text."""

    BLOCKS = {"p", "div", "li", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "pre"}
    HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
    SKIPPED = {"script", "style", "template", "noscript"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self._text: list[str] = []
        self._heading = False
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIPPED:
            self._skipping += 1
        elif tag in self.BLOCKS:
            self._flush()
            self._heading = tag in self.HEADINGS
        elif tag == "br":
            self._text.append(" ")

    def handle_endtag(self, tag):
        if tag in self.SKIPPED:
            self._skipping = max(0, self._skipping - 1)
        elif tag in self.BLOCKS:
            self._flush()

    def handle_data(self, data):
        if not self._skipping:
            self._text.append(data)

    def _flush(self) -> None:
        text = _WHITESPACE.sub(" ", "".join(self._text)).strip()
        self._text = []
        if text:
            self.blocks.append(SUBHEADING_PREFIX + text if self._heading else text)
        self._heading = False

    def close(self):
        super().close()
        self._flush()


def html_to_body(html: str) -> str:
    """Paragraphs and headings of an HTML fragment in the body format; markup is dropped."""
    collector = _BlockCollector()
    collector.feed(html)
    collector.close()
    return "\n\n".join(collector.blocks)


def _strip_html(text: str) -> str:
    return (
        " ".join(html_to_body(text).replace(SUBHEADING_PREFIX, "").split()) if "<" in text else text
    )
