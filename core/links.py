"""Page URLs by slug without a full `reverse()` per link.

A public page links dozens of articles and entities, and `reverse()` costs tens of
microseconds each (it re-resolves the pattern and re-checks the converter every time).
`slug_path` reverses a URL name once, with a stand-in slug, and then only pastes slugs
into the result. Slugs outside the `<slug:…>` converter's alphabet go through
`reverse()`, so they fail exactly as they would there.
"""

import re

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

__all__ = ["slug_path"]

_SLUG = re.compile(r"[-a-zA-Z0-9_]+")
_STAND_IN = "slug-stand-in-7f3a"
_TEMPLATES: dict[tuple, tuple[str, str]] = {}


def slug_path(name: str, slug: str) -> str:
    """`reverse(name, kwargs={"slug": slug})` for a URL whose only argument is a slug."""
    if not _SLUG.fullmatch(slug):
        return reverse(name, kwargs={"slug": slug})
    # Keyed by what reverse() depends on besides the name: the URLconf and script prefix.
    key = (name, settings.ROOT_URLCONF, get_urlconf(), get_script_prefix())
    parts = _TEMPLATES.get(key)
    if parts is None:
        before, _, after = reverse(name, kwargs={"slug": _STAND_IN}).partition(_STAND_IN)
        parts = _TEMPLATES[key] = (before, after)
    return parts[0] + slug + parts[1]
