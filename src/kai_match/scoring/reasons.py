"""Reason texts for components, failed constraints and flags of one pair.

Built only for the pairs that are returned (top-k or one explanation), so plain Python is fine.
The numbers (values, eligibility) come from the vectorised evaluation; this module only says
in words what they mean, so a counsellor can defend a suggestion.
"""

from __future__ import annotations

from datetime import date

from .constants import B1, CEFR_INDEX, MODES
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
    pick,
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
    sims = [
        sim
        for other, sim in (related(s.skill_id) if related else {}).items()
        if other != s.skill_id and sim > 0.0 and other in p.skills
    ]
    best = max(sims, default=0.0)
    prm = profile.params
    covered = prm.must_skill_accepts_related and best >= prm.must_skill_related_threshold
    return ("related" if best > 0 else "missing"), covered


def language_reason(p, v, b1_ok: bool, lang: str) -> str:
    """CEFR level against the minimum, tolerance, expected B1, support, wanted languages."""
    gap = CEFR_INDEX[v.min_german_level] - CEFR_INDEX[p.german_level]
    tol = v.german_tolerance
    text = pick(
        lang,
        f"Deutsch {p.german_level}, gefordert {v.min_german_level}",
        f"German {p.german_level}, {v.min_german_level} required",
    )
    b1_date = fmt_date(p.expected_b1_date, lang) if b1_ok else ""
    if gap <= 0:
        text += pick(lang, " – erfüllt", " – met")
    elif gap <= tol:
        text += pick(
            lang, " – mit Sprachbegleitung akzeptiert", " – accepted with language support"
        )
    elif b1_ok and CEFR_INDEX[v.min_german_level] - B1 <= tol:
        text += pick(lang, f" – B1 erwartet bis {b1_date}", f" – B1 expected by {b1_date}")
        b1_ok = False
    else:
        text += pick(
            lang,
            f" – {fmt_levels(gap, lang)} darunter, Toleranz {tol}",
            f" – {fmt_levels(gap, lang)} below, tolerance {tol}",
        )
    if b1_ok:
        text += pick(lang, f"; B1 erwartet bis {b1_date}", f"; B1 expected by {b1_date}")
    if v.employer_offers_language_support and gap > 0:
        text += pick(lang, "; Sprachförderung im Betrieb", "; language support at work")
    if v.languages_wanted:
        spoken = [
            lw.code
            for lw in v.languages_wanted
            if CEFR_INDEX.get(p.other_languages.get(lw.code, ""), -1) >= CEFR_INDEX[lw.level]
        ]
        absent = [lw.code for lw in v.languages_wanted if lw.code not in spoken]
        if spoken:
            text += pick(
                lang,
                f"; erwünschte Sprache vorhanden: {listing(spoken)}",
                f"; wanted language spoken: {listing(spoken)}",
            )
        if absent:
            text += pick(
                lang,
                f"; erwünschte Sprache fehlt: {listing(absent)}",
                f"; wanted language missing: {listing(absent)}",
            )
    if not p.latin_literacy:
        text += pick(
            lang,
            "; Alphabetisierung in lateinischer Schrift noch nicht abgeschlossen",
            "; not yet literate in Latin script",
        )
    return text


def skills_reason(p, v, value, related, profile, lang, name: SkillName) -> str:
    """How many required skills are held, similar, below level or missing."""
    if not v.skills:
        return pick(lang, "Keine Kenntnisse gefordert", "No skills required")
    by_status: dict[str, list[str]] = {"held": [], "below": [], "related": [], "missing": []}
    for s in v.skills:
        status, _ = skill_status(p, s, related, profile)
        label = name(s.skill_id)
        if status == "missing" and s.importance == "must":
            label += pick(lang, " (Pflicht)", " (must)")
        by_status[status].append(label)
    have = len(by_status["held"]) + len(by_status["below"])
    pct = round(100 * value)
    text = pick(
        lang,
        f"{have} von {len(v.skills)} Kenntnissen vorhanden (Abdeckung {pct} %)",
        f"{have} of {len(v.skills)} skills present (coverage {pct} %)",
    )
    if by_status["related"]:
        similar = listing(by_status["related"])
        text += pick(
            lang, f"; ähnliche Kenntnisse für: {similar}", f"; similar skills for: {similar}"
        )
    if by_status["below"]:
        below = listing(by_status["below"])
        text += pick(
            lang, f"; unter gefordertem Niveau: {below}", f"; below the required level: {below}"
        )
    if by_status["missing"]:
        missing = listing(by_status["missing"])
        text += pick(lang, f"; fehlt: {missing}", f"; missing: {missing}")
    return text


