"""Geography for matching: German postal codes, counselling sites and commute estimates.

Postal and municipality data ship with the package (GeoNames CC BY 4.0, Destatis dl-de/by-2-0, OSM ODbL; see
``files/README.md``) and is loaded lazily on first lookup. Nothing here touches the network except
``HttpRouter``, and only when it is configured with a routing server.
"""

from kai_match.data.geo.commute import (
    MODES,
    CommuteEstimate,
    CommuteEstimator,
    Router,
)
from kai_match.data.geo.distance import haversine_km
from kai_match.data.geo.places import (
    SITES,
    Municipality,
    PostalPlace,
    Site,
    district_postal_codes,
    is_known_postal_code,
    lookup_municipality,
    lookup_postal_code,
    municipality_in_postal_code,
    postal_code_municipalities,
)
from kai_match.data.geo.routing import HttpRouter

__all__ = [
    "MODES",
    "SITES",
    "CommuteEstimate",
    "CommuteEstimator",
    "HttpRouter",
    "Municipality",
    "PostalPlace",
    "Router",
    "Site",
    "district_postal_codes",
    "haversine_km",
    "is_known_postal_code",
    "lookup_municipality",
    "lookup_postal_code",
    "municipality_in_postal_code",
    "postal_code_municipalities",
]
