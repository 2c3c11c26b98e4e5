"""Build the postal-code table shipped in ``kai_match/data/geo/files/``.

Reads local copies of the public sources in the folder given by ``--data``: ``plz_geonames/``
(GeoNames postal codes for Germany, via zauberware/postal-codes-json-xml-csv),
``gemeinden_destatis/`` (Destatis Gemeindeverzeichnis GV-ISys municipalities) and
``plz_ort_osm/`` (the OpenStreetMap PLZ↔municipality assignment from suche-postleitzahl.org).
It writes two compact gzip CSVs: one row per regular German postal code, placed at its main
place, and one row per municipality those codes span (their centres, for records that name their
municipality). Run it again when the sources are refreshed::

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
MUNICIPALITIES_NAME = "municipalities.csv.gz"
COLUMNS = (
    "plz",
    "lat",
    "lon",
    "ags",
    "municipality",
    "district",
    "settlement",
    "density",
    "spans",
)
MUNICIPALITY_COLUMNS = ("ags", "name", "lat", "lon", "settlement", "density")
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


def main_place(
    plz: str, ags: str | None, mean: tuple[float, float], muni: pd.DataFrame
) -> tuple[float, float]:
    """Where a postal code's people and workplaces are put: its main place.

    The mean of a code's GeoNames places lands between villages when the code spans several
    municipalities (04808: Wurzen, Lossatal, Thallwitz → 5 km east of Wurzen). When the code holds
    the administrative seat of the municipality it is filed under, the Destatis centre of that
    municipality is used instead (it lies in the town itself); codes without the seat (the
    districts of a city, an outlying Ortsteil such as 04685 Nerchau) keep the mean of their places.
    """
    if ags is not None and muni.at[ags, "plz_verwaltungssitz"] == plz:
        lat, lon = muni.at[ags, "lat_f"], muni.at[ags, "lon_f"]
        if not (math.isnan(lat) or math.isnan(lon)):
            return round(float(lat), 4), round(float(lon), 4)
    return mean


def spanned(ags: str | None, candidates: set[str], muni: pd.DataFrame) -> list[str]:
    """The municipalities a code spans: the one it is filed under first, then the OSM ones."""
    others = sorted(a for a in candidates if a in muni.index and a != ags)
    return ([ags] if ags else []) + others


def build_rows(data: Path) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """Postal-code rows and the rows of the municipalities they span."""
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
    used: set[str] = set()
    for plz, grp in postal.groupby("zipcode", sort=True):
        mean_lat = round(float(grp["latitude"].mean()), 4)
        mean_lon = round(float(grp["longitude"].mean()), 4)
        places = list(dict.fromkeys(grp["place"]))
        kreis = Counter(grp["community_code"]).most_common(1)[0][0]
        candidates = osm.get(plz, set())
        ags = choose_ags(plz, places, kreis, mean_lat, mean_lon, candidates, muni, by_kreis)
        lat, lon = main_place(plz, ags, (mean_lat, mean_lon), muni)
        spans = spanned(ags, candidates, muni)
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
        used.update(spans)
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
                "spans": " ".join(spans),
            }
        )
    return rows, [municipality_row(muni.loc[a]) for a in sorted(used)]


def municipality_row(m: pd.Series) -> dict[str, str]:
    return {
        "ags": m["ags"],
        "name": clean_municipality_name(m["name"]),
        "lat": f"{m['lat_f']:.4f}" if not math.isnan(m["lat_f"]) else "",
        "lon": f"{m['lon_f']:.4f}" if not math.isnan(m["lon_f"]) else "",
        "settlement": SETTLEMENT_CODES.get(m["verstaedterung"], ""),
        "density": str(round(m["pop"] / m["area"])) if m["area"] > 0 else "",
    }


def write_rows(
    rows: list[dict[str, str]],
    out_dir: Path,
    name: str = OUT_NAME,
    columns: tuple[str, ...] = COLUMNS,
) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path = out_dir / name
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
    rows, municipalities = build_rows(args.data)
    path = write_rows(rows, args.out)
    no_ags = sum(1 for r in rows if not r["ags"])
    print(f"{path}: {len(rows)} postal codes, {no_ags} without AGS, {path.stat().st_size} bytes")
    path = write_rows(municipalities, args.out, MUNICIPALITIES_NAME, MUNICIPALITY_COLUMNS)
    print(f"{path}: {len(municipalities)} municipalities, {path.stat().st_size} bytes")


if __name__ == "__main__":
    main()
