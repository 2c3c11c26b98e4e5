"""The programme's rates over a window, per site and for the district, with intervals.

Funders ask how many people tried out work, how many trials led to a job and how many jobs
lasted; the monthly KPI rows are too small to answer that. The window's figures are counted per
site from the same facts as the KPI report (``insights.reports``), the rates get confidence
intervals (``analytics.intervals``), and figures for sharing follow the small-cell rule of
every other table (docs/analysts.md, "Programme rates").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from kai_match.analytics.disclosure import hidden_cells
from kai_match.analytics.intervals import Estimate, per_person, proportion
from kai_match.insights.reports import MIN_CELL, ProgrammeFacts

ALL_SITES = "all"
COUNTS = (
    "participants",  # in the programme at some time in the window
    "trials",  # placements whose trial began in the window
    "trials_decided",  # of those: hired, or ended without a hire
    "trial_hires",  # of those: hired
    "hires",  # every hire whose first day lies in the window (direct hires too)
    "follow_ups_3m",  # of those hires: 3-month check recorded
    "employed_3m",  # … still employed then
    "follow_ups_6m",
    "employed_6m",
)
# The other outcome of a proportion (not hired, no longer employed): never shown, but a small one
# would single people out through the difference of two shown counts, so it is a cell too.
COMPLEMENTS = {
    "trial_hires": "trials_not_hired",
    "employed_3m": "left_3m",
    "employed_6m": "left_6m",
}
# rate → (numerator, denominator, kind); "per_person" counts events per person
RATES = {
    "trials_per_participant": ("trials", "participants", "per_person"),
    "hires_per_trial": ("trial_hires", "trials_decided", "proportion"),
    "retained_3m": ("employed_3m", "follow_ups_3m", "proportion"),
    "retained_6m": ("employed_6m", "follow_ups_6m", "proportion"),
}


RATES_BY_NUMERATOR = {num: den for num, den, _ in RATES.values()}


@dataclass(frozen=True)
class SiteFigures:
    """One site's (or the district's, ``site == "all"``) counts and rates; None = withheld."""

    site: str
    counts: dict[str, int | None]
    rates: dict[str, Estimate | None]


def programme_rates(
    facts: ProgrammeFacts,
    start: date,
    end: date,
    sites: Sequence[str],
    *,
    min_cell: int = 1,
) -> list[SiteFigures]:
    """Counts and rates per site of ``sites`` and for all of them, over [start, end].

    With ``min_cell`` > 1, counts below it are withheld and so is, among the sites, the next
    smallest where the district total would give one away (``analytics.disclosure``). Both
    outcomes of a proportion are cells (hired and not, still employed and not), so a small
    "not" hides the count beside it; a rate is shown only when the counts behind it are.
    """
    raw = {site: _counts(facts, start, end, site) for site in sites}
    names = (*COUNTS, *COMPLEMENTS.values())
    raw[ALL_SITES] = {name: sum(raw[s][name] for s in sites) for name in names}
    cells = {(site, name): value for site, row in raw.items() for name, value in row.items()}
    groups = [[(site, name) for site in sites] for name in names]
    groups += [[(site, num), (site, other)] for site in raw for num, other in COMPLEMENTS.items()]
    hidden = hidden_cells(cells, groups, min_cell=min_cell, floor=0)
    out = []
    for site in (*sites, ALL_SITES):
        counts = {name: None if (site, name) in hidden else raw[site][name] for name in COUNTS}
        rates = {
            rate: _rate(raw[site][num], raw[site][den], kind)
            if (site, num) not in hidden and (site, den) not in hidden
            else None
            for rate, (num, den, kind) in RATES.items()
        }
        out.append(SiteFigures(site, counts, rates))
    return out


def _rate(numerator: int, denominator: int, kind: str) -> Estimate | None:
    if kind == "per_person":
        return per_person(numerator, denominator)
    return proportion(numerator, denominator)


def _counts(facts: ProgrammeFacts, start: date, end: date, site: str) -> dict[str, int]:
    people = {pid for pid, p in facts.people.items() if p.site == site}
    participants = sum(
        1
        for pid in people
        if facts.people[pid].entered <= end
        and (facts.people[pid].left is None or facts.people[pid].left >= start)
    )
    trials = {
        placement
        for placement, (participant, day) in facts.trial_starts.items()
        if participant in people and start <= day <= end
    }
    decided = {p for p in trials if p in facts.hires or p in facts.ended}
    hires = {
        placement
        for placement, (participant, day) in facts.hires.items()
        if participant in people and start <= day <= end
    }
    counts = {
        "participants": participants,
        "trials": len(trials),
        "trials_decided": len(decided),
        "trial_hires": len(decided & facts.hires.keys()),
        "hires": len(hires),
    }
    for month in (3, 6):
        checks = [facts.follow_ups[p][month] for p in hires if month in facts.follow_ups.get(p, {})]
        counts[f"follow_ups_{month}m"] = len(checks)
        counts[f"employed_{month}m"] = sum(checks)
    for num, other in COMPLEMENTS.items():
        counts[other] = counts[RATES_BY_NUMERATOR[num]] - counts[num]
    return counts


__all__ = ["ALL_SITES", "COUNTS", "MIN_CELL", "RATES", "SiteFigures", "programme_rates"]
