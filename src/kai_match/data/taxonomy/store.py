"""Reading the shipped taxonomy files and the optional imported extension set.

Everything here is read lazily through cached getters: importing the package costs nothing, and
``clear_caches()`` (in ``__init__``) forgets it all, e.g. after an import or in tests. The
extension directory (``KAI_TAXONOMY_DIR``, default ``./taxonomy``) holds what ``import_esco``
wrote; the loaders merge it over the built-in data.
"""

from __future__ import annotations

import csv
import gzip
import io
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from .text import split_list

FILES = Path(__file__).resolve().parent / "files"
ENV_DIR = "KAI_TAXONOMY_DIR"


def extension_dir() -> Path:
    """Where imported ESCO data lives: ``$KAI_TAXONOMY_DIR`` or ``./taxonomy``."""
    return Path(os.environ.get(ENV_DIR) or "taxonomy")


def read_rows(path: Path) -> Iterator[dict[str, str]]:
    """Rows of a CSV or gzip CSV file as dicts (empty cells as '')."""
    raw = path.read_bytes()
    if path.suffix == ".gz":
        raw = gzip.decompress(raw)
    for row in csv.DictReader(io.StringIO(raw.decode("utf-8"), newline="")):
        yield {k: (v or "") for k, v in row.items()}


@dataclass(slots=True)
class SkillRecord:
    """Everything known about one ESCO skill, merged from all sources."""

    uri: str
    label_en: str = ""
    labels_en: str = ""
    label_de: str = ""
    alt_de: list[str] = field(default_factory=list)
    esco_group: str = ""
    curated_label: str = ""
    curated_synonyms: list[str] = field(default_factory=list)
    curated_group: str = ""
    curated_related: list[str] = field(default_factory=list)
    imported: dict[str, tuple[str, list[str]]] = field(default_factory=dict)


@dataclass(slots=True)
class OccupationRecord:
    """An ESCO occupation (built-in or imported)."""

    uri: str
    code: str
    isco: str
    label_de: str
    alt_de: list[str]
    hidden_de: list[str]
    kldb: str


@dataclass(slots=True)
class KldbRecord:
    """A 5-digit KldB 2010 Berufsgattung with its approximate ISCO-08 link."""

    code: str
    title: str
    title_short: str
    isco: str
    auxco_titles: list[str]


@cache
def skills() -> dict[str, SkillRecord]:
    """All skills by URI: ESCO built-in, curated vocabulary, imported labels."""
    out: dict[str, SkillRecord] = {}
    for r in read_rows(FILES / "esco_skills.csv.gz"):
        out[r["uri"]] = SkillRecord(
            uri=r["uri"],
            label_en=r["label_en"],
            labels_en=r["labels_en"],
            label_de=r["label_de"],
            alt_de=split_list(r["alt_de"]),
            esco_group=r["group"],
        )
    for r in read_rows(FILES / "skills_curated.csv"):
        rec = out.setdefault(r["esco_uri"], SkillRecord(uri=r["esco_uri"]))
        rec.curated_label = r["label_de"]
        rec.curated_synonyms = split_list(r["synonyms"])
        rec.curated_group = r["group"]
        rec.curated_related = split_list(r["related"])
        if r["label_en"]:
            rec.label_en = r["label_en"]
    for lang, path in _extension_files("skills"):
        for r in read_rows(path):
            rec = out.setdefault(r["uri"], SkillRecord(uri=r["uri"]))
            rec.imported[lang] = (r["label"], split_list(r["alt"]))
    return out


@cache
def curated_by_label() -> dict[str, str]:
    """Curated German label -> skill URI (the ``related`` column refers to labels)."""
    return {rec.curated_label: uri for uri, rec in skills().items() if rec.curated_label}


@cache
def skill_relations() -> list[tuple[str, str, str]]:
    """ESCO skill-skill relations (skill, related, essential|optional)."""
    return [
        (r["skill"], r["related"], r["relation"]) for r in read_rows(_f("esco_skill_relations"))
    ]


@cache
def skill_group_labels() -> dict[str, str]:
    """ESCO skill group URI -> German label."""
    return {r["uri"]: r["label_de"] for r in read_rows(_f("esco_skill_groups"))}


@cache
def occupations() -> dict[str, OccupationRecord]:
    """ESCO occupations by URI; imported ones (German) override built-in labels."""
    out: dict[str, OccupationRecord] = {}
    for r in read_rows(_f("esco_occupations")):
        out[r["uri"]] = OccupationRecord(
            uri=r["uri"],
            code=r["code"],
            isco=r["isco"],
            label_de=r["label_de"],
            alt_de=split_list(r["alt_de"]),
            hidden_de=split_list(r["hidden_de"]),
            kldb=r["kldb"],
        )
    for lang, path in _extension_files("occupations"):
        for r in read_rows(path):
            old = out.get(r["uri"])
            if old is not None and lang != "de":
                continue  # built-in German labels stay the display labels
            out[r["uri"]] = OccupationRecord(
                uri=r["uri"],
                code=r["code"] or (old.code if old else ""),
                isco=r["isco"] or (old.isco if old else ""),
                label_de=r["label"],
                alt_de=split_list(r["alt"]),
                hidden_de=split_list(r["hidden"]),
                kldb=old.kldb if old else "",
            )
    return out


@cache
def kldb() -> dict[str, KldbRecord]:
    """KldB 2010 five-digit codes."""
    return {
        r["code"]: KldbRecord(
            code=r["code"],
            title=r["title"],
            title_short=r["title_short"],
            isco=r["isco"],
            auxco_titles=split_list(r["auxco_titles"]),
        )
        for r in read_rows(_f("kldb_occupations"))
    }


@cache
def isco_labels() -> dict[str, str]:
    """ISCO-08 group code (1–4 digits) -> German title."""
    return {r["code"]: r["label_de"] for r in read_rows(_f("isco_groups"))}


@cache
def occupation_aliases() -> list[tuple[str, str]]:
    """Hand-written colloquial job titles -> ESCO URI or KldB code."""
    return [(r["alias"], r["target"]) for r in read_rows(FILES / "occupations_curated.csv")]


@cache
def occupation_skill_links() -> dict[str, list[tuple[str, str]]]:
    """Imported ESCO occupation -> [(skill URI, essential|optional)], sorted."""
    out: dict[str, list[tuple[str, str]]] = {}
    path = extension_dir() / "occupation_skills.csv.gz"
    if path.exists():
        for r in read_rows(path):
            out.setdefault(r["occupation"], []).append((r["skill"], r["relation"]))
    for links in out.values():
        links.sort(key=lambda x: (x[1] != "essential", x[0]))
    return out


def _f(stem: str) -> Path:
    return FILES / f"{stem}.csv.gz"


def _extension_files(kind: str) -> list[tuple[str, Path]]:
    """Imported ``<kind>_<lang>.csv.gz`` files, German last so it wins where both exist."""
    base = extension_dir()
    if not base.is_dir():
        return []
    found = []
    for path in sorted(base.glob(f"{kind}_*.csv.gz")):
        lang = path.name[len(kind) + 1 : -len(".csv.gz")]
        found.append((lang, path))
    found.sort(key=lambda x: (x[0] == "de", x[0]))
    return found


def clear() -> None:
    """Forget everything read so far."""
    for fn in (
        skills,
        curated_by_label,
        skill_relations,
        skill_group_labels,
        occupations,
        kldb,
        isco_labels,
        occupation_aliases,
        occupation_skill_links,
    ):
        fn.cache_clear()
