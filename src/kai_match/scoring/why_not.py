"""Why-not texts: reasons for failed constraints, and the flags a counsellor must check.

The words come from the message catalogues (i18n.py): msgids are English, German is the default.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

from .constants import B1, CEFR_INDEX, CONSTRAINTS, RULE_INDEX
from .formulas import DAY_NONE_LOW, boxed_start, day, permit_horizon_date
from .i18n import catalogue
from .reasons import commute_words, skill_status, start_eff
from .recognition import best_qualification
from .results import Flag
from .schedule_reasons import schedule_reason
from .texts import (
    MISSING_NAMES,
    capitalised,
    document_name,
    fmt_date,
    fmt_tolerance,
    listing,
    permit_name,
    status_name,
    type_name,
    word,
)


def constraint_reason(
    name: str,
    p,
    v,
    *,
    minutes,
    mode: int,
    profile,
    as_of,
    lang,
    related,
    skill_name,
    employer_view,
    rule,
    restricted: bool = False,
) -> str:
    """Why a constraint failed, in words (``restricted``: no permit dates, see RankingContext)."""
    _ = catalogue(lang).gettext
    if name == "work_permit":
        parts = []
        if rule == RULE_INDEX["deny"]:
            parts.append(
                _("Employment not allowed (%(permit)s) for %(type)s")
                % {"permit": permit_name(p.work_permit, lang), "type": type_name(v.type, lang)}
            )
        start = start_eff(v, as_of)
        horizon = _permit_day(v, as_of, employer_view)
        ends_early = p.permit_valid_until is not None and p.permit_valid_until < horizon
        document = _document(p, lang, restricted)
        if restricted:
            # Not the deny rule, so the permit's end (by day, or by quarter for employers).
            if ends_early or not parts:
                parts.append(
                    capitalised(
                        _("%(document)s not valid long enough for this start")
                        % {"document": document}
                    )
                )
        elif ends_early:
            text = capitalised(
                _("%(document)s valid until %(until)s, start %(start)s")
                % {
                    "document": document,
                    "until": fmt_date(p.permit_valid_until, lang),
                    "start": fmt_date(start, lang),
                }
            )
            if not parts:  # the only obstacle: a renewal changes the answer
                text += " – " + _("fits once %(document)s is renewed") % {
                    "document": _document(p, lang, restricted, article=True)
                }
            parts.append(text)
        return "; ".join(parts)
    if name == "consent":
        if not p.consent_processing:
            return _("No consent to processing")
        return _("No consent to share the profile with employers")
    if name == "language":
        text = _("German %(level)s, %(required)s required, %(tolerance)s") % {
            "level": p.german_level,
            "required": v.min_german_level,
            "tolerance": fmt_tolerance(v.german_tolerance, lang),
        }
        if p.expected_b1_date is not None and CEFR_INDEX[p.german_level] < B1:
            b1_date = fmt_date(p.expected_b1_date, lang)
            text += "; " + _("B1 expected on %(date)s") % {"date": b1_date}
            if CEFR_INDEX[v.min_german_level] - B1 <= v.german_tolerance:
                text += " – " + _("fits with a start from %(date)s") % {"date": b1_date}
        return text
    if name == "commute":
        if not minutes < float("inf"):
            return _("Workplace not reachable")
        return commute_words(p, v, minutes, mode, lang, reason="constraint", restricted=restricted)
    if name == "driving_licence":
        # Translators: %(licence)s is a licence class such as B or C1.
        return _("Driving licence %(licence)s required") % {"licence": v.driving_licence_required}
    if name == "must_skill":
        missing = [
            skill_name(s.skill_id)
            for s in v.skills
            if s.importance == "must" and not skill_status(p, s, related, profile)[1]
        ]
        if profile.params.unverified_must == "exclude":
            missing += [f"„{text}“" for text, imp in v.unverified if imp == "must"]
        return catalogue(lang).ngettext(
            "Required skill missing: %(skills)s",
            "Required skills missing: %(skills)s",
            len(missing),
        ) % {"skills": listing(missing, 5)}
    if name == "openings":
        return _("No openings left")
    if name == "dates":
        return _dates_reason(p, v, profile, as_of, lang)
    if name == "recognition":
        return _recognition_reason(p, v, lang)
    if name == "schedule":
        return schedule_reason(p, v, minutes, as_of, profile.params, lang, restricted=restricted)
    parts = []
    if p.status != "active":
        parts.append(
            _("Participant not active (%(status)s)") % {"status": status_name(p.status, lang)}
        )
    if v.status != "open":
        parts.append(_("Vacancy not open (%(status)s)") % {"status": status_name(v.status, lang)})
    return "; ".join(parts)


def _document(p, lang: str, restricted: bool, *, article: bool = False) -> str:
    """The permit's document in words; restricted texts never say which document it is."""
    return document_name(None if restricted else p.permit_document, lang, article=article)


