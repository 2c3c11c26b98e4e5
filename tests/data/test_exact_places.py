"""The place of a postal code is its main place; records may name a municipality of the code."""

from __future__ import annotations

import pytest

from kai_match.data.geo import (
    haversine_km,
    lookup_municipality,
    lookup_postal_code,
    municipality_in_postal_code,
    postal_code_municipalities,
)


def _place(code: str):
    place = lookup_postal_code(code)
    assert place is not None
    return place


def test_a_code_across_three_municipalities_sits_in_its_main_town() -> None:
    wurzen, bennewitz = _place("04808"), _place("04828")
    centre = lookup_municipality("14729410")
    assert centre is not None and centre.name == "Wurzen"
    assert (wurzen.lat, wurzen.lon) == (centre.lat, centre.lon) == (51.37, 12.7352)
    assert [m.name for m in postal_code_municipalities("04808")] == [
        "Wurzen",
        "Lossatal",
        "Thallwitz",
    ]
    # The old centroid (mean of the GeoNames places of 04808) was 7.0 km from Bennewitz.
    assert round(float(haversine_km(51.3921, 12.7978, bennewitz.lat, bennewitz.lon)), 1) == 7.0
    assert (
        round(float(haversine_km(wurzen.lat, wurzen.lon, bennewitz.lat, bennewitz.lon)), 1) == 2.0
    )


def test_a_code_without_the_seat_keeps_the_mean_of_its_places() -> None:
    """04685 (Nerchau) is filed under Grimma but lies 6 km from Grimma's centre."""
    nerchau, grimma = _place("04685"), _place("04668")
    assert nerchau.municipality == grimma.municipality == "Grimma"
    assert round(float(haversine_km(nerchau.lat, nerchau.lon, grimma.lat, grimma.lon)), 1) == 5.8


@pytest.mark.parametrize(
    ("key", "ags"),
    [
        ("Lossatal", "14729245"),
        ("  lossatal ", "14729245"),
        ("14729380", "14729380"),
        ("Wurzen", "14729410"),
        ("Bennewitz", None),  # a neighbour, not in 04808
        ("14729030", None),
        ("Neustadt", None),
        ("1472941", None),
    ],
)
def test_a_named_municipality_must_be_one_of_the_code(key: str, ags: str | None) -> None:
    found = municipality_in_postal_code("04808", key)
    assert (found.ags if found else None) == ags


def test_unknown_keys_and_codes_are_none() -> None:
    assert lookup_municipality("99999999") is None
    assert lookup_municipality("abc") is None
    assert postal_code_municipalities("00000") == ()
    assert municipality_in_postal_code("00000", "Wurzen") is None


def test_a_municipality_has_its_own_transit_quality() -> None:
    """Lossatal has one halt on the Dresden line; Wurzen has S-Bahn and RE."""
    lossatal, wurzen = lookup_municipality("14729245"), lookup_municipality("14729410")
    assert lossatal is not None and wurzen is not None
    assert (lossatal.transit, wurzen.transit) == (0.5, 0.8)