def occupation_reason(p, v, profile: WeightProfile, lang: str) -> str:
    """The best-matching previous occupation and how it matches."""
    if v.occupation_code is None and v.isco_group is None:
        return pick(lang, "Stelle ohne Berufsangabe", "No occupation stated for the vacancy")
    prm = profile.params
    best, best_kind, best_years = 0.0, "", 0.0
    vg = v.isco_group or ""
    for occ in p.occupations:
        og = occ.isco_group or ""
        kinds = [
            (prm.occupation_same_code, "code", v.occupation_code is not None
             and occ.code == v.occupation_code),
            (prm.occupation_isco4, "isco4", len(og) >= 4 and len(vg) >= 4 and og[:4] == vg[:4]),
            (prm.occupation_isco3, "isco3", len(og) >= 3 and len(vg) >= 3 and og[:3] == vg[:3]),
            (prm.occupation_isco2, "isco2", len(og) >= 2 and len(vg) >= 2 and og[:2] == vg[:2]),
        ]  # fmt: skip
        strength, kind = max(((s, k) for s, k, ok in kinds if ok), default=(0.0, ""))
        exp = prm.experience_floor + (1 - prm.experience_floor) * min(
            1.0, occ.years / prm.experience_full_years
        )
        if kind and strength * exp > best:
            best, best_kind, best_years = strength * exp, kind, occ.years
    if not best_kind:
        return pick(lang, "Keine passende Berufserfahrung", "No matching work experience")
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
    return pick(lang, de[best_kind], en[best_kind])


def commute_reason(p, v, minutes: float, mode: int, lang: str) -> str:
    """Minutes, mode and limit, e.g. 'Pendelzeit ca. 25 Min. mit dem Fahrrad (Grenze 45 Min.)'."""
    limit = fmt_num(p.max_commute_minutes, lang)
    if not minutes < float("inf"):
        return pick(
            lang,
            f"Arbeitsort nicht erreichbar (Grenze {limit} Min.)",
            f"Workplace not reachable (limit {limit} min)",
        )
    m = round(minutes)
    how = MODE_NAMES[lang][MODES[mode]]
    text = pick(
        lang,
        f"Pendelzeit ca. {m} Min. {how} (Grenze {limit} Min.)",
        f"Commute about {m} min {how} (limit {limit} min)",
    )
    if {"early", "night", "weekend"} & v.shifts and not p.has_car_access:
        text += pick(
            lang,
            "; Früh-, Nacht- oder Wochenendschicht: kaum Busse",
            "; early, night or weekend shifts: few buses",
        )
    return text


def preferences_reason(p, v, as_of: date, lang: str) -> str:
    """Placement type, field, hours, shifts and start against the person's wishes."""
    parts: list[str] = []
    tname = TYPE_NAMES[lang][v.type]
    if p.placement_types:
        wanted = v.type in p.placement_types
        parts.append(
            pick(
                lang,
                f"{tname} {'gewünscht' if wanted else 'nicht gewünscht'}",
                f"{tname} {'wanted' if wanted else 'not wanted'}",
            )
        )
    if v.field is not None and v.field in p.fields_excluded:
        parts.append(
            pick(lang, f"Berufsfeld {v.field} ausgeschlossen", f"field {v.field} excluded")
        )
    elif p.fields_wanted and v.field in p.fields_wanted:
        parts.append(pick(lang, f"Wunschfeld {v.field}", f"preferred field {v.field}"))
    elif p.fields_wanted:
        parts.append(pick(lang, "nicht im Wunschfeld", "not a preferred field"))
    if p.hours_per_week is not None and v.hours_per_week is not None:
        ph, vh = fmt_num(p.hours_per_week, lang), fmt_num(v.hours_per_week, lang)
        parts.append(pick(lang, f"Wochenstunden {ph}/{vh}", f"weekly hours {ph}/{vh}"))
    if v.shifts:
        names = SHIFT_NAMES[lang]
        missing = sorted(v.shifts - p.shifts, key=list(names).index)
        if not missing:
            parts.append(pick(lang, "Schichten passen", "shifts fit"))
        else:
            k, n, miss = (
                len(v.shifts) - len(missing),
                len(v.shifts),
                listing([names[s] for s in missing], 5),
            )
            parts.append(
                pick(
                    lang,
                    f"Schichten: {k} von {n} möglich (nicht: {miss})",
                    f"shifts: {k} of {n} possible (not: {miss})",
                )
            )
    if v.start_date is not None or p.earliest_start is not None:
        avail = max(p.earliest_start or as_of, as_of)
        gap = (start_eff(v, as_of) - avail).days
        if gap == 0:
            parts.append(pick(lang, "Beginn passt", "start fits"))
        elif gap > 0:
            parts.append(
                pick(
                    lang,
                    f"Beginn {gap} Tage nach Verfügbarkeit",
                    f"starts {gap} days after availability",
                )
            )
        else:
            parts.append(
                pick(
                    lang,
                    f"Beginn {-gap} Tage vor Verfügbarkeit",
                    f"starts {-gap} days before availability",
                )
            )
    if not parts:
        return pick(lang, "Keine Präferenzen angegeben", "No preferences stated")
    text = "; ".join(parts)
    return text[0].upper() + text[1:]
