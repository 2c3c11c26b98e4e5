"""Dependencies point one way: api → services → {models, scoring, data}; scoring is pure.

Walks every module under src/kai_match with `ast`, so it keeps holding as code arrives.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "kai_match"

# (importing package, forbidden prefixes)
RULES = [
    ("kai_match.data", ("kai_match.api", "kai_match.services", "kai_match.models")),
    ("kai_match.models", ("kai_match.api", "kai_match.services")),
    ("kai_match.services", ("kai_match.api",)),
    ("kai_match.analytics", ("kai_match.api", "kai_match.services", "kai_match.models")),
]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(path: Path) -> set[str]:
    """Absolute names of everything a module imports (relative imports resolved)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.add(target)
            found.update(f"{target}.{alias.name}" for alias in node.names)
    return found


MODULES = sorted(PACKAGE.rglob("*.py"))


def within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def test_the_walk_finds_the_scoring_package() -> None:
    assert any(module_name(p) == "kai_match.scoring" for p in MODULES)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: module_name(p))
def test_import_direction(path: Path) -> None:
    name = module_name(path)
    imports = imported_modules(path)
    if within(name, "kai_match.scoring"):
        # `from kai_match import x` is recorded as "kai_match" and "kai_match.x".
        bad = [
            i
            for i in imports
            if within(i, "kai_match") and i != "kai_match" and not within(i, "kai_match.scoring")
        ]
        assert not bad, f"{name} imports {sorted(set(bad))}"
    for package, forbidden in RULES:
        if within(name, package):
            bad = [i for i in imports for f in forbidden if within(i, f)]
            assert not bad, f"{name} must not import {sorted(set(bad))}"


def test_resolver_understands_relative_imports() -> None:
    assert "kai_match.scoring.weights" in imported_modules(PACKAGE / "scoring" / "__init__.py")


def test_checker_catches_a_forbidden_import(tmp_path: Path, monkeypatch) -> None:
    fake = tmp_path / "kai_match" / "scoring" / "leak.py"
    fake.parent.mkdir(parents=True)
    fake.write_text("from kai_match import db\nfrom ..services import x\n")
    monkeypatch.setattr(__import__(__name__, fromlist=["SRC"]), "SRC", tmp_path)
    assert {"kai_match.db", "kai_match.services.x"} <= imported_modules(fake)
