"""German postal codes and municipalities with coordinates and transit quality; the sites.

The tables ship with the package (``files/postal_codes.csv.gz`` and
``files/municipalities.csv.gz``, built by ``scripts/build_geo.py``) and are read on first use,
never at import time. A postal code is placed at its main place (docs/commute.md, "Where a
record is"); a record that names its municipality is placed at that municipality's centre.
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
MUNICIPALITY_FILE = "municipalities.csv.gz"
_POSTAL_CODE = re.compile(r"\d{5}")
_AGS = re.compile(r"\d{8}")


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
    spans: tuple[str, ...] = ()
    """AGS of every municipality the code reaches into, the one it is filed under first."""


@dataclass(frozen=True, slots=True)
class Municipality:
    """A municipality (Gemeinde) at its Destatis centre, which lies in its main town or village."""

    ags: str
    name: str
    lat: float
    lon: float
    transit: float
    """Public-transport quality of the municipality as a whole (no postal-code exceptions)."""


@dataclass(frozen=True, slots=True)
class Site:
    """A counselling site of the programme."""

    slug: str
    name: str
    postal_code: str
    lat: float
    lon: float


# Town-centre coordinates (the GeoNames place of the town itself, not the mean of the postal code;
# for Wurzen the Destatis centre, because GeoNames puts "Wurzen" 5 km east, in Lossatal).
SITES: Mapping[str, Site] = MappingProxyType(
    {
        "borna": Site("borna", "Borna", "04552", 51.1242, 12.4964),
        "grimma": Site("grimma", "Grimma", "04668", 51.2337, 12.7196),
        "markkleeberg": Site("markkleeberg", "Markkleeberg", "04416", 51.2755, 12.3691),
        "wurzen": Site("wurzen", "Wurzen", "04808", 51.3700, 12.7352),
    }
)


def _read_rows(name: str = DATA_FILE) -> list[dict[str, str]]:
    raw = resources.files("kai_match.data.geo").joinpath("files", name).read_bytes()
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
            spans=tuple(row["spans"].split()),
        )
    return MappingProxyType(places)


@cache
def _municipalities() -> Mapping[str, Municipality]:
    """Municipalities that some postal code reaches into, by AGS (~10,800 rows)."""
    found: dict[str, Municipality] = {}
    for row in _read_rows(MUNICIPALITY_FILE):
        if not row["lat"] or not row["lon"]:
            continue  # a municipality without a centre cannot place anybody
        ags = row["ags"]
        density = float(row["density"]) if row["density"] else None
        found[ags] = Municipality(
            ags=ags,
            name=row["name"],
            lat=float(row["lat"]),
            lon=float(row["lon"]),
            # No postal code: the per-code exceptions of the district do not apply to a
            # municipality as a whole.
            transit=transit_score(
                postal_code="", ags=ags, settlement=row["settlement"] or None, density=density
            ),
        )
    return MappingProxyType(found)


def lookup_municipality(ags: str) -> Municipality | None:
    """The municipality with this 8-digit AGS, or None (unknown, malformed, or no postal code)."""
    if not isinstance(ags, str) or not _AGS.fullmatch(ags.strip()):
        return None
    return _municipalities().get(ags.strip())


def postal_code_municipalities(code: str) -> tuple[Municipality, ...]:
    """The municipalities a postal code reaches into, the one it is filed under first."""
    place = lookup_postal_code(code)
    if place is None:
        return ()
    table = _municipalities()
    return tuple(table[ags] for ags in place.spans if ags in table)


def _folded(name: str) -> str:
    return " ".join(name.casefold().replace("ß", "ss").split())


def municipality_in_postal_code(code: str, key: str) -> Municipality | None:
    """The municipality ``key`` names within postal code ``code``, or None if it is not there.

    ``key`` is an 8-digit AGS or a municipality name ("Lossatal", case and blanks ignored).
    Names repeat across Germany ("Neustadt"), so a name is only looked up among the
    municipalities of the code; an AGS must be one of them too, so that a record cannot be
    placed far from its postal code.
    """
    candidates = postal_code_municipalities(code)
    key = key.strip()
    if _AGS.fullmatch(key):
        return next((m for m in candidates if m.ags == key), None)
    wanted = _folded(key)
    return next((m for m in candidates if _folded(m.name) == wanted), None)


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
