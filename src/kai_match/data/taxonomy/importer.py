"""Import the official ESCO CSV download into a compact extension set.

The shipped snapshot lacks the full German skills list and the occupation→skill relations (too
large for the package). A deployment that downloads the official "ESCO dataset – classification
– <lang> – csv" package runs ``kai-match taxonomy import-esco DIR`` once; the loaders then merge
the files written to ``$KAI_TAXONOMY_DIR`` (default ``./taxonomy``) with the built-in data.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from tqdm import tqdm

from . import store

SKILL_COLUMNS = ("conceptUri", "preferredLabel")
OCCUPATION_COLUMNS = ("conceptUri", "preferredLabel", "iscoGroup")
RELATION_COLUMNS = ("occupationUri", "relationType", "skillUri")
RELATION_TYPES = ("essential", "optional")


@dataclass(frozen=True, slots=True)
class ImportSummary:
    """What an import wrote, for the CLI and for logs."""

    lang: str
    skills: int
    occupations: int
    relations: int
    target: Path

    def to_dict(self) -> dict[str, object]:
        """JSON-friendly form."""
        d = asdict(self)
        d["target"] = str(self.target)
        return d


def import_esco(directory: Path, *, lang: str = "de", progress: bool = True) -> ImportSummary:
    """Read ``skills_<lang>.csv``, ``occupations_<lang>.csv`` and
    ``occupationSkillRelations_<lang>.csv`` from ``directory`` and write the extension set.

    Raises FileNotFoundError for a missing file and ValueError naming file and column when a
    required column is missing. Clears the taxonomy caches so the new data is used at once.
    """
    directory = Path(directory)
    lang = lang.strip().lower()
    if not lang.isalpha() or len(lang) > 3:
        raise ValueError(f"lang must be an ESCO language code like 'de', not {lang!r}")
    target = store.extension_dir()
    target.mkdir(parents=True, exist_ok=True)

    skill_rows = [
        [r["conceptUri"], r["preferredLabel"], _join(r.get("altLabels"), r.get("hiddenLabels"))]
        for r in _rows(directory / f"skills_{lang}.csv", SKILL_COLUMNS, progress, "skills")
        if r["conceptUri"] and r["preferredLabel"]
    ]
    occupation_rows = [
        [
            r["conceptUri"],
            r.get("code", ""),
            r["iscoGroup"],
            r["preferredLabel"],
            _join(r.get("altLabels")),
            _join(r.get("hiddenLabels")),
        ]
        for r in _rows(
            directory / f"occupations_{lang}.csv", OCCUPATION_COLUMNS, progress, "occupations"
        )
        if r["conceptUri"] and r["preferredLabel"]
    ]
    relation_rows = sorted(
        {
            (r["occupationUri"], r["skillUri"], r["relationType"].strip().lower())
            for r in _rows(
                directory / f"occupationSkillRelations_{lang}.csv",
                RELATION_COLUMNS,
                progress,
                "relations",
            )
            if r["occupationUri"]
            and r["skillUri"]
            and r["relationType"].strip().lower() in RELATION_TYPES
        }
    )

    _write(target / f"skills_{lang}.csv.gz", ["uri", "label", "alt"], skill_rows)
    _write(
        target / f"occupations_{lang}.csv.gz",
        ["uri", "code", "isco", "label", "alt", "hidden"],
        occupation_rows,
    )
    _write(
        target / "occupation_skills.csv.gz",
        ["occupation", "skill", "relation"],
        [list(r) for r in relation_rows],
    )
    summary = ImportSummary(lang, len(skill_rows), len(occupation_rows), len(relation_rows), target)
    manifest = {**summary.to_dict(), "source": str(directory.resolve())}
    manifest["imported_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    (target / f"manifest_{lang}.json").write_text(json.dumps(manifest, indent=2), "utf-8")

    from . import clear_caches  # the package clears every layer

    clear_caches()
    return summary


def _rows(
    path: Path, required: Iterable[str], progress: bool, what: str
) -> Iterator[dict[str, str]]:
    """Rows of an official ESCO CSV, checking the header first."""
    if not path.is_file():
        raise FileNotFoundError(f"{path}: file not found (expected the official ESCO CSV)")
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        header = reader.fieldnames or []
        for column in required:
            if column not in header:
                raise ValueError(f"{path.name}: required column '{column}' is missing")
        rows: Iterable[dict[str, str | None]] = reader
        if progress:
            rows = tqdm(reader, desc=f"ESCO {what}", unit=" rows")
        for row in rows:
            yield {k: (v or "").strip() for k, v in row.items() if k is not None}


def _join(*cells: str | None) -> str:
    """ESCO lists are newline-separated inside one quoted cell; ours are '|'-joined."""
    seen: list[str] = []
    for cell in cells:
        for item in (cell or "").replace("\r", "").split("\n"):
            item = item.strip().replace("|", "/")
            if item and item not in seen:
                seen.append(item)
    return "|".join(seen)


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    tmp = path.with_suffix(".tmp")
    with open(tmp, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
        gz.write(buf.getvalue().encode("utf-8"))
    tmp.replace(path)
