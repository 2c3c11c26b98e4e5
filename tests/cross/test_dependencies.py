"""Run-time dependencies are what the service imports (issue 21, item 2).

A package in ``[project] dependencies`` that no module of ``src/kai_match`` imports is weight in
every install and image (pandas was 84 MB for one build script); build and analysis tools
belong in extras. Packages used without an import statement are named here with the reason.
"""

from __future__ import annotations

import ast
import re
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Distributions the code needs without importing them by name.
USED_INDIRECTLY = {
    "email-validator": "pydantic's EmailStr validates with it",
    "python-multipart": "FastAPI parses the console's form posts with it",
    "jinja2": "the console's pages are rendered through fastapi.templating",
    "fastapi-offline": "/docs and /redoc serve its files (importlib.resources, api.docs_access)",
}


def _declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return {
        _normal(re.split(r"[\[<>=!~ ;]", spec, maxsplit=1)[0]) for spec in project["dependencies"]
    }


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _imported_distributions() -> set[str]:
    top_levels: set[str] = set()
    for path in (ROOT / "src" / "kai_match").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                top_levels |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                top_levels.add(node.module.split(".")[0])
    owners = packages_distributions()
    return {_normal(dist) for name in top_levels for dist in owners.get(name, [])}


def test_every_runtime_dependency_is_imported_by_the_service():
    unused = _declared() - _imported_distributions() - set(USED_INDIRECTLY)
    assert not unused, f"declared but never imported by src/kai_match: {sorted(unused)}"


def test_pandas_is_not_a_runtime_dependency():
    assert "pandas" not in _declared()


def _pinned(lock: str) -> set[str]:
    text = (ROOT / lock).read_text()
    return {_normal(m) for m in re.findall(r"^([A-Za-z0-9_.-]+)==", text, re.M)}


def _names(specs: list[str]) -> set[str]:
    return {_normal(re.split(r"[\[<>=!~ ;]", spec, maxsplit=1)[0]) for spec in specs}


def test_the_lock_files_pin_every_declared_dependency_with_hashes():
    """``scripts/lock`` was run after the last change of pyproject.toml."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    runtime = _declared() | _names(extras["postgres"])
    assert runtime <= _pinned("requirements.lock"), runtime - _pinned("requirements.lock")
    dev = _names([s for name in ("dev", "analytics", "build") for s in extras[name]])
    dev.discard("kai-match")
    missing = (runtime | dev) - _pinned("requirements-dev.lock")
    assert not missing, missing
    for lock in ("requirements.lock", "requirements-dev.lock"):
        text = (ROOT / lock).read_text()
        pins = re.findall(r"^[A-Za-z0-9_.-]+==\S+", text, re.M)
        hashed = re.findall(r"^[A-Za-z0-9_.-]+==\S+ \\\n\s+--hash=sha256:[0-9a-f]{64}", text, re.M)
        assert pins and len(hashed) == len(pins), lock
