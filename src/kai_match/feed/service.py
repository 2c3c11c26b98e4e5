"""Match-list feed for partner systems: the current top-N lists that changed since a cursor.

The cursor is a position in the ``change_log``. A *walk* starts at a cursor, takes a snapshot
(the newest change id, ``upto``) and delivers, page by page in id order, every list that the
changes in ``(since, upto]`` may have altered, each once; its last page hands out the cursor
for the next walk (``since = upto``). A change of the list's own record (a participant for
``side=participant``) alters that one list; any other change (a vacancy, a placement, an
employer, the active weight profile) may alter every list of the side, so it invalidates all.

PostgreSQL hands out change ids before commit, so an id may be missing from the snapshot
while its transaction is still running. Such ids (among the newest ``GAP_WINDOW``) travel in
the cursor and are picked up by a later walk once committed, for ``GAP_GRACE_SECONDS``.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, replace
from typing import Literal

from sqlmodel import Session, col, or_, select

from kai_match.errors import FieldError, InvalidInput
from kai_match.kit import changes, signing
from kai_match.kit.principal import Principal
from kai_match.matching.indexes import MatchingIndexes
from kai_match.matching.service import (
    RankingRequest,
    matches_for_participant,
    matches_for_vacancy,
)
from kai_match.models import ChangeLog, Participant, Vacancy
from kai_match.models.api_key import Role
from kai_match.models.common import MAX_RECORD_ID, ParticipantStatus, VacancyStatus
from kai_match.models.feed import MatchListOut, MatchListPage
from kai_match.participants import pseudonyms

Side = Literal["participant", "vacancy"]
GAP_WINDOW = 1000
GAP_GRACE_SECONDS = 120
MAX_GAP_RUNS = 50
# A walk notes at most GAP_WINDOW missing ids and keeps MAX_GAP_RUNS runs of them; a cursor
# that claims more was not issued here (and would be expanded id by id).
MAX_GAP_IDS = MAX_GAP_RUNS * GAP_WINDOW
MAX_SEEN = 2**40  # "first seen" is a Unix time in seconds
FEED_CURSOR = "feed"  # the purpose feed cursors are signed for (kit.signing)


@dataclass(frozen=True)
class FeedCursor:
    """Where a walk stands: changes after ``since`` up to ``upto``, lists after ``after``."""

    side: Side
    since: int = 0
    upto: int | None = None  # None: the next request starts a new walk
    after: int = 0
    gaps: tuple[tuple[int, int, int], ...] = ()  # (first id, last id, first seen): for later
    found: tuple[int, ...] = ()  # ids missing earlier that belong to this walk

    def encode(self) -> str:
        """Signed (``kit.signing``): positions and gap runs come back exactly as written here."""
        body = {
            "s": self.side,
            "f": self.since,
            "u": self.upto,
            "a": self.after,
            "g": [list(g) for g in self.gaps],
            "r": list(self.found),
        }
        return signing.sign(FEED_CURSOR, json.dumps(body, separators=(",", ":")).encode())


def decode_cursor(cursor: str | None, side: Side) -> FeedCursor:
    """A cursor this service issued for ``side``; anything else is a 422 on ``since``.

    The signature is checked first, so a forged cursor is refused before anything in it is
    parsed or expanded. Behind it the bounds still hold (defence in depth, and cursors stored
    by partners outlive releases): every id is compared with id columns in the database, so
    each must be an integer within their range (``MAX_RECORD_ID``), and gap runs are bounded
    in number and size (``MAX_GAP_RUNS``, ``MAX_GAP_IDS``).
    """
    if not cursor:
        return FeedCursor(side=side)
    try:
        body = json.loads(signing.verify(FEED_CURSOR, cursor))
        gaps = tuple((_id(lo), _id(hi), _whole(t, MAX_SEEN)) for lo, hi, t in body["g"])
        if len(gaps) > MAX_GAP_RUNS or any(hi < lo for lo, hi, _ in gaps):
            raise ValueError("gap runs")
        if sum(hi - lo + 1 for lo, hi, _ in gaps) > MAX_GAP_IDS:
            raise ValueError("gap ids")
        found = tuple(_id(i) for i in body["r"])
        if len(found) > MAX_GAP_IDS:
            raise ValueError("found ids")
        parsed = FeedCursor(
            side=body["s"],
            since=_id(body["f"]),
            upto=None if body["u"] is None else _id(body["u"]),
            after=_id(body["a"]),
            gaps=gaps,
            found=found,
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise InvalidInput(
            detail="The cursor is not one this service issued.",
            errors=[FieldError("since", "must be a next_cursor value of this feed")],
        ) from exc
    if parsed.side != side:
        raise InvalidInput(
            detail="The cursor belongs to the other side of the feed.",
            errors=[FieldError("since", f"was issued for side={parsed.side}")],
        )
    return parsed


def _whole(value: object, largest: int) -> int:
    """An integer from 0 to ``largest`` as the cursor was written: no floats, strings or bools."""
    if type(value) is not int or not 0 <= value <= largest:
        raise ValueError(value)
    return value


def _id(value: object) -> int:
    return _whole(value, MAX_RECORD_ID)


def match_lists(
    *,
    session: Session,
    indexes: MatchingIndexes,
    principal: Principal,
    side: Side,
    since: str | None,
    limit: int,
    list_size: int,
    lang: str = "de",
) -> MatchListPage:
    """One page of the walk that ``since`` starts or continues (reason texts in ``lang``)."""
    cursor = decode_cursor(since, side)
    if cursor.upto is None:
        cursor = _start_walk(session, cursor)
    everything, own = _affected(session, cursor)
    ids = _entity_ids(session, side, everything, own, cursor.after, limit + 1)
    more = len(ids) > limit
    ids = ids[:limit]
    request = RankingRequest(limit=list_size, lang=lang)
    lists = [_list_of(session, indexes, principal, side, i, request) for i in ids]
    if more:
        following = replace(cursor, after=ids[-1])
    else:
        following = FeedCursor(side=side, since=cursor.upto or 0, gaps=cursor.gaps)
    return MatchListPage(
        side=side,
        list_size=list_size,
        lists=lists,
        next_cursor=following.encode(),
        has_more=more,
    )


def _start_walk(session: Session, cursor: FeedCursor) -> FeedCursor:
    """Snapshot the newest change id; note ids missing below it (uncommitted or rolled back)."""
    upto = changes.latest_change_id(session)
    window_from = max(cursor.since, upto - GAP_WINDOW)
    old_gaps = _expand(cursor.gaps)
    present = set(
        session.exec(
            select(ChangeLog.id).where(
                or_(
                    col(ChangeLog.id) > window_from,
                    col(ChangeLog.id).in_([g for g, _ in old_gaps]),
                ),
                col(ChangeLog.id) <= upto,
            )
        )
    )
    now = int(time.time())
    found = tuple(g for g, _ in old_gaps if g in present)
    carried = [(g, t) for g, t in old_gaps if g not in present and now - t < GAP_GRACE_SECONDS]
    new = [(i, now) for i in range(window_from + 1, upto + 1) if i not in present]
    gaps = _compress(carried + new)[-MAX_GAP_RUNS:]
    return replace(cursor, upto=upto, after=0, gaps=gaps, found=found)


def _expand(runs: tuple[tuple[int, int, int], ...]) -> list[tuple[int, int]]:
    return [(i, seen) for first, last, seen in runs for i in range(first, last + 1)]


def _compress(ids: list[tuple[int, int]]) -> tuple[tuple[int, int, int], ...]:
    """Consecutive ids first seen at the same time become one run, so cursors stay short."""
    runs: list[list[int]] = []
    for change_id, seen in sorted(ids):
        if runs and runs[-1][1] == change_id - 1 and runs[-1][2] == seen:
            runs[-1][1] = change_id
        else:
            runs.append([change_id, change_id, seen])
    return tuple((a, b, c) for a, b, c in runs)


def _affected(session: Session, cursor: FeedCursor) -> tuple[bool, set[int]]:
    """(every list changed?, ids whose own record changed) for the walk's changes.

    A walk from the start delivers every current list (and no removed ones: there is nothing
    the partner would have to remove yet).
    """
    if cursor.since == 0:
        return True, set()
    gap_ids = [g for g, _ in _expand(cursor.gaps)]
    query = select(ChangeLog.entity, ChangeLog.entity_id).where(
        or_(
            (col(ChangeLog.id) > cursor.since)
            & (col(ChangeLog.id) <= cursor.upto)
            & col(ChangeLog.id).not_in(gap_ids),
            col(ChangeLog.id).in_(list(cursor.found)),
        )
    )
    everything, own = False, set()
    for entity, entity_id in session.exec(query.distinct()):
        if entity == cursor.side:
            own.add(entity_id)
        else:
            everything = True
    return everything, own


def _ranked_ids(session: Session, side: Side, after: int) -> list[int]:
    if side == "participant":
        query = select(Participant.id).where(
            Participant.status == ParticipantStatus.active,
            col(Participant.consent_processing).is_(True),
            col(Participant.erased_at).is_(None),
            col(Participant.id) > after,
        )
    else:
        query = select(Vacancy.id).where(
            Vacancy.status == VacancyStatus.open, col(Vacancy.id) > after
        )
    return [i for i in session.exec(query) if i is not None]


def _entity_ids(
    session: Session, side: Side, everything: bool, own: set[int], after: int, count: int
) -> list[int]:
    ids = {i for i in own if i > after}
    if everything:
        ids.update(_ranked_ids(session, side, after))
    return sorted(ids)[:count]


def _list_of(
    session: Session,
    indexes: MatchingIndexes,
    principal: Principal,
    side: Side,
    entity_id: int,
    request: RankingRequest,
) -> MatchListOut:
    """The current list of one record, or an empty, unranked entry when it left the rankings."""
    if side == "participant":
        person = session.get(Participant, entity_id)
        if person is None:
            return MatchListOut(side=side, ranked=False)
        ranked = (
            person.status == ParticipantStatus.active
            and person.consent_processing
            and person.erased_at is None
        )
        ranking = (
            matches_for_participant(
                session=session,
                indexes=indexes,
                participant=person,
                request=request,
                principal=principal,
            )
            if ranked
            else None
        )
        return MatchListOut(
            side=side,
            participant_id=person.id if principal.role == Role.admin else None,
            participant_public_id=pseudonyms.id_for(session, principal, person),
            ranked=ranked,
            ranking=ranking,
        )
    vacancy = session.get(Vacancy, entity_id)
    ranked = vacancy is not None and vacancy.status == VacancyStatus.open
    ranking = (
        matches_for_vacancy(
            session=session, indexes=indexes, vacancy=vacancy, request=request, principal=principal
        )
        if ranked and vacancy is not None
        else None
    )
    return MatchListOut(side=side, vacancy_id=entity_id, ranked=ranked, ranking=ranking)
