"""Programme KPIs per site, month and German level, from participants and placement history.

Definitions live in docs/analysts.md ("Programme KPIs"); in short: a trial begins with the move
to ``trial_running`` (its date is the actual start; a scheduled date is only a plan), a hire
counts in the month of ``hired_on``, and follow-ups count for the month of their hire. Site and
German level are the participant's current ones (neither has a history). Analysts get counts
below five as null, as in ``insights.statistics``, and a level's count that would give one away
through the "all" row (complementary suppression); admins and counsellors get exact figures.
"""

from __future__ import annotations

import csv
import io
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlmodel import Session, col, select

from kai_match.access.scopes import site_in_reach
from kai_match.analytics.disclosure import hidden_cells
from kai_match.errors import FieldError, InvalidInput
from kai_match.kit.principal import Principal
from kai_match.models import (
    Participant,
    ParticipantSkill,
    Placement,
    PlacementFollowUp,
    PlacementTransition,
)
from kai_match.models.api_key import Role
from kai_match.models.common import Site
from kai_match.models.placement import ENDING_STATES, PlacementState
from kai_match.models.reports import COUNT_FIELDS, DAY_FIELDS, ProgrammeReport, ProgrammeRow
from kai_match.scoring.constants import CEFR_LEVELS

MIN_CELL = 5  # as insights.statistics: smaller counts could single a person out
MAX_MONTHS = 60
ALL_LEVELS = "all"


@dataclass(frozen=True, slots=True)
class Person:
    """What the report needs of one participant (no names, no birth date)."""

    id: int
    site: str
    level: str
    entered: date
    left: date | None  # archived or erased
    complete: bool


