"""Reason texts for components, failed constraints and flags of one pair.

Built only for the pairs that are returned (top-k or one explanation), so plain Python is fine.
The numbers (values, eligibility) come from the vectorised evaluation; this module only says
in words what they mean, so a counsellor can defend a suggestion. The words come from the
message catalogues (i18n.py): msgids are English, German is the default.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from .constants import (
    B1,
    CEFR_INDEX,
    COMMUTE_STEP_MINUTES,
    MODES,
    OFF_PEAK_MASK,
    SHIFT_BIT,
    SHIFTS,
    shift_mask,
)
from .formulas import commute_off_peak, travel_shifts
from .i18n import catalogue
from .profiles import ParticipantProfile, RequiredSkill, VacancyProfile
from .protocols import RelatedSkills, SkillName
from .schedule_reasons import shifts_part
from .texts import (
    capitalised,
    fmt_date,
    fmt_levels,
    fmt_num,
    fmt_tolerance,
    fmt_years,
    language_name,
    listing,
    mode_name,
    shift_noun,
    type_name,
)
from .weights import ScoringParams, WeightProfile

DEFAULT_PARAMS = ScoringParams()


def start_eff(v: VacancyProfile, as_of: date) -> date:
    """The start date, never before today."""
    return max(v.start_date, as_of) if v.start_date else as_of


def skill_status(
    p: ParticipantProfile, s: RequiredSkill, related: RelatedSkills | None, profile: WeightProfile
) -> tuple[str, bool]:
    """('held' | 'below' | 'related' | 'missing', counts for the must-skill check).

    A certificate is held or missing: no level, no related stand-in.
    """
    held = p.skills.get(s.skill_id)
    if held is not None:
        return ("held" if held.level >= s.level_needed else "below"), True
    best = 0.0
    if related is not None and p.skills and not s.certificate:
        similar = related(s.skill_id)
        for other in p.skills:
            sim = similar.get(other, 0.0)
            if sim > best and other != s.skill_id:
                best = sim
    prm = profile.params
    covered = prm.must_skill_accepts_related and best >= prm.must_skill_related_threshold
    return ("related" if best > 0 else "missing"), covered


def language_reason(p, v, b1_ok: bool, lang: str, *, restricted: bool = False) -> str:
    """CEFR level against the minimum, tolerance, expected B1, support, wanted languages.

    ``restricted`` (employers, partners, analysts): the other languages a person speaks hint at
    their origin, and literacy is close to it, so wanted languages are only counted and literacy
    is not mentioned.
    """
    _ = catalogue(lang).gettext
    gap = CEFR_INDEX[v.min_german_level] - CEFR_INDEX[p.german_level]
    tol = v.german_tolerance
    text = _("German %(level)s, %(required)s required") % {
        "level": p.german_level,
        "required": v.min_german_level,
    }
    b1_date = fmt_date(p.expected_b1_date, lang) if b1_ok else ""
    if gap <= 0:
        # Translators: the German level is at least the required one.
        status = _("met")
    elif gap <= tol:
        status = _("accepted with language support")
    elif b1_ok and CEFR_INDEX[v.min_german_level] - B1 <= tol:
        status = _("B1 expected by %(date)s") % {"date": b1_date}
        b1_ok = False
    else:
        status = _("%(levels)s below, %(tolerance)s") % {
            "levels": fmt_levels(gap, lang),
            "tolerance": fmt_tolerance(tol, lang),
        }
    parts = [f"{text} – {status}"]
    if b1_ok:
        parts.append(_("B1 expected by %(date)s") % {"date": b1_date})
    if v.employer_offers_language_support and gap > 0:
        parts.append(_("language support at work"))
    if v.languages_wanted:
        spoken = [
            lw.code
            for lw in v.languages_wanted
            if CEFR_INDEX.get(p.other_languages.get(lw.code, ""), -1) >= CEFR_INDEX[lw.level]
        ]
        absent = [
            language_name(lw.code, lang) for lw in v.languages_wanted if lw.code not in spoken
        ]
        spoken = [language_name(code, lang) for code in spoken]
        if restricted:
            parts.append(
                _("wanted languages: %(have)s of %(total)s present")
                % {"have": len(spoken), "total": len(v.languages_wanted)}
            )
        elif spoken:
            parts.append(
                catalogue(lang).ngettext(
                    "wanted language spoken: %(languages)s",
                    "wanted languages spoken: %(languages)s",
                    len(spoken),
                )
                % {"languages": listing(spoken)}
            )
        if absent and not restricted:
            parts.append(
                catalogue(lang).ngettext(
                    "wanted language missing: %(languages)s",
                    "wanted languages missing: %(languages)s",
                    len(absent),
                )
                % {"languages": listing(absent)}
            )
    if not p.latin_literacy and not restricted:
        parts.append(_("not yet literate in Latin script"))
    return "; ".join(parts)


def skills_reason(p, v, value, related, profile, lang, name: SkillName, status_of=None) -> str:
    """How many required skills are held, similar, below level or missing.

    `status_of(p, s)` may replace `skill_status` (a memoised version, for whole pages).
    """
    t = catalogue(lang)
    _ = t.gettext
    unchecked = ""
    if v.unverified:
        names = [
            _("%(skill)s (must)") % {"skill": f"„{text}“"} if imp == "must" else f"„{text}“"
            for text, imp in v.unverified
        ]
        # Translators: requirements the vacancy states that no skill concept was found for.
        unchecked = _("not checked: %(skills)s") % {"skills": listing(names)}
    if not v.skills:
        return capitalised(unchecked) if unchecked else _("No skills required")
    have = 0
    similar: list[str] = []
    below: list[str] = []
    missing: list[str] = []
    for s in v.skills:
        status = (skill_status(p, s, related, profile) if status_of is None else status_of(p, s))[0]
        if status == "held":
            have += 1
        elif status == "below":
            have += 1
            below.append(name(s.skill_id))
        elif status == "related":
            similar.append(name(s.skill_id))
        elif s.importance == "must":
            # Translators: a missing skill that the vacancy requires.
            missing.append(_("%(skill)s (must)") % {"skill": name(s.skill_id)})
        else:
            missing.append(name(s.skill_id))
    n = len(v.skills)
    parts = [
        t.ngettext(
            "%(have)s of %(total)s skill present",
            "%(have)s of %(total)s skills present",
            n,
        )
        % {"have": have, "total": n}
    ]
    if similar:
        parts.append(_("similar skills for: %(skills)s") % {"skills": listing(similar)})
    if below:
        parts.append(_("below the required level: %(skills)s") % {"skills": listing(below)})
    if missing:
        # Translators: German agrees the verb with the number ("fehlt: X" / "fehlen: X, Y").
        parts.append(
            t.ngettext("missing: %(skills)s", "missing: %(skills)s", len(missing))
            % {"skills": listing(missing)}
        )
    if unchecked:
        parts.append(unchecked)
    return "; ".join(parts)


def occupation_reason(
    p, v, profile: WeightProfile, lang: str, group_name: Callable[[str], str | None] | None = None
) -> str:
    """The best-matching previous occupation and how close it is, in words: the ISCO-08 group
    by its title where `group_name` knows it, never by its number."""
    _ = catalogue(lang).gettext
    if v.occupation_code is None and v.isco_group is None:
        return _("No occupation stated for the vacancy")
    prm = profile.params
    best, best_kind, best_years = 0.0, "", 0.0
    vg = v.isco_group or ""
    for occ in p.occupations:
        og = occ.isco_group or ""
        shared = 0  # leading ISCO digits in common (only counted from 2 up)
        while shared < min(len(og), len(vg), 4) and og[shared] == vg[shared]:
            shared += 1
        strength, kind = 0.0, ""
        if v.occupation_code is not None and occ.code == v.occupation_code:
            strength, kind = prm.occupation_same_code, "code"
        for digits, value in (
            (4, prm.occupation_isco4),
            (3, prm.occupation_isco3),
            (2, prm.occupation_isco2),
        ):
            if shared >= digits and value > strength:
                strength, kind = value, f"isco{digits}"
        if not kind:
            continue
        exp = prm.experience_floor + (1 - prm.experience_floor) * min(
            1.0, occ.years / prm.experience_full_years
        )
        if strength * exp > best:
            best, best_kind, best_years = strength * exp, kind, occ.years
    if not best_kind:
        return _("No matching work experience")
    years = fmt_years(best_years, lang)
    if best_kind == "code":
        return _("Same occupation, %(years)s of experience") % {"years": years}
    title = group_name(vg[: int(best_kind[-1])]) if group_name is not None else None
    if best_kind == "isco4":
        text = (
            _("Related occupation (%(group)s), %(years)s of experience")
            if title
            else _("Related occupation, %(years)s of experience")
        )
    elif best_kind == "isco3":
        text = (
            _("Similar occupation (%(group)s), %(years)s of experience")
            if title
            else _("Similar occupation, %(years)s of experience")
        )
    else:
        text = (
            _("Same occupational area (%(group)s), %(years)s of experience")
            if title
            else _("Same occupational area, %(years)s of experience")
        )
    return text % {"years": years, "group": title}


def commute_shift(p, v, mode: int) -> tuple[str | None, bool]:
    """The shift a public-transport commute was judged for, and whether off-peak.

    (None, False) when the shift does not matter: another mode (the same at any hour), or a
    vacancy whose shifts are all peak or that states none. Otherwise the first shift the
    commute was judged for (`formulas.travel_shifts`), e.g. the day shift of an early/day job.
    """
    if MODES[mode] != "public_transport" or not v.shifts:
        return None, False
    vacancy = shift_mask(v.shifts)
    if vacancy & OFF_PEAK_MASK == 0:
        return None, False
    travel = int(travel_shifts(shift_mask(p.shifts), vacancy))
    off_peak = bool(commute_off_peak(shift_mask(p.shifts), vacancy))
    first = next(s for s in SHIFTS if travel & SHIFT_BIT[s])
    return first, off_peak


def commute_step(minutes: float) -> float:
    """Minutes rounded to the nearest 5-minute step, never below one step for a real commute.

    Employers and partners see commute minutes in these steps: exact minutes from an exact
    home would tell them roughly where the person lives.
    """
    if not minutes < float("inf"):
        return minutes
    steps = round(minutes / COMMUTE_STEP_MINUTES)
    return float(max(1, steps) * COMMUTE_STEP_MINUTES) if minutes > 0 else 0.0


def commute_words(
    p, v, minutes: float, mode: int, lang: str, *, reason: str, restricted: bool = False
) -> str:
    """Minutes, mode, the shift where it matters, the limit, and few buses where they matter.

    ``reason`` "component" words the commute value ("… (Grenze 45 Min.)"), "constraint" a
    commute over the limit ("…, Grenze 45 Min."). ``restricted`` texts (employers, partners)
    give the minutes in 5-minute steps, as their ranking items do.
    """
    _ = catalogue(lang).gettext
    shift, off_peak = commute_shift(p, v, mode)
    values = {
        "minutes": round(commute_step(minutes) if restricted else minutes),
        "mode": mode_name(MODES[mode], lang),
        "limit": fmt_num(p.max_commute_minutes, lang),
    }
    if shift is not None:
        values["shift"] = shift_noun(shift, lang)
    if reason == "component" and shift is None:
        # Translators: %(mode)s is a commute mode such as "by bike".
        text = _("Commute about %(minutes)s min %(mode)s (limit %(limit)s min)")
    elif reason == "component":
        # Translators: %(shift)s is a shift as a noun, e.g. "day shift".
        text = _("Commute about %(minutes)s min %(mode)s to the %(shift)s (limit %(limit)s min)")
    elif shift is None:
        text = _("Commute about %(minutes)s min %(mode)s, limit %(limit)s min")
    else:
        text = _("Commute about %(minutes)s min %(mode)s to the %(shift)s, limit %(limit)s min")
    text %= values
    if off_peak:
        text += "; " + _("few buses at that hour")
    return text


def commute_reason(p, v, minutes: float, mode: int, lang: str, *, restricted: bool = False) -> str:
    """Minutes, mode and limit, e.g. 'Pendelzeit ca. 25 Min. mit dem Fahrrad (Grenze 45 Min.)'."""
    _ = catalogue(lang).gettext
    if not minutes < float("inf"):
        limit = fmt_num(p.max_commute_minutes, lang)
        return _("Workplace not reachable (limit %(limit)s min)") % {"limit": limit}
    return commute_words(p, v, minutes, mode, lang, reason="component", restricted=restricted)


def preferences_reason(
    p,
    v,
    as_of: date,
    lang: str,
    *,
    minutes: float = 0.0,
    params: ScoringParams | None = None,
    field_name: Callable[[str], str] = str,
) -> str:
    """Placement type, field, hours, shifts and start against the person's wishes.

    Which shifts fit depends on the commute there and back (`minutes`), see schedule.py.
    """
    t = catalogue(lang)
    _ = t.gettext
    parts: list[str] = []
    if p.placement_types:
        tname = {"type": type_name(v.type, lang)}
        wanted = v.type in p.placement_types
        parts.append((_("%(type)s wanted") if wanted else _("%(type)s not wanted")) % tname)
    if v.field is not None and v.field in p.fields_excluded:
        parts.append(_("field %(field)s excluded") % {"field": field_name(v.field)})
    elif p.fields_wanted and v.field in p.fields_wanted:
        parts.append(_("preferred field %(field)s") % {"field": field_name(v.field)})
    elif p.fields_wanted and v.field is None:
        parts.append(_("field not stated"))
    elif p.fields_wanted:
        parts.append(_("not a preferred field"))
    if p.hours_per_week is not None and v.hours_per_week is not None:
        # Translators: the participant's weekly hours / the vacancy's.
        parts.append(
            _("weekly hours %(person)s/%(vacancy)s")
            % {
                "person": fmt_num(p.hours_per_week, lang),
                "vacancy": fmt_num(v.hours_per_week, lang),
            }
        )
    shifts = shifts_part(p, v, minutes, as_of, params or DEFAULT_PARAMS, lang)
    if shifts is not None:
        parts.append(shifts)
    if v.start_date is not None or p.earliest_start is not None:
        avail = max(p.earliest_start or as_of, as_of)
        gap = (start_eff(v, as_of) - avail).days
        if gap == 0:
            parts.append(_("start fits"))
        elif gap > 0:
            parts.append(
                t.ngettext(
                    "starts %(days)s day after availability",
                    "starts %(days)s days after availability",
                    gap,
                )
                % {"days": gap}
            )
        else:
            parts.append(
                t.ngettext(
                    "starts %(days)s day before availability",
                    "starts %(days)s days before availability",
                    -gap,
                )
                % {"days": -gap}
            )
    if not parts:
        return _("No preferences stated")
    text = "; ".join(parts)
    return capitalised(text)
