"""One transaction per request: every route commits once on success and never on failure.

Services never commit; the request's session (``api.deps``) does, after the route returned and
before the answer is sent. Commits are counted with SQLAlchemy's ``after_commit`` event on every
session, so a service that commits by itself (or a second session) shows up as a second one.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from kai_match.models import AuditEntry, Employer
from tests.builders import employer_body
from tests.cross.test_access_matrix import _request_for, _setup_for_routes, openapi_routes
from tests.world import World

WRITES = {"POST", "PATCH", "DELETE"}
# A POST that only computes (no table is read or written) has no transaction to commit.
COMPUTATIONS = {("POST", "/api/v1/taxonomy/normalize")}


@contextmanager
def counting_commits() -> Iterator[list[Session]]:
    """The sessions of each commit made inside the block, in order."""
    commits: list[Session] = []

    def count(session: Session) -> None:
        # SQLAlchemy also reports the release of a savepoint (a bulk row, an upsert's
        # comparison) as a commit; only the transaction's own commit counts here.
        if not session.in_nested_transaction():
            commits.append(session)

    event.listen(Session, "after_commit", count)
    try:
        yield commits
    finally:
        event.remove(Session, "after_commit", count)


def test_every_route_commits_once_on_success_and_never_on_failure(client, world: World):
    ids = _setup_for_routes(client, world)
    wrong = []
    checked = 0
    for method, path in openapi_routes(client):
        if not path.startswith("/api/v1"):
            continue
        kwargs = _request_for(method, path, world, ids)
        with counting_commits() as commits:
            response = client.request(method, **kwargs)
        # A read commits its audit rows, if it wrote any; a write exactly once; a failure never.
        writes = method in WRITES and (method, path) not in COMPUTATIONS
        allowed = ({1} if writes else {0, 1}) if response.status_code < 400 else {0}
        if len(commits) not in allowed:
            wrong.append((method, path, response.status_code, len(commits)))
        checked += writes
    assert not wrong, wrong
    assert checked >= 20  # every write route of the API took part


def test_a_failing_write_leaves_nothing_behind(client, world: World, engine):
    """A refused employer deletion (it still has vacancies) writes no audit row and no change."""
    with Session(engine) as session:
        audit_before = session.scalar(select(func.count()).select_from(AuditEntry))
    with counting_commits() as commits:
        response = client.delete(f"/api/v1/employers/{world.employer_a['id']}")
    assert response.status_code == 409
    assert commits == []
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(AuditEntry)) == audit_before
        assert session.get(Employer, world.employer_a["id"]) is not None


def test_the_commit_happens_before_the_answer(client, monkeypatch):
    """A commit that fails turns into a problem answer, never a 201 for data that was lost."""
    from sqlalchemy.exc import OperationalError

    def refuse(self: Session) -> None:
        raise OperationalError("COMMIT", {}, Exception("disk I/O error"))

    monkeypatch.setattr(Session, "commit", refuse)
    response = client.post(
        "/api/v1/employers",
        json=employer_body(name="Nie gespeichert GmbH"),
    )
    monkeypatch.undo()
    assert response.status_code == 503, response.text
    assert response.headers["content-type"] == "application/problem+json"
    listed = client.get("/api/v1/employers").json()["items"]
    assert "Nie gespeichert GmbH" not in {e["name"] for e in listed}


def test_every_api_route_commits_in_its_own_thread(client):
    """Each /api/v1 route commits when its function returns, before the answer is serialised
    (``api.unit_of_work``): a commit left to the dependency's exit would wait for a thread of the
    shared pool, which can all be waiting for this very transaction's locks."""
    from fastapi.routing import APIRoute

    from kai_match.api.routes import walk_routes
    from kai_match.api.unit_of_work import UnitOfWorkRoute

    api = [
        route
        for prefix, route in walk_routes(client.app.routes)
        if isinstance(route, APIRoute) and (prefix + route.path).startswith("/api/v1")
    ]
    assert len(api) >= 50
    assert [r.path for r in api if not isinstance(r, UnitOfWorkRoute)] == []
