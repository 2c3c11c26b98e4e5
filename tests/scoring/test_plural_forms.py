"""Counts of one read as singular in reason texts (German and English)."""

from __future__ import annotations

import pytest

from kai_match.scoring.i18n import catalogue

SKILLS = ("%(have)s of %(total)s skill present",
          "%(have)s of %(total)s skills present")  # fmt: skip
AFTER = ("starts %(days)s day after availability", "starts %(days)s days after availability")


@pytest.mark.parametrize(
    ("lang", "one", "three"),
    [
        ("de", "1 von 1 Kenntnis vorhanden", "2 von 3 Kenntnissen vorhanden"),
        ("en", "1 of 1 skill present", "2 of 3 skills present"),
    ],
)  # fmt: skip
def test_skill_counts(lang, one, three):
    t = catalogue(lang)
    assert t.ngettext(*SKILLS, 1) % {"have": 1, "total": 1, "percent": 90} == one
    assert t.ngettext(*SKILLS, 3) % {"have": 2, "total": 3, "percent": 60} == three


def test_days_after_availability():
    de = catalogue("de")
    assert de.ngettext(*AFTER, 1) % {"days": 1} == "Beginn 1 Tag nach Verfügbarkeit"
    assert de.ngettext(*AFTER, 5) % {"days": 5} == "Beginn 5 Tage nach Verfügbarkeit"
    assert catalogue("en").ngettext(*AFTER, 1) % {"days": 1} == "starts 1 day after availability"
