"""The guide's worked examples for references and bulk import run as written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.builders import make_employer

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "partners.md"


def example(name: str) -> str:
    text = GUIDE.read_text(encoding="utf-8")
    match = re.search(rf"<!-- example: {name} -->\n```python\n(.*?)```", text, re.S)
    assert match, f"docs/partners.md lost its '{name}' example"
    return match.group(1)


@pytest.mark.parametrize("name", ["references", "bulk"])
def test_the_guides_example_runs(client, name):
    scope = {"http": client, "employer_id": make_employer(client)["id"]}
    exec(compile(example(name), str(GUIDE), "exec"), scope)  # its asserts are the test
