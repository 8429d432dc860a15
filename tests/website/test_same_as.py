"""External identifiers of entities on their public page and in its JSON-LD (sameAs)."""

import json
import re

import pytest

from entities.models import EntityKind, PlaceKind
from tests.factories import make_entity

pytestmark = pytest.mark.django_db


def _json_ld(html: str) -> dict:
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(block.group(1))


def test_place_page_and_json_ld_carry_geonames_and_wikidata(client):
    minsk = make_entity("Minsk", EntityKind.PLACE, place_kind=PlaceKind.CITY, geonames_id=625144)
    minsk.wikidata_id = "Q2280"
    minsk.save()
    html = client.get(minsk.get_absolute_url()).content.decode()
    assert _json_ld(html)["sameAs"] == [
        "https://www.geonames.org/625144",
        "https://www.wikidata.org/wiki/Q2280",
    ]
    assert 'href="https://www.geonames.org/625144"' in html
    assert 'href="https://www.wikidata.org/wiki/Q2280"' in html


def test_no_identifiers_no_same_as(client):
    vilnius = make_entity("Vilnius", EntityKind.PLACE)
    html = client.get(vilnius.get_absolute_url()).content.decode()
    assert "sameAs" not in _json_ld(html)
    assert "wikidata.org" not in html
