"""No personal data and no secrets in logs: a full create/read/update cycle, scanned."""

from __future__ import annotations

import io
import logging

import structlog

from kai_match.logging_setup import REDACTED, redact_personal_data
from tests.builders import bearer, make_key, make_participant


def test_processor_redacts_personal_keys_at_any_depth():
    event = {
        "event": "something",
        "first_name": "Amina",
        "body": {"birth_date": "1994-03-12", "skills": [{"name": "x", "level": 3}]},
        "Authorization": "Bearer kai_abc_secret",
        "route": "/api/v1/participants/{participant_id}",
        "counsellor": None,
    }
    assert redact_personal_data(None, "info", event) == {
        "event": "something",
        "first_name": REDACTED,
        "body": {"birth_date": REDACTED, "skills": [{"name": REDACTED, "level": 3}]},
        "Authorization": REDACTED,
        "route": "/api/v1/participants/{participant_id}",
        "counsellor": None,
    }


def test_a_full_cycle_logs_no_name_birth_date_or_key(client):
    # A second handler with the app's own formatter (configured at start-up) collects the lines.
    root = logging.getLogger()
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(root.handlers[0].formatter)
    root.addHandler(handler)
    counsellor = make_key(client, "counsellor", site="grimma")
    person = make_participant(client, email="amina@example.org")
    url = f"/api/v1/participants/{person['id']}"
    headers = bearer(counsellor)
    assert client.get(url, headers=headers).status_code == 200
    assert client.get("/api/v1/participants", headers=headers).status_code == 200
    patched = client.patch(url, json={"last_name": "Haddad-Weber"}, headers=headers)
    assert patched.status_code == 200
    assert client.get(f"{url}/export", headers=headers).status_code == 200
    assert client.get(url, headers=bearer("kai_000000000000_wrong")).status_code == 401
    # Someone logging a body by mistake: the processor still catches it.
    structlog.get_logger("kai_match.test").info(
        "careless", first_name="Amina", birth_date="1994-03-12"
    )

    root.removeHandler(handler)
    logged = stream.getvalue()
    assert '"route": "/api/v1/participants/{participant_id}"' in logged  # logs were captured
    for value in ("Amina", "Haddad", "1994-03-12", "amina@example.org", counsellor["key"]):
        assert value not in logged, value
    assert "kai_000000000000_wrong" not in logged


def test_server_log_lines_go_through_the_redacting_handler():
    """Uvicorn configures its loggers with a plain handler that does not propagate; once the app
    configures logging, its lines reach the root handler (JSON, redacted) instead."""
    from kai_match.logging_setup import configure_logging

    server = logging.getLogger("uvicorn")
    root = logging.getLogger()
    saved = (server.handlers[:], server.propagate, root.handlers[:], root.level)
    server.handlers[:] = [logging.StreamHandler(io.StringIO())]
    server.propagate = False
    try:
        configure_logging("INFO", True)
        assert server.handlers == [] and server.propagate is True
        assert logging.getLogger("uvicorn.error").handlers == []
    finally:
        server.handlers[:], server.propagate, root.handlers[:], _ = saved
        root.setLevel(saved[3])
