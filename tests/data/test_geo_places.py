"""Postal codes, sites, transit scores and the shipped data of kai_match.data.geo."""

from __future__ import annotations

import gzip
import subprocess
import sys
from importlib import resources

import pytest

from kai_match.data import geo
from kai_match.data.geo import (
    SITES,
    PostalPlace,
    Site,
    district_postal_codes,
    haversine_km,
    is_known_postal_code,
    lookup_postal_code,
)
from kai_match.data.geo.transit import transit_score

EXPECTED_EXPORTS = {
    "PostalPlace",
    "Municipality",
    "Site",
    "SITES",
    "lookup_postal_code",
    "lookup_municipality",
    "municipality_in_postal_code",
    "postal_code_municipalities",
    "is_known_postal_code",
    "district_postal_codes",
    "haversine_km",
    "MODES",
    "CommuteEstimator",
    "CommuteEstimate",
    "Router",
    "HttpRouter",
}


def test_public_api_is_pinned() -> None:
    assert set(geo.__all__) == EXPECTED_EXPORTS
    for name in geo.__all__:
        assert getattr(geo, name) is not None


def test_import_does_no_io() -> None:
    """Loading the table is deferred to the first lookup (STYLE: no heavy work at import)."""
    code = (
        "import kai_match.data.geo as g, kai_match.data.geo.places as p;"
        "assert p._places.cache_info().currsize == 0;"
        "g.lookup_postal_code('04552');"
        "assert p._places.cache_info().currsize == 1"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_borna_lies_near_its_town_centre() -> None:
    borna = lookup_postal_code("04552")
    assert borna is not None
    assert haversine_km(borna.lat, borna.lon, 51.12, 12.50) < 3.0
    assert borna.municipality == "Borna"
    assert borna.ags == "14729050"
    assert borna.district == "Landkreis Leipzig"


def test_borna_grimma_is_about_20_km() -> None:
    borna, grimma = lookup_postal_code("04552"), lookup_postal_code("04668")
    assert borna is not None and grimma is not None
    assert haversine_km(borna.lat, borna.lon, grimma.lat, grimma.lon) == pytest.approx(20, abs=3)


def test_leipzig_city_code() -> None:
    place = lookup_postal_code("04109")
    assert place == PostalPlace(
        postal_code="04109",
        lat=51.3383,
        lon=12.3779,
        municipality="Leipzig",
        ags="14713000",
        district="Kreisfreie Stadt Leipzig",
        transit=1.0,
        spans=("14713000",),
    )


@pytest.mark.parametrize(
    ("code", "municipality"),
    [
        ("04808", "Wurzen"),  # shared with Lossatal and Thallwitz: the most populous seat wins
        ("04685", "Grimma"),  # Nerchau, part of Grimma since 2011, missing from the OSM table
        ("04655", "Frohburg"),  # Kohren-Sahlis, part of Frohburg since 2018
        ("10115", "Berlin"),
        ("80331", "München"),
        ("01067", "Dresden"),
    ],
)
def test_municipality_of_code(code: str, municipality: str) -> None:
    place = lookup_postal_code(code)
    assert place is not None
    assert place.municipality == municipality
    assert place.ags is not None and len(place.ags) == 8


@pytest.mark.parametrize(
    "code",
    ["ABCDE", "123", "", "041090", "04 09", "0455a", None, 4552, "99999", "00000"],
)
def test_malformed_or_unknown_codes_give_none(code: object) -> None:
    assert lookup_postal_code(code) is None  # type: ignore[arg-type]
    assert is_known_postal_code(code) is False  # type: ignore[arg-type]


@pytest.mark.parametrize("code", ["04080", "04081", "04350", "10875", "70137"])
def test_company_and_po_box_codes_are_dropped(code: str) -> None:
    """Large-recipient codes (Universität Leipzig, BMW, Daimler …) are not places to live."""
    assert lookup_postal_code(code) is None


def test_surrounding_whitespace_is_tolerated() -> None:
    assert lookup_postal_code(" 04552\n") == lookup_postal_code("04552")
    assert is_known_postal_code("04552")


def test_whole_country_is_covered() -> None:
    places = geo.places._places()
    assert 8200 <= len(places) <= 8400
    assert all(p.ags is not None for p in places.values())
    assert all(47.0 < p.lat < 55.2 and 5.8 < p.lon < 15.1 for p in places.values())
    assert all(0.0 <= p.transit <= 1.0 for p in places.values())


def test_district_postal_codes() -> None:
    codes = district_postal_codes()
    assert codes == sorted(codes)
    assert len(codes) == len(set(codes))
    for site in SITES.values():
        assert site.postal_code in codes
    assert "04109" in codes and "04654" in codes
    assert "04509" not in codes  # Delitzsch, Nordsachsen
    for code in codes:
        place = lookup_postal_code(code)
        assert place is not None and place.ags is not None
        assert place.ags == "14713000" or place.ags.startswith("14729")
    codes.clear()  # callers get their own list
    assert district_postal_codes()


def test_sites() -> None:
    assert list(SITES) == ["borna", "grimma", "markkleeberg", "wurzen"]
    assert SITES["wurzen"] == Site("wurzen", "Wurzen", "04808", 51.37, 12.7352)
    for slug, site in SITES.items():
        assert site.slug == slug
        place = lookup_postal_code(site.postal_code)
        assert place is not None and place.municipality == site.name
        assert haversine_km(site.lat, site.lon, place.lat, place.lon) < 5.0
    with pytest.raises(TypeError):
        SITES["leipzig"] = SITES["borna"]  # type: ignore[index]


def test_transit_ranks_city_towns_and_villages() -> None:
    def t(code: str) -> float:
        place = lookup_postal_code(code)
        assert place is not None
        return place.transit

    assert t("04109") == t("04357") == 1.0  # Leipzig city
    assert 0.7 <= t("04416") <= 0.9  # Markkleeberg: S-Bahn + tram
    for rail_town in ("04552", "04808", "04668", "04643", "04651", "04683"):
        assert 0.65 <= t(rail_town) <= 0.85, rail_town
    for no_rail in ("04442", "04567", "04680"):  # Zwenkau, Kitzscher, Colditz
        assert 0.2 <= t(no_rail) <= 0.4, no_rail
    assert t("10115") > t("04808") > t("04680")  # Berlin > Wurzen > Colditz


def test_transit_rule_outside_the_district() -> None:
    dense = transit_score(postal_code="10115", ags="11000000", settlement="d", density=4100)
    town = transit_score(postal_code="99999", ags="16000000", settlement="m", density=300)
    rural = transit_score(postal_code="99999", ags="16000001", settlement="g", density=40)
    unknown = transit_score(postal_code="99999", ags=None, settlement=None, density=None)
    assert dense == 1.0
    assert 0.4 <= town <= 0.6
    assert 0.15 <= rural <= 0.35
    assert unknown == 0.3


def test_shipped_data_is_compact_and_attributed() -> None:
    files = resources.files("kai_match.data.geo").joinpath("files")
    raw = files.joinpath("postal_codes.csv.gz").read_bytes()
    assert len(raw) < 1_500_000
    header = gzip.decompress(raw).decode("utf-8").splitlines()[0]
    assert header == "plz,lat,lon,ags,municipality,district,settlement,density,spans"
    raw = files.joinpath("municipalities.csv.gz").read_bytes()
    assert len(raw) < 500_000
    header = gzip.decompress(raw).decode("utf-8").splitlines()[0]
    assert header == "ags,name,lat,lon,settlement,density"
    readme = files.joinpath("README.md").read_text(encoding="utf-8")
    for needle in ("CC BY 4.0", "dl-de/by-2-0", "Statistisches Bundesamt (Destatis)", "ODbL"):
        assert needle in readme


def test_outlying_codes_of_rail_towns_score_as_villages() -> None:
    grimma, mutzschen = lookup_postal_code("04668"), lookup_postal_code("04688")
    assert grimma is not None and mutzschen is not None
    assert mutzschen.municipality == grimma.municipality == "Grimma"
    assert mutzschen.transit < grimma.transit
