"""Hypothesis strategies: small vocabularies so that skills, fields and codes collide often."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import strategies as st

from kai_match.scoring import (
    COMPONENTS,
    CONSTRAINTS,
    PLACEMENT_TYPES,
    SHIFTS,
    ParticipantProfile,
    ScoringParams,
    VacancyProfile,
    WeightProfile,
)
from kai_match.scoring.profiles import ShuttleStop
from kai_match.scoring.schedule import Commitment, WorkingTime
from kai_match.scoring.week import WeeklyTime

from .fakes import AS_OF, GRIMMA, FakeRelated

SKILLS = [f"s{i}" for i in range(8)]
CERTIFICATES = frozenset({"s0", "s5"})  # concepts that are certificates (held or not)
FIELDS = ["logistics", "care", "retail", "kitchen"]
OCCUPATIONS = ["occ-a", "occ-b", "occ-c"]
ISCO = [None, "9", "93", "933", "9333", "9334", "9321", "5120", "51"]
LANG_CODES = ["ar", "uk", "en"]
LEVELS = ["A1", "A2", "B1", "B2", "C1", "C2"]

dates = st.one_of(st.none(), st.integers(-60, 240).map(lambda d: AS_OF + timedelta(days=d)))
late_dates = st.one_of(st.none(), st.integers(-20, 300).map(lambda d: AS_OF + timedelta(days=d)))
coords = st.tuples(
    st.floats(GRIMMA[0] - 0.08, GRIMMA[0] + 0.08), st.floats(GRIMMA[1] - 0.12, GRIMMA[1] + 0.12)
)
transit = st.sampled_from([0.0, 0.3, 0.6, 0.9])
hours = st.sampled_from([None, 15.0, 20.0, 30.0, 39.0, 40.0])
shift_sets = st.frozensets(st.sampled_from(SHIFTS), max_size=3)
# Weekly times on a 15-minute grid, collisions likely: a few day sets and times around the
# course hours and the usual shift edges, some past midnight.
day_masks = st.sampled_from([0x1F, 0x01, 0x15, 0x60, 0x40, 0x7F, 0x0A])
clock = st.sampled_from([0, 300, 360, 420, 480, 510, 765, 780, 840, 960, 1080, 1320, 1425])
weekly = st.builds(
    lambda d, a, b: WeeklyTime(d, a, b if b > a else b + 1440), day_masks, clock, clock
).filter(lambda w: 0 < w.end - w.start <= 960)
commitments = st.lists(
    st.builds(
        Commitment,
        kind=st.sampled_from(["course", "childcare", "other"]),
        days=day_masks,
        start=st.just(0),
        end=st.just(0),
        valid_from=dates,
        valid_until=late_dates,
    )
    .flatmap(lambda c: weekly.map(lambda w: c._replace(start=w.start, end=w.end)))
    .filter(lambda c: not (c.valid_from and c.valid_until and c.valid_until < c.valid_from)),
    max_size=3,
)
working_times = st.lists(
    st.lists(weekly, min_size=1, max_size=2).map(lambda ws: WorkingTime(tuple(ws))), max_size=3
)
shuttles = st.lists(
    st.builds(
        ShuttleStop,
        lat=st.floats(GRIMMA[0] - 0.08, GRIMMA[0] + 0.08),
        lon=st.floats(GRIMMA[1] - 0.12, GRIMMA[1] + 0.12),
        ride_minutes=st.sampled_from([5.0, 15.0, 30.0]),
        transit=transit,
    ),
    max_size=2,
)


@st.composite
def participants(draw, pid: int | None = None, friendly: bool | None = None) -> ParticipantProfile:
    """A participant; `friendly` ones pass status, consent and permit checks and travel far."""
    if friendly is None:
        friendly = draw(st.booleans())
    lat, lon = draw(coords)
    skills = draw(
        st.dictionaries(
            st.sampled_from(SKILLS),
            st.tuples(
                st.integers(1, 4), st.sampled_from(["self_reported", "assessed", "certified"])
            ),
            max_size=4,
        )
    )
    occupations = draw(
        st.lists(
            st.tuples(
                st.sampled_from([None, *OCCUPATIONS]),
                st.sampled_from(ISCO),
                st.sampled_from([0.0, 0.5, 1.0, 2.0, 5.0]),
                st.sampled_from(["none", "partial", "pending", "full"]),
                st.sampled_from([None, date(2027, 3, 1)]),
            ),
            max_size=2,
        )
    )
    return ParticipantProfile(
        id=pid if pid is not None else draw(st.integers(1, 10_000)),
        german_level=draw(st.sampled_from(LEVELS)),
        home_lat=lat,
        home_lon=lon,
        home_transit=draw(transit),
        expected_b1_date=draw(dates),
        latin_literacy=draw(st.booleans()),
        other_languages=draw(
            st.dictionaries(st.sampled_from(LANG_CODES), st.sampled_from(LEVELS), max_size=2)
        ),
        skills=skills,
        occupations=occupations,
        driving_licences=draw(st.frozensets(st.sampled_from(["B", "C", "CE"]), max_size=2)),
        has_car=draw(st.booleans()),
        has_bike=friendly or draw(st.booleans()),
        max_commute_minutes=draw(
            st.sampled_from([90.0, 120.0] if friendly else [20.0, 45.0, 60.0, 90.0])
        ),
        earliest_start=draw(dates),
        hours_per_week=draw(hours),
        shifts=draw(shift_sets),
        placement_types=draw(st.frozensets(st.sampled_from(PLACEMENT_TYPES), max_size=2)),
        fields_wanted=draw(st.frozensets(st.sampled_from(FIELDS), max_size=2)),
        fields_excluded=draw(st.frozensets(st.sampled_from(FIELDS), max_size=1)),
        work_permit=draw(
            st.sampled_from(
                ["unrestricted", "permitted", "approval_required"]
                + ([] if friendly else ["prohibited"])
            )
        ),
        permit_valid_until=None if friendly and draw(st.booleans()) else draw(late_dates),
        permit_renewal_pending=draw(st.booleans()),
        consent_processing=friendly or draw(st.booleans()),
        share_with_employers=draw(st.booleans()),
        status="active" if friendly else draw(st.sampled_from(["active", "paused", "placed"])),
        commitments=draw(commitments),
    )


@st.composite
def vacancies(draw, vid: int | None = None, friendly: bool | None = None) -> VacancyProfile:
    """A vacancy; `friendly` ones are open, current, with openings and no licence needed."""
    if friendly is None:
        friendly = draw(st.booleans())
    lat, lon = draw(coords)
    skill_ids = draw(st.lists(st.sampled_from(SKILLS), unique=True, max_size=4))
    importances = ["should", "nice", "should", "must"] if friendly else ["must", "should", "nice"]
    skills = [
        (s, draw(st.sampled_from(importances)), draw(st.integers(1, 4)), s in CERTIFICATES)
        for s in skill_ids
    ]
    langs = draw(st.lists(st.sampled_from(LANG_CODES), unique=True, max_size=2))
    return VacancyProfile(
        id=vid if vid is not None else draw(st.integers(1, 10_000)),
        employer_id=draw(st.integers(1, 3)),
        type=draw(st.sampled_from(PLACEMENT_TYPES)),
        min_german_level=draw(st.sampled_from(LEVELS[:3] if friendly else LEVELS[:4])),
        lat=lat,
        lon=lon,
        transit=draw(transit),
        german_tolerance=draw(st.integers(1 if friendly else 0, 2)),
        occupation_code=draw(st.sampled_from([None, *OCCUPATIONS])),
        isco_group=draw(st.sampled_from(ISCO)),
        field=draw(st.sampled_from([None, *FIELDS])),
        skills=skills,
        languages_wanted=[(c, draw(st.sampled_from(LEVELS))) for c in langs],
        shifts=draw(shift_sets),
        hours_per_week=draw(hours),
        openings_left=draw(st.sampled_from([1, 2, 5] if friendly else [0, 1, 2])),
        start_date=draw(dates),
        end_date=None if friendly else draw(late_dates),
        valid_through=None if friendly else draw(late_dates),
        driving_licence_required=None if friendly else draw(st.sampled_from([None, "B", "C"])),
        status="open" if friendly else draw(st.sampled_from(["open", "filled", "closed"])),
        employer_offers_language_support=draw(st.booleans()),
        working_times=draw(st.one_of(st.just([]), working_times)),
        shuttle=draw(shuttles),
        childcare_friendly=draw(st.booleans()),
        regulated=draw(st.booleans()) and draw(st.booleans()),
        unverified=draw(
            st.lists(
                st.tuples(st.sampled_from(["DATEV", "SAP"]), st.sampled_from(["must", "nice"])),
                max_size=2,
                unique_by=lambda u: u[0],
            )
            if draw(st.integers(0, 3)) == 0
            else st.just([])
        ),
    )


@st.composite
def related_tables(draw) -> FakeRelated:
    table = draw(
        st.dictionaries(
            st.sampled_from(SKILLS),
            st.dictionaries(
                st.sampled_from(SKILLS),
                st.sampled_from([0.2, 0.5, 0.75, 0.79, 0.8, 0.95]),
                max_size=3,
            ),
            max_size=5,
        )
    )
    return FakeRelated(table)


weights = st.floats(0.0, 2.0).map(lambda w: round(w, 3))


@st.composite
def profiles(draw) -> WeightProfile:
    if draw(st.booleans()):
        return WeightProfile()
    w = {c: draw(weights) for c in COMPONENTS}
    if not any(v > 0 for v in w.values()):
        w["skills"] = 1.0
    hard = {
        t: draw(
            st.frozensets(st.sampled_from(CONSTRAINTS)).map(lambda s: frozenset(CONSTRAINTS) - s)
        )
        if draw(st.integers(0, 3)) == 0
        else frozenset(CONSTRAINTS)
        for t in PLACEMENT_TYPES
    }
    rules = {
        t: {
            "unrestricted": "allow",
            "permitted": draw(st.sampled_from(["allow", "flag"])),
            "approval_required": draw(st.sampled_from(["flag", "allow", "deny"])),
            "prohibited": draw(st.sampled_from(["deny", "flag"])),
        }
        for t in PLACEMENT_TYPES
    }
    params = ScoringParams(
        skill_level_gap_penalty=draw(st.sampled_from([0.25, 0.5])),
        related_credit_cap=draw(st.sampled_from([0.5, 0.9])),
        must_skill_accepts_related=draw(st.booleans()),
        must_skill_related_threshold=draw(st.sampled_from([0.5, 0.8])),
        commute_exponent=draw(st.sampled_from([1.0, 1.5, 2.0])),
        start_slack_days=draw(st.sampled_from([0, 14])),
        permit_open_ended_days=draw(st.sampled_from([0, 30, 180])),
        importance_weights={"must": draw(st.sampled_from([3.0, 0.0])), "should": 2.0, "nice": 1.5},
        childcare_flex_minutes=draw(st.sampled_from([0, 60])),
        unverified_must=draw(st.sampled_from(["flag", "exclude"])),
        missing_neutral=draw(st.sampled_from([0.5, 0.3])),
        field_not_wanted=draw(st.sampled_from([0.4, 0.6])),
    )
    return WeightProfile(
        name="random",
        version=1,
        weights=w,
        hard_constraints=hard,
        permit_rules=rules,
        params=params,
    )
