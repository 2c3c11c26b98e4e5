"""When the next contact is due: 42 days after the last, sooner when the person's week changes.

An audit of a federal refugee job programme found 115–180 days between contacts against a
42-day rule, and a third of course participants without counselling during the course; the
moments that most need a conversation are the end of the course and the start and end of a work
trial. The rule (docs/placements.md, "Contacts"):

- the last contact (or, without one, the day the profile was created) + 42 days;
- sooner: a week before the course ends (the end of the person's course commitment; without
  one, the expected B1 date stands for the course's final exam), three days before a trial
  starts, three days after it ends —
- each such day counts only while it lies after the last contact (a contact on or after it has
  covered it). The earliest day wins; on a tie the cadence, then the events in that order.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from kai_match.models.contact import CONTACT_INTERVAL_DAYS, NextContactReason

BEFORE_COURSE_END = timedelta(days=7)
BEFORE_TRIAL_START = timedelta(days=3)
AFTER_TRIAL_END = timedelta(days=3)


def next_contact(
    *,
    last_contact: date | None,
    created_on: date,
    course_end: date | None,
    trials: Iterable[tuple[date | None, date | None]],
) -> tuple[date, NextContactReason]:
    """The day the next contact is due and why; ``trials`` are (start, end) of the person's."""
    since = last_contact or created_on
    base = NextContactReason.cadence if last_contact else NextContactReason.intake
    candidates = [(since + timedelta(days=CONTACT_INTERVAL_DAYS), 0, base)]
    if course_end is not None:
        candidates.append((course_end - BEFORE_COURSE_END, 1, NextContactReason.course_end))
    for start, end in trials:
        if start is not None:
            candidates.append((start - BEFORE_TRIAL_START, 2, NextContactReason.trial_start))
        if end is not None:
            candidates.append((end + AFTER_TRIAL_END, 3, NextContactReason.trial_end))
    due = [c for c in candidates if c[2] == base or c[0] > since]
    day, _, reason = min(due)
    return day, reason
