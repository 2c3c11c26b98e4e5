"""import_esco: official ESCO CSV format in, extension set out, merged by the loaders."""

from __future__ import annotations

import csv
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

import kai_match.data.taxonomy as tx

FIXTURE = Path(__file__).parent / "fixtures" / "esco_mini"
SKILL = "http://data.europa.eu/esco/skill/"
NEW_SKILL = SKILL + "ffffffff-0000-4000-8000-000000000001"
INSPECTIONS = SKILL + "3c84f7d9-7a3e-4343-814f-31de0aa61651"
FORKLIFT = SKILL + "28cb374e-6261-4133-8371-f9a5470145da"
PICKING = SKILL + "ee5e2297-39cc-4ed6-89e5-d58016118a7f"
OCC = "http://data.europa.eu/esco/occupation/"
NEW_OCC = OCC + "ffffffff-0000-4000-8000-000000000002"
WAREHOUSE_WORKER = OCC + "bea705fe-06ac-4147-b8e0-6e8ac1208d8f"


@pytest.fixture
def ext_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    target = tmp_path / "taxonomy"
    monkeypatch.setenv("KAI_TAXONOMY_DIR", str(target))
    tx.clear_caches()
    yield target
    tx.clear_caches()


def test_round_trip(ext_dir: Path) -> None:
    assert not tx.is_known_skill(NEW_SKILL)
    summary = tx.import_esco(FIXTURE, lang="de", progress=False)
    assert (summary.skills, summary.occupations, summary.relations) == (3, 2, 3)
    assert summary.target == ext_dir
    assert (ext_dir / "skills_de.csv.gz").exists()
    assert (ext_dir / "manifest_de.json").exists()

    # new skill: known, German label, searchable (also by a multi-line altLabel)
    assert tx.is_known_skill(NEW_SKILL)
    assert tx.skill_label(NEW_SKILL) == "Quarkkeulchen backen"
    assert tx.normalize_skill("Quarkkeulchen backen", limit=1)[0].id == NEW_SKILL
    assert tx.normalize_skill("sächsische Quarkkeulchen braten", limit=1)[0].id == NEW_SKILL
    # an English-only built-in skill now has a German label
    assert tx.skill_label(INSPECTIONS) == "Gabelstaplerinspektionen durchführen"
    assert tx.resolve_skill("Gabelstaplerinspektionen durchführen").id == INSPECTIONS
    # curated labels stay the display labels and keep winning
    assert tx.skill_label(FORKLIFT) == "Gabelstapler fahren"
    assert tx.normalize_skill("Staplerschein", limit=1)[0].id == FORKLIFT

    # occupations and relations
    assert tx.occupation_info(NEW_OCC).label == "Quarkkeulchenbäcker/Quarkkeulchenbäckerin"
    assert tx.occupation_info(NEW_OCC).field == "gastronomy"
    assert tx.normalize_occupation("Keulchenbäckerin", limit=1)[0].id == NEW_OCC
    assert tx.occupation_skills(WAREHOUSE_WORKER) == [
        (PICKING, "essential"),
        (FORKLIFT, "optional"),
    ]
    assert tx.occupation_skills(NEW_OCC) == [(NEW_SKILL, "essential")]  # 'unknown' row skipped


def test_reimport_is_idempotent(ext_dir: Path) -> None:
    first = tx.import_esco(FIXTURE, progress=False)
    blobs = {p.name: p.read_bytes() for p in ext_dir.glob("*.csv.gz")}
    second = tx.import_esco(FIXTURE, progress=False)
    assert first == second
    assert blobs == {p.name: p.read_bytes() for p in ext_dir.glob("*.csv.gz")}


def test_missing_column_names_file_and_column(ext_dir: Path, tmp_path: Path) -> None:
    src = tmp_path / "broken"
    shutil.copytree(FIXTURE, src)
    path = src / "occupationSkillRelations_de.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    rows[0][rows[0].index("skillUri")] = "skill_uri"
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    with pytest.raises(ValueError, match=r"occupationSkillRelations_de\.csv.*'skillUri'"):
        tx.import_esco(src, progress=False)


def test_missing_file(ext_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"skills_de\.csv"):
        tx.import_esco(tmp_path / "empty", progress=False)


def test_bad_lang(ext_dir: Path) -> None:
    with pytest.raises(ValueError, match="lang"):
        tx.import_esco(FIXTURE, lang="../x")


def test_cli_import(ext_dir: Path) -> None:
    result = CliRunner().invoke(tx.taxonomy_app, ["import-esco", str(FIXTURE), "--no-progress"])
    assert result.exit_code == 0, result.output
    assert '"skills": 3' in result.output
    assert tx.is_known_skill(NEW_SKILL)


def test_cli_reports_errors(ext_dir: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(tx.taxonomy_app, ["import-esco", str(tmp_path)])
    assert result.exit_code == 2
    assert "skills_de.csv" in result.output


def test_cli_normalize(ext_dir: Path) -> None:
    result = CliRunner().invoke(tx.taxonomy_app, ["normalize", "Staplerschein", "--limit", "1"])
    assert result.exit_code == 0
    assert FORKLIFT in result.output
