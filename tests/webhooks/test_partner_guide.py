"""The guide's webhook example runs as written and agrees with the service's signatures."""

from __future__ import annotations

import re
from pathlib import Path

from kai_match.webhooks import signatures

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "partners.md"


def guide_example() -> str:
    text = GUIDE.read_text(encoding="utf-8")
    match = re.search(r"<!-- webhook-verify -->\n```python\n(.*?)```", text, re.S)
    assert match, "the Webhooks section of docs/partners.md lost its example"
    return match.group(1)


def test_the_guides_verification_example_runs():
    scope: dict = {}
    exec(compile(guide_example(), str(GUIDE), "exec"), scope)  # its asserts are the test
    assert scope["verify"](scope["secret"], scope["header"], scope["body"], now=1764667800)


def test_the_guides_header_is_what_the_service_sends_and_verifies():
    scope: dict = {}
    exec(compile(guide_example(), str(GUIDE), "exec"), scope)
    secret, body, header = scope["secret"], scope["body"], scope["header"]
    assert signatures.signature_header(secret, body, 1764667800) == header
    assert signatures.verify(secret, header, body, now=1764667800 + 60)
    fresh = signatures.signature_header(secret, body, 1764667900)
    assert scope["verify"](secret, fresh, body, now=1764667900)
