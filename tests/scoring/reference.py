"""The oracle: a plain per-pair implementation of docs/scoring.md, independent of the fast path.

Deliberately naive — dates stay `date` objects, sets stay sets, one pair at a time, no numpy in
the logic (the injected commute model is called with scalars) — so that agreement with the
vectorised engine means both implement the written specification.
"""

from __future__ import annotations

import calendar
import math
from dataclasses import dataclass, field
from datetime import date, timedelta

from kai_match.scoring import (
    COMPONENTS,
    CONSTRAINTS,
    ParticipantProfile,
    VacancyProfile,
    WeightProfile,
)

LEVEL = {"A1": 0, "A2": 1, "B1": 2, "B2": 3, "C1": 4, "C2": 5}
B1 = 2
OFF_PEAK = {"early", "night", "weekend"}
OPEN_ENDED = {"job"}  # types that wait for the person unless they have an end date


WEEK = 7 * 1440
TEMPLATES = {  # shift name → (days, start, end) of its working time, minutes after midnight
    "early": ({0, 1, 2, 3, 4}, 360, 840),
    "day": ({0, 1, 2, 3, 4}, 480, 990),
    "late": ({0, 1, 2, 3, 4}, 840, 1320),
    "night": ({0, 1, 2, 3, 4}, 1320, 1800),
    "weekend": ({5, 6}, 480, 960),
}


def _days(mask: int) -> set[int]:
    return {d for d in range(7) if mask >> d & 1}


def _window_kind(start: int, end: int) -> str:
    if start >= 1200 or end > 1440 or start < 240:
        return "night"
    if start < 420:
        return "early"
    return "late" if end > 1140 else "day"


def _working_times(v) -> list[tuple[str, list[tuple[set[int], int, int]]]]:
    """(shift name, windows) per working time: the stated ones, else the shift templates."""
    if not v.working_times:
        order = ["early", "day", "late", "night", "weekend"]
        return [(s, [TEMPLATES[s]]) for s in order if s in v.shifts]
    result = []
    for wt in v.working_times:
        windows = [(_days(w.days), w.start, w.end) for w in wt.windows]
        days = set().union(*(w[0] for w in windows))
        if days <= {5, 6}:
            kind = "weekend"
        else:
            kinds = {_window_kind(s, e) for _, s, e in windows}
            kind = next(k for k in ("night", "early", "late", "day") if k in kinds)
        result.append((kind, windows))
    return result


def _meets(window, pad_before, pad_after, commitment) -> bool:
    """A window widened by the trips meets the commitment somewhere in the (circular) week."""
    w_days, w_start, w_end = window
    for d in w_days:
        a, b = d * 1440 + w_start - pad_before, d * 1440 + w_end + pad_after
        for cd in _days(commitment.days):
            for turn in (-WEEK, 0, WEEK):
                c_a = cd * 1440 + commitment.start + turn
                c_b = cd * 1440 + commitment.end + turn
                if a < c_b and c_a < b:
                    return True
    return False


def _schedule(p, v, minutes: float, first_day: date, prm) -> tuple[int, int]:
    """(working times that fit, working times stated) for the pair."""
    times = _working_times(v)
    fit = 0
    for kind, windows in times:
        if p.shifts and kind not in p.shifts:
            continue
        clash = False
        for c in p.commitments:
            if c.valid_from is not None and first_day < c.valid_from:
                continue
            if c.valid_until is not None and first_day > c.valid_until:
                continue
            pad = minutes
            if c.kind == "childcare" and v.childcare_friendly:
                pad = minutes - prm.childcare_flex_minutes
            if any(_meets(w, pad, pad, c) for w in windows):
                clash = True
        fit += not clash
    return fit, len(times)


def _off_peak(person_shifts, vacancy_shifts) -> bool:
    """Off-peak unless a shift the person would work (else any of the vacancy's) is a peak one."""
    travel = (person_shifts & vacancy_shifts) or vacancy_shifts
    return bool(travel) and all(s in OFF_PEAK for s in travel)


@dataclass
class RefResult:
    participant_id: int
    vacancy_id: int
    eligible: bool
    failed: tuple[str, ...]
    flags: tuple[str, ...]
    score: float
    values: dict[str, float] = field(default_factory=dict)
    contributions: dict[str, float] = field(default_factory=dict)
    minutes: float = math.inf
    mode: int = -1


