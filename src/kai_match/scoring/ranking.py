"""Rankings: vacancies for a participant and participants for a vacancy, paged and explained."""

from __future__ import annotations

from collections.abc import Collection

import numpy as np

from . import for_participant, for_vacancy
from .assemble import Describer
from .constants import PLACEMENT_TYPES, TYPE_INDEX
from .context import RankingContext
from .evaluation import Survivors
from .participant_index import ParticipantIndex
from .person_query import person_query
from .profiles import ParticipantProfile, VacancyProfile
from .results import MatchItem, RankingResult
from .vacancy_index import VacancyIndex
from .vacancy_query import vacancy_query

Cursor = tuple[float, ...]
"""Keyset position of a page's last item: its order keys (score, then the tie-breaks), then id."""


def order_keys(score: np.ndarray, wished: np.ndarray, skills: np.ndarray, minutes: np.ndarray):
    """The order of a ranking, each key larger-first: score, then — for equal scores — the
    wished placement type, the skills value and the shorter commute, before the id decides.

    Two vacancies of one firm often score alike; a counsellor would propose the wished type,
    the better skills fit and the nearer one first, so the id is only the last resort.
    """
    return (score, wished.astype(np.float64), skills, -minutes)


def _after(keys, ids: np.ndarray, after: Cursor) -> np.ndarray:
    """Rows strictly after the cursor in the ranking's order."""
    later = np.zeros(len(ids), dtype=np.bool_)
    equal = np.ones(len(ids), dtype=np.bool_)
    for key, value in zip(keys, after[:-1], strict=True):
        later |= equal & (key < value)
        equal &= key == value
    return np.flatnonzero(later | (equal & (ids > int(after[-1]))))


def select_page(
    keys: tuple[np.ndarray, ...],
    ids: np.ndarray,
    *,
    limit: int,
    offset: int,
    after: Cursor | None,
) -> tuple[np.ndarray, int, Cursor | None]:
    """Positions of one page in the order of `keys` (`order_keys`), then id; first rank; cursor.

    Uses a partial partition on the score for the top `offset + limit` and sorts only those, so
    the cost is linear in the number of eligible pairs. Score ties at the cut are all kept
    before sorting, so the page is exactly the stable order's page.
    """
    score = keys[0]
    cand = np.arange(len(score)) if after is None else _after(keys, ids, after)
    first_rank = len(score) - len(cand) + offset + 1
    k = offset + limit
    n_after = len(cand)
    if k == 0 or n_after == 0:
        return np.empty(0, dtype=np.int64), first_rank, None
    if k < n_after:
        neg = -score[cand]
        kth = np.partition(neg, k - 1)[k - 1]
        cand = cand[neg <= kth]
    order = cand[np.lexsort((ids[cand], *(-key[cand] for key in reversed(keys))))][offset:k]
    more = n_after > k and len(order) > 0
    last = order[-1] if len(order) else None
    cursor = (*(float(key[last]) for key in keys), int(ids[last])) if more else None
    return order, first_rank, cursor


def _check_paging(limit: int, offset: int) -> None:
    if limit < 0:
        raise ValueError("limit: must be ≥ 0")
    if offset < 0:
        raise ValueError("offset: must be ≥ 0")


