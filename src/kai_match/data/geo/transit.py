"""Public-transport quality of a place, in [0, 1]: the rule behind ``PostalPlace.transit``.

No timetable (GTFS) for the MDV area was available offline, so the score is an approximation:
an explicit list for Landkreis Leipzig, where the service is used, and a rule from Destatis'
degree of urbanisation and population density everywhere else. See ``docs/commute.md``.
"""

from __future__ import annotations

import math

LEIPZIG_CITY_AGS = "14713000"
LANDKREIS_LEIPZIG_KREIS = "14729"
LEIPZIG_CITY_POSTAL_RANGE = ("04100", "04359")
"""Leipzig city postal codes 0410x–0435x: tram, S-Bahn and bus every few minutes."""

CITY_TRANSIT = 1.0

# Municipalities of Landkreis Leipzig with a passenger rail station, by AGS. Approximation of the
# timetable around 2024/25 (S-Bahn Mitteldeutschland, RE/RB lines), to be reviewed by someone with
# local knowledge; scores are relative, not measured.
#   0.85  S-Bahn several lines + tram line 11 to Leipzig
#   0.80  S-Bahn at least every 30 min and/or S-Bahn plus RE
#   0.70  regional rail line, mostly hourly (+ extra trains in the peak)
#   0.50  station at the edge of the municipality or hourly service only; the centre by bus
DISTRICT_RAIL_TRANSIT: dict[str, float] = {
    "14729260": 0.85,  # Markkleeberg: S-Bahn (Leipzig–Hof line, City-Tunnel), tram 11
    "14729050": 0.80,  # Borna: S-Bahn/RE Leipzig–Borna–Geithain(–Chemnitz)
    "14729410": 0.80,  # Wurzen: S-Bahn Leipzig–Wurzen(–Oschatz), RE Leipzig–Dresden
    "14729040": 0.80,  # Böhlen: S-Bahn Leipzig–Altenburg–Zwickau line
    "14729320": 0.80,  # Neukieritzsch: junction of the Hof and Borna lines
    "14729060": 0.80,  # Borsdorf: junction of the Dresden and Grimma/Döbeln lines
    "14729160": 0.70,  # Grimma: RB Leipzig–Grimma–Döbeln (Grimma ob Bf, Großbothen)
    "14729300": 0.70,  # Naunhof: RB Leipzig–Grimma–Döbeln
    "14729150": 0.70,  # Geithain: S-Bahn/RE terminus from Leipzig via Borna or Bad Lausick
    "14729010": 0.70,  # Bad Lausick: Leipzig–Geithain(–Chemnitz) line
    "14729140": 0.70,  # Frohburg: Borna–Geithain line
    "14729360": 0.70,  # Regis-Breitingen: S-Bahn Leipzig–Altenburg
    "14729250": 0.70,  # Machern: Leipzig–Dresden line (Machern, Gerichshain)
    "14729270": 0.50,  # Markranstädt: Leipzig–Naumburg line, hourly S-Bahn
    "14729350": 0.50,  # Pegau: RB Leipzig–Zeitz–Gera, hourly
    "14729070": 0.50,  # Brandis: Beucha station (Grimma line) at the edge; town by bus
    "14729020": 0.50,  # Belgershain: halt on the Leipzig–Geithain line
    "14729340": 0.50,  # Parthenstein: Großsteinberg halt on the Grimma line
    "14729245": 0.50,  # Lossatal: Dornreichenbach halt on the Dresden line
}
DISTRICT_TOWN_TRANSIT = 0.4
"""Towns of the Landkreis without rail (Zwenkau, Rötha, Kitzscher, Colditz, Groitzsch, …): regional
bus lines (PlusBus/TaktBus) to the next rail hub or Leipzig, roughly hourly."""
DISTRICT_VILLAGE_TRANSIT = 0.25
"""Other municipalities of the Landkreis: village buses, hourly or worse, school-day oriented."""
DISTRICT_TOWNS = frozenset(
    {
        "14729430",  # Zwenkau
        "14729370",  # Rötha
        "14729220",  # Kitzscher
        "14729080",  # Colditz
        "14729170",  # Groitzsch
        "14729400",  # Trebsen/Mulde
        "14729190",  # Großpösna (bus lines into Leipzig)
        "14729030",  # Bennewitz (town buses of Wurzen)
    }
)

# Postal codes of the Landkreis that cover an outlying part of a municipality: the municipality's
# rail station is far away, so the code gets its own score.
DISTRICT_POSTAL_TRANSIT: dict[str, float] = {
    "04685": 0.35,  # Nerchau (Grimma): small town, buses to Grimma
    "04688": 0.25,  # Mutzschen (Grimma): villages
    "04655": 0.25,  # Kohren-Sahlis (Frohburg): villages
    "04657": 0.50,  # Narsdorf (Geithain): halt on the Geithain–Chemnitz line
    "04574": 0.60,  # Deutzen (Neukieritzsch): halt on the Neukieritzsch–Borna line
    "04579": 0.30,  # Espenhain (Rötha): buses only
    "04460": 0.25,  # Kitzen (Pegau): villages
}

# Rest of Germany: Destatis degree of urbanisation → score range, position within the range by
# population density on a log scale between DENSITY_LOW and DENSITY_HIGH inhabitants per km².
SETTLEMENT_TRANSIT_RANGE: dict[str, tuple[float, float]] = {
    "d": (0.70, 1.00),  # dicht besiedelt: cities, dense suburbs
    "m": (0.40, 0.60),  # mittlere Besiedlungsdichte: towns
    "g": (0.15, 0.35),  # gering besiedelt: rural
}
DENSITY_LOW = 30.0
DENSITY_HIGH = 3000.0
UNKNOWN_TRANSIT = 0.30
"""A place without municipality data: assume rural-town service."""


def _in_leipzig_city_range(postal_code: str) -> bool:
    low, high = LEIPZIG_CITY_POSTAL_RANGE
    return low <= postal_code <= high


def transit_score(
    *, postal_code: str, ags: str | None, settlement: str | None, density: float | None
) -> float:
    """Public-transport quality of a postal place in [0, 1] (1 = city tram/S-Bahn every few min).

    Drives the waiting time and the access walk of the public-transport estimate, so that a
    village hourly bus and a Leipzig tram are not treated alike.
    """
    if ags == LEIPZIG_CITY_AGS or _in_leipzig_city_range(postal_code):
        return CITY_TRANSIT
    if ags and ags.startswith(LANDKREIS_LEIPZIG_KREIS):
        if postal_code in DISTRICT_POSTAL_TRANSIT:
            return DISTRICT_POSTAL_TRANSIT[postal_code]
        if ags in DISTRICT_RAIL_TRANSIT:
            return DISTRICT_RAIL_TRANSIT[ags]
        return DISTRICT_TOWN_TRANSIT if ags in DISTRICT_TOWNS else DISTRICT_VILLAGE_TRANSIT
    if not settlement or settlement not in SETTLEMENT_TRANSIT_RANGE:
        return UNKNOWN_TRANSIT
    low, high = SETTLEMENT_TRANSIT_RANGE[settlement]
    if density is None or not density > 0:
        return low
    span = math.log10(DENSITY_HIGH) - math.log10(DENSITY_LOW)
    position = (math.log10(density) - math.log10(DENSITY_LOW)) / span
    return round(low + (high - low) * min(max(position, 0.0), 1.0), 3)