def _recognition_reason(p, v, lang) -> str:
    """What stands between the person and a regulated occupation, and what is open instead."""
    _ = catalogue(lang).gettext
    qualification = best_qualification(p, v)
    if qualification is None:
        return _("Regulated occupation: a recognised qualification is required")
    if qualification.recognition == "partial":
        return _(
            "Regulated occupation: qualification only partly recognised – "
            "possible as a helper or assistant"
        )
    return _("Regulated occupation: qualification not recognised – apply for recognition")


def _dates_reason(p, v, profile, as_of, lang) -> str:
    _ = catalogue(lang).gettext
    parts = []
    if v.valid_through is not None and v.valid_through < as_of:
        parts.append(_("Posting expired on %(date)s") % {"date": fmt_date(v.valid_through, lang)})
    avail = max(p.earliest_start or as_of, as_of)
    if v.end_date is not None and v.end_date < avail:
        parts.append(
            _("Ends %(end)s, before %(available)s")
            % {"end": fmt_date(v.end_date, lang), "available": fmt_date(avail, lang)}
        )
    slack = profile.params.start_slack_days
    boxed = boxed_start(v.type, day(v.start_date, missing=DAY_NONE_LOW), v.end_date is not None)
    if p.earliest_start is not None and boxed + slack < p.earliest_start.toordinal():
        fits_from = p.earliest_start - timedelta(days=slack)
        parts.append(
            _("Starts %(start)s, before earliest start %(earliest)s")
            % {"start": fmt_date(v.start_date, lang), "earliest": fmt_date(p.earliest_start, lang)}
            + " – "
            + _("fits with a start from %(date)s") % {"date": fmt_date(fits_from, lang)}
        )
    return "; ".join(parts)


