"""Reason texts: wording in both languages, and table-based skill statuses equal the plain rule."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings

from kai_match.scoring import RankingContext, VacancyIndex, explain
from kai_match.scoring.person_query import person_query
from kai_match.scoring.reasons import skill_status

from .fakes import AS_OF, FakeCommute, FakeRelated, make_participant, make_vacancy
from .strategies import participants, profiles, related_tables, vacancies

COMMUTE = FakeCommute()
CTX = RankingContext(commute=COMMUTE, as_of=AS_OF)


@settings(max_examples=100, deadline=None, derandomize=True)
@given(p=participants(), v=vacancies(), related=related_tables(), profile=profiles())
def test_skill_status_from_query_tables_matches_the_plain_rule(p, v, related, profile) -> None:
    q = person_query(p, VacancyIndex([v]), profile, related)
    for s in v.skills:
        assert q.skill_status(p, s) == skill_status(p, s, related, profile)


def test_skills_reason_lists_similar_below_and_missing_skills() -> None:
    person = make_participant(skills={"packing": (2, "certified"), "cleaning": (1, "assessed")})
    job = make_vacancy(
        skills=[
            ("picking", "should", 2),
            ("cleaning", "should", 3),
            ("forklift", "must", 1),
            ("packing", "nice", 1),
        ]
    )
    related = FakeRelated({"picking": {"packing": 0.6}})
    names = {"picking": "Kommissionieren", "forklift": "Gabelstapler"}.get
    e = explain(person, job, replace(CTX, related=related, skill_name=lambda s: names(s) or s))
    reason = e.components["skills"].reason
    assert reason.startswith("2 von 4 Kenntnissen vorhanden; ")
    assert "ähnliche Kenntnisse für: Kommissionieren" in reason
    assert "unter gefordertem Niveau: cleaning" in reason
    assert reason.endswith("fehlt: Gabelstapler (Pflicht)")
    assert [(f.name, f.reason) for f in e.failed_constraints] == [
        ("must_skill", "Pflichtkenntnis fehlt: Gabelstapler")
    ]
    english = explain(person, job, replace(CTX, related=related, lang="en"))
    assert "missing: forklift (must)" in english.components["skills"].reason
    assert english.failed_constraints[0].reason == "Required skill missing: forklift"


def test_component_reasons_in_both_languages() -> None:
    person = make_participant(
        german_level="B1",
        latin_literacy=False,
        other_languages={"ar": "C2"},
        occupations=[("cook", "5120", 1)],
        placement_types={"internship"},
        hours_per_week=30,
        earliest_start=AS_OF,
    )
    job = make_vacancy(
        min_german_level="A2",
        languages_wanted=[("ar", "B1"), ("uk", "B1")],
        occupation_code="cook",
        hours_per_week=40,
        shifts={"day", "weekend"},
        start_date=AS_OF.replace(day=15),
    )
    de = explain(person, job, CTX).components
    en = explain(person, job, replace(CTX, lang="en")).components
    assert de["language"].reason == (
        "Deutsch B1, gefordert A2 – erfüllt; erwünschte Sprache vorhanden: Arabisch; "
        "erwünschte Sprache fehlt: Ukrainisch; Alphabetisierung in lateinischer Schrift noch nicht "
        "abgeschlossen"
    )
    assert en["language"].reason.startswith("German B1, A2 required – met")
    assert de["occupation"].reason == "Gleicher Beruf, 1 Jahr Erfahrung"
    assert en["occupation"].reason == "Same occupation, 1 year of experience"
    assert de["preferences"].reason == (
        "Job nicht gewünscht; Wochenstunden 30/40; Schichten: 1 von 2 möglich (nicht: "
        "Wochenende); Beginn 14 Tage nach Verfügbarkeit"
    )
    assert en["preferences"].reason == (
        "Job not wanted; weekly hours 30/40; shifts: 1 of 2 possible (not: weekend); "
        "starts 14 days after availability"
    )
    assert de["skills"].reason == "Keine Kenntnisse gefordert"
    assert en["commute"].reason.startswith("Commute about ")


def test_unreachable_workplace() -> None:
    class Nowhere:
        def best_minutes(self, **kw):
            import numpy as np

            shape = np.broadcast(kw["dest_lat"], kw["origin_lat"]).shape
            return np.full(shape, np.inf), np.full(shape, -1, dtype=np.int8)

    e = explain(make_participant(), make_vacancy(), RankingContext(commute=Nowhere(), as_of=AS_OF))
    assert e.commute_mode is None
    assert e.components["commute"].value == 0.0
    assert e.components["commute"].reason == "Arbeitsort nicht erreichbar (Grenze 45 Min.)"
    assert [(f.name, f.reason) for f in e.failed_constraints] == [
        ("commute", "Arbeitsort nicht erreichbar")
    ]
