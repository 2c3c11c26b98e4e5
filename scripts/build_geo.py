"""Build the postal-code table shipped in ``kai_match/data/geo/files/``.

Reads local copies of the public sources in the folder given by ``--data``: ``plz_geonames/``
(GeoNames postal codes for Germany, via zauberware/postal-codes-json-xml-csv),
``gemeinden_destatis/`` (Destatis Gemeindeverzeichnis GV-ISys municipalities) and
``plz_ort_osm/`` (the OpenStreetMap PLZ↔municipality assignment from suche-postleitzahl.org).
It writes one compact gzip CSV with one row per regular German postal code. Run it again when
the sources are refreshed::

    .venv/bin/python scripts/build_geo.py --data DIR [--out src/.../files]

Not needed at run time: the service only reads the file this script writes.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import math
from collections import Counter, defaultdict
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "src" / "kai_match" / "data" / "geo" / "files"
OUT_NAME = "postal_codes.csv.gz"
COLUMNS = ("plz", "lat", "lon", "ags", "municipality", "district", "settlement", "density")
# Destatis "Verstädterung" (degree of urbanisation) → one-letter code in the shipped file.
SETTLEMENT_CODES = {
    "dicht besiedelt": "d",
    "mittlere Besiedlungsdichte": "m",
    "gering besiedelt": "g",
}
# Nearest-municipality fallback (PLZ missing from the OSM table): distance to the municipality's
# centre divided by its equivalent radius sqrt(area / pi), so that a large municipality such as
# Grimma (218 km²) wins over a small neighbour whose centre happens to be closer.
MAX_FALLBACK_RADII = 2.5


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance, for the build-time nearest-municipality fallback only."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(math.sqrt(a))


def clean_municipality_name(name: str) -> str:
    """'Grimma, Stadt' → 'Grimma': Destatis appends the municipality's title after a comma."""
    return name.split(",", 1)[0].strip()


def load_postal_rows(data: Path) -> pd.DataFrame:
    """GeoNames rows of regular delivery codes (company / PO-box rows dropped)."""
    df = pd.read_csv(data / "plz_geonames" / "zipcodes.de.csv", dtype=str, keep_default_na=False)
    # Large-recipient codes (companies, authorities, PO boxes) carry a numeric state_code and an
    # English state name in this dump; regular delivery codes have the two-letter state code.
    regular = df[df["state_code"].str.fullmatch(r"[A-Z]{2}")].copy()
    regular = regular[regular["zipcode"].str.fullmatch(r"\d{5}")]
    regular["latitude"] = regular["latitude"].astype(float)
    regular["longitude"] = regular["longitude"].astype(float)
    return regular


def load_municipalities(data: Path) -> pd.DataFrame:
    df = pd.read_csv(
        data / "gemeinden_destatis" / "gemeinden_de.csv", dtype=str, keep_default_na=False
    )
    df["pop"] = pd.to_numeric(df["bevoelkerung"], errors="coerce").fillna(0).astype(int)
    df["area"] = pd.to_numeric(df["flaeche_km2"], errors="coerce").fillna(0.0)
    df["lat_f"] = pd.to_numeric(df["lat"], errors="coerce")
    df["lon_f"] = pd.to_numeric(df["lon"], errors="coerce")
    return df.set_index("ags", drop=False)


def load_osm_assignment(data: Path) -> dict[str, set[str]]:
    df = pd.read_csv(
        data / "plz_ort_osm" / "zuordnung_plz_ort_landkreis.csv", dtype=str, keep_default_na=False
    )
    out: dict[str, set[str]] = defaultdict(set)
    for plz, ags in zip(df["plz"], df["ags"], strict=True):
        if len(ags) == 8:
            out[plz].add(ags)
    return out


