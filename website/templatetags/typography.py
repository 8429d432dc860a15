"""Template helpers for text as readers see it: `typeset` (curly quotes and dashes, see
core.typography) and `quote_source` (where a quote was said, naming its medium once)."""

import re

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString

from core.typography import smarten

register = template.Library()


@register.filter(is_safe=True)
def typeset(value) -> str:
    """Curly quotes and spaced dashes in plain text; the result is still escaped later.
    Already-safe HTML is left alone (its quotes may be markup)."""
    if value is None or isinstance(value, SafeString):
        return value
    return smarten(str(value))


@register.simple_tag
def quote_source(quote) -> str:
    """ "on X" with the medium X linked where the text names it, else "in an interview
    (BBC)": the medium is named once, never "on X (X)"."""
    where = smarten(quote.said_where or "")
    medium = quote.medium
    if medium is None:
        return conditional_escape(where)
    link = format_html('<a href="{}">{}</a>', medium.get_absolute_url(), medium.name)
    if not where:
        return link
    named = re.search(rf"(?<!\w){re.escape(medium.name)}(?!\w)", where)
    if named is None:
        return format_html("{} ({})", where, link)
    before, after = where[: named.start()], where[named.end() :]
    return format_html("{}{}{}", before, link, after)
