"""The in-memory ranking indexes of this process, kept in step with the database.

Every write to matching data adds a ``change_log`` row in its own transaction (placements write
one for their vacancy, whose openings left they change). Before each
ranking the indexes read the rows added since they last looked and reload just those records,
so writes made by another worker process or replica show up at once. Ids that were skipped
(a transaction still in flight, or rolled back) are looked at again until they are old.

A restore from a backup (``kai-match db restore``) takes the change log back in time: the row
at the watermark is gone, or (after new writes reused its id) is another row. Each sync reads
that row with the new ones and rebuilds the indexes from scratch when it changed.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import datetime

import structlog
from sqlmodel import Session, col, or_, select

from kai_match.matching.inputs import participant_profiles, vacancy_profiles
from kai_match.models import ChangeLog, Participant, Vacancy
from kai_match.models.common import ParticipantStatus, VacancyStatus
from kai_match.scoring import ParticipantIndex, VacancyIndex, WeightProfile
from kai_match.vacancies.openings import all_openings_used

# How long a missing change id is re-checked: longer than any write transaction here takes.
GAP_GRACE_SECONDS = 120.0
RANKED_PARTICIPANT_STATUSES = (ParticipantStatus.active,)
# How many of the newest change ids a fresh build checks for transactions still in flight.
BUILD_LOOKBACK = 1000
log = structlog.get_logger("kai_match.matching")


@dataclass
class _Gap:
    first_seen: float


@dataclass
class MatchingIndexes:
    """Open vacancies and active participants as columnar indexes, plus the change watermark."""

    vacancies: VacancyIndex = field(default_factory=VacancyIndex)
    participants: ParticipantIndex = field(default_factory=ParticipantIndex)
    watermark: int = 0
    built: bool = False
    gaps: dict[int, _Gap] = field(default_factory=dict)
    lock: threading.RLock = field(default_factory=threading.RLock)
    # The active weight profile, remembered until the change log shows an activation.
    # ``profile_generation`` moves on each time, so a lookup that raced an activation is
    # not remembered (see ``remember_active_profile``).
    active_profile: WeightProfile | None = None
    profile_generation: int = 0
    # The change row at the watermark as last seen: if it is not there any more, the database
    # was restored from a backup and the indexes hold records it no longer has.
    anchor: tuple[str, int, datetime] | None = None

    def sync(self, session: Session) -> None:
        """Bring the indexes up to date with every committed change."""
        with self.lock:
            if not self.built:
                self._build(session)
                return
            query = select(ChangeLog).where(
                or_(col(ChangeLog.id) >= self.watermark, col(ChangeLog.id).in_(list(self.gaps)))
            )
            rows = list(session.exec(query.order_by(col(ChangeLog.id))))
            at_watermark = next((r for r in rows if r.id == self.watermark), None)
            if self.watermark and _fingerprint(at_watermark) != self.anchor:
                log.warning(
                    "change log went back (database restored?): rebuilding the ranking indexes",
                    watermark=self.watermark,
                )
                self._build(session)
                return
            rows = [r for r in rows if r.id != self.watermark]
            if not rows and not self.gaps:
                return
            self._note_gaps([r.id for r in rows if r.id is not None])
            self._move_anchor(rows)
            if any(r.entity == "weight_profile" for r in rows):
                self._forget_active_profile()
            vacancy_ids = {r.entity_id for r in rows if r.entity == "vacancy"}
            participant_ids = {r.entity_id for r in rows if r.entity == "participant"}
            self._reload_vacancies(session, vacancy_ids)
            self._reload_participants(session, participant_ids)

    def remember_active_profile(self, profile: WeightProfile, generation: int) -> None:
        """Keep ``profile`` as the active one unless an activation was seen since ``generation``."""
        with self.lock:
            if generation == self.profile_generation:
                self.active_profile = profile

    def _forget_active_profile(self) -> None:
        self.active_profile = None
        self.profile_generation += 1

    def _build(self, session: Session) -> None:
        self._forget_active_profile()
        # The change ids first, the records after: an id below the newest that is not there yet
        # belongs to a transaction still in flight, whose records this build may read before
        # it commits. Noted as a gap, it is re-checked by every sync until it shows up, so the
        # record is reloaded then (without this a vacancy closed by such a transaction stayed
        # ranked for good).
        newest = session.exec(select(ChangeLog).order_by(col(ChangeLog.id).desc())).first()
        latest = newest.id if newest else None
        floor = max(0, (latest or 0) - BUILD_LOOKBACK)
        present = set(session.exec(select(ChangeLog.id).where(col(ChangeLog.id) > floor)))
        vacancies = list(session.exec(select(Vacancy).where(Vacancy.status == VacancyStatus.open)))
        participants = list(
            session.exec(
                select(Participant).where(col(Participant.status).in_(RANKED_PARTICIPANT_STATUSES))
            )
        )
        used = all_openings_used(session)
        self.vacancies = VacancyIndex(vacancy_profiles(session, vacancies, openings_used=used))
        self.participants = ParticipantIndex(participant_profiles(session, participants))
        self.watermark = latest or 0
        self.anchor = _fingerprint(newest)
        now = time.monotonic()
        self.gaps = {
            missing: _Gap(now)
            for missing in range(floor + 1, self.watermark)
            if missing not in present
        }
        self.built = True

    def _note_gaps(self, seen_ids: list[int]) -> None:
        now = time.monotonic()
        for change_id in seen_ids:
            self.gaps.pop(change_id, None)
        newest = max(seen_ids, default=self.watermark)
        seen = set(seen_ids)
        for missing in range(self.watermark + 1, newest):
            if missing not in seen:
                self.gaps.setdefault(missing, _Gap(now))
        self.watermark = max(self.watermark, newest)
        for change_id, gap in list(self.gaps.items()):
            if now - gap.first_seen > GAP_GRACE_SECONDS:
                del self.gaps[change_id]

    def _move_anchor(self, rows: list[ChangeLog]) -> None:
        row = next((r for r in rows if r.id == self.watermark), None)
        if row is not None:
            self.anchor = _fingerprint(row)

    def _reload_vacancies(self, session: Session, ids: set[int]) -> None:
        if not ids:
            return
        rows = list(session.exec(select(Vacancy).where(col(Vacancy.id).in_(ids))))
        open_rows = [r for r in rows if r.status == VacancyStatus.open]
        for profile in vacancy_profiles(session, open_rows):
            self.vacancies.upsert(profile)
        for vacancy_id in ids - {r.id for r in open_rows}:
            self.vacancies.remove(vacancy_id)

    def _reload_participants(self, session: Session, ids: set[int]) -> None:
        if not ids:
            return
        rows = list(session.exec(select(Participant).where(col(Participant.id).in_(ids))))
        ranked = [r for r in rows if r.status in RANKED_PARTICIPANT_STATUSES]
        for profile in participant_profiles(session, ranked):
            self.participants.upsert(profile)
        for participant_id in ids - {r.id for r in ranked}:
            self.participants.remove(participant_id)


def _fingerprint(row: ChangeLog | None) -> tuple[str, int, datetime] | None:
    return None if row is None else (row.entity, row.entity_id, row.changed_at)