@dataclass
class Cell:
    """Raw figures of one (site, month, level) before suppression."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNT_FIELDS, 0))
    days: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class ProgrammeFacts:
    """Everything the KPIs are computed from, loaded once per report."""

    people: dict[int, Person]
    trial_starts: dict[int, tuple[int, date]]  # placement → (participant, actual start)
    completions: dict[int, tuple[int, date]]
    hires: dict[int, tuple[int, date]]
    follow_ups: dict[int, dict[int, bool]]  # placement → month → still employed
    ended: frozenset[int] = frozenset()  # placements that ended without a hire


def report_window(start: date | None, end: date | None, *, today: date) -> tuple[date, date]:
    """Default: the last twelve calendar months up to today; at most five years."""
    end = end or today
    start = start or _add_month(end.replace(day=1), -11)
    errors = []
    if start > end:
        errors.append(FieldError("from", "must not lie after to"))
    elif len(months_between(start, end)) > MAX_MONTHS:
        errors.append(FieldError("from", f"the window spans more than {MAX_MONTHS} months"))
    if errors:
        raise InvalidInput(detail="The report window is not valid.", errors=errors)
    return start, end


def months_between(start: date, end: date) -> list[date]:
    """First days of the calendar months that [start, end] touches."""
    out, month = [], start.replace(day=1)
    while month <= end:
        out.append(month)
        month = _add_month(month, 1)
    return out


def _add_month(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def load_facts(*, session: Session, site: str | None) -> ProgrammeFacts:
    """Participants of the site (or all) and their trial, hire and follow-up dates."""
    query = select(Participant)
    if site is not None:
        query = query.where(Participant.site == site)
    rows = list(session.exec(query))
    ids = [r.id for r in rows]
    with_skills = set(
        session.exec(
            select(ParticipantSkill.participant_id)
            .where(col(ParticipantSkill.participant_id).in_(ids))
            .distinct()
        )
    )
    people = {r.id: _person(r, r.id in with_skills) for r in rows if r.id is not None}
    firsts: dict[str, dict[int, tuple[int, date]]] = {"trial_running": {}, "completed": {}}
    transitions = session.exec(
        select(
            PlacementTransition.placement_id,
            PlacementTransition.participant_id,
            PlacementTransition.to_state,
            PlacementTransition.event_date,
        ).where(col(PlacementTransition.to_state).in_(tuple(firsts)))
    )
    for placement_id, participant_id, state, day in transitions:
        if participant_id in people:
            seen = firsts[state].get(placement_id)
            if seen is None or day < seen[1]:
                firsts[state][placement_id] = (participant_id, day)
    hires = {
        pid: (participant_id, day)
        for pid, participant_id, day in session.exec(
            select(Placement.id, Placement.participant_id, Placement.hired_on).where(
                Placement.state == PlacementState.hired, col(Placement.hired_on).is_not(None)
            )
        )
        if participant_id in people and pid is not None and day is not None
    }
    follow_ups: dict[int, dict[int, bool]] = defaultdict(dict)
    for placement_id, month, employed in session.exec(
        select(
            PlacementFollowUp.placement_id,
            PlacementFollowUp.month,
            PlacementFollowUp.still_employed,
        ).where(col(PlacementFollowUp.month).in_((3, 6)))
    ):
        if placement_id in hires:
            follow_ups[placement_id][month] = employed
    ended = frozenset(
        pid
        for pid, participant_id in session.exec(
            select(Placement.id, Placement.participant_id).where(
                col(Placement.state).in_(tuple(ENDING_STATES))
            )
        )
        if participant_id in people and pid is not None
    )
    return ProgrammeFacts(
        people, firsts["trial_running"], firsts["completed"], hires, dict(follow_ups), ended
    )


def _person(row: Participant, has_skills: bool) -> Person:
    ends = [d.date() for d in (row.archived_at, row.erased_at) if d is not None]
    complete = (
        has_skills
        and bool(row.home_postal_code)
        and row.hours_per_week is not None
        and bool(row.shifts)
        and row.consent_processing
    )
    return Person(
        id=row.id or 0,
        site=row.site,
        level=row.german_level,
        entered=row.created_at.date(),
        left=min(ends) if ends else None,
        complete=complete,
    )


def compute_cells(
    facts: ProgrammeFacts, start: date, end: date
) -> dict[tuple[str, date, str], Cell]:
    """Raw figures per (site, first day of month, level), "all" levels included."""
    cells: dict[tuple[str, date, str], Cell] = defaultdict(Cell)
    months = months_between(start, end)

    def add(person: Person, day: date, name: str, days: int | None = None) -> None:
        if not start <= day <= end:
            return
        month = day.replace(day=1)
        for level in (ALL_LEVELS, person.level):
            cell = cells[(person.site, month, level)]
            cell.counts[name] += 1
            if days is not None:
                cell.days.append(days)

    for person in facts.people.values():
        for month in months:
            first = max(month, start)
            last = min(_add_month(month, 1) - timedelta(days=1), end)
            if person.entered <= last and (person.left is None or person.left >= first):
                add(person, first, "active_participants")
                if person.complete:
                    add(person, first, "complete_profiles")
    first_trial: dict[int, date] = {}
    for participant_id, day in facts.trial_starts.values():
        first_trial[participant_id] = min(first_trial.get(participant_id, day), day)
    for participant_id, day in first_trial.items():
        person = facts.people[participant_id]
        add(person, day, "first_trials", (day - person.entered).days)
    for name, events in (
        ("trials_started", facts.trial_starts),
        ("trials_completed", facts.completions),
    ):
        for participant_id, day in events.values():
            add(facts.people[participant_id], day, name)
    for placement_id, (participant_id, day) in facts.hires.items():
        person = facts.people[participant_id]
        add(person, day, "hires")
        for month, employed in facts.follow_ups.get(placement_id, {}).items():
            add(person, day, f"follow_ups_{month}m")
            if employed:
                add(person, day, f"still_employed_{month}m")
    return cells


def programme_report(
    *,
    session: Session,
    principal: Principal,
    start: date | None = None,
    end: date | None = None,
    site: str | None = None,
    today: date | None = None,
    suppress: bool | None = None,
    facts: ProgrammeFacts | None = None,
) -> ProgrammeReport:
    """KPIs per site × month × level ("all" first, then the levels that occur in the scope).

    ``suppress`` defaults to the caller's role: analysts see counts below five as null.
    """
    site = site_in_reach(principal, site, what="figures")
    start, end = report_window(start, end, today=today or date.today())
    facts = facts or load_facts(session=session, site=site)
    cells = compute_cells(facts, start, end)
    if suppress is None:
        suppress = principal.role == Role.analyst
    min_cell = MIN_CELL if suppress else 1
    sites = [site] if site else [s.value for s in Site]
    present = {p.level for p in facts.people.values()}
    levels = [ALL_LEVELS, *(lvl for lvl in CEFR_LEVELS if lvl in present)]
    grid = {
        (s, month, level): cells.get((s, month, level)) or Cell()
        for s in sites
        for month in months_between(start, end)
        for level in levels
    }
    hidden = hidden_figures(grid, min_cell)
    rows = [_row(*key, cell, hidden) for key, cell in grid.items()]
    return ProgrammeReport(from_=start, to=end, site=site, min_cell=min_cell, rows=rows)


Figure = tuple[tuple[str, date, str], str]  # ((site, month, level), count field)


def hidden_figures(grid: dict[tuple[str, date, str], Cell], min_cell: int) -> set[Figure]:
    """Counts to publish as null: below ``min_cell``, and what would give those away.

    Each count of the "all" row is the total of the level rows of its site and month, so the
    level cells of one (site, month, field) are a group (``analytics.disclosure``). Sites and
    months have no totals in the report.
    """
    counts = {(key, name): cell.counts[name] for key, cell in grid.items() for name in COUNT_FIELDS}
    groups: dict[tuple[str, date, str], list[Figure]] = defaultdict(list)
    for key in grid:
        site, month, level = key
        if level != ALL_LEVELS:
            for name in COUNT_FIELDS:
                groups[(site, month, name)].append((key, name))
    return hidden_cells(counts, groups.values(), min_cell=min_cell, floor=0)


def _row(site: str, month: date, level: str, cell: Cell, hidden: set[Figure]) -> ProgrammeRow:
    key = (site, month, level)
    # The day figures stand on the first trials: shown only where their count is.
    days_shown = cell.days and (key, "first_trials") not in hidden
    return ProgrammeRow(
        site=site,
        month=month.strftime("%Y-%m"),
        german_level=level,
        **{name: None if (key, name) in hidden else cell.counts[name] for name in COUNT_FIELDS},
        days_to_first_trial_median=float(statistics.median(cell.days)) if days_shown else None,
        days_to_first_trial_mean=round(statistics.fmean(cell.days), 1) if days_shown else None,
    )


CSV_COLUMNS = ("site", "month", "german_level", *COUNT_FIELDS, *DAY_FIELDS)


def programme_csv(report: ProgrammeReport) -> str:
    """The report's rows as CSV (stdlib csv); suppressed cells are empty."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in report.rows:
        values = row.model_dump()
        writer.writerow(["" if values[c] is None else values[c] for c in CSV_COLUMNS])
    return buffer.getvalue()


def shareable_days(days: dict[str, list[int]], min_cell: int = MIN_CELL) -> dict[str, list[int]]:
    """``first_trial_days`` without the levels an analyst would not see, nor their complements.

    The chart writes each level's n under its box, and the levels add up to the window's first
    trials, so one level left out alone could be worked out.
    """
    hidden = hidden_cells(
        {lvl: len(d) for lvl, d in days.items()}, [list(days)], min_cell=min_cell, floor=1
    )
    return {lvl: d for lvl, d in days.items() if lvl not in hidden}


def first_trial_days(facts: ProgrammeFacts, start: date, end: date) -> dict[str, list[int]]:
    """Days from entry to first trial by current German level, first trials within the window."""
    out: dict[str, list[int]] = defaultdict(list)
    cells = compute_cells(facts, start, end)
    for (_, _, level), cell in cells.items():
        if level != ALL_LEVELS:
            out[level].extend(cell.days)
    return {lvl: sorted(out[lvl]) for lvl in CEFR_LEVELS if out.get(lvl)}
