"""Weekly times as people write them: "Mo–Fr 8:30–12:45", "Sa, So 22:00–06:00".

A weekly time is a set of weekdays (bit 0 = Monday … bit 6 = Sunday) and a window in minutes
after midnight. Counsellors and employers think in such phrases, not in bitmaps, so the API and
the console accept the phrase and show it back; the engine only sees the numbers. Times are in
steps of 15 minutes; a window whose end is not after its start runs past midnight (a night
shift 22:00–06:00 ends at 06:00 the next morning, stored as 30:00).
"""

from __future__ import annotations

import re
from typing import NamedTuple

DAY_NAMES: dict[str, tuple[str, ...]] = {
    "de": ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}
DAY_CODES: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
ALL_DAYS = 0x7F
WEEKDAYS = 0x1F  # Monday to Friday
WEEKEND_DAYS = 0x60  # Saturday and Sunday
DAY_MINUTES = 1440
STEP_MINUTES = 15
MAX_WINDOW_MINUTES = 16 * 60  # a longer stretch is not a working day or a commitment

_DAY_WORDS: dict[str, int] = {}
for _names in (*DAY_NAMES.values(), DAY_CODES):
    for _i, _name in enumerate(_names):
        _DAY_WORDS[_name.lower()] = _i
_DAY_WORDS.update({"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6})
_DAY_WORDS.update({"montag": 0, "dienstag": 1, "mittwoch": 2, "donnerstag": 3, "freitag": 4})
_DAY_WORDS.update({"samstag": 5, "sonnabend": 5, "sonntag": 6})

_DASH = r"\s*(?:-|–|—|bis|to)\s*"
_TIME = r"(\d{1,2})(?:[:.](\d{2}))?(?:\s*uhr)?"
_PHRASE = re.compile(rf"^(?P<days>[^\d]+?)\s+{_TIME}{_DASH}{_TIME}$", re.IGNORECASE)


class WeeklyTime(NamedTuple):
    """Weekdays (bitmask) and a window in minutes after midnight (end may exceed 1440)."""

    days: int
    start: int
    end: int


class WeekError(ValueError):
    """A weekly time that cannot be read; the message says which rule it breaks."""


def days_mask(codes: list[str] | tuple[str, ...]) -> int:
    """Bitmask of day codes ('mon' … 'sun')."""
    mask = 0
    for code in codes:
        if code not in DAY_CODES:
            raise WeekError(f"unknown day {code!r}; use {', '.join(DAY_CODES)}")
        mask |= 1 << DAY_CODES.index(code)
    return mask


def day_codes(mask: int) -> list[str]:
    """Day codes of a bitmask, Monday first."""
    return [code for i, code in enumerate(DAY_CODES) if mask >> i & 1]


def clock_minutes(text: str) -> int:
    """'08:30' → 510; '24:00' is the end of the day. Steps of 15 minutes."""
    m = re.fullmatch(_TIME, text.strip(), re.IGNORECASE)
    if m is None:
        raise WeekError(f"{text!r} is not a time of day such as 08:30")
    return _minutes(m.group(1), m.group(2))


def _minutes(hours: str, minutes: str | None) -> int:
    h, mnt = int(hours), int(minutes or 0)
    if h > 24 or mnt > 59 or (h == 24 and mnt):
        raise WeekError(f"{h:02d}:{mnt:02d} is not a time of day")
    total = h * 60 + mnt
    if total % STEP_MINUTES:
        raise WeekError(f"{h:02d}:{mnt:02d}: times are in steps of {STEP_MINUTES} minutes")
    return total


def window(days: int, start: int, end: int) -> WeeklyTime:
    """A checked weekly time; an end not after the start runs past midnight."""
    if not 0 < days <= ALL_DAYS:
        raise WeekError("at least one day is needed")
    if not 0 <= start < DAY_MINUTES or not 0 <= end <= DAY_MINUTES:
        raise WeekError("times lie between 00:00 and 24:00")
    if start % STEP_MINUTES or end % STEP_MINUTES:
        raise WeekError(f"times are in steps of {STEP_MINUTES} minutes")
    if end <= start:
        end += DAY_MINUTES
    if end - start > MAX_WINDOW_MINUTES:
        raise WeekError(f"a window lasts at most {MAX_WINDOW_MINUTES // 60} hours")
    return WeeklyTime(days, start, end)


def _parse_days(text: str) -> int:
    mask = 0
    for part in re.split(r"\s*(?:,|/|\+|\bund\b|\band\b|&)\s*", text.strip()):
        if not part:
            continue
        ends = re.split(r"\s*(?:-|–|—|bis|to)\s*", part)
        if len(ends) > 2:
            raise WeekError(f"{part!r} is not a day or a range of days")
        try:
            first, last = (_DAY_WORDS[e.lower().rstrip(".")] for e in (ends[0], ends[-1]))
        except KeyError:
            raise WeekError(f"{part!r} is not a day such as Mo, Di … So") from None
        i = first
        while True:
            mask |= 1 << i
            if i == last:
                break
            i = (i + 1) % 7
    if not mask:
        raise WeekError("at least one day is needed")
    return mask


def parse(text: str) -> WeeklyTime:
    """Read a phrase such as 'Mo–Fr 8:30–12:45' or 'Sa, So 22–6' (German or English days)."""
    m = _PHRASE.match(text.strip())
    if m is None:
        raise WeekError(f"{text!r} is not a weekly time such as 'Mo–Fr 08:30–12:45'")
    days = _parse_days(m.group("days"))
    start = _minutes(m.group(2), m.group(3))
    end = _minutes(m.group(4), m.group(5))
    return window(days, start, end)


def fmt_clock(minutes: int) -> str:
    """Minutes after midnight as HH:MM (past midnight wraps: 30:00 → 06:00)."""
    if minutes != DAY_MINUTES:
        minutes %= DAY_MINUTES
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def fmt_days(mask: int, lang: str = "de") -> str:
    """'Mo–Fr', 'Mo, Mi, Fr', 'Sa–So' (runs of three or more days as a range)."""
    names = DAY_NAMES.get(lang, DAY_NAMES["de"])
    parts: list[str] = []
    i = 0
    while i < 7:
        if not mask >> i & 1:
            i += 1
            continue
        j = i
        while j + 1 < 7 and mask >> (j + 1) & 1:
            j += 1
        if j - i >= 2:
            parts.append(f"{names[i]}–{names[j]}")
        else:
            parts.extend(names[k] for k in range(i, j + 1))
        i = j + 1
    return ", ".join(parts)


def fmt(w: WeeklyTime, lang: str = "de") -> str:
    """The phrase of a weekly time, e.g. 'Mo–Fr 08:30–12:45'; parse(fmt(w)) == w."""
    return f"{fmt_days(w.days, lang)} {fmt_clock(w.start)}–{fmt_clock(w.end)}"
