"""German postal codes with coordinates, municipality and transit quality; the counselling sites.

The table ships with the package (``files/postal_codes.csv.gz``, built by
``scripts/build_geo.py``) and is read on first use, never at import time.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from types import MappingProxyType

from kai_match.data.geo.transit import LANDKREIS_LEIPZIG_KREIS, LEIPZIG_CITY_AGS, transit_score

DATA_FILE = "postal_codes.csv.gz"
_POSTAL_CODE = re.compile(r"\d{5}")


@dataclass(frozen=True, slots=True)
class PostalPlace:
    """A regular delivery postal code, located at the mean of its GeoNames places."""

    postal_code: str
    lat: float
    lon: float
    municipality: str
    ags: str | None
    """8-digit Amtlicher Gemeindeschlüssel of the municipality the code is filed under."""
    district: str | None
    """Kreis name, e.g. "Landkreis Leipzig" or "Kreisfreie Stadt Leipzig"."""
    transit: float
    """Public-transport quality in [0, 1]; see ``kai_match.data.geo.transit``."""


@dataclass(frozen=True, slots=True)
class Site:
    """A counselling site of the programme."""

    slug: str
    name: str
    postal_code: str
    lat: float
    lon: float


# Town-centre coordinates (the GeoNames place of the town itself, not the mean of the postal code).
SITES: Mapping[str, Site] = MappingProxyType(
    {
        "borna": Site("borna", "Borna", "04552", 51.1242, 12.4964),
        "grimma": Site("grimma", "Grimma", "04668", 51.2337, 12.7196),
        "markkleeberg": Site("markkleeberg", "Markkleeberg", "04416", 51.2755, 12.3691),
        "wurzen": Site("wurzen", "Wurzen", "04808", 51.3868, 12.8041),
    }
)


def _read_rows() -> list[dict[str, str]]:
    raw = resources.files("kai_match.data.geo").joinpath("files", DATA_FILE).read_bytes()
    text = gzip.decompress(raw).decode("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


@cache
def _places() -> Mapping[str, PostalPlace]:
    """All postal places by code; loaded once per process (~8,300 rows, a few ms)."""
    places: dict[str, PostalPlace] = {}
    for row in _read_rows():
        code = row["plz"]
        ags = row["ags"] or None
        density = float(row["density"]) if row["density"] else None
        places[code] = PostalPlace(
            postal_code=code,
            lat=float(row["lat"]),
            lon=float(row["lon"]),
            municipality=row["municipality"],
            ags=ags,
            district=row["district"] or None,
            transit=transit_score(
                postal_code=code, ags=ags, settlement=row["settlement"] or None, density=density
            ),
        )
    return MappingProxyType(places)


def lookup_postal_code(code: str) -> PostalPlace | None:
    """The place of a German postal code, or None if it is unknown, malformed or a company code.

    Never raises on bad input: callers validate user input with it.
    """
    if not isinstance(code, str):
        return None
    code = code.strip()
    if not _POSTAL_CODE.fullmatch(code):
        return None
    return _places().get(code)


def is_known_postal_code(code: str) -> bool:
    """True for a regular German delivery postal code that we can place on the map."""
    return lookup_postal_code(code) is not None


@cache
def _district_codes() -> tuple[str, ...]:
    return tuple(
        sorted(
            place.postal_code
            for place in _places().values()
            if place.ags is not None
            and (place.ags == LEIPZIG_CITY_AGS or place.ags.startswith(LANDKREIS_LEIPZIG_KREIS))
        )
    )


def district_postal_codes() -> list[str]:
    """Sorted postal codes of Landkreis Leipzig and the city of Leipzig (for demo data)."""
    return list(_district_codes())
