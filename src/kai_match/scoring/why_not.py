"""Why-not texts: reasons for failed constraints, and the flags a counsellor must check."""

from __future__ import annotations

from collections.abc import Mapping

from .constants import B1, CEFR_INDEX, CONSTRAINTS
from .reasons import skill_status, start_eff
from .results import Flag
from .texts import (
    PERMIT_NAMES,
    TYPE_NAMES,
    fmt_date,
    fmt_levels,
    fmt_num,
    listing,
    status_name,
)


def constraint_reason(
    name: str, p, v, *, minutes, profile, as_of, lang, related, skill_name, employer_view, rule
) -> str:
    """Why a constraint failed, in words."""
    if name == "work_permit":
        parts = []
        if rule == 2:
            pname, tname = PERMIT_NAMES[lang][p.work_permit], TYPE_NAMES[lang][v.type]
            parts.append(
                f"Beschäftigung nicht erlaubt ({pname}) für {tname}"
                if lang == "de"
                else f"Employment not allowed ({pname}) for {tname}"
            )
        start = start_eff(v, as_of)
        if p.permit_valid_until is not None and p.permit_valid_until < start:
            until, begin = fmt_date(p.permit_valid_until, lang), fmt_date(start, lang)
            parts.append(
                f"Aufenthaltstitel gültig bis {until}, Beginn {begin}"
                if lang == "de"
                else f"Permit valid until {until}, start {begin}"
            )
        return "; ".join(parts)
    if name == "consent":
        if not p.consent_processing:
            return (
                "Keine Einwilligung zur Datenverarbeitung"
                if lang == "de"
                else "No consent to processing"
            )
        return (
            "Keine Einwilligung zur Weitergabe an Arbeitgeber"
            if lang == "de"
            else "No consent to share the profile with employers"
        )
    if name == "language":
        tol = fmt_levels(v.german_tolerance, lang)
        text = (
            f"Deutsch {p.german_level}, gefordert {v.min_german_level}, Toleranz {tol}"
            if lang == "de"
            else f"German {p.german_level}, {v.min_german_level} required, tolerance {tol}"
        )
        if p.expected_b1_date is not None and CEFR_INDEX[p.german_level] < B1:
            d = fmt_date(p.expected_b1_date, lang)
            text += f"; B1 erwartet am {d}" if lang == "de" else f"; B1 expected on {d}"
        return text
    if name == "commute":
        limit = fmt_num(p.max_commute_minutes, lang)
        if not minutes < float("inf"):
            return "Arbeitsort nicht erreichbar" if lang == "de" else "Workplace not reachable"
        m = round(minutes)
        return (
            f"Pendelzeit ca. {m} Min. über der Grenze von {limit} Min."
            if lang == "de"
            else f"Commute about {m} min exceeds the limit of {limit} min"
        )
    if name == "driving_licence":
        cls = v.driving_licence_required
        return (
            f"Führerschein Klasse {cls} erforderlich"
            if lang == "de"
            else f"Driving licence {cls} required"
        )
    if name == "must_skill":
        missing = [
            skill_name(s.skill_id)
            for s in v.skills
            if s.importance == "must" and not skill_status(p, s, related, profile)[1]
        ]
        listed = listing(missing, 5)
        return (
            f"Pflichtkenntnis fehlt: {listed}"
            if lang == "de"
            else f"Required skill missing: {listed}"
        )
    if name == "openings":
        return "Keine freien Plätze mehr" if lang == "de" else "No openings left"
    if name == "dates":
        return _dates_reason(p, v, profile, as_of, lang)
    parts = []
    if p.status != "active":
        s = status_name(p.status, lang)
        parts.append(
            f"Teilnehmer*in nicht aktiv ({s})" if lang == "de" else f"Participant not active ({s})"
        )
    if v.status != "open":
        s = status_name(v.status, lang)
        parts.append(f"Stelle nicht offen ({s})" if lang == "de" else f"Vacancy not open ({s})")
    return "; ".join(parts)


def _dates_reason(p, v, profile, as_of, lang) -> str:
    parts = []
    if v.valid_through is not None and v.valid_through < as_of:
        d = fmt_date(v.valid_through, lang)
        parts.append(
            f"Ausschreibung abgelaufen am {d}" if lang == "de" else f"Posting expired on {d}"
        )
    avail = max(p.earliest_start or as_of, as_of)
    if v.end_date is not None and v.end_date < avail:
        d, a = fmt_date(v.end_date, lang), fmt_date(avail, lang)
        parts.append(
            f"Ende {d} vor möglichem Beginn {a}" if lang == "de" else f"Ends {d}, before {a}"
        )
    slack = profile.params.start_slack_days
    if (
        v.start_date is not None
        and p.earliest_start is not None
        and v.start_date.toordinal() + slack < p.earliest_start.toordinal()
    ):
        s, e = fmt_date(v.start_date, lang), fmt_date(p.earliest_start, lang)
        parts.append(
            f"Beginn {s} vor frühestem Start {e}"
            if lang == "de"
            else f"Starts {s}, before earliest start {e}"
        )
    return "; ".join(parts)


def flags(p, v, fails: Mapping[str, bool], *, b1_ok, rule, profile, as_of, lang, reason_of):
    """Flags of a pair: permit checks, renewal, expected B1, soft constraint failures."""
    out: list[Flag] = []
    if rule == 1:
        code, de, en = {
            "approval_required": (
                "approval_required",
                "Zustimmung der Ausländerbehörde erforderlich",
                "Approval by the foreigners' office required",
            ),
            "prohibited": (
                "measure_only",
                "Arbeitsverbot – nur als Maßnahme möglich, bitte prüfen",
                "Employment prohibited – possible only as a measure, please check",
            ),
        }.get(p.work_permit, ("permit_check", "Arbeitserlaubnis prüfen", "Check the work permit"))
        out.append(Flag(code, (de if lang == "de" else en)))
    if (
        p.permit_renewal_pending
        and p.permit_valid_until is not None
        and p.permit_valid_until < start_eff(v, as_of)
    ):
        d = fmt_date(p.permit_valid_until, lang)
        out.append(
            Flag(
                "permit_renewal_pending",
                (
                    f"Aufenthaltstitel endet am {d} vor Beginn – Verlängerung beantragt"
                    if lang == "de"
                    else f"Permit ends {d}, before the start – renewal pending"
                ),
            )
        )
    if (
        b1_ok
        and CEFR_INDEX[v.min_german_level] - CEFR_INDEX[p.german_level] > v.german_tolerance
        and not fails["language"]
    ):
        d = fmt_date(p.expected_b1_date, lang)
        out.append(
            Flag("b1_expected", (f"B1 erwartet bis {d}" if lang == "de" else f"B1 expected by {d}"))
        )
    if any(fails.values()):
        hard = profile.hard_constraints[v.type]
        out += [Flag(c, reason_of(c)) for c in CONSTRAINTS if fails[c] and c not in hard]
    return tuple(out)
