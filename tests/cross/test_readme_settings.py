"""Every setting is in the README's configuration table (issue 21: four were missing)."""

from __future__ import annotations

from pathlib import Path

from kai_match.config import Settings

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()


def test_every_setting_is_documented_in_the_readme():
    missing = [f"KAI_{name.upper()}" for name in Settings.model_fields]
    missing = [name for name in missing if f"`{name}`" not in README]
    assert not missing, f"settings missing from README.md: {missing}"