def _related_of(related, skill_id):
    if related is None:
        return {}
    return related(skill_id)


def _fit(held: int, required: int, penalty: float) -> float:
    if held >= required:
        return 1.0
    return max(0.0, 1.0 - penalty * (required - held))


def _must_covered(p, s, related, prm) -> bool:
    if s.skill_id in p.skills:
        return True
    if not prm.must_skill_accepts_related or s.certificate:  # a certificate has no stand-in
        return False
    best = 0.0
    for other, sim in _related_of(related, s.skill_id).items():
        if other != s.skill_id and sim > 0 and other in p.skills:
            best = max(best, sim)
    return best >= prm.must_skill_related_threshold


def _language_base(gap: int, tol: int, prm) -> float:
    if gap <= 0:
        return 1.0
    if gap <= tol:
        return 1.0 - prm.language_gap_penalty * gap
    return max(
        0.0,
        1.0 - prm.language_gap_penalty * tol - prm.language_over_tolerance_penalty * (gap - tol),
    )


def _isco_match(mine: str | None, theirs: str | None, digits: int) -> bool:
    if mine is None or theirs is None or len(mine) < digits or len(theirs) < digits:
        return False
    return mine[:digits] == theirs[:digits]


def ref_explain(
    p: ParticipantProfile,
    v: VacancyProfile,
    profile: WeightProfile,
    *,
    commute,
    related,
    as_of: date,
    employer_view: bool = False,
) -> RefResult:
    prm = profile.params
    start = v.start_date if v.start_date is not None and v.start_date > as_of else as_of
    level = LEVEL[p.german_level]
    minimum = LEVEL[v.min_german_level]
    tol = v.german_tolerance
    b1_expected = level < B1 and p.expected_b1_date is not None and p.expected_b1_date <= start

    # -- constraints --
    fails: dict[str, bool] = {}
    rule = profile.permit_rules[v.type][p.work_permit]
    # Employer views check the permit against the end of the start's calendar quarter.
    permit_day = _quarter_end(start) if employer_view else start
    permit_ends_early = p.permit_valid_until is not None and p.permit_valid_until < permit_day
    fails["work_permit"] = rule == "deny" or (permit_ends_early and not p.permit_renewal_pending)
    fails["consent"] = not p.consent_processing or (employer_view and not p.share_with_employers)
    level_with_b1 = B1 if b1_expected else level
    fails["language"] = minimum - level_with_b1 > tol
    minutes, mode = commute.best_minutes(
        origin_lat=p.home_lat,
        origin_lon=p.home_lon,
        origin_transit=p.home_transit,
        dest_lat=v.lat,
        dest_lon=v.lon,
        dest_transit=v.transit,
        off_peak=_off_peak(p.shifts, v.shifts),
        car=p.has_car and "B" in p.driving_licences,
        bike=p.has_bike,
    )
    minutes, mode = float(minutes), int(mode)
    for stop in v.shuttle:
        access, _ = commute.best_minutes(
            origin_lat=p.home_lat,
            origin_lon=p.home_lon,
            origin_transit=p.home_transit,
            dest_lat=stop.lat,
            dest_lon=stop.lon,
            dest_transit=stop.transit,
            off_peak=_off_peak(p.shifts, v.shifts),
            car=p.has_car and "B" in p.driving_licences,
            bike=p.has_bike,
        )
        if float(access) + stop.ride_minutes < minutes:
            minutes, mode = float(access) + stop.ride_minutes, 4
    fails["commute"] = not (minutes <= p.max_commute_minutes)
    fails["driving_licence"] = (
        v.driving_licence_required is not None
        and v.driving_licence_required not in p.driving_licences
    )
    fails["must_skill"] = any(
        s.importance == "must" and not _must_covered(p, s, related, prm) for s in v.skills
    ) or (prm.unverified_must == "exclude" and any(imp == "must" for _, imp in v.unverified))
    fails["openings"] = v.openings_left < 1
    available = (
        p.earliest_start if p.earliest_start is not None and p.earliest_start > as_of else as_of
    )
    dates_bad = False
    if v.valid_through is not None and v.valid_through < as_of:
        dates_bad = True
    if v.end_date is not None and v.end_date < available:
        dates_bad = True
    time_boxed = v.type not in OPEN_ENDED or v.end_date is not None
    if (
        time_boxed
        and v.start_date is not None
        and p.earliest_start is not None
        and v.start_date + timedelta(days=prm.start_slack_days) < p.earliest_start
    ):
        dates_bad = True
    fails["dates"] = dates_bad
    fails["status"] = p.status != "active" or v.status != "open"
    first_day = max(start, available)
    times_fit, times_stated = _schedule(p, v, minutes, first_day, prm)
    fails["schedule"] = times_stated > 0 and times_fit == 0
    # A regulated occupation: a qualification in it (same code, or same 4-digit ISCO group)
    # recognised in full or pending.
    in_occupation = [
        occ.recognition
        for occ in p.occupations
        if (occ.code is not None and occ.code == v.occupation_code)
        or (
            occ.isco_group is not None
            and v.isco_group is not None
            and len(occ.isco_group) >= 4
            and len(v.isco_group) >= 4
            and occ.isco_group[:4] == v.isco_group[:4]
        )
    ]
    fails["recognition"] = v.regulated and not ({"full", "pending"} & set(in_occupation))
    hard = profile.hard_constraints[v.type]
    failed = tuple(c for c in CONSTRAINTS if fails[c] and c in hard)

    # -- components --
    values: dict[str, float] = {}
    gap = minimum - level
    lang = _language_base(gap, tol, prm)
    if b1_expected:
        lang = max(lang, prm.b1_expected_factor * _language_base(minimum - B1, tol, prm))
    if v.employer_offers_language_support and gap > 0:
        lang += prm.language_support_bonus
    if v.languages_wanted:
        met = 0
        for code, wanted_level in v.languages_wanted:
            if code in p.other_languages and LEVEL[p.other_languages[code]] >= LEVEL[wanted_level]:
                met += 1
        lang += prm.languages_wanted_bonus * (met / len(v.languages_wanted))
    if not p.latin_literacy:
        lang -= prm.literacy_penalty
    values["language"] = min(1.0, max(0.0, lang))

    factor = prm.skill_source_factors
    num = 0.0
    den = 0.0
    for s in v.skills:
        w = prm.importance_weights[s.importance]
        den += w
        # A certificate is held or not: any level is enough, related skills give nothing.
        required = 1 if s.certificate else s.level
        direct = 0.0
        if s.skill_id in p.skills:
            held = p.skills[s.skill_id]
            direct = factor[held.source] * _fit(held.level, required, prm.skill_level_gap_penalty)
        similar = 0.0
        for other, sim in _related_of(related, s.skill_id).items():
            if s.certificate or other == s.skill_id or not sim > 0 or other not in p.skills:
                continue
            held = p.skills[other]
            credit = (
                sim * factor[held.source] * _fit(held.level, required, prm.skill_level_gap_penalty)
            )
            similar = max(similar, credit)
        num += w * max(direct, min(prm.related_credit_cap, similar))
    for _text, importance in v.unverified:  # never covered
        den += prm.importance_weights[importance]
    values["skills"] = num / den if den > 0 else prm.skills_neutral

    if v.occupation_code is None and v.isco_group is None:
        values["occupation"] = prm.occupation_neutral
    else:
        best = prm.occupation_no_match
        for occ in p.occupations:
            strengths = [0.0]
            if v.occupation_code is not None and occ.code == v.occupation_code:
                strengths.append(prm.occupation_same_code)
            if _isco_match(occ.isco_group, v.isco_group, 4):
                strengths.append(prm.occupation_isco4)
            if _isco_match(occ.isco_group, v.isco_group, 3):
                strengths.append(prm.occupation_isco3)
            if _isco_match(occ.isco_group, v.isco_group, 2):
                strengths.append(prm.occupation_isco2)
            experience = prm.experience_floor + (1 - prm.experience_floor) * min(
                1.0, occ.years / prm.experience_full_years
            )
            best = max(best, max(strengths) * experience)
        values["occupation"] = best

    if math.isfinite(minutes):
        ratio = minutes / p.max_commute_minutes
        values["commute"] = max(0.0, 1.0 - ratio**prm.commute_exponent)
    else:
        values["commute"] = 0.0

    pw = prm.preference_weights
    type_ok = 1.0 if not p.placement_types or v.type in p.placement_types else 0.0
    if v.field is not None and v.field in p.fields_excluded:
        field_ok = 0.0
    elif p.fields_wanted and v.field is None:
        field_ok = prm.missing_neutral  # unknown: neither wished nor not
    elif p.fields_wanted and v.field not in p.fields_wanted:
        field_ok = prm.field_not_wanted
    else:
        field_ok = 1.0
    if p.hours_per_week is None or v.hours_per_week is None:
        hours_ok = prm.missing_neutral
    else:
        hours_ok = min(p.hours_per_week, v.hours_per_week) / max(p.hours_per_week, v.hours_per_week)
    shifts_ok = prm.missing_neutral if not times_stated else times_fit / times_stated
    days_apart = abs((start - available).days)
    start_ok = max(0.0, 1.0 - days_apart / prm.start_horizon_days)
    values["preferences"] = (
        pw["type"] * type_ok
        + pw["field"] * field_ok
        + pw["hours"] * hours_ok
        + pw["shifts"] * shifts_ok
        + pw["start"] * start_ok
    ) / (pw["type"] + pw["field"] + pw["hours"] + pw["shifts"] + pw["start"])

    total_weight = sum(profile.weights[c] for c in COMPONENTS)
    contributions = {c: profile.weights[c] / total_weight * values[c] * 100.0 for c in COMPONENTS}
    score = sum(contributions[c] for c in COMPONENTS)

    # -- flags --
    flags = []
    if rule == "flag":
        flags.append(
            {"approval_required": "approval_required", "prohibited": "measure_only"}.get(
                p.work_permit, "permit_check"
            )
        )
    if permit_ends_early and p.permit_renewal_pending:
        flags.append("permit_renewal_pending")
    # A permit that reaches the start but not the end of the placement (its end date, or for an
    # open-ended vacancy the first permit_open_ended_days): flagged, never excluded.
    if v.end_date is not None:
        last = v.end_date
    else:
        last = start + timedelta(days=prm.permit_open_ended_days)
    if employer_view:
        last = _quarter_end(last)
    if p.permit_valid_until is not None and not permit_ends_early and p.permit_valid_until < last:
        flags.append("permit_ends_during")
    if b1_expected and gap > tol and not fails["language"]:
        flags.append("b1_expected")
    if v.unverified:
        flags.append("unverified_requirement")
    if any(
        s.certificate
        and s.importance == "must"
        and s.skill_id in p.skills
        and p.skills[s.skill_id].source != "certified"
        for s in v.skills
    ):
        flags.append("certificate_unproven")
    if v.regulated and not fails["recognition"] and "full" not in in_occupation:
        flags.append("recognition_pending")
    # What the vacancy leaves out although the person's wishes need it (counted neutral).
    if (
        (p.hours_per_week is not None and v.hours_per_week is None)
        or not times_stated
        or (p.fields_wanted and v.field is None)
    ):
        flags.append("missing_data")
    flags += [c for c in CONSTRAINTS if fails[c] and c not in hard]

    return RefResult(
        participant_id=p.id,
        vacancy_id=v.id,
        eligible=not failed,
        failed=failed,
        flags=tuple(flags),
        score=score,
        values=values,
        contributions=contributions,
        minutes=minutes,
        mode=mode,
    )


