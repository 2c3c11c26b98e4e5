"""Reason texts for components, failed constraints and flags of one pair.

Built only for the pairs that are returned (top-k or one explanation), so plain Python is fine.
The numbers (values, eligibility) come from the vectorised evaluation; this module only says
in words what they mean, so a counsellor can defend a suggestion.
"""

from __future__ import annotations

from datetime import date

from .constants import B1, CEFR_INDEX, MODES, OFF_PEAK_SHIFTS, SHIFTS
from .profiles import ParticipantProfile, RequiredSkill, VacancyProfile
from .protocols import RelatedSkills, SkillName
from .texts import (
    MODE_NAMES,
    SHIFT_NAMES,
    TYPE_NAMES,
    fmt_date,
    fmt_levels,
    fmt_num,
    fmt_years,
    listing,
)
from .weights import WeightProfile


def start_eff(v: VacancyProfile, as_of: date) -> date:
    """The start date, never before today."""
    return max(v.start_date, as_of) if v.start_date else as_of


def skill_status(
    p: ParticipantProfile, s: RequiredSkill, related: RelatedSkills | None, profile: WeightProfile
) -> tuple[str, bool]:
    """('held' | 'below' | 'related' | 'missing', counts for the must-skill check)."""
    held = p.skills.get(s.skill_id)
    if held is not None:
        return ("held" if held.level >= s.level else "below"), True
    best = 0.0
    if related is not None and p.skills:
        similar = related(s.skill_id)
        for other in p.skills:
            sim = similar.get(other, 0.0)
            if sim > best and other != s.skill_id:
                best = sim
    prm = profile.params
    covered = prm.must_skill_accepts_related and best >= prm.must_skill_related_threshold
    return ("related" if best > 0 else "missing"), covered


def language_reason(p, v, b1_ok: bool, lang: str) -> str:
    """CEFR level against the minimum, tolerance, expected B1, support, wanted languages."""
    gap = CEFR_INDEX[v.min_german_level] - CEFR_INDEX[p.german_level]
    tol = v.german_tolerance
    text = (
        f"Deutsch {p.german_level}, gefordert {v.min_german_level}"
        if lang == "de"
        else f"German {p.german_level}, {v.min_german_level} required"
    )
    b1_date = fmt_date(p.expected_b1_date, lang) if b1_ok else ""
    if gap <= 0:
        text += " – erfüllt" if lang == "de" else " – met"
    elif gap <= tol:
        text += (
            " – mit Sprachbegleitung akzeptiert"
            if lang == "de"
            else " – accepted with language support"
        )
    elif b1_ok and CEFR_INDEX[v.min_german_level] - B1 <= tol:
        text += f" – B1 erwartet bis {b1_date}" if lang == "de" else f" – B1 expected by {b1_date}"
        b1_ok = False
    else:
        text += (
            f" – {fmt_levels(gap, lang)} darunter, Toleranz {tol}"
            if lang == "de"
            else f" – {fmt_levels(gap, lang)} below, tolerance {tol}"
        )
    if b1_ok:
        text += f"; B1 erwartet bis {b1_date}" if lang == "de" else f"; B1 expected by {b1_date}"
    if v.employer_offers_language_support and gap > 0:
        text += "; Sprachförderung im Betrieb" if lang == "de" else "; language support at work"
    if v.languages_wanted:
        spoken = [
            lw.code
            for lw in v.languages_wanted
            if CEFR_INDEX.get(p.other_languages.get(lw.code, ""), -1) >= CEFR_INDEX[lw.level]
        ]
        absent = [lw.code for lw in v.languages_wanted if lw.code not in spoken]
        if spoken:
            text += (
                f"; erwünschte Sprache vorhanden: {listing(spoken)}"
                if lang == "de"
                else f"; wanted language spoken: {listing(spoken)}"
            )
        if absent:
            text += (
                f"; erwünschte Sprache fehlt: {listing(absent)}"
                if lang == "de"
                else f"; wanted language missing: {listing(absent)}"
            )
    if not p.latin_literacy:
        text += (
            "; Alphabetisierung in lateinischer Schrift noch nicht abgeschlossen"
            if lang == "de"
            else "; not yet literate in Latin script"
        )
    return text


def skills_reason(p, v, value, related, profile, lang, name: SkillName, status_of=None) -> str:
    """How many required skills are held, similar, below level or missing.

    `status_of(p, s)` may replace `skill_status` (a memoised version, for whole pages).
    """
    if not v.skills:
        return "Keine Kenntnisse gefordert" if lang == "de" else "No skills required"
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
            missing.append(name(s.skill_id) + (" (Pflicht)" if lang == "de" else " (must)"))
        else:
            missing.append(name(s.skill_id))
    pct = round(100 * value)
    n = len(v.skills)
    if lang == "de":
        text = f"{have} von {n} Kenntnissen vorhanden (Abdeckung {pct} %)"
        if similar:
            text += f"; ähnliche Kenntnisse für: {listing(similar)}"
        if below:
            text += f"; unter gefordertem Niveau: {listing(below)}"
        if missing:
            text += f"; fehlt: {listing(missing)}"
        return text
    text = f"{have} of {n} skills present (coverage {pct} %)"
    if similar:
        text += f"; similar skills for: {listing(similar)}"
    if below:
        text += f"; below the required level: {listing(below)}"
    if missing:
        text += f"; missing: {listing(missing)}"
    return text


