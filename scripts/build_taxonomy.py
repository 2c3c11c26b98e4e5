"""Build the compact taxonomy files shipped in ``kai_match/data/taxonomy/files/``.

Reads local copies of the reference data in the folder given by ``--data`` and writes
gzip-compressed CSVs. Re-runnable; not needed at run time. The folder holds ``esco_de/`` and
``esco_en/`` (the ESCO v1.2 CSV downloads in German and English, European Commission) and
``kldb2010/`` (KldB 2010 of the Bundesagentur für Arbeit with AuxCO links, as published by the
R package occupationMeasurement)::

    .venv/bin/python scripts/build_taxonomy.py --data DIR

It also validates the hand-written ``skills_curated.csv`` and ``occupations_curated.csv``: every
URI must exist in ESCO, every ``related`` entry must name a curated label.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import re
import sys
from collections import defaultdict
from pathlib import Path

from rapidfuzz import fuzz, utils

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "kai_match" / "data" / "taxonomy" / "files"

COLLECTIONS = (
    "digCompSkillsCollection_de.csv",
    "digitalSkillsCollection_de.csv",
    "greenSkillsCollection_de.csv",
    "languageSkillsCollection_de.csv",
    "researchSkillsCollection_de.csv",
    "transversalSkillsCollection_de.csv",
)

# --- English labels -------------------------------------------------------------------------
# skills_en.csv runs preferred label, alternative labels and description together in one text
# field. These heuristics recover the label part (for search) and a best guess of the preferred
# label (for display); curated skills carry a hand-checked English label instead.
_STARTERS = frozenset(
    [
        "The",
        "A",
        "An",
        "Use",
        "Ability",
        "Techniques",
        "Perform",
        "Knowledge",
        "Understand",
        "Apply",
        "Identify",
        "Ensure",
        "Provide",
        "Manage",
        "Maintain",
        "Operate",
        "Carry",
        "Make",
        "Be",
        "Take",
        "Keep",
        "Work",
        "Prepare",
        "Set",
        "Monitor",
        "Develop",
        "Check",
        "Assist",
        "Help",
        "Create",
        "Handle",
        "Give",
        "Follow",
        "Inspect",
        "Communicate",
        "Conduct",
        "Tend",
        "Plan",
        "Organise",
        "Organize",
        "This",
        "These",
        "It",
        "In",
        "Field",
        "Methods",
        "Types",
        "Principles",
        "Characteristics",
        "Range",
        "Process",
        "Processes",
        "Procedures",
        "Rules",
        "Legislation",
        "Regulations",
        "Laws",
        "Standards",
        "Study",
        "Theory",
        "Features",
        "Various",
        "Different",
        "Specific",
        "Tools",
        "Systems",
        "Software",
        "Products",
    ]
)
_CAPWORD = re.compile(r"^[A-Z][a-z]+$")
LABELS_EN_CHARS = 200  # the loaders index only the start of the English label text

_FUNC = {"of", "and", "in", "to", "the", "a", "an", "with", "for", "on", "at", "by", "from", "or"}


def english_label_words(text: str) -> list[str]:
    """Words of the label part: everything before the description's first sentence."""
    words = text.split()
    seen_lower: set[str] = set()
    for i, word in enumerate(words):
        if i > 0 and _CAPWORD.match(word) and (word.lower() in seen_lower or word in _STARTERS):
            return words[:i]
        if not word[:1].isupper():
            seen_lower.add(word.lower())
    return words


def english_preferred(words: list[str]) -> str:
    """Best guess of the preferred label: the first label before a variant of it starts."""
    n = len(words)
    if n <= 1:
        return " ".join(words)
    low = [w.lower() for w in words]
    scored: list[tuple[int, int]] = []
    for k in range(1, min(n, 9)):
        head, nxt = low[:k], low[k]
        if nxt in _FUNC or head[-1] in _FUNC:
            continue
        evidence = 0
        if any(k + j - 1 < n and low[k + j - 1] == head[-1] for j in range(1, k + 3)):
            evidence += 1
        if nxt[:5] == head[0][:5]:
            evidence += 2
        tail = " ".join(head[1:])
        if tail and tail in " ".join(low[k : 2 * k + 3]):
            evidence += 1
        scored.append((evidence, k))
    if not scored:
        return " ".join(words[: min(n, 4)])
    best = max(e for e, _ in scored)
    if best == 0:
        return " ".join(words) if n <= 5 else " ".join(words[:3])
    k = min(k for e, k in scored if e == best)
    return " ".join(words[:k])


