"""The architecture as a test: who may import whom, and no import circle anywhere.

- ``scoring`` is pure: it imports nothing of kai_match but itself.
- ``models``, ``data`` and ``analytics`` import no domain, no kit and no HTTP kernel.
- ``kit`` (shared building blocks) and ``api`` (the HTTP kernel) import no domain.
- Domains import each other in one order (``DOMAINS``, lowest first), never a later one, and
  never another domain's routers: those are assembled by ``main`` alone.
- ``main`` and ``cli`` are composition roots and may import everything.

Walks every module under src/kai_match with `ast`, so it keeps holding as code arrives.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"
PACKAGE = SRC / "kai_match"

# Lowest first: a domain may import the domains before it.
DOMAINS = [
    "reference",
    "external_refs",
    "audit",
    "access",
    "webhooks",
    "employers",
    "participants",
    "privacy",
    "vacancies",
    "imports",
    "matching",
    "placements",
    "contacts",
    "feed",
    "insights",
    "console",
    "demo",
]
PURE_FOUNDATIONS = ("kai_match.models", "kai_match.data", "kai_match.analytics")
NON_DOMAIN = ("kai_match.kit", "kai_match.api")
ROOTS = ("kai_match.main", "kai_match.cli")


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
KNOWN = {module_name(p) for p in MODULES}


def within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def domain_of(name: str) -> str | None:
    parts = name.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in DOMAINS else None


def is_router(name: str) -> bool:
    return name.rpartition(".")[2].endswith("router")


def violations(name: str, imports: set[str]) -> list[str]:
    """Every import of ``name`` that breaks a rule of the module docstring."""
    own = [i for i in imports if within(i, "kai_match") and i != "kai_match"]
    if any(within(name, root) for root in ROOTS):
        return []
    if within(name, "kai_match.scoring"):
        return [i for i in own if not within(i, "kai_match.scoring")]
    if any(within(name, p) for p in PURE_FOUNDATIONS):
        return [i for i in own if domain_of(i) or any(within(i, p) for p in NON_DOMAIN)]
    if any(within(name, p) for p in NON_DOMAIN):
        return [i for i in own if domain_of(i) or any(within(i, r) for r in ROOTS)]
    domain = domain_of(name)
    if domain is None:
        return [i for i in own if domain_of(i) or any(within(i, r) for r in ROOTS)]
    bad = []
    for i in own:
        other = domain_of(i)
        if any(within(i, r) for r in ROOTS) or (
            other
            and other != domain
            and (DOMAINS.index(other) > DOMAINS.index(domain) or is_router(i))
        ):
            bad.append(i)
    return bad


def test_the_walk_finds_every_domain() -> None:
    assert {domain_of(module_name(p)) for p in MODULES} >= set(DOMAINS)
    assert not (PACKAGE / "services").exists(), "services/ was split into the domain packages"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: module_name(p))
def test_import_direction(path: Path) -> None:
    name = module_name(path)
    bad = violations(name, imported_modules(path))
    assert not bad, f"{name} must not import {sorted(set(bad))}"


def import_graph() -> dict[str, set[str]]:
    """Module → the kai_match modules it imports (a name imported from a package is the package
    unless it is a module of its own)."""
    graph: dict[str, set[str]] = {}
    for path in MODULES:
        name = module_name(path)
        targets = {i for i in imported_modules(path) if i in KNOWN and i != name}
        # "from kai_match.x import y" records both x and x.y; where x.y is a module, the edge
        # goes to it alone (x is then only the package it lives in).
        graph[name] = {t for t in targets if not any(o != t and within(o, t) for o in targets)}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def package_graph() -> dict[str, set[str]]:
    """The same graph between top-level packages of kai_match (domains, kit, api, …)."""
    top: dict[str, set[str]] = {}
    for source, targets in import_graph().items():
        a = ".".join(source.split(".")[:2])
        for target in targets:
            b = ".".join(target.split(".")[:2])
            if a != b and b != "kai_match":
                top.setdefault(a, set()).add(b)
    return top


def test_no_import_circle_between_modules() -> None:
    assert cycles(import_graph()) == []


def test_no_import_circle_between_packages() -> None:
    assert cycles(package_graph()) == []


def test_resolver_understands_relative_imports() -> None:
    assert "kai_match.scoring.weights" in imported_modules(PACKAGE / "scoring" / "__init__.py")


def test_checker_catches_a_forbidden_import(tmp_path: Path, monkeypatch) -> None:
    fake = tmp_path / "kai_match" / "scoring" / "leak.py"
    fake.parent.mkdir(parents=True)
    fake.write_text("from kai_match import db\nfrom ..participants import service\n")
    monkeypatch.setattr(__import__(__name__, fromlist=["SRC"]), "SRC", tmp_path)
    found = imported_modules(fake)
    assert {"kai_match.db", "kai_match.participants.service"} <= found
    assert violations("kai_match.scoring.leak", found)


@pytest.mark.parametrize(
    ("importer", "imported", "allowed"),
    [
        ("kai_match.placements.service", "kai_match.matching.service", True),
        ("kai_match.matching.service", "kai_match.placements.service", False),  # later domain
        ("kai_match.insights.reports", "kai_match.participants.router", False),  # a router
        ("kai_match.api.deps", "kai_match.participants.service", False),  # kernel → domain
        ("kai_match.kit.changes", "kai_match.vacancies.service", False),
        ("kai_match.models.vacancy", "kai_match.kit.changes", False),
        ("kai_match.main", "kai_match.participants.router", True),
    ],
)
def test_rules_on_crafted_imports(importer: str, imported: str, allowed: bool) -> None:
    assert (violations(importer, {imported}) == []) is allowed


def test_cycle_finder_finds_a_circle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]