def occupation_reason(p, v, profile: WeightProfile, lang: str) -> str:
    """The best-matching previous occupation and how it matches."""
    if v.occupation_code is None and v.isco_group is None:
        return (
            "Stelle ohne Berufsangabe" if lang == "de" else "No occupation stated for the vacancy"
        )
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
        return "Keine passende Berufserfahrung" if lang == "de" else "No matching work experience"
    years = fmt_years(best_years, lang)
    de = {
        "code": f"Gleicher Beruf, {years} Erfahrung",
        "isco4": f"Verwandter Beruf (ISCO {vg[:4]}), {years} Erfahrung",
        "isco3": f"Ähnlicher Beruf (ISCO {vg[:3]}), {years} Erfahrung",
        "isco2": f"Gleicher Berufsbereich (ISCO {vg[:2]}), {years} Erfahrung",
    }
    en = {
        "code": f"Same occupation, {years} of experience",
        "isco4": f"Related occupation (ISCO {vg[:4]}), {years} of experience",
        "isco3": f"Similar occupation (ISCO {vg[:3]}), {years} of experience",
        "isco2": f"Same occupational area (ISCO {vg[:2]}), {years} of experience",
    }
    return de[best_kind] if lang == "de" else en[best_kind]


def commute_reason(p, v, minutes: float, mode: int, lang: str) -> str:
    """Minutes, mode and limit, e.g. 'Pendelzeit ca. 25 Min. mit dem Fahrrad (Grenze 45 Min.)'."""
    limit = fmt_num(p.max_commute_minutes, lang)
    if not minutes < float("inf"):
        return (
            f"Arbeitsort nicht erreichbar (Grenze {limit} Min.)"
            if lang == "de"
            else f"Workplace not reachable (limit {limit} min)"
        )
    m = round(minutes)
    how = MODE_NAMES[lang][MODES[mode]]
    text = (
        f"Pendelzeit ca. {m} Min. {how} (Grenze {limit} Min.)"
        if lang == "de"
        else f"Commute about {m} min {how} (limit {limit} min)"
    )
    if not OFF_PEAK_SHIFTS.isdisjoint(v.shifts) and not p.has_car_access:
        text += (
            "; Früh-, Nacht- oder Wochenendschicht: kaum Busse"
            if lang == "de"
            else "; early, night or weekend shifts: few buses"
        )
    return text


def preferences_reason(p, v, as_of: date, lang: str) -> str:
    """Placement type, field, hours, shifts and start against the person's wishes."""
    parts: list[str] = []
    tname = TYPE_NAMES[lang][v.type]
    if p.placement_types:
        wanted = v.type in p.placement_types
        parts.append(
            f"{tname} {'gewünscht' if wanted else 'nicht gewünscht'}"
            if lang == "de"
            else f"{tname} {'wanted' if wanted else 'not wanted'}"
        )
    if v.field is not None and v.field in p.fields_excluded:
        parts.append(
            f"Berufsfeld {v.field} ausgeschlossen" if lang == "de" else f"field {v.field} excluded"
        )
    elif p.fields_wanted and v.field in p.fields_wanted:
        parts.append(f"Wunschfeld {v.field}" if lang == "de" else f"preferred field {v.field}")
    elif p.fields_wanted:
        parts.append("nicht im Wunschfeld" if lang == "de" else "not a preferred field")
    if p.hours_per_week is not None and v.hours_per_week is not None:
        ph, vh = fmt_num(p.hours_per_week, lang), fmt_num(v.hours_per_week, lang)
        parts.append(f"Wochenstunden {ph}/{vh}" if lang == "de" else f"weekly hours {ph}/{vh}")
    if v.shifts:
        names = SHIFT_NAMES[lang]
        missing = [s for s in SHIFTS if s in v.shifts and s not in p.shifts]
        if not missing:
            parts.append("Schichten passen" if lang == "de" else "shifts fit")
        else:
            k, n, miss = (
                len(v.shifts) - len(missing),
                len(v.shifts),
                listing([names[s] for s in missing], 5),
            )
            parts.append(
                f"Schichten: {k} von {n} möglich (nicht: {miss})"
                if lang == "de"
                else f"shifts: {k} of {n} possible (not: {miss})"
            )
    if v.start_date is not None or p.earliest_start is not None:
        avail = max(p.earliest_start or as_of, as_of)
        gap = (start_eff(v, as_of) - avail).days
        if gap == 0:
            parts.append("Beginn passt" if lang == "de" else "start fits")
        elif gap > 0:
            parts.append(
                f"Beginn {gap} Tage nach Verfügbarkeit"
                if lang == "de"
                else f"starts {gap} days after availability"
            )
        else:
            parts.append(
                f"Beginn {-gap} Tage vor Verfügbarkeit"
                if lang == "de"
                else f"starts {-gap} days before availability"
            )
    if not parts:
        return "Keine Präferenzen angegeben" if lang == "de" else "No preferences stated"
    text = "; ".join(parts)
    return text[0].upper() + text[1:]
