"""Print the example table of ``docs/commute.md``: ``python -m kai_match.data.geo.examples``."""

from __future__ import annotations

from kai_match.data.geo.commute import CommuteEstimate, CommuteEstimator
from kai_match.data.geo.places import lookup_postal_code

TRIPS = (
    ("Wurzen", "04808", "Grimma", "04668"),
    ("Wurzen", "04808", "Frohburg", "04654"),
    ("Borna", "04552", "Leipzig centre", "04109"),
    ("Markkleeberg", "04416", "Leipzig centre", "04109"),
    ("Colditz", "04680", "Grimma", "04668"),
    ("Wurzen", "04808", "Wurzen", "04808"),
)
PROFILES = (("no car, no bike", False, False), ("bike", False, True), ("car + bike", True, True))


def _cell(est: CommuteEstimate) -> str:
    short = {"walk": "walk", "bike": "bike", "public_transport": "PT", "car": "car"}[est.mode]
    return f"{est.minutes:.0f} {short}"


def example_table() -> str:
    """Markdown table of best minutes and mode for the example trips."""
    estimator = CommuteEstimator()
    head = ["from → to", "km", "time", *(name for name, _, _ in PROFILES)]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for origin_name, origin_code, dest_name, dest_code in TRIPS:
        origin, dest = lookup_postal_code(origin_code), lookup_postal_code(dest_code)
        assert origin is not None and dest is not None
        for off_peak in (False, True):
            cells = []
            for _, car, bike in PROFILES:
                est = estimator.estimate(origin, dest, car=car, bike=bike, off_peak=off_peak)
                cells.append(_cell(est))
            km = estimator.estimate(origin, dest, car=False, bike=False, off_peak=False).distance_km
            trip = f"{origin_name} {origin_code} → {dest_name} {dest_code}"
            when = "off-peak" if off_peak else "peak"
            lines.append("| " + " | ".join([trip, f"{km:.1f}", when, *cells]) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(example_table())
