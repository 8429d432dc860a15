"""slug_path() is reverse() for slug URLs, only cheaper."""

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix

from core.links import slug_path

NAMES = [
    "site:article-detail",
    "site:section-detail",
    "site:person-detail",
    "site:organization-detail",
    "site:event-detail",
    "site:place-detail",
    "site:person-feed-rss",
    "site:event-feed-atom",
]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("slug", ["vilnius", "sviatlana-tsikhanouskaya", "a_b-9"])
def test_slug_path_is_reverse(name, slug):
    assert slug_path(name, slug) == reverse(name, kwargs={"slug": slug})


def test_slug_path_follows_the_script_prefix():
    try:
        set_script_prefix("/news/")
        assert slug_path("site:person-detail", "x") == "/news/people/x/"
    finally:
        set_script_prefix("/")
    assert slug_path("site:person-detail", "x") == "/people/x/"


@pytest.mark.parametrize("slug", ["", "two words", "a/b", "ünicode"])
def test_slug_path_refuses_what_reverse_refuses(slug):
    with pytest.raises(NoReverseMatch):
        slug_path("site:person-detail", slug)
