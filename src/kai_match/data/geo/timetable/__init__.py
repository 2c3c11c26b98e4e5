"""Public transport from a real timetable (GTFS): import, connection scan, zone matrices, model.

``gtfs`` reads a feed, ``csa`` scans connections, ``zones`` merges stops, ``precompute`` builds
the per-band zone × zone minutes, ``artefact`` stores them, ``model`` ranks with them. See
``docs/transit.md``.
"""

from kai_match.data.geo.timetable.artefact import BAND_NAMES, UNREACHABLE, TransitMatrices
from kai_match.data.geo.timetable.gtfs import BBox, GtfsError, Timetable, read_feed
from kai_match.data.geo.timetable.model import TimetableCommute, load_commute_model
from kai_match.data.geo.timetable.precompute import BANDS, MAX_ZONES, precompute

__all__ = [
    "BANDS",
    "BAND_NAMES",
    "MAX_ZONES",
    "UNREACHABLE",
    "BBox",
    "GtfsError",
    "Timetable",
    "TimetableCommute",
    "TransitMatrices",
    "load_commute_model",
    "precompute",
    "read_feed",
]
