"""The partner guide's worked examples (keys, feed, idempotency, references, bulk import) run as
written, against the app; the webhook example has its own test (tests/webhooks)."""

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


@pytest.mark.parametrize("name", ["key", "feed", "idempotency", "references", "bulk"])
def test_the_guides_example_runs(client, name):
    scope = {"http": client, "employer_id": make_employer(client)["id"]}
    exec(compile(example(name), str(GUIDE), "exec"), scope)  # its asserts are the test