def choose_ags(
    plz: str,
    places: list[str],
    kreis: str,
    lat: float,
    lon: float,
    candidates: set[str],
    muni: pd.DataFrame,
    by_kreis: dict[str, list[str]],
) -> str | None:
    """The one municipality a postal code is filed under.

    A code often spans several municipalities (04808: Wurzen, Lossatal, Thallwitz). Prefer the
    municipality whose administrative seat has this code, then one named like a GeoNames place of
    the code, then the most populous; without OSM candidates, the same tests within the Kreis and
    finally the nearest municipality centre (measured in municipality radii).
    """
    known = [a for a in candidates if a in muni.index]
    if known:
        seat = [a for a in known if muni.at[a, "plz_verwaltungssitz"] == plz]
        named = [a for a in known if clean_municipality_name(muni.at[a, "name"]) in places]
        pool = seat or named or known
        return max(pool, key=lambda a: (muni.at[a, "pop"], a))
    same_kreis = by_kreis.get(kreis, [])
    seat = [a for a in same_kreis if muni.at[a, "plz_verwaltungssitz"] == plz]
    if seat:
        return max(seat, key=lambda a: (muni.at[a, "pop"], a))
    named = [a for a in same_kreis if clean_municipality_name(muni.at[a, "name"]) in places]
    if named:
        return max(named, key=lambda a: (muni.at[a, "pop"], a))
    best, best_radii = None, MAX_FALLBACK_RADII
    for a in same_kreis:
        if math.isnan(muni.at[a, "lat_f"]) or muni.at[a, "area"] <= 0:
            continue
        km = _km(lat, lon, muni.at[a, "lat_f"], muni.at[a, "lon_f"])
        radii = km / math.sqrt(muni.at[a, "area"] / math.pi)
        if radii < best_radii:
            best, best_radii = a, radii
    return best


def build_rows(data: Path) -> list[dict[str, str]]:
    postal = load_postal_rows(data)
    muni = load_municipalities(data)
    osm = load_osm_assignment(data)
    by_kreis: dict[str, list[str]] = defaultdict(list)
    for ags in muni.index:
        if muni.at[ags, "pop"] > 0:
            by_kreis[ags[:5]].append(ags)
    # Kreis names as GeoNames spells them ("Landkreis Leipzig", "Kreisfreie Stadt Leipzig").
    kreis_names = (
        postal.groupby("community_code")["community"].agg(lambda s: Counter(s).most_common(1)[0][0])
    ).to_dict()

    rows = []
    for plz, grp in postal.groupby("zipcode", sort=True):
        lat = round(float(grp["latitude"].mean()), 4)
        lon = round(float(grp["longitude"].mean()), 4)
        places = list(dict.fromkeys(grp["place"]))
        kreis = Counter(grp["community_code"]).most_common(1)[0][0]
        ags = choose_ags(plz, places, kreis, lat, lon, osm.get(plz, set()), muni, by_kreis)
        if ags is None:
            municipality = Counter(grp["place"]).most_common(1)[0][0]
            district = kreis_names.get(kreis, "")
            settlement, density = "", ""
        else:
            m = muni.loc[ags]
            municipality = clean_municipality_name(m["name"])
            district = kreis_names.get(ags[:5]) or m["kreis_name"]
            settlement = SETTLEMENT_CODES.get(m["verstaedterung"], "")
            density = str(round(m["pop"] / m["area"])) if m["area"] > 0 else ""
        if not municipality:
            continue  # a code we cannot name is of no use to a counsellor
        rows.append(
            {
                "plz": plz,
                "lat": f"{lat:.4f}",
                "lon": f"{lon:.4f}",
                "ags": ags or "",
                "municipality": municipality,
                "district": district,
                "settlement": settlement,
                "density": density,
            }
        )
    return rows


def write_rows(rows: list[dict[str, str]], out_dir: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path = out_dir / OUT_NAME
    # mtime=0 keeps the file byte-identical across rebuilds of the same data.
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
        gz.write(buf.getvalue().encode("utf-8"))
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data", type=Path, required=True, help="folder with the source files (see the docstring)"
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    rows = build_rows(args.data)
    path = write_rows(rows, args.out)
    no_ags = sum(1 for r in rows if not r["ags"])
    print(f"{path}: {len(rows)} postal codes, {no_ags} without AGS, {path.stat().st_size} bytes")


if __name__ == "__main__":
    main()
