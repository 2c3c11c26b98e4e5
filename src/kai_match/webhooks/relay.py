"""``match_list.changed`` from the change log: a hint to pull the feed, not the lists.

Every write that can alter a ranking already adds a ``change_log`` row in its own transaction
(``kit.changes``), and the feed turns those rows into the lists each partner may see. So the
honest, simple source of this event is the change log itself: the dispatcher notices new rows
and puts one event into the outbox, ``{"change_id": N}``, and the partner pulls
``GET /api/v1/match-lists`` with its stored cursor. Computing the lists here would rank every
list for every partner on each change, for partners that pull anyway.

PostgreSQL hands out change ids before commit, so a row with a lower id can appear after a
higher one was seen. Besides the newest id the state keeps the number of rows among the last
``WINDOW`` ids; when that number grows, a late row arrived and another event is sent.
"""

from __future__ import annotations

from sqlalchemy import func
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from kai_match.kit import changes
from kai_match.models import ChangeLog
from kai_match.models.common import utcnow
from kai_match.models.webhook import (
    EndpointStatus,
    WebhookEndpoint,
    WebhookEventType,
    WebhookRelayState,
)
from kai_match.webhooks import outbox

NAME = "match_lists"
WINDOW = 1000
FEED_PATH = "/api/v1/match-lists"


def relay_match_list_changes(session: Session) -> bool:
    """Add a ``match_list.changed`` event when the change log moved; True when one was added.

    The state row is claimed with ``FOR UPDATE SKIP LOCKED``: of several dispatchers one
    relays and the others skip. It is created at the current position, so the first
    subscriber gets events for changes from now on, not for the whole history.
    """
    if not _subscribed(session):
        return False
    newest = changes.latest_change_id(session)
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(
        insert(WebhookRelayState)
        .values(
            name=NAME,
            change_id=newest,
            window_count=_rows_up_to(session, newest),
            updated_at=utcnow(),
        )
        .on_conflict_do_nothing(index_elements=["name"])
    )
    state = session.exec(
        select(WebhookRelayState)
        .where(WebhookRelayState.name == NAME)
        .with_for_update(skip_locked=True)
    ).first()
    if state is None:  # another dispatcher holds it
        return False
    moved = newest > state.change_id or _rows_up_to(session, state.change_id) > state.window_count
    if moved:
        outbox.emit(
            session,
            WebhookEventType.match_list_changed,
            {"change_id": newest, "feed": FEED_PATH},
        )
    state.change_id = newest
    state.window_count = _rows_up_to(session, newest)
    state.updated_at = utcnow()
    session.add(state)
    return moved


def _subscribed(session: Session) -> bool:
    events = session.exec(
        select(WebhookEndpoint.events).where(col(WebhookEndpoint.status) != EndpointStatus.disabled)
    ).all()
    return any(WebhookEventType.match_list_changed.value in e for e in events)


def _rows_up_to(session: Session, change_id: int) -> int:
    return session.exec(
        select(func.count()).where(
            col(ChangeLog.id) > change_id - WINDOW, col(ChangeLog.id) <= change_id
        )
    ).one()