# --- helpers --------------------------------------------------------------------------------
def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [{k: (v or "") for k, v in row.items()} for row in csv.DictReader(fh)]


def write_gz(name: str, header: list[str], rows: list[list[str]]) -> None:
    path = OUT / name
    rows = sorted(rows)
    # mtime=0 keeps the gzip bytes reproducible between runs
    with (
        open(path, "wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz,
    ):
        text = _csv_text(header, rows)
        gz.write(text.encode("utf-8"))
    print(f"  {name}: {len(rows)} rows, {path.stat().st_size / 1024:.0f} KiB")


def _csv_text(header: list[str], rows: list[list[str]]) -> str:
    import io

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


def split_lines(value: str) -> list[str]:
    return [x.strip() for x in value.replace("\r", "").split("\n") if x.strip()]


# --- builders -------------------------------------------------------------------------------
def build_skills(data: Path) -> set[str]:
    en_rows = read_csv(data / "esco_en" / "skills_en.csv")
    german: dict[str, tuple[str, list[str], list[str]]] = {}
    for name in COLLECTIONS:
        for row in read_csv(data / "esco_de" / name):
            broader = [b.strip() for b in row.get("broaderConceptUri", "").split("|") if b.strip()]
            german[row["conceptUri"]] = (
                row["preferredLabel"].strip(),
                split_lines(row.get("altLabels", "")),
                broader,
            )
    groups = {r["conceptUri"]: r for r in read_csv(data / "esco_de" / "skillGroups_de.csv")}

    def group_of(uri: str, depth: int = 0) -> str:
        if uri not in german or depth > 4:
            return ""
        for b in german[uri][2]:
            if b in groups:
                return b
        for b in german[uri][2]:
            found = group_of(b, depth + 1)
            if found:
                return found
        return ""

    rows = []
    for row in en_rows:
        uri = row["id"]
        words = english_label_words(row["description"])
        label_de, alt_de, _ = german.get(uri, ("", [], []))
        rows.append(
            [
                uri,
                english_preferred(words),
                " ".join(words)[:LABELS_EN_CHARS],
                label_de,
                "|".join(a for a in alt_de if "|" not in a),
                group_of(uri),
            ]
        )
    write_gz(
        "esco_skills.csv.gz", ["uri", "label_en", "labels_en", "label_de", "alt_de", "group"], rows
    )

    levels: dict[str, int] = {}
    for r in read_csv(data / "esco_de" / "skillsHierarchy_de.csv"):
        for level in range(4):
            uri = r.get(f"Level {level} URI", "")
            if uri:
                levels[uri] = max(levels.get(uri, 0), level)
    write_gz(
        "esco_skill_groups.csv.gz",
        ["uri", "code", "label_de", "level"],
        [[u, g["code"], g["preferredLabel"], str(levels.get(u, ""))] for u, g in groups.items()],
    )

    known = {r["id"] for r in en_rows}
    rel_rows = {
        (r["originalSkillUri"], r["relatedSkillUri"], r["relationType"])
        for r in read_csv(data / "esco_de" / "skillSkillRelations_de.csv")
        if r["originalSkillUri"] in known and r["relatedSkillUri"] in known
    }
    write_gz(
        "esco_skill_relations.csv.gz", ["skill", "related", "relation"], [list(r) for r in rel_rows]
    )
    return known


def build_occupations(data: Path) -> set[str]:
    kldb_rows = read_csv(data / "kldb2010" / "kldb2010_5steller_de.csv")
    links = read_csv(data / "kldb2010" / "kldb2010_isco08_via_auxco.csv")
    auxco: dict[str, list[str]] = defaultdict(list)
    for r in read_csv(data / "kldb2010" / "auxco_mapping_from_kldb.csv"):
        title = r["auxco_title"].strip()
        if title and title not in auxco[r["kldb_id"]]:
            auxco[r["kldb_id"]].append(title)

    by_kldb: dict[str, list[dict[str, str]]] = defaultdict(list)
    by_isco: dict[str, list[dict[str, str]]] = defaultdict(list)
    for r in links:
        by_kldb[r["kldb2010_5"]].append(r)
        by_isco[r["isco08_4"]].append(r)

    def link_rank(r: dict[str, str]) -> tuple[int, int, str]:
        return (-int(r["is_auxco_default_pair"] or 0), -int(r["n_auxco_categories"] or 0), "")

    titles = {r["kldb2010_5"]: r for r in kldb_rows}
    kldb_out = []
    for r in kldb_rows:
        code = r["kldb2010_5"]
        pairs = sorted(by_kldb.get(code, []), key=lambda x: (*link_rank(x)[:2], x["isco08_4"]))
        isco = pairs[0]["isco08_4"] if pairs else ""
        kldb_out.append(
            [code, r["titel_de"], r["titel_kurz_de"], isco, "|".join(sorted(auxco.get(code, [])))]
        )
    write_gz(
        "kldb_occupations.csv.gz",
        ["code", "title", "title_short", "isco", "auxco_titles"],
        kldb_out,
    )

    def best_kldb(isco: str, names: list[str]) -> str:
        cands = by_isco.get(isco, [])
        if not cands:
            return ""
        joined = " ".join(names)

        def score(r: dict[str, str]) -> tuple[float, int, int, str]:
            t = titles.get(r["kldb2010_5"])
            texts = [t["titel_de"], t["titel_kurz_de"]] if t else []
            texts += auxco.get(r["kldb2010_5"], [])
            sim = max(
                (fuzz.token_set_ratio(joined, x, processor=utils.default_process) for x in texts),
                default=0.0,
            )
            return (
                -sim,
                -int(r["is_auxco_default_pair"] or 0),
                -int(r["n_auxco_categories"] or 0),
                r["kldb2010_5"],
            )

        return min(cands, key=score)["kldb2010_5"]

    occ_out = []
    for r in read_csv(data / "esco_de" / "occupations_de.csv"):
        pref = r["preferredLabel"].strip()
        alts = split_lines(r["altLabels"])
        hidden = split_lines(r["hiddenLabels"])
        isco = r["iscoGroup"].strip()
        occ_out.append(
            [
                r["conceptUri"],
                r["code"],
                isco,
                pref,
                "|".join(alts),
                "|".join(hidden),
                best_kldb(isco, [pref, *alts[:3]]),
            ]
        )
    write_gz(
        "esco_occupations.csv.gz",
        ["uri", "code", "isco", "label_de", "alt_de", "hidden_de", "kldb"],
        occ_out,
    )

    isco_out = [
        [r["code"], r["preferredLabel"].strip()]
        for r in read_csv(data / "esco_de" / "ISCOGroups_de.csv")
        if r["code"].isdigit()
    ]
    write_gz("isco_groups.csv.gz", ["code", "label_de"], isco_out)
    return {r[0] for r in occ_out}


def validate_curated(skills: set[str], occupations: set[str]) -> int:
    errors = 0
    rows = read_csv(OUT / "skills_curated.csv")
    labels = {r["label_de"] for r in rows}
    uris: set[str] = set()
    for r in rows:
        if r["esco_uri"] not in skills:
            print(f"  unknown skill URI: {r['label_de']} {r['esco_uri']}")
            errors += 1
        if r["esco_uri"] in uris:
            print(f"  duplicate skill URI: {r['label_de']}")
            errors += 1
        uris.add(r["esco_uri"])
        for rel in filter(None, r["related"].split("|")):
            if rel not in labels:
                print(f"  {r['label_de']}: related '{rel}' is no curated label")
                errors += 1
    for r in read_csv(OUT / "occupations_curated.csv"):
        if r["target"].startswith("http") and r["target"] not in occupations:
            print(f"  unknown occupation URI: {r['alias']} {r['target']}")
            errors += 1
    print(f"  curated skills: {len(rows)} entries, {len(labels)} labels")
    return errors


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data", type=Path, required=True, help="folder with the source files (see the docstring)"
    )
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    print(f"reading {args.data}, writing {OUT}")
    skills = build_skills(args.data)
    occupations = build_occupations(args.data)
    errors = validate_curated(skills, occupations)
    total = sum(p.stat().st_size for p in OUT.iterdir() if p.is_file())
    print(f"total shipped: {total / 1024:.0f} KiB, {errors} validation error(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