def _order(r, wished: bool):
    """Score desc, then the wished type, the skills value and the shorter commute, then id."""
    return (-r.score, -int(wished), -r.values["skills"], r.minutes)


def ref_rank_vacancies(p, vacancies, profile, *, types=None, max_commute=None, **kw):
    """All eligible vacancies for `p`, best first (`_order`, then vacancy id)."""
    results = []
    for v in vacancies:
        if types is not None and v.type not in types:
            continue
        r = ref_explain(p, v, profile, **kw)
        if r.eligible and (max_commute is None or r.minutes <= max_commute):
            results.append((_order(r, v.type in p.placement_types), r.vacancy_id, r))
    return [r for *_, r in sorted(results, key=lambda x: x[:2])]


def ref_rank_participants(v, participants, profile, *, max_commute=None, **kw):
    """All eligible participants for `v`, best first (`_order`, then participant id)."""
    results = []
    for p in participants:
        r = ref_explain(p, v, profile, **kw)
        if r.eligible and (max_commute is None or r.minutes <= max_commute):
            results.append((_order(r, v.type in p.placement_types), r.participant_id, r))
    return [r for *_, r in sorted(results, key=lambda x: x[:2])]


def _quarter_end(day: date) -> date:
    last_month = 3 * ((day.month - 1) // 3) + 3
    return date(day.year, last_month, calendar.monthrange(day.year, last_month)[1])
