"""The package's public surface is pinned: other code is written against these names."""

from __future__ import annotations

import subprocess
import sys

import kai_match.data.taxonomy as tx

PUBLIC = {
    "Candidate",
    "OccupationInfo",
    "FIELDS",
    "normalize_skill",
    "normalize_occupation",
    "resolve_skill",
    "resolve_occupation",
    "is_known_skill",
    "skill_label",
    "skill_group",
    "occupation_info",
    "skill_similarity",
    "related_skills",
    "import_esco",
    "taxonomy_app",
    "occupation_skills",
    "clear_caches",
}


def test_public_names_exported() -> None:
    assert set(tx.__all__) >= PUBLIC
    for name in tx.__all__:
        assert hasattr(tx, name), name


def test_import_does_no_heavy_work() -> None:
    code = (
        "import sys, kai_match.data.taxonomy as tx\n"
        "from kai_match.data.taxonomy import skills, store\n"
        "assert skills.skill_index.cache_info().currsize == 0\n"
        "assert store.skills.cache_info().currsize == 0\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_typer_app_has_import_command() -> None:
    names = {c.name for c in tx.taxonomy_app.registered_commands}
    assert "import-esco" in names