def flags(
    p,
    v,
    fails: Mapping[str, bool],
    *,
    b1_ok,
    rule,
    profile,
    as_of,
    lang,
    reason_of,
    skill_name=str,
    restricted: bool = False,
    employer_view: bool = False,
):
    """Flags of a pair: permit checks, renewal, expected B1, unchecked requirements and
    certificates, soft constraint failures."""
    _ = catalogue(lang).gettext
    out: list[Flag] = []
    if rule == RULE_INDEX["flag"]:
        if p.work_permit == "approval_required":
            out.append(Flag("approval_required", _("Approval by the foreigners' office required")))
        elif p.work_permit == "prohibited":
            out.append(
                Flag(
                    "measure_only",
                    _("Employment prohibited – possible only as a measure, please check"),
                )
            )
        else:
            out.append(Flag("permit_check", _("Check the work permit")))
    if (
        p.permit_renewal_pending
        and p.permit_valid_until is not None
        and p.permit_valid_until < _permit_day(v, as_of, employer_view)
    ):
        values = {
            "date": fmt_date(p.permit_valid_until, lang),
            "document": _document(p, lang, restricted),
        }
        text = (
            _("%(document)s ends before the start – renewal pending")
            if restricted
            else _("%(document)s ends on %(date)s, before the start – renewal pending")
        )
        out.append(Flag("permit_renewal_pending", capitalised(text % values)))
    ends_during = _permit_ends_during(p, v, profile, as_of, employer_view)
    if ends_during:
        values = {
            "date": fmt_date(p.permit_valid_until, lang),
            "document": _document(p, lang, restricted),
        }
        text = (
            _("%(document)s ends during the placement")
            if restricted
            else _("%(document)s ends on %(date)s, during the placement")
        )
        out.append(Flag("permit_ends_during", capitalised(text % values)))
    if (
        b1_ok
        and CEFR_INDEX[v.min_german_level] - CEFR_INDEX[p.german_level] > v.german_tolerance
        and not fails["language"]
    ):
        d = fmt_date(p.expected_b1_date, lang)
        out.append(Flag("b1_expected", _("B1 expected by %(date)s") % {"date": d}))
    if v.unverified:
        names = [f"„{text}“" for text, _imp in v.unverified]
        out.append(
            Flag(
                "unverified_requirement",
                catalogue(lang).ngettext(
                    "Requirement %(names)s not checked",
                    "Requirements %(names)s not checked",
                    len(names),
                )
                % {"names": listing(names, 3)},
            )
        )
    unproven = [
        skill_name(s.skill_id)
        for s in v.skills
        if s.certificate
        and s.importance == "must"
        and s.skill_id in p.skills
        and p.skills[s.skill_id].source != "certified"
    ]
    if unproven:
        # Translators: a required certificate or licence the person says they hold, unseen.
        text = catalogue(lang).ngettext(
            "Proof missing: %(skills)s", "Proofs missing: %(skills)s", len(unproven)
        ) % {"skills": listing(unproven, 3)}
        out.append(Flag("certificate_unproven", text))
    if v.regulated and not fails["recognition"]:
        qualification = best_qualification(p, v)
        if qualification is not None and qualification.recognition == "pending":
            expected = qualification.recognition_expected
            text = (
                _("Recognition applied for, decision pending")
                if restricted or expected is None
                else _("Recognition applied for, decision expected on %(date)s")
                % {"date": fmt_date(expected, lang)}
            )
            out.append(Flag("recognition_pending", text))
    missing = missing_data(p, v)
    if missing:
        names = [word(MISSING_NAMES[m], lang) for m in missing]
        # Translators: details neither side stated; the score counts them as half a match.
        text = _("Missing details, counted neutral: %(items)s") % {"items": listing(names, 5)}
        out.append(Flag("missing_data", text))
    if any(fails.values()):
        hard = profile.hard_constraints[v.type]
        out += [Flag(c, reason_of(c)) for c in CONSTRAINTS if fails[c] and c not in hard]
    return tuple(out)


def missing_data(p, v) -> list[str]:
    """What the vacancy does not state although the person's wishes need it, so the score
    counted it neutral (MISSING_NAMES): a question for the firm, on every pair it affects."""
    missing = []
    if p.hours_per_week is not None and v.hours_per_week is None:
        missing.append("hours")
    if not v.times:
        missing.append("working_times")
    if p.fields_wanted and v.field is None:
        missing.append("field")
    return missing


def placement_end(v, as_of, profile) -> date:
    """The last day a permit must cover: the end date, or for an open-ended vacancy the first
    `permit_open_ended_days` after the start (the probation period, in which a job lasts or not).
    """
    if v.end_date is not None:
        return v.end_date
    return start_eff(v, as_of) + timedelta(days=profile.params.permit_open_ended_days)


def _permit_ends_during(p, v, profile, as_of, employer_view: bool) -> bool:
    """The permit reaches the start but ends before the placement does (see `placement_end`)."""
    until = p.permit_valid_until
    if until is None or until < _permit_day(v, as_of, employer_view):
        return False
    end = placement_end(v, as_of, profile)
    return until < (permit_horizon_date(end) if employer_view else end)


def _permit_day(v, as_of, employer_view: bool):
    """The day a permit must reach: the start, or for employers its quarter's end."""
    start = start_eff(v, as_of)
    return permit_horizon_date(start) if employer_view else start
