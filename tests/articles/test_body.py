"""The body format keeps paragraphs and subheadings and cannot carry HTML."""

from articles.body import Link, from_plain_text, parse, render_html, render_text


def test_paragraphs_and_subheadings():
    blocks = parse("First paragraph\nstill first.\n\n## A subheading\n\nSecond.")
    assert [(b.kind, b.text) for b in blocks] == [
        ("paragraph", "First paragraph\nstill first."),
        ("subheading", "A subheading"),
        ("paragraph", "Second."),
    ]
    assert render_html(blocks) == (
        "<p>First paragraph still first.</p>\n<h2>A subheading</h2>\n<p>Second.</p>"
    )
    assert render_text(blocks) == "First paragraph still first.\n\nA subheading\n\nSecond."


def test_markup_is_escaped_never_rendered():
    html = render_html(parse('<script>alert(1)</script>\n\n## <img src=x onerror="x">'))
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_block_offsets_point_into_the_source():
    source = "Intro.\n\n## Heading\n\nZelenskyy met Tsikhanouskaya."
    for block in parse(source):
        assert source[block.start : block.end] == block.text


def test_links_wrap_spans_of_the_source():
    source = "Intro.\n\nZelenskyy met <b>Tsikhanouskaya</b>."
    start = source.index("Zelenskyy")
    html = render_html(parse(source), [Link(start, start + 9, "/people/z/?a=1&b=2", "President")])
    assert '<a href="/people/z/?a=1&amp;b=2" title="President">Zelenskyy</a>' in html
    assert "&lt;b&gt;" in html


def test_plain_text_lines_become_paragraphs_and_short_unpunctuated_lines_subheadings():
    body = from_plain_text("A sentence ends here.\nA short heading\nAnother sentence.\n")
    assert body == "A sentence ends here.\n\n## A short heading\n\nAnother sentence."
