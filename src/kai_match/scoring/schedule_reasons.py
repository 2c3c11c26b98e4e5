"""Schedule texts: why a vacancy's working times do not fit a person's week, and which do.

Restricted texts (employers, partners) never name the person's commitments: childcare and
course hours are the person's own business; they only learn that the times do not fit.
"""

from __future__ import annotations

from datetime import date

from .i18n import catalogue, pgettext_noop, word
from .schedule import TimeFit, fits_from, pair_fits
from .texts import fmt_date, listing, shift_name, shift_noun
from .week import fmt

COMMITMENT_NAMES = {
    "course": pgettext_noop("commitment", "course"),
    "childcare": pgettext_noop("commitment", "childcare"),
    "other": pgettext_noop("commitment", "other commitment"),
}
# The same with its article, as the subject of "… ends" ("wenn der Kurs endet").
COMMITMENT_SUBJECTS = {
    "course": pgettext_noop("commitment that ends", "the course"),
    "childcare": pgettext_noop("commitment that ends", "the childcare"),
    "other": pgettext_noop("commitment that ends", "the commitment"),
}


def first_day(p, v, as_of: date) -> date:
    """The day the placement would begin: the vacancy's start, the person's, today."""
    days = [as_of, v.start_date or as_of, p.earliest_start or as_of]
    return max(days)


def _clash_words(fit: TimeFit, lang: str) -> str:
    _ = catalogue(lang).gettext
    what = {
        "shift": shift_noun(fit.time.kind, lang),
        "hours": "; ".join(fmt(w, lang) for w in fit.time.windows),
    }
    if not fit.kind_ok:
        # Translators: e.g. "Frühschicht (Mo–Fr 06:00–14:00) wird nicht gearbeitet".
        return _("%(shift)s (%(hours)s) not among the shifts the person works") % what
    c = fit.clashes[0]
    what["commitment"] = word(COMMITMENT_NAMES[c.kind], lang)
    what["when"] = fmt(c, lang)
    # Translators: e.g. "Frühschicht (Mo–Fr 06:00–14:00) überschneidet sich mit Kurs Mo–Fr …".
    return _("%(shift)s (%(hours)s) clashes with %(commitment)s %(when)s") % what


def schedule_reason(p, v, minutes: float, as_of: date, params, lang: str, *, restricted=False):
    """Why no working time fits, and from when one would (a course that ends)."""
    _ = catalogue(lang).gettext
    if restricted:
        return _("Working times do not fit the person's fixed commitments or shifts")
    first = first_day(p, v, as_of)
    fits = pair_fits(p, v, minutes, first, params.childcare_flex_minutes)
    text = _("Working times do not fit, including the commute: %(clashes)s") % {
        "clashes": listing([_clash_words(f, lang) for f in fits if not f.fits], 2)
    }
    later = fits_from(p, v, minutes, first, params.childcare_flex_minutes)
    if later is not None:
        ended = next(
            c
            for c in p.commitments
            if c.valid_until and c.valid_until.toordinal() + 1 == later.toordinal()
        )
        text += " – " + _("fits from %(date)s, when %(commitment)s ends") % {
            "date": fmt_date(later, lang),
            "commitment": word(COMMITMENT_SUBJECTS[ended.kind], lang),
        }
    return text


def shifts_part(p, v, minutes: float, as_of: date, params, lang: str) -> str | None:
    """The shifts part of the preferences: how many working times fit, and which not."""
    if not v.times:
        return None
    _ = catalogue(lang).gettext
    fits = pair_fits(p, v, minutes, first_day(p, v, as_of), params.childcare_flex_minutes)
    missing = [shift_name(f.time.kind, lang) for f in fits if not f.fits]
    if not missing:
        return _("shifts fit")
    return _("shifts: %(possible)s of %(total)s possible (not: %(shifts)s)") % {
        "possible": len(fits) - len(missing),
        "total": len(fits),
        "shifts": listing(missing, 5),
    }