def rank_vacancies(
    participant: ParticipantProfile,
    index: VacancyIndex,
    context: RankingContext,
    *,
    limit: int = 20,
    offset: int = 0,
    after: Cursor | None = None,
    types: Collection[str] | None = None,
    max_commute_minutes: float | None = None,
    reach_kmh: float | None = None,
) -> RankingResult:
    """Eligible vacancies for a participant, best first (`order_keys`, then vacancy id).

    `context` says under which profile, on which day and with which collaborators. `types` and
    `max_commute_minutes` filter the list. `reach_kmh` is an upper bound of the commute model's
    straight-line speed; when given (and `commute` is hard for the types ranked) only vacancies
    within `limit × reach_kmh` are considered — which cannot change the result as long as the
    bound holds.
    """
    profile = context.profile
    _check_paging(limit, offset)
    wanted = PLACEMENT_TYPES if types is None else tuple(types)
    for t in wanted:
        if t not in TYPE_INDEX:
            raise ValueError(f"types: {t!r} is not one of {', '.join(PLACEMENT_TYPES)}")
    index.maybe_compact()
    q = person_query(participant, index, profile, context.related)
    limit_minutes = participant.max_commute_minutes
    if max_commute_minutes is not None:
        limit_minutes = min(limit_minutes, max_commute_minutes)
    rows: np.ndarray | None = None
    if reach_kmh is not None and all(profile.is_hard("commute", t) for t in wanted):
        radius = limit_minutes * reach_kmh / 60.0
        rows = index.rows_near(participant.home_lat, participant.home_lon, radius)
    if types is not None:
        allowed = np.zeros(len(PLACEMENT_TYPES), dtype=np.bool_)
        allowed[[TYPE_INDEX[t] for t in wanted]] = True
        rows = index.live_rows() if rows is None else rows
        rows = rows[allowed[index.cols["type"][rows]]]
    s = for_participant.survivors(q, index, rows, context, max_commute=max_commute_minutes)
    ids = index.cols["id"][s.rows]
    wished = (index.cols["type_bit"][s.rows] & q.wished_types) != 0
    keys = order_keys(s.score, wished, _skills(s), s.minutes)
    page, first_rank, cursor = select_page(keys, ids, limit=limit, offset=offset, after=after)
    if not len(page):
        return RankingResult(profile.name, profile.version, (), len(s.rows), cursor)
    ev = for_participant.evaluate(q, index, s.rows[page], context, known=s, page=page)
    describer = Describer(context, skill_status=q.skill_status)
    vacancies = [index.profile_at(r) for r in ev.rows.tolist()]
    texts = describer.page(ev, [(participant, v) for v in vacancies])
    items = [
        _item(participant.id, v.id, first_rank + i, text)
        for i, (v, text) in enumerate(zip(vacancies, texts, strict=True))
    ]
    return RankingResult(profile.name, profile.version, tuple(items), len(s.rows), cursor)


def rank_participants(
    vacancy: VacancyProfile,
    index: ParticipantIndex,
    context: RankingContext,
    *,
    limit: int = 20,
    offset: int = 0,
    after: Cursor | None = None,
    max_commute_minutes: float | None = None,
    reach_kmh: float | None = None,
    candidates: Collection[int] | None = None,
) -> RankingResult:
    """Eligible participants for a vacancy, best first (`order_keys`, then participant id).

    With `context.employer_view` the consent constraint also requires consent to share the
    pseudonymised profile with employers (lists shown to employers). `candidates` limits the
    list to these participant ids (a counsellor sees the participants of their own site).
    The older form, a profile plus `commute=…, as_of=…` keywords, is still accepted.
    """
    profile = context.profile
    _check_paging(limit, offset)
    index.maybe_compact()
    q = vacancy_query(vacancy, index)
    rows: np.ndarray | None = None
    if reach_kmh is not None and profile.is_hard("commute", vacancy.type):
        limit_minutes = index.max_commute_minutes
        if max_commute_minutes is not None:
            limit_minutes = min(limit_minutes, max_commute_minutes)
        rows = index.rows_near(vacancy.lat, vacancy.lon, limit_minutes * reach_kmh / 60.0)
    if candidates is not None:
        found = [r for r in map(index.row_of, candidates) if r is not None]
        wanted = np.unique(np.asarray(found, dtype=np.int64))
        rows = wanted if rows is None else np.intersect1d(rows, wanted)
    s: Survivors = for_vacancy.survivors(q, index, rows, context, max_commute=max_commute_minutes)
    ids = index.cols["id"][s.rows]
    wished = ((index.cols["types"][s.rows] >> q.type) & 1) != 0
    keys = order_keys(s.score, wished, _skills(s), s.minutes)
    page, first_rank, cursor = select_page(keys, ids, limit=limit, offset=offset, after=after)
    if not len(page):
        return RankingResult(profile.name, profile.version, (), len(s.rows), cursor)
    ev = for_vacancy.evaluate(
        q, index, s.rows[page], context, known=(s.minutes[page], s.modes[page])
    )
    describer = Describer(context)
    people = [index.profile_at(r) for r in ev.rows.tolist()]
    texts = describer.page(ev, [(p, vacancy) for p in people])
    items = [
        _item(p.id, vacancy.id, first_rank + i, text)
        for i, (p, text) in enumerate(zip(people, texts, strict=True))
    ]
    return RankingResult(profile.name, profile.version, tuple(items), len(s.rows), cursor)


def _skills(s: Survivors) -> np.ndarray:
    """The skills values of the survivors (zeros when there are none)."""
    return s.values["skills"] if s.values is not None else np.zeros(len(s.rows))


def _item(participant_id: int, vacancy_id: int, rank: int, text) -> MatchItem:
    return MatchItem(
        participant_id=participant_id,
        vacancy_id=vacancy_id,
        rank=rank,
        score=text.score,
        components=text.components,
        commute_minutes=text.minutes,
        commute_mode=text.mode,
        flags=text.flags,
    )
