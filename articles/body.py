"""The article body format: plain text with paragraphs and subheadings.

Paragraphs are separated by blank lines; a line starting with "## " is a subheading.
There is no raw HTML: everything is escaped when rendered, so nothing can be injected
through a body. Blocks keep their character offsets in the source, so that mention spans
found in the raw body can be turned into links: the parser never rewrites the source (a
CRLF is a line break where it stands), so an offset means one character everywhere.
Pure functions, no ORM.
"""

import dataclasses
import re
from dataclasses import dataclass
from enum import StrEnum
from html import escape

from core.typography import smarten

SUBHEADING_PREFIX = "## "
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
# One line break, then only blanks, then another ("\r" alone never half of a CRLF).
_BLOCK_SEPARATOR = re.compile(r"(?:\r\n|\r(?!\n)|\n)[ \t]*(?:\r\n|\r(?!\n)|\n)")
_WHITESPACE = re.compile(r"\s+")


class BlockKind(StrEnum):
    PARAGRAPH = "paragraph"
    SUBHEADING = "subheading"


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    text: str
    start: int  # offset of `text` in the source body

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclass(frozen=True)
class Link:
    """A span of the source body to render as a link."""

    start: int
    end: int
    href: str
    title: str = ""


def parse(source: str) -> list[Block]:
    """Split a body into blocks; a block may hold several lines (a subheading only one).

    Offsets are those of `source` as given, whatever its line breaks."""
    blocks: list[Block] = []
    position = 0
    for chunk in _BLOCK_SEPARATOR.split(source):
        offset = source.index(chunk, position) if chunk else position
        position = offset + len(chunk)
        for line_offset, line in _lines_with_offsets(chunk):
            if line.startswith(SUBHEADING_PREFIX):
                text = line[len(SUBHEADING_PREFIX) :].strip()
                if text:
                    start = offset + line_offset + line.index(text)
                    blocks.append(Block(BlockKind.SUBHEADING, text, start))
        paragraph_lines = [
            (line_offset, line)
            for line_offset, line in _lines_with_offsets(chunk)
            if not line.startswith(SUBHEADING_PREFIX) and line.strip()
        ]
        if paragraph_lines:
            first_offset, first_line = paragraph_lines[0]
            last_offset, last_line = paragraph_lines[-1]
            stripped_start = first_offset + (len(first_line) - len(first_line.lstrip()))
            stripped_end = last_offset + len(last_line.rstrip())
            text = chunk[stripped_start:stripped_end]
            blocks.append(Block(BlockKind.PARAGRAPH, text, offset + stripped_start))
    return sorted(blocks, key=lambda block: block.start)


def _lines_with_offsets(chunk: str) -> list[tuple[int, str]]:
    lines = []
    offset = 0
    for line_break in _LINE_BREAK.finditer(chunk):
        lines.append((offset, chunk[offset : line_break.start()]))
        offset = line_break.end()
    lines.append((offset, chunk[offset:]))
    return lines


def render_html(
    blocks: list[Block], links: list[Link] | None = None, *, typographic: bool = False
) -> str:
    """Escaped HTML: <h2> for subheadings, <p> for paragraphs, with optional links.

    `typographic` (the public pages) shows curly quotes and dashes (core.typography),
    which keeps every offset, so links stay on their words; the API renders as stored.
    """
    links = sorted(links or [], key=lambda link: link.start)
    parts = []
    for block in blocks:
        if typographic:
            block = dataclasses.replace(block, text=smarten(block.text))
        inner = _render_inline(block, [link for link in links if _inside(link, block)])
        tag = "h2" if block.kind is BlockKind.SUBHEADING else "p"
        parts.append(f"<{tag}>{inner}</{tag}>")
    return "\n".join(parts)


def _inside(link: Link, block: Block) -> bool:
    return block.start <= link.start < link.end <= block.end


def _render_inline(block: Block, links: list[Link]) -> str:
    out = []
    cursor = block.start
    for link in links:
        if link.start < cursor:  # overlapping links: keep the first
            continue
        out.append(_escape_text(block.text[cursor - block.start : link.start - block.start]))
        label = _escape_text(block.text[link.start - block.start : link.end - block.start])
        title = f' title="{escape(link.title)}"' if link.title else ""
        out.append(f'<a href="{escape(link.href)}"{title}>{label}</a>')
        cursor = link.end
    out.append(_escape_text(block.text[cursor - block.start :]))
    return "".join(out)


def _escape_text(text: str) -> str:
    return escape(_WHITESPACE.sub(" ", text), quote=False)


def render_text(blocks: list[Block]) -> str:
    """Plain text, one block per paragraph, for feeds, search and the API."""
    return "\n\n".join(_WHITESPACE.sub(" ", block.text) for block in blocks)


def from_plain_text(text: str) -> str:
    """Turn a plain-text article (one paragraph per line, subheadings as short lines
    without final punctuation) into the body format."""
    blocks = []
    for line in text.replace("\r\n", "\n").split("\n"):
        line = line.strip()
        if not line:
            continue
        blocks.append(SUBHEADING_PREFIX + line if looks_like_subheading(line) else line)
    return "\n\n".join(blocks)


def looks_like_subheading(line: str) -> bool:
    """A short line that does not end like a sentence."""
    return len(line) <= 90 and not line.rstrip().endswith((".", "!", "?", ":", ";", ",", '"', "”"))
